using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Webhooks;

namespace Omct.Platform.Integration.Webhooks;

/// <summary>
/// <see cref="IWebhookNotifications"/> on the registered webhooks: a notification goes only to an active webhook (a paused
/// or deleted one withholds it), as its registrant as <see cref="WebhookDispatcher.DeliversAsAsync"/> finds it now (a revoked
/// key, a disabled account or a clearance below the notification's level withholds it), signed with the webhook's secret by
/// <see cref="WebhookSender"/>, and each attempt is recorded with the feed's attempts (<c>lastAttempts</c>, 0 changes). A
/// failed notification does not pause the webhook nor hold its feed back: the sender retries it under the same delivery id.
/// </summary>
internal sealed class WebhookNotifications(
    WebhookStore webhooks, WebhookDispatcher dispatcher, WebhookSender sender, TimeProvider time, ILogger<WebhookNotifications> log) : IWebhookNotifications
{
    public async Task<bool> ManagedByAsync(Guid webhookId, Caller caller, CancellationToken cancellationToken) =>
        await webhooks.FindAsync(webhookId, cancellationToken) is { State: not WebhookState.Deleted } webhook && webhook.IsManagedBy(caller);

    public async Task<WebhookNotificationResult> SendAsync(
        Guid webhookId, Confidentiality level, Guid deliveryId, int attempt, string eventType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (await webhooks.FindActiveWithSecretAsync(webhookId, cancellationToken) is not { } found)
        {
            return new WebhookNotificationResult(WebhookNotificationOutcome.Withheld, "The webhook is paused or deleted.");
        }

        var (webhook, secret) = found;
        if (await dispatcher.DeliversAsAsync(webhook, cancellationToken) is not { } caller || !caller.CanSee(level))
        {
            log.LogWarning("Webhook {WebhookId}: a {EventType} notification withheld: its registrant may not see it now", webhookId, eventType);
            return new WebhookNotificationResult(WebhookNotificationOutcome.Withheld, "The webhook's registrant may not see what it is about (its clearance now, or its access ended).");
        }

        var sent = await sender.SendAsync(new Uri(webhook.Url), secret, deliveryId.ToString("D"), eventType, body, cancellationToken);
        await using (var tx = await webhooks.BeginAsync(cancellationToken))
        {
            await webhooks.RecordAttemptAsync(tx, new WebhookAttemptRecord(Guid.CreateVersion7(), webhookId, deliveryId, attempt, time.GetUtcNow(), sent.Delivered,
                sent.StatusCode, sent.Error, (int)sent.Duration.TotalMilliseconds, 0, null), cancellationToken);
            await tx.CommitAsync(cancellationToken);
        }

        log.LogInformation("Webhook {WebhookId}: {EventType} notification {DeliveryId}, attempt {Attempt}: {Outcome}", webhookId, eventType, deliveryId, attempt,
            sent.Delivered ? "delivered" : sent.Error);
        return sent.Delivered
            ? new WebhookNotificationResult(WebhookNotificationOutcome.Delivered, null, webhook.Owner.Id)
            : new WebhookNotificationResult(WebhookNotificationOutcome.Failed, sent.Error);
    }
}
