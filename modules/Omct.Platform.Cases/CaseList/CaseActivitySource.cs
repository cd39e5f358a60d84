using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Contracts;

namespace Omct.Platform.Cases.CaseList;

/// <summary>
/// The cases module's answers to the digests and reports (<see cref="ICaseActivity"/>): what a caller
/// may see of the cases active in a period, applying this module's rules — a case above the caller's
/// clearance does not exist, and of a visible case only the case events and victims the caller may see.
/// </summary>
internal sealed class CaseActivitySource(CaseSearch search, IDocumentStore store) : ICaseActivity
{
    public async Task<CaseActivity> InPeriodAsync(CaseActivityPeriod period, IReadOnlyCollection<string> countries, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(caller);
        // The UTC days the instants touch, and the calendar days: a superset, narrowed exactly below.
        var first = Math.Min(DateOnly.FromDateTime(period.From.UtcDateTime).DayNumber, period.FromDay.DayNumber);
        var last = Math.Max(DateOnly.FromDateTime(period.To.UtcDateTime).DayNumber, period.ToDay.DayNumber);
        if (last - first > 400)
        {
            throw new ArgumentOutOfRangeException(nameof(period), "A period of activity covers at most 400 days.");
        }

        var days = Enumerable.Range(first, last - first + 1).ToArray();
        var cases = await search.ActiveOnAsync(days, countries, caller.VisibleLevels(), cancellationToken);
        bool Recorded(DateTimeOffset? at) => at is { } instant && instant >= period.From && instant < period.To;
        bool Dated(DateOnly day) => day >= period.FromDay && day <= period.ToDay;

        var summaries = new Dictionary<Guid, CaseSummary>();
        var opened = new List<CaseSummary>();
        var events = new List<CaseEventSummary>();
        var interventions = new List<InterventionSummary>();
        foreach (var c in cases)
        {
            var summary = Summarise(c, caller);
            var active = false;
            // A case from the archive (opened with its original reference) is new work of a period only by its dates: what
            // is dated before the day it came onto the platform is its history, recorded as it was, not news of the period.
            var arrived = DateOnly.FromDateTime(c.CreatedAt.UtcDateTime);
            bool New(DateOnly latestDay) => !c.FromArchive || latestDay >= arrived;
            if (Dated(c.OpenedOn) || (Recorded(c.CreatedAt) && New(c.OpenedOn)))
            {
                opened.Add(summary);
                active = true;
            }

            foreach (var e in c.Events.Where(e => Recorded(e.RecordedAt) && New(LatestDayOf(e.Date))))
            {
                if (summary.Events.GetValueOrDefault(e.Id) is { } visible)
                {
                    events.Add(visible);
                    active = true;
                }
            }

            foreach (var i in c.Interventions.Where(i => Dated(i.IssuedOn) || (Recorded(i.RecordedAt) && New(i.IssuedOn))))
            {
                interventions.Add(new InterventionSummary(c.Id, i.Id, i.Type.ToString(), i.Reference, i.IssuedOn, i.RecordedAt));
                active = true;
            }

            if (active)
            {
                summaries[c.Id] = summary;
            }
        }

        return new CaseActivity(
            opened.OrderBy(c => c.OpenedOn).ThenBy(c => c.Reference, StringComparer.Ordinal).ToList(),
            events.OrderBy(e => e.RecordedAt).ToList(),
            interventions.OrderBy(i => i.IssuedOn).ThenBy(i => i.Reference, StringComparer.Ordinal).ToList(),
            summaries);
    }

    /// <summary>The last day a partial date may stand for (2013-03: 31 March 2013).</summary>
    private static DateOnly LatestDayOf(BuildingBlocks.Dates.PartialDate date) =>
        date.ExactDate ?? (date.Month is { } month
            ? new DateOnly(date.Year, month, DateTime.DaysInMonth(date.Year, month))
            : new DateOnly(date.Year, 12, 31));

    public async Task<IReadOnlyDictionary<Guid, CaseSummary>> SummariesAsync(IReadOnlyCollection<Guid> caseIds, Caller caller, CancellationToken cancellationToken)
    {
        if (caseIds.Count == 0)
        {
            return new Dictionary<Guid, CaseSummary>();
        }

        await using var session = store.QuerySession();
        var found = await session.LoadManyAsync<Case>(cancellationToken, caseIds.Distinct());
        return found.Where(caller.CanSee).ToDictionary(c => c.Id, c => Summarise(c, caller));
    }

    public async Task<IReadOnlyList<StatisticCount>> StatisticsAsync(CaseStatisticKind kind, Caller caller, CancellationToken cancellationToken)
    {
        var dimension = kind switch
        {
            CaseStatisticKind.Country => CaseStatisticsDimension.Country,
            CaseStatisticKind.Year => CaseStatisticsDimension.Year,
            CaseStatisticKind.EventType => CaseStatisticsDimension.EventType,
            _ => CaseStatisticsDimension.Status,
        };
        var buckets = await search.StatisticsAsync(dimension, CaseCriteria.None, caller.VisibleLevels(), cancellationToken);
        return buckets.Select(b => new StatisticCount(b.Key, b.Count)).ToList();
    }

    /// <summary>A case as the caller sees it: only the victims and case events its clearance reaches (as the Case type shows them).</summary>
    private static CaseSummary Summarise(Case c, Caller caller)
    {
        var victims = c.Victims.Where(caller.CanSee).ToDictionary(v => v.Id, v => new VictimSummary(v.Id, v.DefenderId, v.Name));
        var events = c.Events.Where(caller.CanSee).ToDictionary(e => e.Id, e => new CaseEventSummary(
            c.Id, e.Id, e.Type.ToString(), e.Date.ToString(), e.Description,
            e.VictimIds.Select(victims.GetValueOrDefault).OfType<VictimSummary>().ToList(), e.RecordedAt, e.Confidentiality));
        return new CaseSummary(c.Id, c.Reference, c.Title, c.CountryCode, c.Status.ToString(), c.OpenedOn, c.Confidentiality, c.CreatedAt, events, victims);
    }
}
