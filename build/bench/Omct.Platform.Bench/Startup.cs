using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Omct.Platform.Bench;

/// <summary>
/// Target 9: from process start to the first 200 of its readiness URL, for the host on the
/// existing data set and, alternating with it in the same run, for a minimal ASP.NET Core app
/// (<c>minimal</c>: <c>WebApplication.CreateBuilder</c>, one endpoint) — what .NET and Kestrel
/// cost on this machine before any platform code. The readiness URL is polled every 10 ms; each
/// process is stopped with SIGTERM (SIGKILL after 30 s) before the next one starts.
/// </summary>
internal static class Startup
{
    /// <summary>
    /// <c>startup --runs N --results FILE --host-dir DIR --host-exec "dotnet …" --host-probe URL --minimal-exec "dotnet …" --minimal-probe URL</c>
    /// (the host inherits this process's environment: its connection string and settings).
    /// </summary>
    public static async Task<int> RunAsync(Options options)
    {
        var runs = options.Int("runs", 5);
        var results = options.Required("results");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var run = 1; run <= runs; run++)
        {
            foreach (var variant in new[] { "host", "minimal" })
            {
                var exec = options.Required($"{variant}-exec").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var probe = options.Required($"{variant}-probe");
                var info = new ProcessStartInfo(exec[0])
                {
                    WorkingDirectory = options.Get($"{variant}-dir") ?? Environment.CurrentDirectory,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                foreach (var arg in exec.Skip(1))
                {
                    info.ArgumentList.Add(arg);
                }

                var clock = Stopwatch.StartNew();
                using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {exec[0]}");
                // Drain the output so a chatty start-up never blocks on a full pipe.
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                double? ready = null;
                while (clock.Elapsed < TimeSpan.FromSeconds(120) && !process.HasExited)
                {
                    try
                    {
                        using var response = await http.GetAsync(probe);
                        if ((int)response.StatusCode == 200)
                        {
                            ready = clock.Elapsed.TotalMilliseconds;
                            break;
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // not listening yet
                    }

                    await Task.Delay(10);
                }

                var exitCode = process.HasExited ? process.ExitCode : (int?)null;
                await StopAsync(process);
                Console.WriteLine(ready is { } ms
                    ? string.Create(CultureInfo.InvariantCulture, $"  t9 {variant} run {run}: start to {probe} 200 in {ms:F0} ms")
                    : $"  t9 {variant} run {run}: NOT ready within 120 s{(exitCode is { } code ? $" (exited with {code})" : "")}");
                Results.Append(results, new ResultLine("t9", variant, run, double.NaN, ready ?? double.NaN, ready ?? double.NaN, 1, ready is null ? 1 : 0,
                    variant == "host" ? "host on the existing data set" : "minimal ASP.NET Core app"));
            }
        }

        return 0;
    }

    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary><c>minimal --urls URL</c>: the baseline app of target 9.</summary>
    public static async Task<int> MinimalAsync(Options options)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Required("urls"));
        var app = builder.Build();
        app.MapGet("/", () => "ok");
        await app.RunAsync();
        return 0;
    }
}
