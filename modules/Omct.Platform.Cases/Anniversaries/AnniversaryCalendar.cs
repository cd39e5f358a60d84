using System.Globalization;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.CaseList;
using Omct.Platform.Cases.Contracts;

namespace Omct.Platform.Cases.Anniversaries;

/// <summary>An anniversary with the case it belongs to, as the schema's <c>Anniversary</c> type renders it.</summary>
internal sealed record AnniversaryView(AnniversaryOccurrence Occurrence, Case Case);

/// <summary>
/// Anniversaries in a window: the candidate cases through the indexed keys (one query, with the list's
/// filter and the caller's clearance as its conditions), then <see cref="AnniversaryRules"/> on each.
/// </summary>
internal sealed class AnniversaryCalendar(CaseSearch search, IDocumentStore store, TimeProvider clock) : IAnniversaryCalendar
{
    /// <summary>The widest window one query may ask for.</summary>
    public const int MaxWindowDays = 366;

    public async Task<IReadOnlyList<AnniversaryView>> BetweenAsync(DateOnly from, DateOnly to, CaseCriteria criteria, Caller caller, CancellationToken ct)
    {
        // Years outside these bounds are refused on the argument, before any work (a window in year 9991 looked
        // for detentions begun on two million days; 9999-12-31 overflowed into INTERNAL).
        var latest = new DateOnly(AnniversaryRules.LatestYear(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)), 12, 31);
        foreach (var (name, value) in new[] { ("from", from), ("to", to) })
        {
            if (value < AnniversaryRules.EarliestDate || value > latest)
            {
                throw DomainException.Validation(name, string.Create(CultureInfo.InvariantCulture,
                    $"{name} must be from {AnniversaryRules.EarliestDate:yyyy-MM-dd} to {latest:yyyy-MM-dd} (the end of the year {AnniversaryRules.YearsAhead} years after the current one)."));
            }
        }

        if (to < from)
        {
            throw DomainException.Validation("to", "to is before from.");
        }

        if (to.DayNumber - from.DayNumber + 1 > MaxWindowDays)
        {
            throw DomainException.Validation("to", $"The window may cover at most {MaxWindowDays} days.");
        }

        var sources = await search.AnniversarySourcesAsync(criteria, caller.VisibleLevels(),
            AnniversaryRules.YearlyKeysBetween(from, to), AnniversaryRules.DetentionStartsBetween(from, to), ct);
        return sources
            .SelectMany(s => AnniversaryRules.Between(s.Source, from, to, caller.Clearance).Select(o => new AnniversaryView(o, s.Case)))
            .OrderBy(v => v.Occurrence.Date).ThenBy(v => v.Case.OrderKey).ThenBy(v => v.Occurrence.Kind).ThenBy(v => v.Occurrence.Key.CaseEventId)
            .ThenBy(v => v.Occurrence.Key.VictimId)
            .ToList();
    }

    async Task<IReadOnlyList<AnniversaryOccurrence>> IAnniversaryCalendar.BetweenAsync(DateOnly from, DateOnly to, Caller caller, CancellationToken ct) =>
        (await BetweenAsync(from, to, CaseCriteria.None, caller, ct)).Select(v => v.Occurrence).ToList();

    public async Task<IReadOnlyDictionary<AnniversaryKey, object>> FindAsync(IReadOnlyCollection<AnniversaryKey> keys, Caller caller, CancellationToken ct)
    {
        var found = new Dictionary<AnniversaryKey, object>();
        if (keys.Count == 0)
        {
            return found;
        }

        var caseIds = keys.Select(k => k.CaseId).Distinct().ToArray();
        await using var session = store.QuerySession();
        var cases = (await session.LoadManyAsync<Case>(ct, caseIds)).ToDictionary(c => c.Id);
        var sources = (await session.LoadManyAsync<CaseAnniversaries>(ct, caseIds)).ToDictionary(s => s.Id);
        foreach (var key in keys)
        {
            if (!cases.TryGetValue(key.CaseId, out var c) || !sources.TryGetValue(key.CaseId, out var source))
            {
                continue;
            }

            var now = AnniversaryRules.Between(source, key.Date, key.Date, caller.Clearance).FirstOrDefault(o => o.Key == key);
            if (now is not null)
            {
                found[key] = new AnniversaryView(now, c);
            }
        }

        return found;
    }
}
