using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Omct.Platform.Bench;

/// <summary>
/// <c>report-run --cs CS --host-dll DLL [--cases 100000] [--seed 20130321] [--port 5186] [--keep]</c>: issue 24's scheduled
/// report over the whole data set, streamed. The data set (<see cref="Generator.GenerateAsync"/>) goes into a database of its
/// own; the host starts on it as its own process (Production, jobs off); two report definitions page through
/// <c>cases(first: 100, after: …)</c> into CSV, XLSX and HTML — the baseline over three countries (about a tenth of the
/// cases), then every case — each run with <c>runReportNow</c> while the host's VmRSS is sampled every 20 ms. Prints each
/// run's rows, time, rows/s, files and the host's memory before and at its peak: bounded memory means the peak of the
/// large run is about that of the small one, not ten times its growth. Exit status 1 when a run did not succeed or did
/// not count every case.
/// </summary>
internal static class ReportRunLoad
{
    private const string Create =
        "mutation($input: CreateReportDefinitionInput!) { createReportDefinition(input: $input) { reportDefinition { id } } }";

    private const string RunNow =
        "mutation($id: ID!) { runReportNow(input: { reportDefinitionId: $id }) { reportRun { status rows durationMs error files { name size } } } }";

    public static async Task<int> RunAsync(Options options)
    {
        var serverCs = options.Required("cs");
        var hostDll = Path.GetFullPath(options.Required("host-dll"));
        var cases = options.Int("cases", 100_000);
        var seed = options.Int("seed", 20130321);
        var port = options.Int("port", 5186);
        var keep = options.Flag("keep");
        var database = $"omct_bench_reports_{Environment.ProcessId}";
        var cs = new NpgsqlConnectionStringBuilder(serverCs) { Database = database }.ConnectionString;

        await UploadLoad.ExecAsync(serverCs, $"create database {database}");
        Process? host = null;
        try
        {
            var (events, append) = await Generator.GenerateAsync(cs, cases, seed, writers: 4, batch: 500);
            Console.WriteLine($"report-run: {cases:N0} cases ({events:N0} events) generated in {append.TotalSeconds:F1} s");
            NpgsqlConnection.ClearAllPools();

            host = UploadLoad.StartHost(hostDll, cs, port);
            var address = new Uri($"http://127.0.0.1:{port}");
            await UploadLoad.WaitReadyAsync(address, host);
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(60) };
            var total = (await UploadLoad.GraphQLAsync(http, "{ cases(first: 1) { totalCount } }", null)).GetProperty("cases").GetProperty("totalCount").GetInt64();

            var ok = total == cases;
            var results = new List<(string Name, long Rows, double Seconds, long BeforeKb, long PeakKb)>();
            foreach (var (name, filter) in new[] { ("three countries", "{ countries: [\"CO\", \"GT\", \"PH\"] }"), ("every case", "{}") })
            {
                var id = await DefineAsync(http, name, filter);
                using var sampler = new UploadLoad.RssSampler(host.Id);
                GC.Collect();
                await Task.Delay(2000);
                var before = sampler.Current();
                sampler.Start();
                var clock = Stopwatch.StartNew();
                var run = (await UploadLoad.GraphQLAsync(http, RunNow, new { id })).GetProperty("runReportNow").GetProperty("reportRun");
                var took = clock.Elapsed;
                var peak = sampler.Stop();
                var rows = run.GetProperty("rows").ValueKind == JsonValueKind.Number ? run.GetProperty("rows").GetInt64() : 0;
                var files = string.Join(", ", run.GetProperty("files").EnumerateArray()
                    .Select(f => $"{f.GetProperty("name").GetString()} {f.GetProperty("size").GetInt64() / 1048576.0:F1} MiB"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"report-run: {name}: {run.GetProperty("status").GetString()}{(run.GetProperty("error").ValueKind == JsonValueKind.String ? ": " + run.GetProperty("error").GetString() : "")}; " +
                    $"{rows:N0} rows in {took.TotalSeconds:F1} s = {rows / took.TotalSeconds:N0} rows/s; {files}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"report-run: {name}: host VmRSS before {before.RssKb / 1024.0:F1} MiB, peak during the run {peak.RssKb / 1024.0:F1} MiB (+{(peak.RssKb - before.RssKb) / 1024.0:F1} MiB); VmHWM {peak.HwmKb / 1024.0:F1} MiB; {sampler.Samples} samples"));
                ok &= run.GetProperty("status").GetString() == "SUCCEEDED";
                results.Add((name, rows, took.TotalSeconds, before.RssKb, peak.RssKb));
            }

            ok &= results[^1].Rows == total;
            var (small, large) = (results[0], results[^1]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"report-run: rows {large.Rows / (double)Math.Max(1, small.Rows):F1}x the baseline's; peak VmRSS {large.PeakKb / (double)Math.Max(1, small.PeakKb):F2}x; " +
                $"growth during the run {(large.PeakKb - large.BeforeKb) / 1024.0:F1} MiB against {(small.PeakKb - small.BeforeKb) / 1024.0:F1} MiB"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"report-run-result\t{small.Rows}\t{small.Seconds:F1}\t{small.PeakKb / 1024.0:F0}\t{large.Rows}\t{large.Seconds:F1}\t{large.PeakKb / 1024.0:F0}"));
            return ok ? 0 : 1;
        }
        finally
        {
            await UploadLoad.StopAndDropAsync(host, serverCs, keep ? [] : [database]);
        }
    }

    /// <summary>An on-demand definition over the cases the filter keeps, every page of them, as CSV, XLSX and HTML, at RESTRICTED (the admin key's clearance).</summary>
    private static async Task<string> DefineAsync(HttpClient http, string name, string filter)
    {
        var query = "query($after: String) { cases(filter: " + filter + ", first: 100, after: $after) { pageInfo { hasNextPage endCursor } " +
                    "nodes { reference title status openedOn country { code } } } }";
        var input = new
        {
            name = $"Bench: {name}",
            query,
            listPath = "cases.nodes",
            columns = new object[]
            {
                new { path = "reference", headingEn = "Reference" }, new { path = "title", headingEn = "Title" }, new { path = "status", headingEn = "Status" },
                new { path = "openedOn", headingEn = "Opened" }, new { path = "country.code", headingEn = "Country" },
            },
            formats = new[] { "CSV", "XLSX", "HTML" },
            confidentiality = "RESTRICTED",
        };
        return (await UploadLoad.GraphQLAsync(http, Create, new { input })).GetProperty("createReportDefinition").GetProperty("reportDefinition").GetProperty("id").GetString()!;
    }
}
