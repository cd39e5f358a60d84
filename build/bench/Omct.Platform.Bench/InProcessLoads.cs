using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Domain;
using Weasel.Core;

namespace Omct.Platform.Bench;

/// <summary>
/// The baselines that need no HTTP: closed loops of N tasks in this process, each timing its own
/// operations (after a warm-up that is not counted). Each writes one line to the results file.
/// </summary>
internal static class InProcessLoads
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    /// <summary>Target 2's baseline: the statistics' GROUP BY as raw SQL through Npgsql.</summary>
    public static async Task<int> SqlStatsAsync(Options options)
    {
        var cs = options.Required("cs");
        await using var data = NpgsqlDataSource.Create(cs);
        var levels = await LevelsOfKeyAsync(data, (await File.ReadAllTextAsync(options.Required("key-file"))).Trim());
        var clients = options.Int("clients", 8);
        var seconds = options.Int("seconds", 10);
        Console.WriteLine($"sql-stats: {clients} tasks x {seconds} s, levels {string.Join(",", levels)}");
        var result = await LoopAsync(clients, TimeSpan.FromSeconds(seconds), async (_, _) =>
        {
            await using var command = data.CreateCommand(
                "select d.country_code, count(*) from omct.mt_doc_cases_case d where d.confidentiality = any($1) group by 1 order by 2 desc, 1");
            command.Parameters.Add(new NpgsqlParameter { Value = levels, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                _ = reader.GetString(0);
                _ = reader.GetInt64(1);
            }
        });
        result.Write(options, "t2", "sql", $"raw GROUP BY via Npgsql, {clients} tasks");
        return 0;
    }

    /// <summary>
    /// Target 3's reference point of benchmarks.md: Marten Quick append, one event per
    /// SaveChanges, N writers, in a schema of its own (bench_quick) with the host's event settings.
    /// </summary>
    public static async Task<int> QuickAppendAsync(Options options)
    {
        var cs = options.Required("cs");
        var writers = options.Int("writers", 8);
        var seconds = options.Int("seconds", 10);
        using var store = DocumentStore.For(o =>
        {
            o.Connection(cs);
            o.DatabaseSchemaName = "bench_quick";
            o.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            o.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
            o.Events.StreamIdentity = StreamIdentity.AsGuid;
            o.Events.MetadataConfig.CorrelationIdEnabled = true;
            o.Events.MetadataConfig.CausationIdEnabled = true;
            o.Events.MetadataConfig.HeadersEnabled = true;
            o.Events.MetadataConfig.UserNameEnabled = true;
            o.Events.AppendMode = EventAppendMode.Quick;
            o.Events.MapEventType<CaseEventRecorded>("cases.case_event_recorded");
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        // 1,000 streams per writer, each writer its own.
        var streams = Enumerable.Range(0, writers)
            .Select(w => Enumerable.Range(0, 1000).Select(i => new Guid(w + 1, 0xbe, 0x4c, BitConverter.GetBytes((long)i))).ToArray()).ToArray();
        Console.WriteLine($"append-quick: {writers} writers x {seconds} s, 1 event per SaveChanges (schema bench_quick)");
        var result = await LoopAsync(writers, TimeSpan.FromSeconds(seconds), async (writer, n) =>
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = "system:bench";
            session.Events.Append(streams[writer][n % 1000], Event());
            await session.SaveChangesAsync();
        });
        result.Write(options, "t3", "quick", $"Marten Quick append, 1 event/save, {writers} writers");
        return 0;
    }

    /// <summary>
    /// The database work of <c>recordCaseEvent</c> without HTTP, GraphQL or authentication, on the
    /// host's own store: the shared write path every command takes (<see cref="StreamCommands"/>: the stream, its write
    /// model <c>CaseState</c> aggregated live, the case and its anniversaries read in one batch; decide, append, SaveChanges
    /// with the inline projections; the case the save produced answered) — as CaseCommands does. Distinct cases per writer.
    /// </summary>
    public static async Task<int> FetchAppendAsync(Options options)
    {
        var cs = options.Required("cs");
        var writers = options.Int("writers", 8);
        var seconds = options.Int("seconds", 10);
        var ids = (await File.ReadAllLinesAsync(options.Required("cases-file"))).Where(l => l.Length > 0).Select(Guid.Parse).ToArray();
        var mine = Enumerable.Range(0, writers).Select(w => ids.Where((_, i) => i % writers == w).ToArray()).ToArray();
        await using var host = new BenchHost(cs);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var command = new RecordCaseEvent(CaseEventType.Intimidation, "2013-03-05", [], null, null, null, null);
        Console.WriteLine($"append-fetch: {writers} writers x {seconds} s on the host's store, {ids.Length:N0} cases");
        var result = await LoopAsync(writers, TimeSpan.FromSeconds(seconds), async (writer, n) =>
        {
            var caseId = mine[writer][n % mine[writer].Length];
            await using var scope = host.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System("bench"));
            _ = await scope.ServiceProvider.GetRequiredService<StreamCommands>().DecideAsync<CaseState, Case>(
                "recordCaseEvent", caseId, null, null, c => CaseDecider.Record(c, Guid.CreateVersion7(), command, Confidentiality.Restricted, today),
                _ => true, _ => true, "The case", null, CancellationToken.None);
        });
        result.Write(options, "t3", "fetch", $"StreamCommands.DecideAsync (batched read, append, save), {writers} writers");
        return 0;
    }

    private static CaseEventRecorded Event() =>
        new(Guid.CreateVersion7(), CaseEventType.Intimidation, new PartialDate(2013, 3, 5), [], null, null, null, Confidentiality.Public);

    private static async Task<string[]> LevelsOfKeyAsync(NpgsqlDataSource data, string key)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        await using var command = data.CreateCommand("select data->>'clearance' from omct.mt_doc_access_api_key where data->>'keyHash' = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        var clearance = Enum.Parse<Confidentiality>((string)(await command.ExecuteScalarAsync())!);
        return Enum.GetValues<Confidentiality>().Where(c => c <= clearance).Select(c => c.ToString()).ToArray();
    }

    /// <summary>N tasks run <paramref name="operation"/>(task, iteration) back to back; the first seconds are a warm-up.</summary>
    private static async Task<LoopResult> LoopAsync(int tasks, TimeSpan duration, Func<int, int, Task> operation)
    {
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(WarmUp.TotalSeconds * Stopwatch.Frequency);
        var end = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<double>[tasks];
        var errors = 0;
        string? firstError = null;
        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            var mine = latencies[t] = new List<double>(100_000);
            for (var n = 0; ; n++)
            {
                var before = Stopwatch.GetTimestamp();
                if (before >= end)
                {
                    break;
                }

                try
                {
                    await operation(t, n);
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref errors);
                    firstError ??= e.Message;
                }

                if (before >= measureFrom)
                {
                    mine.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
                }
            }
        })));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        if (firstError is not null)
        {
            Console.WriteLine($"  {errors} errors, first: {firstError}");
        }

        return new LoopResult(all, duration.TotalSeconds, errors);
    }

    private sealed record LoopResult(double[] Sorted, double Seconds, int Errors)
    {
        public void Write(Options options, string workload, string variant, string note)
        {
            var rps = Sorted.Length / Seconds;
            var p50 = Percentile(Sorted, 50);
            var p99 = Percentile(Sorted, 99);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {Sorted.Length:N0} operations in {Seconds:F0} s: {rps:N0}/s, p50 {p50:F2} ms, p99 {p99:F2} ms, max {(Sorted.Length > 0 ? Sorted[^1] : 0):F1} ms, errors {Errors}"));
            Results.Append(options.Required("results"), new ResultLine(workload, variant, options.Int("run", 1), rps, p50, p99,
                Sorted.Length, Errors, note));
        }
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
