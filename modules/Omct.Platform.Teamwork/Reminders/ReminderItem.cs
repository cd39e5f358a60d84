using JasperFx.Events;
using Marten.Events.Aggregation;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Teamwork.Reminders;

public enum ReminderItemStatus { Open, Acknowledged }

/// <summary>
/// A reminder of the reminders module reached <paramref name="AccountId"/> — as the record's owner, a watcher or a member of
/// the team of its country or mechanism (<paramref name="Reason"/>: OWNER, WATCHER, TEAM).
/// </summary>
public sealed record ReminderItemCreated(
    Guid ReminderId, string RecordType, Guid RecordId, DateOnly RemindOn, DateOnly DueOn, Guid AccountId, string Reason);

/// <summary>The person has dealt with it: it leaves their work.</summary>
public sealed record ReminderAcknowledged;

/// <summary>Out of the person's work until <paramref name="Until"/>, when it comes back.</summary>
public sealed record ReminderSnoozed(DateOnly Until);

/// <summary>A reminder as it reached one person (inline from its stream, whose events are its history: who, when).</summary>
public sealed class ReminderItem
{
    public Guid Id { get; set; }
    public Guid ReminderId { get; set; }
    public Guid AccountId { get; set; }
    public string RecordType { get; set; } = "";
    public Guid RecordId { get; set; }
    public DateOnly RemindOn { get; set; }
    public DateOnly DueOn { get; set; }
    public string Reason { get; set; } = "";
    public ReminderItemStatus Status { get; set; }
    public DateOnly? SnoozedUntil { get; set; }

    /// <summary>The day it is in the person's work from: its remindOn, or the day a snooze ends.</summary>
    public DateOnly ShowsOn { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>One per reminder and person, whichever host or run makes it.</summary>
    public static Guid IdOf(Guid reminderId, Guid accountId) => NameBasedId.Of($"teamwork.reminder-item:{reminderId}:{accountId}");
}

public sealed class ReminderItemProjection : SingleStreamProjection<ReminderItem, Guid>
{
    public static ReminderItem Create(IEvent<ReminderItemCreated> e) => Touch(new ReminderItem
    {
        Id = e.StreamId, ReminderId = e.Data.ReminderId, AccountId = e.Data.AccountId, RecordType = e.Data.RecordType, RecordId = e.Data.RecordId,
        RemindOn = e.Data.RemindOn, DueOn = e.Data.DueOn, Reason = e.Data.Reason, Status = ReminderItemStatus.Open, ShowsOn = e.Data.RemindOn, CreatedAt = e.Timestamp,
    }, e);

    public static ReminderItem Apply(IEvent<ReminderAcknowledged> e, ReminderItem item)
    {
        item.Status = ReminderItemStatus.Acknowledged;
        return Touch(item, e);
    }

    public static ReminderItem Apply(IEvent<ReminderSnoozed> e, ReminderItem item)
    {
        item.SnoozedUntil = e.Data.Until;
        item.ShowsOn = e.Data.Until > item.RemindOn ? e.Data.Until : item.RemindOn;
        return Touch(item, e);
    }

    private static ReminderItem Touch(ReminderItem item, IEvent e)
    {
        item.Version = (int)e.Version;
        item.UpdatedAt = e.Timestamp;
        return item;
    }
}
