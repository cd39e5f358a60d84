using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Omct.Platform.Bench;

/// <summary>
/// Target 4 (the change feed pulled from the start at <c>first: 1000</c>) and the bulk export's
/// memory (target 8: "exports stream in constant memory"), over HTTP against the host process.
/// </summary>
internal static class IntegrationLoads
{
    private const string FeedQuery =
        "query($after: String, $first: Int) { changes(after: $after, first: $first) { nodes { sequence entityType entityId kind version } pageInfo { hasNextPage endCursor } } }";

    /// <summary><c>feed --host URL --key KEY --cs CS [--first 1000] [--runs 3]</c></summary>
    public static async Task<int> FeedAsync(Options options)
    {
        var host = options.Required("host").TrimEnd('/');
        var key = options.Required("key");
        var first = options.Int("first", 1000);
        var runs = options.Int("runs", 3);
        var expected = await CountEventsAsync(options.Required("cs"));
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var rates = new List<double>();
        for (var run = 0; run <= runs; run++)
        {
            var clock = Stopwatch.StartNew();
            var seen = new HashSet<long>();
            long repeated = 0, pages = 0;
            var pageTimes = new List<double>();
            string? after = null;
            while (true)
            {
                var pageClock = Stopwatch.StartNew();
                var body = JsonSerializer.Serialize(new { query = FeedQuery, variables = new { after, first } });
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{host}/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Add("X-Api-Key", key);
                using var response = await http.SendAsync(request);
                await using var stream = await response.Content.ReadAsStreamAsync();
                using var json = await JsonDocument.ParseAsync(stream);
                if (json.RootElement.TryGetProperty("errors", out var errors))
                {
                    Console.Error.WriteLine($"feed: {errors}");
                    return 1;
                }

                var changes = json.RootElement.GetProperty("data").GetProperty("changes");
                foreach (var node in changes.GetProperty("nodes").EnumerateArray())
                {
                    if (!seen.Add(node.GetProperty("sequence").GetInt64()))
                    {
                        repeated++;
                    }
                }

                pages++;
                pageTimes.Add(pageClock.Elapsed.TotalMilliseconds);
                var info = changes.GetProperty("pageInfo");
                after = info.GetProperty("endCursor").GetString();
                if (!info.GetProperty("hasNextPage").GetBoolean())
                {
                    break;
                }
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var rate = seen.Count / seconds;
            pageTimes.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"feed {(run == 0 ? "warm-up" : $"run {run}")}: {seen.Count:N0} changes in {pages} pages of {first} in {seconds:F2} s = {rate:N0} changes/s; " +
                $"page p50 {pageTimes[pageTimes.Count / 2]:F1} ms p99 {pageTimes[(int)(pageTimes.Count * 0.99)]:F1} ms; " +
                $"repeated {repeated}, skipped {expected - seen.Count} (event store: {expected:N0})"));
            if (run > 0)
            {
                rates.Add(rate);
            }
        }

        rates.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"feed: median {rates[rates.Count / 2]:N0} changes/s (target 4: >= 50,000)"));
        return 0;
    }

    /// <summary><c>export --host URL --key KEY --pid PID [--name cases] [--format ndjson] [--runs 2]</c></summary>
    public static async Task<int> ExportAsync(Options options)
    {
        var host = options.Required("host").TrimEnd('/');
        var key = options.Required("key");
        var pid = options.Int("pid", 0);
        var name = options.Get("name", "cases");
        var format = options.Get("format", "ndjson");
        var runs = options.Int("runs", 2);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        for (var run = 1; run <= runs; run++)
        {
            var before = RssKb(pid);
            long peak = before;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, RssKb(pid));
                    try
                    {
                        await Task.Delay(20, sampling.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            });

            var clock = Stopwatch.StartNew();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{host}/export/{name}?format={format}");
            request.Headers.Add("X-Api-Key", key);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            long bytes = 0, lines = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                bytes += read;
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }

            var seconds = clock.Elapsed.TotalSeconds;
            await sampling.CancelAsync();
            await sampler;
            var rows = format == "csv" ? lines - 1 : lines - 1; // CSV: the header; NDJSON: the cursor trailer
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"export {name} ({format}) run {run}: HTTP {(int)response.StatusCode}, {rows:N0} rows, {bytes / 1048576.0:F1} MiB in {seconds:F2} s ({rows / seconds:N0} rows/s); " +
                $"host RSS before {before / 1024.0:F0} MiB, peak during {peak / 1024.0:F0} MiB (+{(peak - before) / 1024.0:F0} MiB)"));
        }

        return 0;
    }

    private static long RssKb(int pid)
    {
        if (pid <= 0)
        {
            return 0;
        }

        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static async Task<long> CountEventsAsync(string cs)
    {
        await using var data = NpgsqlDataSource.Create(cs);
        await using var command = data.CreateCommand("select count(*) from omct.mt_events e join omct.mt_streams s on s.id = e.stream_id");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
