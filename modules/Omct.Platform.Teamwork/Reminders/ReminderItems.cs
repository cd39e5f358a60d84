using Marten;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Reminders.Contracts;
using Omct.Platform.Teamwork.Notifications;
using Omct.Platform.Teamwork.Records;

namespace Omct.Platform.Teamwork.Reminders;

/// <summary>A reminder item as its person may see it now: the reminder's text (its record's title as their clearance shows it) and the record.</summary>
internal sealed record ReminderItemView(ReminderItem Item, ReminderText Text, TeamworkRecord Record);

/// <summary>
/// The reminders that reached a person, always as they may see them now: their own, whose reminder (its level now) and
/// record they may still see — a reminder whose record was raised above them is gone from their work, from a mutation
/// (NOT_FOUND, as an unknown id) and from their e-mails.
/// </summary>
internal sealed class ReminderItems(IDocumentStore store, IReminderSource reminders, TeamworkRecords records, IOptions<TeamworkOptions> options, TimeProvider time)
{
    public const string What = "The reminder";
    public const string TypeName = "ReminderItem";

    /// <summary>The most reminder items a person's work considers (and counts).</summary>
    public const int MaxItems = 5_000;

    /// <summary>Today in the teamwork time zone (<see cref="TeamworkOptions.TimeZone"/>): a snooze ends on it, a reminder shows from it.</summary>
    public DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), options.Value.ResolvedTimeZone()).DateTime);

    /// <summary>Those of <paramref name="items"/> the caller may see now, in their order.</summary>
    public async Task<IReadOnlyList<ReminderItemView>> VisibleAsync(IReadOnlyList<ReminderItem> items, Caller caller, CancellationToken ct)
    {
        var me = Colleagues.AccountIdOf(caller);
        var own = items.Where(i => i.AccountId == me).ToList();
        if (own.Count == 0)
        {
            return [];
        }

        var texts = await reminders.DescribeAsync(own.Select(i => i.ReminderId).Distinct().ToList(), caller, ct);
        var visible = await records.VisibleAsync(own.Select(i => (i.RecordType, i.RecordId)), caller, ct);
        return [.. own.Where(i => texts.ContainsKey(i.ReminderId) && visible.ContainsKey(i.RecordId))
            .Select(i => new ReminderItemView(i, texts[i.ReminderId], visible[i.RecordId]))];
    }

    /// <summary>The caller's open reminders shown today (not snoozed beyond it), due first; at most <see cref="MaxItems"/> considered.</summary>
    public async Task<IReadOnlyList<ReminderItemView>> OpenAsync(Caller caller, CancellationToken ct)
    {
        if (Colleagues.AccountIdOf(caller) is not { } me)
        {
            return [];
        }

        var today = Today();
        await using var session = store.QuerySession();
        var items = await session.Query<ReminderItem>()
            .Where(i => i.AccountId == me && i.Status == ReminderItemStatus.Open && i.ShowsOn <= today)
            .OrderBy(i => i.DueOn).ThenBy(i => i.RemindOn).Take(MaxItems).ToListAsync(ct);
        return await VisibleAsync(items, caller, ct);
    }

    /// <summary>The caller's reminder item <paramref name="id"/> when they may see it now; null otherwise.</summary>
    public async Task<ReminderItemView?> FindAsync(Guid id, Caller caller, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var item = await session.LoadAsync<ReminderItem>(id, ct);
        return item is null ? null : (await VisibleAsync([item], caller, ct)) is [var visible, ..] ? visible : null;
    }
}

/// <summary>
/// acknowledgeReminder, snoozeReminder: STAFF, on the caller's own reminder item they may see now (any other — another
/// person's, one whose record was raised above them, an unknown id — is NOT_FOUND alike). Each is an event of the item's
/// stream: its history says who did it and when.
/// </summary>
internal sealed class ReminderItemCommands(StreamCommands commands, ReminderItems items)
{
    /// <summary>The furthest a reminder can be snoozed.</summary>
    public const int MaxSnoozeDays = 366;

    public Task<ReminderItemView> AcknowledgeAsync(string reminderId, int? expectedVersion, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("acknowledgeReminder", reminderId, expectedVersion, clientMutationId,
            item => item.Status == ReminderItemStatus.Acknowledged ? [] : [new ReminderAcknowledged()], ct);

    public Task<ReminderItemView> SnoozeAsync(string reminderId, DateOnly until, int? expectedVersion, string? clientMutationId, CancellationToken ct)
    {
        var today = items.Today();
        if (until <= today || until > today.AddDays(MaxSnoozeDays))
        {
            throw DomainException.Validation("until", $"A day after today, at most {MaxSnoozeDays} days ahead.");
        }

        return DecideAsync("snoozeReminder", reminderId, expectedVersion, clientMutationId, item => item.Status switch
        {
            ReminderItemStatus.Acknowledged => throw DomainException.Validation("reminderId", "An acknowledged reminder cannot be snoozed."),
            _ when item.SnoozedUntil == until => [],
            _ => [new ReminderSnoozed(until)],
        }, ct);
    }

    private async Task<ReminderItemView> DecideAsync(
        string operation, string reminderId, int? expectedVersion, string? clientMutationId, Func<ReminderItem, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        commands.RequireRole(Role.Staff);
        var id = GlobalId.DecodeOrNotFound(reminderId, ReminderItems.TypeName, ReminderItems.What);
        var me = Colleagues.AccountIdOf(commands.Caller);
        _ = await items.FindAsync(id, commands.Caller, ct) ?? throw DomainException.NotFound(ReminderItems.What);
        var item = await commands.DecideAsync(operation, id, expectedVersion, clientMutationId, decide, i => i.AccountId == me, ReminderItems.What, ct);
        // A repeat answers what the caller may see now.
        return await items.FindAsync(item.Id, commands.Caller, ct) ?? throw DomainException.NotFound(ReminderItems.What);
    }
}
