using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Integration.Webhooks;

/// <summary>Whether a webhook delivers: ACTIVE (and FAILING, an active one whose last attempt failed), PAUSED, or DELETED.</summary>
internal enum WebhookState { Active, Paused, Deleted }

/// <summary>What the API shows: <see cref="WebhookState"/> with FAILING told apart from ACTIVE.</summary>
internal enum WebhookStatus { Active, Failing, Paused, Deleted }

/// <summary>Why a webhook is paused.</summary>
internal enum WebhookPauseCause
{
    /// <summary>pauseWebhook.</summary>
    Manual,
    /// <summary><see cref="BuildingBlocks.Webhooks.WebhookRetryPolicy.MaxAttempts"/> failed attempts in a row.</summary>
    Failures,
    /// <summary>The endpoint answered 410 Gone.</summary>
    Gone,
    /// <summary>The API key the webhook delivers as was revoked or expired (or no longer may read the feed).</summary>
    CredentialInactive,
    /// <summary>The feed refused the webhook's cursor (a cursor of another database given at registration).</summary>
    CursorInvalid,
}

/// <summary>
/// A batch of changes read from the feed and not yet accepted by the endpoint. Kept byte for byte, so
/// every retry sends the same body under the same delivery id (receivers deduplicate by it).
/// </summary>
/// <param name="EntityTypes">The entity types the batch was read with (the end cursor goes on with them).</param>
/// <param name="ReadAs">Role, clearance and organisation it was read with: a batch read with more than the registrant may see now is dropped and read again.</param>
/// <param name="Attempts">Attempts made so far to deliver it.</param>
internal sealed record PendingDelivery(
    Guid Id, byte[] Body, int Changes, long LastSequence, string EndCursor, string[] EntityTypes, string ReadAs, DateTimeOffset CreatedAt, int Attempts);

/// <summary>
/// A registered webhook, as stored (<c>integration_webhooks</c>). The secret is not part of it: only the
/// dispatcher reads it (<see cref="WebhookStore.ClaimAsync"/>), so it cannot reach an answer or a log by accident.
/// </summary>
/// <param name="EntityTypes">Sorted; empty for every type.</param>
/// <param name="Cursor">The feed position delivered up to (every change the registrant may see before it was delivered or skipped).</param>
/// <param name="CursorEntityTypes">The entity types <see cref="Cursor"/> was read with (a cursor inside a bucket goes on only with them).</param>
internal sealed record Webhook(
    Guid Id,
    long OrderKey,
    string Name,
    string Url,
    string[] EntityTypes,
    WebhookOwner Owner,
    WebhookState State,
    WebhookPauseCause? PauseCause,
    string? PausedReason,
    DateTimeOffset? PausedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    string Cursor,
    string[] CursorEntityTypes,
    int ConsecutiveFailures,
    DateTimeOffset? NextAttemptAt,
    PendingDelivery? Pending,
    DateTimeOffset? LastDeliveredAt,
    long? LastDeliveredSequence,
    long DeliveredBatches,
    long DeliveredChanges,
    DateTimeOffset SecretRotatedAt)
{
    public const string TypeName = "Webhook";

    public WebhookStatus Status => State switch
    {
        WebhookState.Deleted => WebhookStatus.Deleted,
        WebhookState.Paused => WebhookStatus.Paused,
        _ => ConsecutiveFailures > 0 ? WebhookStatus.Failing : WebhookStatus.Active,
    };

    /// <summary>
    /// Whether <paramref name="caller"/> may see and manage it: its registrant, or an admin whose clearance reaches the
    /// registrant's — the webhook delivers with the registrant's clearance, so whoever may point it elsewhere or take
    /// its secret must be allowed to see what it delivers.
    /// </summary>
    public bool IsManagedBy(Caller caller) =>
        (caller.Id is not null && caller.Id == Owner.Id) || (caller.HasRole(Role.Admin) && caller.CanSee(Owner.Clearance));

    public Webhook Paused(WebhookPauseCause cause, string reason, DateTimeOffset now) => this with
    {
        State = WebhookState.Paused, PauseCause = cause, PausedReason = reason, PausedAt = now, UpdatedAt = now, Version = Version + 1, NextAttemptAt = null,
    };
}

/// <summary>Who registered a webhook, as it was then: the webhook delivers as this caller (never with more clearance).</summary>
internal sealed record WebhookOwner(string Id, string Name, Role Role, Confidentiality Clearance, Guid? OrganisationId);

/// <summary>One attempt to deliver a batch, as recorded (the last <see cref="WebhookStore.AttemptsKept"/> per webhook are kept).</summary>
internal sealed record WebhookAttemptRecord(
    Guid Id, Guid WebhookId, Guid DeliveryId, int Attempt, DateTimeOffset At, bool Delivered, int? StatusCode, string? Error, int DurationMs, int Changes,
    DateTimeOffset? NextRetryAt);
