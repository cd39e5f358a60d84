using System.Diagnostics;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Transport;

/// <summary>
/// Runs a playwright-core script of build/web in Debian's Chromium (no browser download) and answers its output;
/// the screenshot path it is given is emptied first and kept in .local/screenshots (git-ignored).
/// </summary>
public static class BrowserScript
{
    public static string ScreenshotPath(string name)
    {
        var screenshot = Path.Combine(RepositoryRoot.Path, ".local", "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        return screenshot;
    }

    /// <summary>Fails the test when the script fails or takes more than three minutes; its output goes to the test's log.</summary>
    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, ITestOutputHelper output)
    {
        var web = Path.Combine(RepositoryRoot.Path, "build", "web");
        Assert.True(Directory.Exists(Path.Combine(web, "node_modules", "playwright-core")),
            "build/web/node_modules/playwright-core is missing: run build/web-assets.sh (build/test.sh does).");
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"Chromium is missing at {chromium}: apt-get install -y chromium (.ci/run does).");

        var start = new ProcessStartInfo("node", [Path.Combine(web, script), .. arguments])
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
        Assert.True(process.ExitCode == 0, $"{script} failed:\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
