using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Reminders.Contracts;

/// <summary>
/// A reminder the daily reminder jobs made, with the record it is about (<c>Case</c> for an anniversary or a detention
/// milestone; <c>Submission</c> or <c>CallForInput</c> for a deadline) and its level now (a case event raised since
/// raises its reminders).
/// </summary>
/// <param name="Id">The reminder's id (the <c>Reminder</c> type's global id is made of it).</param>
/// <param name="Kind"><c>ANNIVERSARY</c> or <c>DEADLINE</c>.</param>
/// <param name="DueOn">The date of the anniversary or the deadline.</param>
/// <param name="RemindOn">The day it reminds (dueOn minus its lead).</param>
/// <param name="Confidentiality">The most closed level of what it reminds of, now.</param>
/// <param name="RecordType">The type name of its record's global id.</param>
/// <param name="RecordId">Its record.</param>
/// <param name="CreatedAt">When a job made it.</param>
public sealed record MadeReminder(
    Guid Id, string Kind, DateOnly DueOn, DateOnly RemindOn, Confidentiality Confidentiality, string RecordType, Guid RecordId, DateTimeOffset CreatedAt);

/// <summary>
/// What a reminder says to one person as they may see it now: <see cref="Title"/> names the anniversary or deadline and
/// its record's title as that person's clearance shows it (<c>1 year since the conviction: …</c>), <see cref="Country"/>
/// and <see cref="Mechanism"/> say whose work it is (a case's or a submission's country; a submission's mechanism, in
/// the API's upper snake case: <c>UPR</c>).
/// </summary>
public sealed record ReminderText(MadeReminder Reminder, string Title, string? Country, string? Mechanism);

/// <summary>The reminders module's reminders, for the module that brings them to people (teamwork), within the caller's clearance.</summary>
public interface IReminderSource
{
    /// <summary>The reminders made at or after <paramref name="since"/> that the caller may see, oldest first, at most <paramref name="take"/>.</summary>
    Task<IReadOnlyList<MadeReminder>> MadeSinceAsync(DateTimeOffset since, int take, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// These reminders as the caller may see them now, with their text; one that no longer exists (its case event withdrawn), whose
    /// level or record is above the caller now, or whose anniversary or deadline is gone (moved, met) is absent.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, ReminderText>> DescribeAsync(IReadOnlyCollection<Guid> reminderIds, Caller caller, CancellationToken cancellationToken);
}
