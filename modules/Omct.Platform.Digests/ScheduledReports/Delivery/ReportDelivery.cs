using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Mail;
using Omct.Platform.BuildingBlocks.Webhooks;

namespace Omct.Platform.Digests.ScheduledReports.Delivery;

/// <summary>
/// Who gets a run, decided at the run with each recipient as it is now, never above its clearance:
/// <list type="bullet">
/// <item>an account recipient (re-read through <see cref="ICallerDirectory"/>) whose clearance reaches the run's level gets an
/// e-mail with what the report is, its figures and the absolute download links (<c>Omct:Reports:PublicUrl</c>) — the table
/// itself only when the run is PUBLIC; a disabled account or one below the level is withheld and mailed nothing;</item>
/// <item>an e-mail address outside the accounts gets the same e-mail only for a PUBLIC run;</item>
/// <item>a webhook (registered with <c>registerWebhook</c>) gets a signed JSON notification — the definition, the run's figures
/// and its files' links, never the rows — through <see cref="IWebhookNotifications"/>, which withholds it when the webhook's
/// registrant may not see the level now; a failed attempt is retried with the webhooks' backoff under the same delivery id. Once
/// accepted, the registrant (its key or account) may download the run's files, as a delivered account may.</item>
/// </list>
/// A refused run tells every active admin whose clearance reaches the definition's level, by e-mail, once per definition and
/// reason until the definition runs again or is changed.
/// </summary>
internal sealed class ReportDelivery(
    ICallerDirectory callers, IAccountAddresses addresses, IPlatformMail mail, IWebhookNotifications webhooks, ReportDeliveryStore store, TimeProvider time,
    IOptions<ReportOptions> options, IConfiguration configuration, ILogger<ReportDelivery> log)
{
    public const string WebhookEvent = "report.run_succeeded";
    private const int MaxMailedBytes = 256 * 1024;

    public static string WebhookRecipient(Guid webhookId) => $"webhook:{webhookId:D}";

    /// <summary>Mails the accounts and addresses, and keeps the webhooks' notifications (sent by <see cref="NotifyAsync"/> once the run is recorded).</summary>
    public async Task<(List<string> Delivered, List<string> Withheld)> DeliverAsync(
        ReportDefinition definition, ReportRun run, IReadOnlyList<(string Name, string ContentType, string Path)> files, int rows, CancellationToken ct)
    {
        var delivered = new List<string>();
        var withheld = new List<string>();
        var text = new Lazy<Task<string>>(() => MailTextAsync(definition, run, files, rows, ct));
        var subject = $"Report: {definition.Name} ({run.ForDay:yyyy-MM-dd})";
        var reached = new List<string>();
        foreach (var recipient in definition.AccountRecipients)
        {
            // Who the recipient is now: a lowered clearance or a disabled account gets nothing of this run.
            var now = await callers.FindActiveAsync(recipient, ct);
            (now is not null && now.CanSee(run.Level) ? reached : withheld).Add(recipient);
        }

        var ids = reached.Select(r => Guid.TryParse(r.AsSpan("user:".Length), out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList();
        var found = ids.Count == 0 ? new Dictionary<Guid, string>() : await addresses.AddressesAsync(ids, ct);
        foreach (var recipient in reached)
        {
            // The account gets the run (its files to download) whether or not the message goes out; a message not sent is logged.
            delivered.Add(recipient);
            if (Guid.TryParse(recipient.AsSpan("user:".Length), out var id) && found.TryGetValue(id, out var address)
                && !await mail.SendAsync(address, subject, await text.Value, ct))
            {
                log.LogWarning("Report definition {DefinitionId} run {RunId}: the e-mail to {Recipient} was not sent", definition.Id, run.Id, recipient);
            }
        }

        if (definition.EmailRecipients.Count > 0 && run.Level == Confidentiality.Public)
        {
            foreach (var address in definition.EmailRecipients)
            {
                (await mail.SendAsync(address, subject, await text.Value, ct) ? delivered : withheld).Add("email:" + address);
            }
        }
        else
        {
            withheld.AddRange(definition.EmailRecipients.Select(a => "email:" + a));
        }

        if (definition.WebhookRecipients.Count > 0)
        {
            var body = NotificationBody(definition, run, files, rows);
            await store.AddAsync(definition.Id, [.. definition.WebhookRecipients.Select(w => new ReportNotification(Guid.CreateVersion7(), run.Id, w, run.Level, body, 0))],
                time.GetUtcNow(), ct);
        }

        return (delivered, withheld);
    }

    /// <summary>
    /// Sends the webhook notifications due (of one run, right after it is recorded, or all of them for the job): each one
    /// accepted or withheld joins the run's <c>deliveredTo</c> or <c>withheld</c>; a failed one is tried again later, and after
    /// <see cref="WebhookRetryPolicy.MaxAttempts"/> attempts it is withheld. Returns how many were accepted.
    /// </summary>
    public async Task<int> NotifyAsync(Guid? runId, CancellationToken ct)
    {
        var accepted = 0;
        foreach (var notification in await store.ClaimDueAsync(runId, time.GetUtcNow(), ct))
        {
            var sent = await webhooks.SendAsync(notification.WebhookId, notification.Level, notification.Id, notification.Attempts, WebhookEvent, notification.Body, ct);
            if (sent.Outcome == WebhookNotificationOutcome.Failed && notification.Attempts < WebhookRetryPolicy.MaxAttempts)
            {
                await store.RetryAtAsync(notification.Id, WebhookRetryPolicy.NextAttemptAt(notification.Attempts, time.GetUtcNow()), ct);
                continue;
            }

            if (sent.Outcome != WebhookNotificationOutcome.Delivered)
            {
                log.LogWarning("Report run {RunId}: the notification to webhook {WebhookId} was withheld: {Reason}", notification.RunId, notification.WebhookId, sent.Error);
            }

            accepted += sent.Outcome == WebhookNotificationOutcome.Delivered ? 1 : 0;
            await store.DoneAsync(notification, sent.Outcome == WebhookNotificationOutcome.Delivered, sent.DeliveredAs, ct);
        }

        return accepted;
    }

    /// <summary>Tells the admins of a refusal the first time it happens (see the class); how many were mailed.</summary>
    public async Task<int> RefusedAsync(ReportDefinition definition, ReportRun run, CancellationToken ct)
    {
        if (!await store.FirstRefusalAsync(definition.Id, run.Error ?? "", time.GetUtcNow(), ct))
        {
            return 0;
        }

        var text = $"The report \"{definition.Name}\" (owner {definition.OwnerId}, level {Composing.Words.UpperSnake(definition.Level.ToString())}) was refused on {run.ForDay:yyyy-MM-dd}:\r\n" +
                   $"{run.Error}\r\n\r\nIt stays refused, and you are not told again, until it runs again or is changed: give the owner back what it lost, " +
                   $"or change or delete the definition.\r\n{Base()}/console\r\n";
        var told = 0;
        foreach (var (admin, address) in await addresses.AdminsAsync(ct))
        {
            if (admin.CanSee(definition.Level) && await mail.SendAsync(address, $"Report refused: {definition.Name}", text, ct))
            {
                told++;
            }
        }

        log.LogWarning("Report definition {DefinitionId} refused: {Admins} admins told", definition.Id, told);
        return told;
    }

    /// <summary>The definition ran (succeeded or failed, not refused): a later refusal is told again.</summary>
    public Task RanAsync(Guid definitionId, CancellationToken ct) => store.ClearRefusalAsync(definitionId, ct);

    private string Base() => (options.Value.PublicUrl ?? configuration["Omct:Accounts:PublicUrl"] ?? "http://localhost:5080").TrimEnd('/');

    private string LinkOf(ReportRun run, (string Name, string ContentType, string Path) file) =>
        Base() + ReportRunEndpoint.UrlOf(new ReportRunFile(run.Id, file.Name, file.ContentType, 0));

    /// <summary>The e-mail: what the report is, its figures, its download links; the CSV itself only for a PUBLIC run small enough for a message.</summary>
    private async Task<string> MailTextAsync(
        ReportDefinition definition, ReportRun run, IReadOnlyList<(string Name, string ContentType, string Path)> files, int rows, CancellationToken ct)
    {
        var text = new StringBuilder($"{definition.Name}\r\n{rows} rows");
        if (run.WindowFrom is { } from && run.WindowTo is { } to)
        {
            text.Append(CultureInfo.InvariantCulture, $", {from:yyyy-MM-dd} to {to:yyyy-MM-dd}");
        }

        text.Append(CultureInfo.InvariantCulture, $" (for {run.ForDay:yyyy-MM-dd}, {Composing.Words.UpperSnake(run.Level.ToString())})\r\n\r\n");
        text.Append("Download (signed in to the platform):\r\n");
        foreach (var file in files)
        {
            text.Append(LinkOf(run, file)).Append("\r\n");
        }

        text.Append("\r\n");
        if (run.Level != Confidentiality.Public)
        {
            return text.ToString();
        }

        var csv = files.FirstOrDefault(f => f.Name.EndsWith(".csv", StringComparison.Ordinal));
        if (csv.Path is not null && new FileInfo(csv.Path).Length <= MaxMailedBytes)
        {
            text.Append(await File.ReadAllTextAsync(csv.Path, ct));
        }
        else
        {
            text.Append("The table is too large for a message (or has no CSV format): the files are kept with the run for whoever may download them.");
        }

        return text.ToString();
    }

    /// <summary>The webhook's JSON: the definition, the run's figures and its files' links — never the rows.</summary>
    private byte[] NotificationBody(ReportDefinition definition, ReportRun run, IReadOnlyList<(string Name, string ContentType, string Path)> files, int rows) =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = WebhookEvent,
            definition = new { id = GlobalId.Encode(ReportDefinitionGraphType.TypeName, definition.Id), name = definition.Name },
            run = new
            {
                id = GlobalId.Encode(ReportRunGraphType.TypeName, run.Id),
                forDay = run.ForDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                windowFrom = run.WindowFrom?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                windowTo = run.WindowTo?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                rows,
                confidentiality = Composing.Words.UpperSnake(run.Level.ToString()),
                files = files.Select(f => new { name = f.Name, contentType = f.ContentType, size = new FileInfo(f.Path).Length, url = LinkOf(run, f) }),
            },
        });
}
