using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Transport;

/// <summary>Kestrel on a free port, so the npm audit suite can reach the host over real HTTP.</summary>
public sealed class KestrelPlatformFactory : PlatformFactory
{
    public KestrelPlatformFactory() => UseKestrel(0);

    public string GraphQLUrl
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/graphql";
        }
    }
}

/// <summary>Runs every audit of the graphql-http package (npm, 1.23.x) against the running host.</summary>
public sealed class GraphQLHttpAuditTests(KestrelPlatformFactory platform, ITestOutputHelper output) : IClassFixture<KestrelPlatformFactory>
{
    [Fact]
    public async Task Every_MUST_and_SHOULD_audit_of_graphql_http_passes()
    {
        var script = Path.Combine(RepositoryRoot.Path, "build", "web", "graphql-audit.mjs");
        Assert.True(Directory.Exists(Path.Combine(RepositoryRoot.Path, "build", "web", "node_modules", "graphql-http")),
            "build/web/node_modules is missing: run build/web-assets.sh (build/test.sh does).");

        var start = new ProcessStartInfo("node", [script, platform.GraphQLUrl])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);

        Assert.True(process.ExitCode == 0, $"graphql-http audit failed:\n{await stdout}\n{await stderr}");
        Assert.Contains("0 failed", await stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("MAY not met", (await stdout).Replace(", 0 MAY not met", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
