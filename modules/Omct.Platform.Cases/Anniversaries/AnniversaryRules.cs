using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;

namespace Omct.Platform.Cases.Anniversaries;

/// <summary>
/// The anniversary rules of domain.md, as pure functions of a case's <see cref="CaseAnniversaries"/>:
/// <list type="bullet">
/// <item>an ARREST, DETENTION, CONVICTION, SENTENCING, DISAPPEARANCE, KILLING or TORTURE dated to the day
/// has an anniversary 1, 2, 3 … years later while its case is not CLOSED; DISAPPEARANCE and KILLING
/// go on after closing (commemoration);</item>
/// <item>a detained victim has milestones at 100, 500, 1000, 1500, 2000 … days (every 500 after 500);
/// detained means an ARREST or DETENTION of that victim that no RELEASE, PROVISIONAL_RELEASE or
/// ACQUITTAL of that victim follows; the detention counts from the first such start after the last
/// end, and only when that date is known to the day;</item>
/// <item>29 February falls on 28 February in years that are not leap years;</item>
/// <item>dates known only to the month or the year have no anniversary.</item>
/// </list>
/// "Follows" with partial dates: an end follows a start unless it is certainly before it (the end's
/// last possible day is before the start's first), so a release known only to its month ends an
/// arrest of a day in that month — a released person never gets "days in detention". Everything is
/// seen with one clearance: events above it do not exist, so a hidden release neither ends a
/// detention for that caller nor shows through a missing milestone.
/// </summary>
public static class AnniversaryRules
{
    public static readonly IReadOnlySet<CaseEventType> YearlyTypes = new HashSet<CaseEventType>
    {
        CaseEventType.Arrest, CaseEventType.Detention, CaseEventType.Conviction, CaseEventType.Sentencing,
        CaseEventType.Disappearance, CaseEventType.Killing, CaseEventType.Torture,
    };

    /// <summary>Commemorated also after the case is closed.</summary>
    public static readonly IReadOnlySet<CaseEventType> Commemorated = new HashSet<CaseEventType> { CaseEventType.Disappearance, CaseEventType.Killing };

    public static readonly IReadOnlySet<CaseEventType> DetentionStarts = new HashSet<CaseEventType> { CaseEventType.Arrest, CaseEventType.Detention };

    public static readonly IReadOnlySet<CaseEventType> DetentionEnds = new HashSet<CaseEventType>
    {
        CaseEventType.Release, CaseEventType.ProvisionalRelease, CaseEventType.Acquittal,
    };

    /// <summary>The earliest date <see cref="BetweenAsync"/>-style window queries look back to (partial dates start in 1900).</summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);

    public static bool Matters(CaseEventType type) => YearlyTypes.Contains(type) || DetentionEnds.Contains(type);

    public static bool HasYearlyAnniversaries(DatedEntry entry, CaseStatus status) =>
        YearlyTypes.Contains(entry.Type) && entry.Date.IsDayPrecise && (status != CaseStatus.Closed || Commemorated.Contains(entry.Type));

    /// <summary>The day a date recurs in <paramref name="year"/>: 29 February is 28 February in a common year.</summary>
    public static DateOnly RecurrenceIn(DateOnly date, int year) =>
        date is { Month: 2, Day: 29 } && !DateTime.IsLeapYear(year) ? new DateOnly(year, 2, 28) : new DateOnly(year, date.Month, date.Day);

    /// <summary>100, 500, 1000, 1500 … up to <paramref name="maxDays"/>.</summary>
    public static IEnumerable<int> Milestones(int maxDays) => Milestones(0, maxDays);

    /// <summary>
    /// The milestones from <paramref name="minDays"/> to <paramref name="maxDays"/> (inclusive), computed from the
    /// bounds: the first multiple of 500 at or after <paramref name="minDays"/> is found by division, so a window
    /// decades after the start of a detention costs what the window holds, not one step per milestone before it.
    /// </summary>
    public static IEnumerable<int> Milestones(int minDays, int maxDays)
    {
        if (minDays <= 100 && maxDays >= 100)
        {
            yield return 100;
        }

        var first = Math.Max(500, (int)Math.Ceiling(minDays / 500.0) * 500);
        for (var days = first; days <= maxDays; days += 500)
        {
            yield return days;
        }
    }

    /// <summary>The last day a partial date may denote.</summary>
    public static DateOnly Latest(PartialDate date) => date switch
    {
        { Day: not null } => date.ExactDate!.Value,
        { Month: { } month } => new DateOnly(date.Year, month, DateTime.DaysInMonth(date.Year, month)),
        _ => new DateOnly(date.Year, 12, 31),
    };

