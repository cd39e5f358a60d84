using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

using Omct.Platform.Testing;

namespace Omct.Platform.Bench;

/// <summary>
/// <c>upload --cs CS --host-dll DLL [--mb 200] [--abort-at-mb 100] [--bound-mb 150] [--port 5184]</c>: the issue 21 check. Starts
/// the built host as its own process on a fresh database, uploads <c>--mb</c> MB over tus (one PATCH announcing everything,
/// its connection aborted after <c>--abort-at-mb</c>), resumes with HEAD + PATCH from the offset the host reports,
/// attaches, downloads and compares the SHA-256. The host's VmRSS and VmHWM are sampled every 20 ms from
/// /proc/PID/status; the peak VmRSS during the upload may exceed the VmRSS before it by at most <c>--bound-mb</c> MiB.
/// Prints its figures; exits 1 when the SHA-256 differs or the bound is passed (this command is a check, not only a figure).
/// </summary>
internal static class UploadLoad
{
    internal const string AdminKey = "bench-upload-admin-key-0123456789abcdef";

    public static async Task<int> RunAsync(Options options)
    {
        var serverCs = options.Required("cs");
        var hostDll = Path.GetFullPath(options.Required("host-dll"));
        var megabytes = options.Int("mb", 200);
        var abortAt = (long)options.Int("abort-at-mb", megabytes / 2) * 1_000_000;
        var bound = options.Int("bound-mb", 150);
        var port = options.Int("port", 5184);
        var length = (long)megabytes * 1_000_000;

        var database = $"omct_bench_upload_{Environment.ProcessId}";
        var builder = new NpgsqlConnectionStringBuilder(serverCs);
        await ExecAsync(serverCs, $"create database {database}");
        builder.Database = database;
        using var host = StartHost(hostDll, builder.ConnectionString, port);
        try
        {
            var address = new Uri($"http://127.0.0.1:{port}");
            await WaitReadyAsync(address, host);
            using var sampler = new RssSampler(host.Id);
            // Settled after start (JIT, seed): the reference the bound is measured from.
            await Task.Delay(2000);
            var before = sampler.Current();
            Console.WriteLine($"upload: host pid {host.Id}; before the upload VmRSS {before.RssKb / 1024.0:F1} MiB, VmHWM {before.HwmKb / 1024.0:F1} MiB");

            // The content: deterministic pseudo-random bytes behind a PDF header, made once (the bench's memory, not the host's).
            var content = new byte[length];
            new Random(20130321).NextBytes(content);
            "%PDF-1.7\n"u8.CopyTo(content);
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));

            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(30) };
            var clock = Stopwatch.StartNew();
            sampler.Start();
            var location = await TusOverHttp.CreateAsync(http, length, "bench.pdf", "application/pdf", AdminKey);

            // 1. One PATCH announcing everything, its connection dropped after abortAt bytes once the host has stored all
            //    their whole chunks (the rest waits in its chunk buffer and is stored when the request ends).
            var wholeChunks = abortAt / (1024 * 1024) * (1024 * 1024);
            await TusOverHttp.AbortedPatchAsync(http, location, content, abortAt,
                () => TusOverHttp.StoredAtLeastAsync(builder.ConnectionString, location, wholeChunks, TimeSpan.FromMinutes(10)), AdminKey);
            var aborted = clock.Elapsed;

            // 2. HEAD (which waits for the dropped request to end), then PATCH the rest from the host's offset.
            var (resumedFrom, attempts) = await TusOverHttp.ResumeAsync(http, location, content, AdminKey, maxPatches: 100);
            var uploaded = clock.Elapsed;

            // 3. Attach, download, compare.
            var caseId = (await GraphQLAsync(http, "mutation { openCase(input: { title: \"Bench: upload\", countryCode: \"BY\" }) { case { id } } }", null))
                .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
            var file = (await GraphQLAsync(http, "mutation($r: ID!, $u: ID!) { attachFile(input: { recordId: $r, uploadId: $u }) { file { sha256 downloadUrl } } }",
                new { r = caseId, u = location[(location.LastIndexOf('/') + 1)..] })).GetProperty("attachFile").GetProperty("file");
            var attached = clock.Elapsed;
            var download = new HttpRequestMessage(HttpMethod.Get, file.GetProperty("downloadUrl").GetString());
            download.Headers.Add("X-Api-Key", AdminKey);
            using var response = await http.SendAsync(download, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            string downloaded;
            await using (var body = await response.Content.ReadAsStreamAsync())
            {
                downloaded = Convert.ToHexStringLower(await SHA256.HashDataAsync(body));
            }

            var done = clock.Elapsed;
            var peak = sampler.Stop();

            var uploadSeconds = uploaded.TotalSeconds;
            var growth = (peak.RssKb - before.RssKb) / 1024.0;
            Console.WriteLine($"upload: {megabytes} MB ({length:N0} bytes); aborted after {abortAt:N0} bytes at {aborted.TotalSeconds:F1} s; resumed from {resumedFrom:N0} (HEAD + PATCH {attempts}×)");
            Console.WriteLine($"upload: upload {uploadSeconds:F1} s = {length / 1e6 / uploadSeconds:F1} MB/s (both PATCHes, SHA-256 and type check at completion)");
            Console.WriteLine($"upload: attach {(attached - uploaded).TotalSeconds:F1} s; download {(done - attached).TotalSeconds:F1} s = {length / 1e6 / (done - attached).TotalSeconds:F1} MB/s (each chunk decrypted and verified)");
            Console.WriteLine($"upload: SHA-256 sent {sha256}");
            Console.WriteLine($"upload: SHA-256 recorded {file.GetProperty("sha256").GetString()}, downloaded {downloaded}");
            Console.WriteLine($"upload: host VmRSS before {before.RssKb / 1024.0:F1} MiB, peak {peak.RssKb / 1024.0:F1} MiB (+{growth:F1} MiB; bound +{bound} MiB), VmHWM {peak.HwmKb / 1024.0:F1} MiB, {sampler.Samples} samples every 20 ms");
            var ok = sha256 == downloaded && sha256 == file.GetProperty("sha256").GetString();
            if (!ok)
            {
                Console.WriteLine("upload: FAILED: the SHA-256 differs");
            }

            if (growth > bound)
            {
                Console.WriteLine($"upload: FAILED: the host's memory grew by {growth:F1} MiB, more than {bound} MiB");
                ok = false;
            }

            Console.WriteLine(ok ? "upload: OK" : "upload: FAILED");
            return ok ? 0 : 1;
        }
        finally
        {
            await StopAndDropAsync(host, serverCs, [database]);
        }
    }

    /// <summary>Stops the host process (when started and still running) and drops the bench's databases (none when kept).</summary>
    internal static async Task StopAndDropAsync(Process? host, string serverCs, IEnumerable<string> databases)
    {
        if (host is { HasExited: false })
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync();
        }

        host?.Dispose();
        NpgsqlConnection.ClearAllPools();
        foreach (var database in databases)
        {
            await ExecAsync(serverCs, $"drop database if exists {database} with (force)");
        }
    }

    internal static Process StartHost(string hostDll, string connectionString, int port)
    {
        var start = new ProcessStartInfo("dotnet", [hostDll])
        {
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Omct__Security__BootstrapAdminApiKey"] = AdminKey;
        start.Environment["Omct__Jobs__Enabled"] = "false";
        start.Environment["Omct__SeedDemoData"] = "false";
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"host: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static async Task WaitReadyAsync(Uri address, Process host)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 600; i++)
        {
            if (host.HasExited)
            {
                throw new InvalidOperationException($"the host exited ({host.ExitCode})");
            }

            try
            {
                using var ready = await http.GetAsync("/health/ready");
                if (ready.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException("the host did not become ready in 120 s");
    }

    internal static async Task<JsonElement> GraphQLAsync(HttpClient http, string query, object? variables)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", AdminKey);
        using var response = await http.SendAsync(request);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return json.TryGetProperty("errors", out var errors) ? throw new InvalidOperationException(errors.ToString()) : json.GetProperty("data").Clone();
    }

    internal static async Task ExecAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>VmRSS and VmHWM of a process from /proc/PID/status, sampled every 20 ms while started.</summary>
    internal sealed class RssSampler(int pid) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _loop;
        private long _peakRss;

        public int Samples { get; private set; }

        public (long RssKb, long HwmKb) Current()
        {
            long rss = 0, hwm = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kb(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kb(line);
                }
            }

            return (rss, hwm);
        }

        public void Start() => _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                _peakRss = Math.Max(_peakRss, Current().RssKb);
                Samples++;
                try
                {
                    await Task.Delay(20, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        public (long RssKb, long HwmKb) Stop()
        {
            _stop.Cancel();
            _loop?.Wait();
            var now = Current();
            return (Math.Max(_peakRss, now.RssKb), now.HwmKb);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }

        private static long Kb(string line) =>
            long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}
