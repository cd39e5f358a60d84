using System.Diagnostics;
using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Digests;

/// <summary>
/// A real SMTP server (npm's smtp-server, run by build/web/smtp-sink.mjs) on a free port of the
/// loopback, writing each message it receives to a directory of its own as JSON (parsed with mailparser).
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;

    private SmtpSink(Process process, int port, string directory) => (_process, Port, Directory) = (process, port, directory);

    public int Port { get; }

    public string Directory { get; }

    public static async Task<SmtpSink> StartAsync()
    {
        var script = Path.Combine(RepositoryRoot.Path, "build", "web", "smtp-sink.mjs");
        Assert.True(System.IO.Directory.Exists(Path.Combine(RepositoryRoot.Path, "build", "web", "node_modules", "smtp-server")),
            "build/web/node_modules/smtp-server is missing: run build/web-assets.sh (build/test.sh does).");
        var directory = Path.Combine(Path.GetTempPath(), "omct-smtp-sink", Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("node", [script, "--dir", directory, "--port", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // the sink stops when its stdin closes: it never outlives the test
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"smtp-sink did not start: {line} {await process.StandardError.ReadToEndAsync(timeout.Token)}");
        }

        return new SmtpSink(process, int.Parse(line["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture), directory);
    }

    /// <summary>The messages received so far, in the order they arrived.</summary>
    public IReadOnlyList<JsonElement> Messages() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal)
                .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.Clone()).ToList()
            : [];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5_000))
            {
                _process.Kill();
            }
        }

        _process.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        await Task.CompletedTask;
    }
}
