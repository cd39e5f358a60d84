using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Transport;

/// <summary>Kestrel on a free port in the Production environment (no anonymous introspection), for a real browser.</summary>
public sealed class ProductionKestrelPlatformFactory : PlatformFactory
{
    public ProductionKestrelPlatformFactory() => UseKestrel(0);

    public string GraphQLUrl
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/graphql";
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}

/// <summary>
/// GraphiQL at /graphql in Debian's Chromium (build/web/graphiql-browser.mjs, playwright-core): with an API key in
/// the Headers tab the schema loads under the default limits, the Docs pane lists Query, and a query runs. The
/// screenshot is kept in .local/screenshots/graphiql.png (a CI artefact, git-ignored).
/// </summary>
public sealed class GraphiQLBrowserTests(ProductionKestrelPlatformFactory platform, ITestOutputHelper output) : IClassFixture<ProductionKestrelPlatformFactory>
{
    [Fact]
    public async Task GraphiQL_with_a_key_shows_the_schema_in_Docs_and_runs_a_query_in_Chromium()
    {
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "host", "Omct.Platform.Host", "wwwroot", "graphiql", "graphiql.min.js")),
            "GraphiQL is not installed in wwwroot: run build/web-assets.sh (build/test.sh does).");
        var screenshot = BrowserScript.ScreenshotPath("graphiql.png");
        var stdout = await BrowserScript.RunAsync("graphiql-browser.mjs", [platform.GraphQLUrl, PlatformFactory.AdminKey, screenshot], output);
        Assert.Contains("ok: GraphiQL loaded the schema", stdout, StringComparison.Ordinal);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "no screenshot");
    }
}
