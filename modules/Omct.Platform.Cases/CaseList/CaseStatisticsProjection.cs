using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;

namespace Omct.Platform.Cases.CaseList;

/// <summary>
/// How many cases there are per country, year opened, status and confidentiality: the counts
/// dashboards ask for most (<c>caseStatistics</c> by COUNTRY, YEAR or STATUS), so that they are
/// read from a few thousand counters instead of counted over every case.
/// </summary>
public sealed class CaseStatisticsCounter
{
    /// <summary><c>{country}|{year}|{status}|{confidentiality}</c>.</summary>
    public string Id { get; set; } = "";
    public string CountryCode { get; set; } = "";
    public int Year { get; set; }
    public CaseStatus Status { get; set; }
    public Confidentiality Confidentiality { get; set; }
    public long Count { get; set; }

    public static string KeyOf(CaseStatisticsEntry entry) =>
        $"{entry.CountryCode}|{entry.Year}|{entry.Status}|{entry.Confidentiality}";
}

/// <summary>The counter a case is counted in now (the projection's own memory of each case).</summary>
public sealed class CaseStatisticsEntry
{
    public Guid Id { get; set; }
    public string CountryCode { get; set; } = "";
    public int Year { get; set; }
    public CaseStatus Status { get; set; }
    public Confidentiality Confidentiality { get; set; }
}

/// <summary>
/// Keeps <see cref="CaseStatisticsCounter"/>s, asynchronously: the async daemon runs it on one
/// host at a time (HotCold) in event order, a page of events per transaction. A case moves from
/// one counter to another when its status, its confidentiality or its country (a correction) changes; each page loads the entries and counters it
/// touches once, applies its events in memory, and writes the results back. Being asynchronous it
/// may lag behind the writes: <see cref="CaseSearch"/> reads the counters only when the projection
/// has caught up with the event store, and counts live otherwise, so statistics are never stale.
/// </summary>
public sealed class CaseStatisticsProjection : IProjection
{
    public const string Name = "CaseStatistics";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var relevant = events.Where(e => e.Data is CaseOpened or CaseStatusChanged or CaseConfidentialityChanged or CaseUpdated).ToList();
        if (relevant.Count == 0)
        {
            return;
        }

        var entries = (await operations.LoadManyAsync<CaseStatisticsEntry>(cancellation, relevant.Select(e => e.StreamId).Distinct()))
            .ToDictionary(e => e.Id);
        var deltas = new Dictionary<string, (CaseStatisticsEntry Bucket, long Delta)>();
        void Count(CaseStatisticsEntry entry, long delta)
        {
            var key = CaseStatisticsCounter.KeyOf(entry);
            var current = deltas.GetValueOrDefault(key, (Clone(entry), 0));
            deltas[key] = (current.Item1, current.Item2 + delta);
        }

        foreach (var e in relevant)
        {
            switch (e.Data)
            {
                case CaseOpened opened when !entries.ContainsKey(opened.CaseId):
                    var entry = new CaseStatisticsEntry
                    {
                        Id = opened.CaseId, CountryCode = opened.CountryCode, Year = opened.OpenedOn.Year,
                        Status = CaseStatus.Open, Confidentiality = opened.Confidentiality,
                    };
                    entries[entry.Id] = entry;
                    Count(entry, +1);
                    break;
                case CaseStatusChanged changed when entries.TryGetValue(e.StreamId, out var counted):
                    Count(counted, -1);
                    counted.Status = changed.To;
                    Count(counted, +1);
                    break;
                case CaseUpdated updated when entries.TryGetValue(e.StreamId, out var counted) && counted.CountryCode != updated.CountryCode:
                    Count(counted, -1);
                    counted.CountryCode = updated.CountryCode;
                    Count(counted, +1);
                    break;
                case CaseConfidentialityChanged changed when entries.TryGetValue(e.StreamId, out var counted):
                    Count(counted, -1);
                    counted.Confidentiality = changed.To;
                    Count(counted, +1);
                    break;
            }
        }

        var counters = (await operations.LoadManyAsync<CaseStatisticsCounter>(cancellation, deltas.Keys)).ToDictionary(c => c.Id);
        foreach (var (key, (bucket, delta)) in deltas.Where(d => d.Value.Delta != 0))
        {
            var counter = counters.GetValueOrDefault(key) ?? new CaseStatisticsCounter
            {
                Id = key, CountryCode = bucket.CountryCode, Year = bucket.Year, Status = bucket.Status, Confidentiality = bucket.Confidentiality,
            };
            counter.Count += delta;
            operations.Store(counter);
        }

        operations.Store(entries.Values.ToArray());
    }

    private static CaseStatisticsEntry Clone(CaseStatisticsEntry e) => new()
    {
        Id = e.Id, CountryCode = e.CountryCode, Year = e.Year, Status = e.Status, Confidentiality = e.Confidentiality,
    };
}
