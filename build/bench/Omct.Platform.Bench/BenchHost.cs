using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Omct.Platform.Bench;

/// <summary>
/// The real host, in this process, for its <c>IDocumentStore</c>: the store is configured by the
/// host and its modules exactly as in production (schema, event aliases, the inline
/// <c>CaseProjection</c>, duplicated columns), so what the bench writes is what the API would have.
/// No HTTP traffic goes through it.
/// </summary>
internal sealed class BenchHost : WebApplicationFactory<global::Program>
{
    private readonly string _connectionString;

    public BenchHost(string connectionString)
    {
        _connectionString = connectionString;
        // The content root (the factory would look for MvcTestingAppManifest.json in the current
        // directory, then guess from the solution): this folder; the host needs nothing from it.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_OMCT_PLATFORM_HOST", AppContext.BaseDirectory);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Postgres", _connectionString);
        builder.UseSetting("Omct:Jobs:Enabled", "false");
        builder.UseSetting("Omct:SeedDemoData", "false");
        // Only warnings from the in-process host: the bench prints its own progress.
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Serilog:MinimumLevel:Override:Microsoft.AspNetCore.StaticFiles", "Error");
    }
}
