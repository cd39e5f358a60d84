using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.Reminders.Planning;

public enum ReminderKind { Anniversary, Deadline }

/// <summary>
/// A reminder of an anniversary or a deadline, due <see cref="LeadDays"/> before it. Its id is derived
/// from what it reminds of (the occurrence and the lead), so the same reminder computed again — by a
/// rerun, a catch-up, another host — has the same id and is inserted once.
/// </summary>
public sealed record Reminder(
    Guid Id, ReminderKind Kind, DateOnly DueOn, DateOnly RemindOn, int LeadDays, Confidentiality Confidentiality,
    AnniversaryOccurrence? Anniversary, DeadlineKey? Deadline)
{
    public DateTimeOffset CreatedAt { get; init; }

    public long OrderKey { get; init; }
}

/// <summary>
/// Which reminders a day brings, as a pure function. With leads L₁ &gt; L₂ &gt; … &gt; Lₙ, an occurrence
/// <c>d</c> days ahead (0 ≤ d ≤ L₁) is due the reminder of the smallest lead that still covers it
/// (the smallest Lᵢ ≥ d): on the day d = Lᵢ exactly, that is the reminder of lead Lᵢ, on time; an
/// anniversary or a deadline recorded late (already inside a lead window) gets the reminder of the
/// window it is in on the first run that sees it — never the earlier ones it can no longer meet.
/// <c>remindOn</c> is always <c>dueOn − lead</c>, whatever day computed it.
/// </summary>
public static class ReminderPlanner
{
    public static IReadOnlyList<Reminder> ForAnniversaries(IEnumerable<AnniversaryOccurrence> occurrences, DateOnly day, IReadOnlyList<int> leads) =>
        occurrences.SelectMany(o => LeadFor(o.Date, day, leads) is { } lead
                ? [new Reminder(IdOf(Key(o.Key, lead)), ReminderKind.Anniversary, o.Date, o.Date.AddDays(-lead), lead, o.Confidentiality, o, null)]
                : Array.Empty<Reminder>())
            .ToList();

    public static IReadOnlyList<Reminder> ForDeadlines(IEnumerable<DeadlineOccurrence> occurrences, DateOnly day, IReadOnlyList<int> leads) =>
        occurrences.SelectMany(o => LeadFor(o.Date, day, leads) is { } lead
                ? [new Reminder(IdOf(Key(o.Key, lead)), ReminderKind.Deadline, o.Date, o.Date.AddDays(-lead), lead, o.Confidentiality, null, o.Key)]
                : Array.Empty<Reminder>())
            .ToList();

    /// <summary>The lead whose reminder is due on <paramref name="day"/> for a date, if any.</summary>
    public static int? LeadFor(DateOnly date, DateOnly day, IReadOnlyList<int> leads)
    {
        var ahead = date.DayNumber - day.DayNumber;
        return ahead < 0 ? null : leads.Where(l => l >= ahead).Select(l => (int?)l).Min();
    }

    public static string Key(AnniversaryKey key, int lead) =>
        $"anniversary:{key.Kind}:{key.CaseEventId:N}:{(key.VictimId is { } victim ? victim.ToString("N") : "-")}:{key.Date:yyyy-MM-dd}:{lead}";

    public static string Key(DeadlineKey key, int lead) => $"deadline:{key.Kind}:{key.SubjectId:N}:{key.Date:yyyy-MM-dd}:{lead}";

    /// <summary>The reminder's id: a name-based UUID of its key (<see cref="NameBasedId"/>).</summary>
    public static Guid IdOf(string key) => NameBasedId.Of(key);
}
