using System.Diagnostics;
using System.Globalization;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.References;

namespace Omct.Platform.Bench;

/// <summary>
/// Writes the data set (<see cref="DataSet"/>) through the host's own Marten store: one
/// <c>StartStream&lt;Case&gt;</c> per case, <c>--batch</c> streams per <c>SaveChanges</c>,
/// <c>--writers</c> sessions in parallel, so the inline <c>CaseProjection</c> builds each
/// <c>Case</c> document as in production. Then sets the reference counters, vacuums and analyses.
/// </summary>
internal static class Generator
{
    public const string Schema = "omct";

    public static async Task<int> RunAsync(Options options)
    {
        var cs = options.Required("cs");
        var cases = options.Int("cases", 100_000);
        var seed = options.Int("seed", 20130321);
        var writers = options.Int("writers", 4);
        var batch = options.Int("batch", 500);
        var regenerate = options.Flag("regenerate");

        await using (var data = NpgsqlDataSource.Create(cs))
        {
            var existing = await CountCasesAsync(data);
            if (!regenerate && existing >= cases)
            {
                Console.WriteLine($"generate: the database already holds {existing:N0} cases (>= {cases:N0}): generation skipped (--regenerate to start over)");
                return 0;
            }

            if (regenerate || existing > 0)
            {
                Console.WriteLine(regenerate
                    ? "generate: --regenerate: dropping schemas omct and bench_quick"
                    : $"generate: only {existing:N0} of {cases:N0} cases (an interrupted run?): dropping schemas omct and bench_quick");
                await using var drop = data.CreateCommand("drop schema if exists omct cascade; drop schema if exists bench_quick cascade");
                await drop.ExecuteNonQueryAsync();
            }
        }

        await GenerateAsync(cs, cases, seed, writers, batch);
        return 0;
    }

    /// <summary>Writes the data set into an empty database <paramref name="cs"/>; the events written and the time the appends took.</summary>
    public static async Task<(long Events, TimeSpan Append)> GenerateAsync(string cs, int cases, int seed, int writers, int batch)
    {
        var plan = DataSet.Create(seed, cases);
        Console.WriteLine($"generate: {cases:N0} cases, seed {seed}, {writers} writers x {batch} streams per SaveChanges; starting the host in-process (schema)");
        await using var host = new BenchHost(cs);
        var store = host.Services.GetRequiredService<IDocumentStore>();

        var next = -1;
        long events = 0, written = 0;
        var byType = new Dictionary<string, long>();
        var byStatus = new Dictionary<CaseStatus, long>();
        var gate = new object();
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;

        async Task WriterAsync()
        {
            var localTypes = new Dictionary<string, long>();
            var localStatus = new Dictionary<CaseStatus, long>();
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                var from = index * batch;
                if (from >= cases)
                {
                    break;
                }

                var to = Math.Min(cases, from + batch);
                await using var session = store.LightweightSession();
                session.LastModifiedBy = "system:bench-data";
                var count = 0;
                for (var i = from; i < to; i++)
                {
                    var planned = plan.Plan[i];
                    var stream = plan.EventsOf(planned, out var status);
                    session.Events.StartStream<Case>(plan.IdOf(planned.Number), stream.ToArray());
                    count += stream.Count;
                    foreach (var e in stream)
                    {
                        var name = e.GetType().Name;
                        localTypes[name] = localTypes.GetValueOrDefault(name) + 1;
                    }

                    localStatus[status] = localStatus.GetValueOrDefault(status) + 1;
                }

                await session.SaveChangesAsync();
                Interlocked.Add(ref events, count);
                var done = Interlocked.Add(ref written, to - from);
                lock (gate)
                {
                    if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10) || done == cases)
                    {
                        lastReport = clock.Elapsed;
                        var e = Interlocked.Read(ref events);
                        Console.WriteLine($"generate:   {done,9:N0} cases {e,9:N0} events  {clock.Elapsed.TotalSeconds,6:F1} s  {e / clock.Elapsed.TotalSeconds,8:N0} events/s");
                    }
                }
            }

            lock (gate)
            {
                foreach (var (k, v) in localTypes)
                {
                    byType[k] = byType.GetValueOrDefault(k) + v;
                }

                foreach (var (k, v) in localStatus)
                {
                    byStatus[k] = byStatus.GetValueOrDefault(k) + v;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(WriterAsync)));
        var appendTime = clock.Elapsed;

        await using (var data = NpgsqlDataSource.Create(cs))
        {
            await SetCountersAsync(data, plan, cases);
            var settle = Stopwatch.StartNew();
            foreach (var sql in new[]
                     {
                         $"vacuum (analyze) {Schema}.mt_doc_cases_case", $"vacuum (analyze) {Schema}.mt_events",
                         $"vacuum (analyze) {Schema}.mt_streams", $"vacuum (analyze) {Schema}.cases_list", "checkpoint",
                     })
            {
                await using var command = data.CreateCommand(sql);
                command.CommandTimeout = 600;
                await command.ExecuteNonQueryAsync();
            }

            Console.WriteLine($"generate: counters set; vacuum analyze + checkpoint in {settle.Elapsed.TotalSeconds:F1} s");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generate: DONE {cases:N0} cases, {events:N0} events in {appendTime.TotalSeconds:F1} s = {events / appendTime.TotalSeconds:N0} events/s ({cases / appendTime.TotalSeconds:N0} cases/s)"));
        Console.WriteLine("generate: events by type: " + string.Join(", ", byType.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:N0}")));
        Console.WriteLine("generate: final status:   " + string.Join(", ", byStatus.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value:N0}")));
        return (events, appendTime);
    }

    public static async Task<long> CountCasesAsync(NpgsqlDataSource data)
    {
        await using var command = data.CreateCommand(
            $"select case when to_regclass('{Schema}.mt_doc_cases_case') is null then 0 else (select count(*) from {Schema}.mt_doc_cases_case) end");
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (PostgresException)
        {
            return 0;
        }
    }

    /// <summary>The reference counters, as if every case had been opened through the API (API-opened cases then follow on).</summary>
    private static async Task SetCountersAsync(NpgsqlDataSource data, DataSet plan, long cases)
    {
        var keys = new List<string> { "case" };
        var values = new List<long> { cases };
        foreach (var ((alpha3, year), last) in plan.CountryCounters)
        {
            keys.Add(ReferenceCounters.CountryKey(alpha3, year));
            values.Add(last);
        }

        foreach (var (year, last) in plan.AppealCounters)
        {
            keys.Add(ReferenceCounters.AppealKey(year));
            values.Add(last);
        }

        await using var command = data.CreateCommand(
            $"insert into {Schema}.cases_counters as c (key, last) select * from unnest($1::varchar[], $2::bigint[]) " +
            "on conflict (key) do update set last = greatest(c.last, excluded.last)");
        command.Parameters.Add(new NpgsqlParameter { Value = keys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = values.ToArray() });
        await command.ExecuteNonQueryAsync();
    }
}