    /// <summary>Each victim's detention as a caller of each clearance sees the case's events (only those known to the day).</summary>
    public static List<Detention> Detentions(CaseAnniversaries source)
    {
        var detentions = new List<Detention>();
        var victims = source.Entries.SelectMany(e => e.VictimIds).Distinct();
        foreach (var victim in victims)
        {
            foreach (var clearance in Enum.GetValues<Confidentiality>())
            {
                var seen = source.Entries.Where(e => e.Confidentiality <= clearance && e.VictimIds.Contains(victim)).ToList();
                var lastEnd = seen.Where(e => DetentionEnds.Contains(e.Type)).Select(e => (DateOnly?)Latest(e.Date)).Max();
                var start = seen.Where(e => DetentionStarts.Contains(e.Type) && (lastEnd is null || e.Date.Earliest > lastEnd))
                    .OrderBy(e => e.Date.Earliest).ThenBy(e => e.Date.IsDayPrecise ? 1 : 0).ThenBy(e => e.Sequence)
                    .FirstOrDefault();
                if (start?.Date.ExactDate is { } since)
                {
                    detentions.Add(new Detention { VictimId = victim, Clearance = clearance, StartEventId = start.EventId, Since = since });
                }
            }
        }

        return detentions;
    }

    /// <summary>The anniversaries of one case from <paramref name="from"/> to <paramref name="to"/> (inclusive) that a caller of <paramref name="clearance"/> may see.</summary>
    public static IEnumerable<AnniversaryOccurrence> Between(CaseAnniversaries source, DateOnly from, DateOnly to, Confidentiality clearance)
    {
        if (source.Confidentiality > clearance || to < from)
        {
            yield break;
        }

        foreach (var entry in source.Entries.Where(e => e.Confidentiality <= clearance && HasYearlyAnniversaries(e, source.Status)))
        {
            var date = entry.Date.ExactDate!.Value;
            for (var year = Math.Max(from.Year, date.Year + 1); year <= to.Year; year++)
            {
                var day = RecurrenceIn(date, year);
                if (day >= from && day <= to)
                {
                    yield return new AnniversaryOccurrence(new AnniversaryKey(source.Id, entry.EventId, null, AnniversaryKind.Yearly, day),
                        year - date.Year, null, new AnniversaryLevels(source.Confidentiality, entry.Confidentiality, null));
                }
            }
        }

        foreach (var detention in source.Detentions.Where(d => d.Clearance == clearance))
        {
            var victim = source.Victims.FirstOrDefault(v => v.VictimId == detention.VictimId);
            var start = source.Entries.First(e => e.EventId == detention.StartEventId);
            if (victim is null || victim.Confidentiality > clearance)
            {
                continue;
            }

            foreach (var days in Milestones(from.DayNumber - detention.Since.DayNumber, to.DayNumber - detention.Since.DayNumber))
            {
                var day = detention.Since.AddDays(days);
                yield return new AnniversaryOccurrence(new AnniversaryKey(source.Id, detention.StartEventId, detention.VictimId, AnniversaryKind.DetentionDays, day),
                    null, days, new AnniversaryLevels(source.Confidentiality, start.Confidentiality, victim.Confidentiality));
            }
        }
    }

    /// <summary>The month-day keys (<see cref="CaseAnniversaries.YearlyKeys"/>) a window covers; 29 February also for a 28 February of a common year.</summary>
    public static int[] YearlyKeysBetween(DateOnly from, DateOnly to)
    {
        var keys = new SortedSet<int>();
        for (var day = from; day <= to && keys.Count < 366; day = day.AddDays(1))
        {
            keys.Add(day.Month * 100 + day.Day);
            if (day is { Month: 2, Day: 28 } && !DateTime.IsLeapYear(day.Year))
            {
                keys.Add(229);
            }
        }

        return [.. keys];
    }

    /// <summary>
    /// The detention start days (<see cref="CaseAnniversaries.DetentionStarts"/>) that have a milestone in the window:
    /// for each milestone, the window moved back by it (from <see cref="EarliestDate"/> on). Windows are
    /// shorter than 500 days, so these ranges do not overlap and each day is built once: about
    /// (years since 1900 ÷ 1.37) × the window's days, which the window's bounds (<see cref="LatestYear"/>) keep
    /// under 50,000 (2 days for one day in 2030; 36,000 for a full year then).
    /// </summary>
    public static DateOnly[] DetentionStartsBetween(DateOnly from, DateOnly to)
    {
        if (to < from || to < EarliestDate)
        {
            return [];
        }

        var starts = new List<DateOnly>();
        foreach (var days in Milestones(to.DayNumber - EarliestDate.DayNumber).Reverse())
        {
            var first = Math.Max(from.DayNumber - days, EarliestDate.DayNumber);
            for (var day = first; day <= to.DayNumber - days; day++)
            {
                starts.Add(DateOnly.FromDayNumber(day));
            }
        }

        return [.. starts.Distinct()];
    }

    /// <summary>
    /// The latest year a window may reach, <paramref name="yearsAhead"/> after <paramref name="today"/>'s: advocacy
    /// plans anniversaries a few years ahead, never centuries (a window in year 9991 would look for detentions
    /// begun on any of two million days).
    /// </summary>
    public static int LatestYear(DateOnly today, int yearsAhead = YearsAhead) => today.Year + yearsAhead;

    /// <summary>How many years after the current one a window may reach.</summary>
    public const int YearsAhead = 10;
}
