using System.Diagnostics;
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
        var web = Path.Combine(RepositoryRoot.Path, "build", "web");
        Assert.True(Directory.Exists(Path.Combine(web, "node_modules", "playwright-core")),
            "build/web/node_modules/playwright-core is missing: run build/web-assets.sh (build/test.sh does).");
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, "host", "Omct.Platform.Host", "wwwroot", "graphiql", "graphiql.min.js")),
            "GraphiQL is not installed in wwwroot: run build/web-assets.sh (build/test.sh does).");
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"Chromium is missing at {chromium}: apt-get install -y chromium (.ci/run does).");

        var screenshot = Path.Combine(RepositoryRoot.Path, ".local", "screenshots", "graphiql.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        var start = new ProcessStartInfo("node", [Path.Combine(web, "graphiql-browser.mjs"), platform.GraphQLUrl, PlatformFactory.AdminKey, screenshot])
        {
            WorkingDirectory = web,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CHROMIUM"] = chromium;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        output.WriteLine(await stdout);
        output.WriteLine(await stderr);
        Assert.True(process.ExitCode == 0, $"the GraphiQL browser check failed:\n{await stdout}\n{await stderr}");
        Assert.Contains("ok: GraphiQL loaded the schema", await stdout, StringComparison.Ordinal);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "no screenshot");
    }
}
