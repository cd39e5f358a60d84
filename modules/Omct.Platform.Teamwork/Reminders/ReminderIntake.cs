using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Storage;
using Omct.Platform.Reminders.Contracts;
using Omct.Platform.Teamwork.MyWork;
using Omct.Platform.Teamwork.Notes;
using Omct.Platform.Teamwork.Notifications;
using Omct.Platform.Teamwork.Ownership;
using Omct.Platform.Teamwork.Records;

namespace Omct.Platform.Teamwork.Reminders;

/// <summary>That a reminder was brought to its people (one per reminder: the first run that inserts it does it).</summary>
public sealed class ReminderDelivery
{
    public Guid Id { get; set; }
    public List<Guid> AccountIds { get; set; } = [];
    public DateTimeOffset DeliveredAt { get; set; }
}

/// <summary>How far the intake has read the reminders made and the mentions written (with a margin for transactions still open).</summary>
public sealed class TeamworkIntakeCursor
{
    public const string Key = "teamwork-intake";

    public string Id { get; set; } = Key;
    public DateTimeOffset RemindersSince { get; set; }
    public DateTimeOffset MentionsSince { get; set; }
}

/// <summary>
/// Brings new reminders (the reminders module's, through <see cref="IReminderSource"/>) to people, and queues the
/// notification of each new mention. A reminder goes to its record's owner and watchers who may see it now (their clearance
/// reaches both the reminder's level and the record, which the record's module says for each of them), or — while the record
/// has no owner who may — to the team of its country or mechanism (<see cref="TeamworkTeams"/>). Each reminder is delivered in
/// one transaction that inserts its <see cref="ReminderDelivery"/>, starts one <see cref="ReminderItem"/> stream per person
/// (named after the reminder and the person) and queues their notifications: a second host, or a rerun, finds it there and
/// does nothing. The cursor trails the clock by <see cref="Margin"/>, so a reminder whose day's transaction committed after a
/// run began is read again by the next one.
/// </summary>
internal sealed class ReminderIntake(
    IDocumentStore store, IReminderSource reminders, TeamworkRecords records, TeamworkReads reads, Colleagues colleagues, IAccountAddresses addresses,
    NotificationStore notifications, IOptions<TeamworkOptions> options, TimeProvider time, ILogger<ReminderIntake> log)
{
    public static readonly TimeSpan Margin = TimeSpan.FromHours(1);

    /// <summary>How far back the very first run looks.</summary>
    public static readonly TimeSpan FirstLook = TimeSpan.FromDays(1);

    /// <summary>The most reminders (and mentions) one run reads; the cursor stays where it was when there were more.</summary>
    public const int MaxPerRun = 5_000;

    public const string Owner = "OWNER";
    public const string Watcher = "WATCHER";
    public const string TeamMember = "TEAM";

    /// <summary>Delivers the reminders made and queues the mentions written since the last run; returns how many reminder items it made.</summary>
    public async Task<int> RunAsync(Caller system, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        TeamworkIntakeCursor cursor;
        await using (var query = store.QuerySession())
        {
            cursor = await query.LoadAsync<TeamworkIntakeCursor>(TeamworkIntakeCursor.Key, ct)
                     ?? new TeamworkIntakeCursor { RemindersSince = started - FirstLook, MentionsSince = started - FirstLook };
        }

        var made = await reminders.MadeSinceAsync(cursor.RemindersSince, MaxPerRun, system, ct);
        HashSet<Guid> done;
        await using (var query = store.QuerySession())
        {
            done = [.. (await query.LoadManyAsync<ReminderDelivery>(ct, made.Select(r => r.Id))).Select(d => d.Id)];
        }

        var items = 0;
        foreach (var reminder in made.Where(r => !done.Contains(r.Id)))
        {
            items += await DeliverAsync(reminder, system, ct);
        }

        var mentions = await QueueMentionsAsync(cursor.MentionsSince, ct);
        await using var session = store.LightweightSession();
        var next = started - Margin;
        cursor.RemindersSince = made.Count < MaxPerRun && next > cursor.RemindersSince ? next : cursor.RemindersSince;
        cursor.MentionsSince = mentions < MaxPerRun && next > cursor.MentionsSince ? next : cursor.MentionsSince;
        session.Store(cursor);
        await session.SaveChangesAsync(ct);
        return items;
    }

    private async Task<int> DeliverAsync(MadeReminder reminder, Caller system, CancellationToken ct)
    {
        var recipients = await RecipientsAsync(reminder, system, ct);
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        session.LastModifiedBy = system.Id;
        session.Insert(new ReminderDelivery { Id = reminder.Id, AccountIds = [.. recipients.Keys], DeliveredAt = now });
        foreach (var (accountId, reason) in recipients)
        {
            var itemId = ReminderItem.IdOf(reminder.Id, accountId);
            session.Events.StartStream<ReminderItem>(itemId,
                new ReminderItemCreated(reminder.Id, reminder.RecordType, reminder.RecordId, reminder.RemindOn, reminder.DueOn, accountId, reason));
            notifications.Queue(session, Notification.Of(NotificationKind.Reminder, itemId, accountId, reminder.RecordType, reminder.RecordId, null, now));
        }

        try
        {
            await session.SaveChangesAsync(ct);
            return recipients.Count;
        }
        catch (Exception ex) when (StreamCollisions.IsStartedAlready(ex))
        {
            // Delivered by another host a moment ago: once is enough.
            return 0;
        }
    }

    /// <summary>Who the reminder goes to, with why: owner and watchers who may see it, or the team while there is no such owner.</summary>
    private async Task<Dictionary<Guid, string>> RecipientsAsync(MadeReminder reminder, Caller system, CancellationToken ct)
    {
        var recipients = new Dictionary<Guid, string>();
        var record = (await records.VisibleAsync([(reminder.RecordType, reminder.RecordId)], system, ct)).GetValueOrDefault(reminder.RecordId);
        if (record is null)
        {
            return recipients;
        }

        await using (var query = store.QuerySession())
        {
            var team = await query.LoadAsync<RecordTeam>(RecordTeam.StreamIdOf(record.Id), ct) ?? RecordTeam.Empty(record.RecordType, record.Id);
            var (owner, watchers) = await reads.MembersAsync(new TeamView(team, record), ct);
            if (owner is not null)
            {
                recipients[owner.AccountId] = Owner;
            }

            foreach (var watcher in watchers)
            {
                recipients.TryAdd(watcher.AccountId, Watcher);
            }

            if (owner is null)
            {
                foreach (var member in await TeamAsync(reminder, system, ct))
                {
                    recipients.TryAdd(member, TeamMember);
                }
            }
        }

        // Each person must reach the reminder's level now, and the record as its module answers for them.
        var people = await colleagues.ActiveAsync(recipients.Keys, ct);
        foreach (var accountId in recipients.Keys.ToList())
        {
            if (!people.TryGetValue(accountId, out var person) || !person.HasRole(Role.Staff) || !person.CanSee(reminder.Confidentiality)
                || !(await records.VisibleAsync([(reminder.RecordType, reminder.RecordId)], person, ct)).ContainsKey(reminder.RecordId))
            {
                recipients.Remove(accountId);
            }
        }

        return recipients;
    }

    /// <summary>The accounts of the team of the reminder's country (a case) or mechanism (a submission; CALL_FOR_INPUT for a call).</summary>
    private async Task<IReadOnlyList<Guid>> TeamAsync(MadeReminder reminder, Caller system, CancellationToken ct)
    {
        var text = (await reminders.DescribeAsync([reminder.Id], system, ct)).GetValueOrDefault(reminder.Id);
        var mechanism = reminder.RecordType == "CallForInput" ? TeamworkTeams.CallForInput : text?.Mechanism;
        var members = options.Value.Teams.Of(text?.Country, mechanism);
        if (members.Count == 0)
        {
            return [];
        }

        var found = await addresses.FindByAddressesAsync(members, ct);
        foreach (var missing in members.Where(m => !found.ContainsKey(m.ToLowerInvariant())))
        {
            log.LogWarning("A team member configured in {Section}:Teams is not an active account: {Address}", TeamworkOptions.Section, missing);
        }

        return [.. found.Values.Select(Colleagues.AccountIdOf).OfType<Guid>()];
    }

    /// <summary>Queues the notification of each mention written since <paramref name="since"/> (nothing for one queued already); returns how many it read.</summary>
    private async Task<int> QueueMentionsAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var mentions = await session.Query<Mention>().Where(m => m.MentionedAt >= since).OrderBy(m => m.MentionedAt).Take(MaxPerRun).ToListAsync(ct);
        var notes = (await session.LoadManyAsync<Note>(ct, mentions.Select(m => m.NoteId).Distinct())).ToDictionary(n => n.Id);
        foreach (var mention in mentions.Where(m => notes.ContainsKey(m.NoteId)))
        {
            var note = notes[mention.NoteId];
            notifications.Queue(session, Notification.Of(NotificationKind.Mention, mention.Id, mention.AccountId, note.RecordType, note.RecordId, null, mention.MentionedAt));
        }

        await session.SaveChangesAsync(ct);
        return mentions.Count;
    }
}
