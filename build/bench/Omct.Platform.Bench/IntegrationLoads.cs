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

    /// <summary>
    /// <c>feed --host URL --key KEY --cs CS [--first 1000] --results FILE --run N [--warmup] [--writers 8 --writer-key KEY --cases-file FILE]</c>:
    /// pulls <c>changes</c> from the start until drained, over HTTP, and checks what it got against
    /// <c>mt_events</c>. With <c>--writers</c>, that many tasks append case events through
    /// <c>recordCaseEvent</c> (distinct cases each) during the pull; when it has drained they stop, the
    /// pull goes on from its last cursor until drained again, and every event in the store must have
    /// been seen exactly once.
    /// </summary>
    public static async Task<int> FeedAsync(Options options)
    {
        var host = options.Required("host").TrimEnd('/');
        var key = options.Required("key");
        var first = options.Int("first", 1000);
        var run = options.Int("run", 1);
        var writers = options.Int("writers", 0);
        var cs = options.Required("cs");
        var label = options.Flag("warmup") ? "warm-up" : $"run {run}";
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };

        using var stopWriters = new CancellationTokenSource();
        var writes = new long[1];
        var writeErrors = new long[1];
        var writerTasks = new List<Task>();
        if (writers > 0)
        {
            var ids = (await File.ReadAllLinesAsync(options.Required("cases-file"))).Where(l => l.Length > 0).ToArray();
            var writerKey = options.Required("writer-key");
            for (var w = 0; w < writers; w++)
            {
                var mine = ids.Where((_, i) => i % writers == w).ToArray();
                writerTasks.Add(Task.Run(() => WriteAsync(http, host, writerKey, mine, writes, writeErrors, stopWriters.Token)));
            }
        }

        var seen = new HashSet<long>();
        long repeated = 0;
        var pageTimes = new List<double>();
        var clock = Stopwatch.StartNew();
        var (cursor, error) = await PullAsync(http, host, key, first, null, seen, pageTimes, () => repeated++);
        var seconds = clock.Elapsed.TotalSeconds;
        var pulled = seen.Count;
        long appendedDuring = 0;
        if (writers > 0)
        {
            await stopWriters.CancelAsync();
            await Task.WhenAll(writerTasks);
            appendedDuring = Interlocked.Read(ref writes[0]);
            // What was committed after the pull's last snapshot: the rest of the feed, from its cursor.
            if (error is null)
            {
                (_, error) = await PullAsync(http, host, key, first, cursor, seen, [], () => repeated++);
            }
        }

        if (error is not null)
        {
            Console.Error.WriteLine($"feed: {error}");
        }

        var stored = await EventSequencesAsync(cs);
        var skipped = stored.Count(s => !seen.Contains(s));
        var unknown = seen.Count(s => !stored.Contains(s));
        var rate = pulled / seconds;
        pageTimes.Sort();
        var p50 = InProcessLoads.Percentile([.. pageTimes], 50);
        var p99 = InProcessLoads.Percentile([.. pageTimes], 99);
        var during = writers > 0
            ? FormattableString.Invariant($"{writers} writers appended {appendedDuring:N0} events meanwhile ({Interlocked.Read(ref writeErrors[0])} failed writes), all pulled after they stopped: {seen.Count:N0}; ")
            : "";
        Console.WriteLine(FormattableString.Invariant(
            $"  t4 feed {label}: {pulled:N0} changes in {pageTimes.Count} pages of {first} in {seconds:F2} s = {rate:N0} changes/s; page p50 {p50:F1} ms p99 {p99:F1} ms; {during}repeated {repeated}, skipped {skipped}, not in the store {unknown} (event store: {stored.Count:N0})"));
        if (!options.Flag("warmup"))
        {
            Results.Append(options.Required("results"), new ResultLine("t4", writers > 0 ? "writers" : "graphql", run, rate, p50, p99, pulled,
                repeated + skipped + unknown + (error is null ? 0 : 1) + (writers > 0 && appendedDuring == 0 ? 1 : 0),
                writers > 0 ? $"{writers} writers appended {appendedDuring} events during the pull; repeated {repeated}, skipped {skipped}"
                    : $"repeated {repeated}, skipped {skipped}"));
        }

        return 0;
    }

    /// <summary>Pages from <paramref name="after"/> until the feed says there is no next page; the sequences go into <paramref name="seen"/>.</summary>
    private static async Task<(string? Cursor, string? Error)> PullAsync(
        HttpClient http, string host, string key, int first, string? after, HashSet<long> seen, List<double> pageTimes, Action repeated)
    {
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
                return (after, errors.ToString());
            }

            var changes = json.RootElement.GetProperty("data").GetProperty("changes");
            foreach (var node in changes.GetProperty("nodes").EnumerateArray())
            {
                if (!seen.Add(node.GetProperty("sequence").GetInt64()))
                {
                    repeated();
                }
            }

            pageTimes.Add(pageClock.Elapsed.TotalMilliseconds);
            var info = changes.GetProperty("pageInfo");
            after = info.GetProperty("endCursor").GetString();
            if (!info.GetProperty("hasNextPage").GetBoolean())
            {
                return (after, null);
            }
        }
    }

    private static async Task WriteAsync(HttpClient http, string host, string key, string[] caseIds, long[] writes, long[] errors, CancellationToken stop)
    {
        const string mutation = "mutation($id: ID!) { recordCaseEvent(input: {caseId: $id, type: INTIMIDATION, date: \"2013-03-05\"}) { case { version } } }";
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var body = JsonSerializer.Serialize(new { query = mutation, variables = new { id = caseIds[n % caseIds.Length] } });
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{host}/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Api-Key", key);
            // Not cancelled mid-request: an acknowledged write is counted, an abandoned one would be a guess.
            using var response = await http.SendAsync(request, CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (response.IsSuccessStatusCode && !text.Contains("\"errors\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref writes[0]);
            }
            else
            {
                Interlocked.Increment(ref errors[0]);
            }
        }
    }

    /// <summary>
    /// <c>feed-sql --cs CS [--first 1000] --results FILE --run N</c>: target 4's baseline, the event
    /// store read straight: <c>mt_events</c> joined with <c>mt_streams</c> in sequence order, keyset
    /// pages of <c>--first</c> rows through Npgsql (no snapshots, no clearance, no GraphQL, no HTTP).
    /// </summary>
    public static async Task<int> FeedSqlAsync(Options options)
    {
        var first = options.Int("first", 1000);
        await using var data = NpgsqlDataSource.Create(options.Required("cs"));
        var pageTimes = new List<double>();
        long after = 0, rows = 0;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var pageClock = Stopwatch.StartNew();
            await using var command = data.CreateCommand(
                $"select e.seq_id, e.stream_id, e.version, e.type, e.timestamp, s.type from {Generator.Schema}.mt_events e " +
                $"join {Generator.Schema}.mt_streams s on s.id = e.stream_id where e.seq_id > $1 order by e.seq_id limit $2");
            command.Parameters.Add(new NpgsqlParameter { Value = after });
            command.Parameters.Add(new NpgsqlParameter { Value = first });
            var count = 0;
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    after = reader.GetInt64(0);
                    _ = reader.GetGuid(1);
                    _ = reader.GetInt64(2);
                    _ = reader.GetString(3);
                    _ = reader.GetFieldValue<DateTimeOffset>(4);
                    _ = reader.GetString(5);
                    count++;
                }
            }

            pageTimes.Add(pageClock.Elapsed.TotalMilliseconds);
            rows += count;
            if (count < first)
            {
                break;
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        pageTimes.Sort();
        var p50 = InProcessLoads.Percentile([.. pageTimes], 50);
        var p99 = InProcessLoads.Percentile([.. pageTimes], 99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  t4 sql run {options.Int("run", 1)}: {rows:N0} events in {pageTimes.Count} pages of {first} in {seconds:F2} s = {rows / seconds:N0} rows/s; page p50 {p50:F1} ms p99 {p99:F1} ms"));
        Results.Append(options.Required("results"), new ResultLine("t4", "sql", options.Int("run", 1), rows / seconds, p50, p99, rows, 0,
            "mt_events + mt_streams keyset pages via Npgsql"));
        return 0;
    }

    /// <summary><c>export --host URL --key KEY --pid PID [--name cases] [--format ndjson] [--runs 2] [--results FILE --run N]</c></summary>
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
            if (options.Get("results") is { } results)
            {
                // t8 export lines: the p50 column holds the growth of the host's RSS during the export (MiB), p99 the peak (MiB).
                Results.Append(results, new ResultLine("t8", $"export-{format}", options.Int("run", 1) + run - 1, rows / seconds,
                    (peak - before) / 1024.0, peak / 1024.0, rows, response.IsSuccessStatusCode ? 0 : 1,
                    string.Create(CultureInfo.InvariantCulture, $"{rows} rows, {bytes / 1048576.0:F1} MiB streamed in {seconds:F1} s; RSS before {before / 1024.0:F0} MiB")));
            }
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

    private static async Task<HashSet<long>> EventSequencesAsync(string cs)
    {
        await using var data = NpgsqlDataSource.Create(cs);
        await using var command = data.CreateCommand($"select e.seq_id from {Generator.Schema}.mt_events e join {Generator.Schema}.mt_streams s on s.id = e.stream_id");
        var sequences = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sequences.Add(reader.GetInt64(0));
        }

        return sequences;
    }
}
