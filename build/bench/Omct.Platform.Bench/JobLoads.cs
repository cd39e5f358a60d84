using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Omct.Platform.Cases.Anniversaries;

namespace Omct.Platform.Bench;

/// <summary>
/// Targets 5 and 6: a daily job run through <c>runJob(input: {name, asOf})</c> over HTTP with the
/// bootstrap admin key (the same code path as the scheduler), then run again for the same day —
/// which must write nothing (rows counted in the database before and after each run). Target 5's
/// baseline: the SQL of the anniversary window alone.
/// </summary>
internal static class JobLoads
{
    /// <summary>
    /// <c>job --host URL --key KEY --cs CS --name JOB --as-of DAY --workload t5 --results FILE --run N [--count-sql SQL]</c>:
    /// when the schema has no job of that name, one line "not available" and nothing else.
    /// </summary>
    public static async Task<int> RunAsync(Options options)
    {
        var host = options.Required("host").TrimEnd('/');
        var key = options.Required("key");
        var name = options.Required("name");
        var asOf = options.Required("as-of");
        var workload = options.Required("workload");
        var countSql = options.Get("count-sql");
        var results = options.Required("results");
        var run = options.Int("run", 1);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };

        var jobs = await GraphQLAsync(http, host, key, "{ scheduledJobs { name } }");
        var names = jobs["data"]?["scheduledJobs"]?.AsArray().Select(j => j!["name"]!.GetValue<string>()).ToList() ?? [];
        if (!names.Contains(name))
        {
            Console.WriteLine($"  {workload} {name}: not available (the schema's jobs are {string.Join(", ", names)})");
            Results.Append(results, new ResultLine(workload, "job", run, double.NaN, double.NaN, double.NaN, 0, 0, $"not available: no {name} job"));
            return 0;
        }

        await using var data = NpgsqlDataSource.Create(options.Required("cs"));
        foreach (var variant in new[] { "job", "rerun" })
        {
            var before = countSql is null ? (long?)null : await CountAsync(data, countSql);
            var clock = Stopwatch.StartNew();
            var answer = await GraphQLAsync(http, host, key,
                $"mutation {{ runJob(input: {{name: {name}, asOf: \"{asOf}\"}}) {{ run {{ durationMs items outcome error asOf }} }} }}");
            var wall = clock.Elapsed.TotalMilliseconds;
            var after = countSql is null ? (long?)null : await CountAsync(data, countSql);
            var jobRun = answer["data"]?["runJob"]?["run"];
            var errors = answer["errors"] is null ? 0 : 1;
            var outcome = jobRun?["outcome"]?.GetValue<string>() ?? "none";
            var items = jobRun?["items"]?.GetValue<int>() ?? 0;
            var duration = jobRun?["durationMs"]?.GetValue<int>() ?? double.NaN;
            var written = after - before;
            if (outcome != "SUCCEEDED")
            {
                errors++;
            }

            // A rerun of a day that was done must write nothing: neither rows nor items.
            if (variant == "rerun" && (items != 0 || written is not (null or 0)))
            {
                errors++;
            }

            var note = $"asOf {asOf}, items {items}, rows written {written?.ToString(CultureInfo.InvariantCulture) ?? "?"}, outcome {outcome}, HTTP round trip {wall:F0} ms";
            var problems = (jobRun?["error"]?.GetValue<string>() is { } error ? $", error: {error}" : "") +
                           (answer["errors"] is { } gqlErrors ? $", GraphQL errors: {gqlErrors.ToJsonString()}" : "");
            Console.WriteLine(FormattableString.Invariant(
                $"  {workload} {variant} run {run}: runJob({name}, asOf {asOf}) {outcome} in {duration} ms (HTTP {wall:F0} ms), items {items}, rows {before?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"} -> {after?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"}{problems}"));
            // Single measurements: the job's own duration goes into the p50 column (the report reads it as "ms").
            Results.Append(results, new ResultLine(workload, variant, run, items, duration, duration, 1, errors, note));
        }

        return 0;
    }

    /// <summary>
    /// <c>anniversary-sql --cs CS --as-of DAY [--lead 14] --results FILE --run N</c>: the window's query
    /// of AnniversaryCalendar (candidates through the two GIN-indexed key arrays, every level: the job's
    /// system caller), its rows read as text, nothing deserialized or computed. Three executions; the
    /// median is recorded.
    /// </summary>
    public static async Task<int> AnniversarySqlAsync(Options options)
    {
        var from = DateOnly.Parse(options.Required("as-of"), CultureInfo.InvariantCulture);
        var to = from.AddDays(options.Int("lead", 14));
        await using var data = NpgsqlDataSource.Create(options.Required("cs"));
        var times = new List<double>();
        long rows = 0, bytes = 0;
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            await using var command = data.CreateCommand(
                $"select d.data, a.data from {Generator.Schema}.mt_doc_{CaseAnniversaries.Alias} a join {Generator.Schema}.mt_doc_cases_case d on d.id = a.id " +
                "where (a.yearly_keys && $1 or a.detention_starts && $2) and d.confidentiality = any($3) order by d.order_key");
            command.Parameters.Add(new NpgsqlParameter { Value = AnniversaryRules.YearlyKeysBetween(from, to), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter { Value = AnniversaryRules.DetentionStartsBetween(from, to), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
            command.Parameters.Add(new NpgsqlParameter { Value = new[] { "Public", "Network", "Staff", "Restricted" }, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
            rows = bytes = 0;
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows++;
                    bytes += reader.GetString(0).Length + reader.GetString(1).Length;
                }
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var median = times[1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  t5 sql run {options.Int("run", 1)}: the window {from:yyyy-MM-dd}..{to:yyyy-MM-dd}: {rows:N0} candidate cases ({bytes / 1048576.0:F1} MiB of JSON) in {string.Join(" / ", times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))} ms"));
        Results.Append(options.Required("results"), new ResultLine("t5", "sql", options.Int("run", 1), rows, median, times[^1], 3, 0,
            $"window query alone, {rows} rows"));
        return 0;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<JsonNode> GraphQLAsync(HttpClient http, string host, string key, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{host}/graphql")
        {
            Content = new StringContent(new JsonObject { ["query"] = query }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", key);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"empty answer ({(int)response.StatusCode})");
    }
}
