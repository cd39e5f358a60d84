using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.Webhooks;

/// <summary>What became of one notification sent to a registered webhook.</summary>
public enum WebhookNotificationOutcome
{
    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>The endpoint failed (an answer other than 2xx, a timeout, no connection): try again later with the same delivery id.</summary>
    Failed,

    /// <summary>Not sent, and never will be: the webhook is paused or deleted, or its registrant, as it is now, may not see the level.</summary>
    Withheld,
}

/// <summary>
/// The outcome, and why when it is not <see cref="WebhookNotificationOutcome.Delivered"/> (words safe to show the sender's owner);
/// when delivered, <paramref name="DeliveredAs"/> is the registrant's caller id (whom the receiver acts for: it may fetch what the notification links to).
/// </summary>
public sealed record WebhookNotificationResult(WebhookNotificationOutcome Outcome, string? Error, string? DeliveredAs = null);

/// <summary>
/// One notification (not the change feed) sent to a webhook registered with the Integration module (<c>registerWebhook</c>),
/// signed with that webhook's secret by <see cref="WebhookSender"/> as every platform webhook is, and recorded in its
/// <c>lastAttempts</c>. The Integration module implements it; another module (scheduled reports) depends on this contract only.
/// A webhook delivers with its registrant's clearance as it is at each delivery (never more than at registration): a
/// notification at a level that registrant may no longer see is withheld, never sent.
/// </summary>
public interface IWebhookNotifications
{
    /// <summary>Whether <paramref name="caller"/> may name the webhook as a recipient: it exists, is not deleted, and the caller manages it (its registrant, or an admin whose clearance reaches the registrant's).</summary>
    Task<bool> ManagedByAsync(Guid webhookId, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// Sends <paramref name="body"/> (JSON) as event <paramref name="eventType"/> under <paramref name="deliveryId"/> (the same on every retry,
    /// <paramref name="attempt"/> counting from 1) when the webhook is active and its registrant may see <paramref name="level"/> now.
    /// </summary>
    Task<WebhookNotificationResult> SendAsync(
        Guid webhookId, Confidentiality level, Guid deliveryId, int attempt, string eventType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}
