using System.Text;
using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Mail;
using Omct.Platform.Reminders.Contracts;
using Omct.Platform.Teamwork.MyWork;
using Omct.Platform.Teamwork.Notes;
using Omct.Platform.Teamwork.Records;
using Omct.Platform.Teamwork.Reminders;

namespace Omct.Platform.Teamwork.Notifications;

/// <summary>
/// Sends the queued notifications by e-mail (the platform's one SMTP sender, <see cref="IPlatformMail"/>), each person as
/// they chose (<see cref="NotificationPreference"/>): IMMEDIATE one e-mail each, DAILY one summary a day, NONE none. What a
/// notification says is written when it is sent, as the person may see it then — a reminder by its text as their clearance
/// shows it, a mention or a notice by the record's kind — and one they may no longer see is left out (SKIPPED). An e-mail says
/// what, which record, and links to the console; never a note's text. Rows are claimed (<see cref="NotificationStore"/>) for
/// the length of the sending, so each is sent once across hosts (unless a host dies between sending and recording, when a
/// later run sends it again).
/// </summary>
internal sealed class Notifier(
    NotificationStore store, IDocumentStore documents, IReminderSource reminders, TeamworkRecords records, TeamworkReads reads, Colleagues colleagues,
    IAccountAddresses addresses, IPlatformMail mail, IOptions<TeamworkOptions> options, TimeProvider time, ILogger<Notifier> log)
{
    /// <summary>The most notifications one e-mail or one claim holds.</summary>
    public const int MaxPerMail = 50;

    /// <summary>IMMEDIATE: one e-mail per notification; NONE: marked SKIPPED. DAILY ones wait for the summary. Returns how many e-mails were sent.</summary>
    public async Task<int> SendImmediateAsync(CancellationToken ct)
    {
        if (!mail.Enabled)
        {
            return 0;
        }

        var sent = 0;
        await using var connection = await store.OpenAsync(ct);
        var modes = await ModesAsync(await store.PendingAccountsAsync(connection, null, ct), ct);
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            var none = modes.Where(m => m.Value == NotificationMode.None).Select(m => m.Key).ToList();
            var skipped = await store.ClaimAsync(none, int.MaxValue, connection, transaction, ct);
            await store.MarkAsync([.. skipped.Select(n => n.Id)], NotificationStatus.Skipped, time.GetUtcNow(), null, connection, transaction, ct);
            await transaction.CommitAsync(ct);
        }

        foreach (var accountId in modes.Where(m => m.Value == NotificationMode.Immediate).Select(m => m.Key))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var claimed = await store.ClaimAsync([accountId], MaxPerMail, connection, transaction, ct);
            var (to, lines) = await RenderAsync(accountId, claimed, ct);
            var done = new List<Guid>();
            foreach (var (notification, line) in lines)
            {
                if (to is null || !await mail.SendAsync(to, $"OMCT platform: {Subject(notification.Kind)}", Body([line]), ct))
                {
                    log.LogWarning("A notification e-mail to account {AccountId} was not sent; the next run tries again", accountId);
                    break;
                }

                done.Add(notification.Id);
                sent++;
            }

            await store.MarkAsync(done, NotificationStatus.Sent, time.GetUtcNow(), null, connection, transaction, ct);
            await store.MarkAsync([.. claimed.Where(n => lines.All(l => l.Notification.Id != n.Id)).Select(n => n.Id)], NotificationStatus.Skipped, time.GetUtcNow(), null,
                connection, transaction, ct);
            await transaction.CommitAsync(ct);
        }

        return sent;
    }

    /// <summary>
    /// DAILY: one summary of <paramref name="day"/> per person with notifications pending, in the daily job's transaction; a
    /// person who had that day's summary already (a rerun, another host) gets none. Returns how many summaries were sent.
    /// </summary>
    public async Task<int> SendSummariesAsync(DateOnly day, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        if (!mail.Enabled)
        {
            return 0;
        }

        var sent = 0;
        var modes = await ModesAsync(await store.PendingAccountsAsync(connection, transaction, ct), ct);
        foreach (var accountId in modes.Where(m => m.Value == NotificationMode.Daily).Select(m => m.Key))
        {
            var claimed = await store.ClaimAsync([accountId], MaxPerMail, connection, transaction, ct);
            var (to, lines) = await RenderAsync(accountId, claimed, ct);
            var now = time.GetUtcNow();
            await store.MarkAsync([.. claimed.Where(n => lines.All(l => l.Notification.Id != n.Id)).Select(n => n.Id)], NotificationStatus.Skipped, now, null,
                connection, transaction, ct);
            await transaction.SaveAsync("summary", ct);
            if (to is null || lines.Count == 0 || !await store.ClaimSummaryAsync(accountId, day, now, connection, transaction, ct))
            {
                continue;
            }

            if (!await mail.SendAsync(to, $"OMCT platform: your summary of {day:yyyy-MM-dd} ({lines.Count})", Body(lines.Select(l => l.Line)), ct))
            {
                // Not recorded: the next run of the day (or the next day's) sends it.
                await transaction.RollbackAsync("summary", ct);
                log.LogWarning("The daily summary of {Day} to account {AccountId} was not sent", day, accountId);
                continue;
            }

            await store.MarkAsync([.. lines.Select(l => l.Notification.Id)], NotificationStatus.Sent, now, day, connection, transaction, ct);
            sent++;
        }

        return sent;
    }

    /// <summary>Each person's mode (DAILY when they never chose).</summary>
    private async Task<Dictionary<Guid, NotificationMode>> ModesAsync(IReadOnlyList<Guid> accountIds, CancellationToken ct)
    {
        await using var session = documents.QuerySession();
        var chosen = (await session.LoadManyAsync<NotificationPreference>(ct, accountIds)).ToDictionary(p => p.Id, p => p.Mode);
        return accountIds.ToDictionary(a => a, a => chosen.GetValueOrDefault(a, NotificationMode.Daily));
    }

    /// <summary>The person's address and a line for each notification they may still see (as they may see it now).</summary>
    private async Task<(string? To, List<(Notification Notification, string Line)> Lines)> RenderAsync(
        Guid accountId, IReadOnlyList<Notification> notifications, CancellationToken ct)
    {
        var lines = new List<(Notification, string)>();
        var person = (await colleagues.ActiveAsync([accountId], ct)).GetValueOrDefault(accountId);
        var to = (await addresses.AddressesAsync([accountId], ct)).GetValueOrDefault(accountId);
        if (person is null || to is null || notifications.Count == 0)
        {
            return (to, lines);
        }

        var visibleRecords = await records.VisibleAsync(notifications.Select(n => (n.RecordType, n.RecordId)), person, ct);
        var itemIds = notifications.Where(n => n.Kind == NotificationKind.Reminder).Select(n => n.SubjectId).ToList();
        Dictionary<Guid, ReminderItem> items;
        Dictionary<Guid, Mention> mentions;
        await using (var session = documents.QuerySession())
        {
            items = (await session.LoadManyAsync<ReminderItem>(ct, itemIds)).ToDictionary(i => i.Id);
            mentions = (await session.LoadManyAsync<Mention>(ct, notifications.Where(n => n.Kind == NotificationKind.Mention).Select(n => n.SubjectId)))
                .ToDictionary(m => m.Id);
        }

        var texts = await reminders.DescribeAsync([.. items.Values.Select(i => i.ReminderId).Distinct()], person, ct);
        foreach (var n in notifications.Where(n => visibleRecords.ContainsKey(n.RecordId)))
        {
            var link = Link(n.RecordType, n.RecordId);
            var line = n.Kind switch
            {
                NotificationKind.Reminder when items.TryGetValue(n.SubjectId, out var item) && item.Status == ReminderItemStatus.Open
                                               && texts.TryGetValue(item.ReminderId, out var text) =>
                    $"Reminder, due {item.DueOn:yyyy-MM-dd}: {text.Title}\n  {link}",
                NotificationKind.Mention when mentions.TryGetValue(n.SubjectId, out var mention) && mention.ReadAt is null
                                              && await reads.FindNoteAsync(mention.NoteId, person, ct) is not null =>
                    $"You were mentioned in a note on a {Kind(n.RecordType)}.\n  {link}",
                NotificationKind.MemberRemoved when n.Detail is { } detail => $"{detail}\n  {link}",
                _ => null,
            };
            if (line is not null)
            {
                lines.Add((n, line));
            }
        }

        return (to, lines);
    }

    private static string Subject(NotificationKind kind) => kind switch
    {
        NotificationKind.Reminder => "a reminder",
        NotificationKind.Mention => "you were mentioned in a note",
        _ => "a colleague was taken off a record",
    };

    private string Body(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append("\n\n");
        }

        text.Append($"Your work: {options.Value.ConsoleUrl.TrimEnd('/')}\n");
        text.Append("You get these e-mails as your notification preference says (IMMEDIATE, DAILY or NONE).\n");
        return text.ToString();
    }

    /// <summary>The record in the console.</summary>
    private string Link(string recordType, Guid recordId)
    {
        var area = recordType switch
        {
            "Case" => "cases",
            "Defender" => "defenders",
            _ => "submissions",
        };
        return $"{options.Value.ConsoleUrl.TrimEnd('/')}/{area}/{Uri.EscapeDataString(GlobalId.Encode(recordType, recordId))}";
    }

    private static string Kind(string recordType) => recordType switch
    {
        "CallForInput" => "call for input",
        _ => recordType.ToLowerInvariant(),
    };
}
