using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Webhooks;
using Omct.Platform.Integration.ChangeFeed;

namespace Omct.Platform.Integration.Webhooks;

/// <summary>
/// Follows the change feed for every active webhook and delivers it, one batch at a time per webhook:
/// <list type="number">
/// <item>Claim the webhook's row (<c>for update skip locked</c>, in a transaction of its own): a webhook
/// another run or host is delivering is skipped, never delivered twice at once.</item>
/// <item>Ask the Access module who the registrant is now (<see cref="ICallerDirectory"/>): a revoked or
/// expired key pauses the webhook; a lowered clearance applies (never more than at registration).</item>
/// <item>Without a pending batch, read up to <see cref="WebhookOptions.BatchSize"/> changes after the
/// webhook's cursor as that caller (exactly what <c>changes</c> would give it, REDACTED included), store
/// them as the pending batch with a new delivery id, and commit — so the id survives a crash mid-send.</item>
/// <item>Send the pending batch (signed, <see cref="WebhookSender"/>), still holding the row, and record the
/// attempt in the same transaction as its outcome: on success the cursor moves to the batch's end and the
/// next batch follows; on failure the same batch (same body, same delivery id) is retried at
/// <see cref="WebhookRetryPolicy.NextAttemptAt"/>, and after <see cref="WebhookRetryPolicy.MaxAttempts"/>
/// failures in a row (or at once on 410 Gone) the webhook is paused.</item>
/// </list>
/// One batch in flight per webhook and batches in feed order: changes to one entity arrive in order.
/// </summary>
internal sealed class WebhookDispatcher(
    WebhookStore webhooks, ChangeFeedReader feed, ICallerDirectory callers, WebhookSender sender, TimeProvider time,
    IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> log)
{
    /// <summary>Webhooks looked at per run at most (the longest waiting first; the next run takes the rest).</summary>
    public const int MaxWebhooksPerRun = 1_000;

    /// <summary>Pages with nothing the registrant may see, read per webhook per run at most (each moves its cursor on).</summary>
    private const int MaxEmptyReads = 20;

    /// <summary>Delivers what is due to every webhook; returns how many batches were accepted.</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        var due = await webhooks.DueAsync(time.GetUtcNow(), MaxWebhooksPerRun, ct);
        var accepted = 0;
        var errors = new ConcurrentQueue<Exception>();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = ct }, async (id, token) =>
        {
            try
            {
                Interlocked.Add(ref accepted, await DeliverAsync(id, token));
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                // Not the endpoint's failure (that is an attempt): the database or a bug. The other webhooks go on.
                log.LogError(e, "Webhook {WebhookId}: dispatching failed", id);
                errors.Enqueue(e);
            }
        });

        return errors.IsEmpty ? accepted : throw new AggregateException($"Dispatching failed for {errors.Count} of {due.Count} webhooks.", errors);
    }

    /// <summary>Delivers one webhook's due batches (at most <see cref="WebhookOptions.MaxDeliveriesPerRun"/>); returns how many were accepted.</summary>
    public async Task<int> DeliverAsync(Guid webhookId, CancellationToken ct)
    {
        var (sent, accepted, emptyReads) = (0, 0, 0);
        while (sent < options.Value.MaxDeliveriesPerRun && emptyReads < MaxEmptyReads)
        {
            await using var tx = await webhooks.BeginAsync(ct);
            var now = time.GetUtcNow();
            if (await webhooks.ClaimAsync(tx, webhookId, now, ct) is not { } claimed)
            {
                return accepted; // not due, paused, deleted, or being delivered elsewhere
            }

            var (webhook, secret) = claimed;
            if (await DeliversAsAsync(webhook, ct) is not { } caller)
            {
                await PauseAsync(tx, webhook, WebhookPauseCause.CredentialInactive,
                    "The API key this webhook delivers as was revoked or expired (or may no longer read the change feed).", ct);
                return accepted;
            }

            var readAs = $"{caller.Role}/{caller.Clearance}/{caller.OrganisationId}";
            if (webhook.Pending is not { } pending || pending.ReadAs != readAs)
            {
                var types = webhook.EntityTypes;
                ChangePage page;
                try
                {
                    // A cursor inside a bucket goes on only with the types it was read with; a changed filter applies from the next bucket.
                    types = ChangeFeedReader.AcceptsAnyFilter(webhook.Cursor) ? webhook.EntityTypes : webhook.CursorEntityTypes;
                    page = await feed.ReadAsync(webhook.Cursor, options.Value.BatchSize, types, caller, ct);
                }
                catch (DomainException e)
                {
                    await PauseAsync(tx, webhook, WebhookPauseCause.CursorInvalid, $"The change feed refused the webhook's cursor: {e.Message}", ct);
                    return accepted;
                }

                if (page.Changes.Count == 0)
                {
                    // Nothing the registrant may see: move on past what was looked at (a batch read with more rights is dropped too).
                    emptyReads++;
                    if (page.EndCursor != webhook.Cursor || !types.SequenceEqual(webhook.CursorEntityTypes) || webhook.Pending is not null)
                    {
                        await webhooks.SaveAsync(tx, webhook with { Cursor = page.EndCursor, CursorEntityTypes = types, Pending = null }, ct);
                        await tx.CommitAsync(ct);
                    }

                    if (!page.HasNextPage)
                    {
                        return accepted;
                    }

                    continue;
                }

                if (webhook.Pending is not null)
                {
                    log.LogInformation("Webhook {WebhookId}: the registrant's access changed since delivery {DeliveryId} was read; its changes are read again as a new delivery",
                        webhook.Id, webhook.Pending.Id);
                }

                var deliveryId = Guid.CreateVersion7();
                var body = DeliveryBody.Write(deliveryId, webhook.Id, page.Changes, page.EndCursor);
                var batch = new PendingDelivery(deliveryId, body, page.Changes.Count, page.Changes[^1].Sequence, page.EndCursor, [.. types], readAs, now, 0);
                // Stored before the first attempt, in a transaction of its own: a crash mid-send retries this delivery, with this id.
                await webhooks.SaveAsync(tx, webhook with { Pending = batch }, ct);
                await tx.CommitAsync(ct);
                continue;
            }

            sent++;
            var attempt = await sender.SendAsync(new Uri(webhook.Url), secret, pending.Id.ToString(), DeliveryBody.EventType, pending.Body, ct);
            pending = pending with { Attempts = pending.Attempts + 1 };
            var after = time.GetUtcNow();
            var duration = (int)Math.Min(int.MaxValue, attempt.Duration.TotalMilliseconds);
            if (attempt.Delivered)
            {
                await webhooks.RecordAttemptAsync(tx, new WebhookAttemptRecord(
                    Guid.CreateVersion7(), webhook.Id, pending.Id, pending.Attempts, now, true, attempt.StatusCode, null, duration, pending.Changes, null), ct);
                await webhooks.SaveAsync(tx, webhook with
                {
                    Cursor = pending.EndCursor, CursorEntityTypes = pending.EntityTypes, Pending = null, ConsecutiveFailures = 0, NextAttemptAt = null,
                    LastDeliveredAt = after, LastDeliveredSequence = pending.LastSequence,
                    DeliveredBatches = webhook.DeliveredBatches + 1, DeliveredChanges = webhook.DeliveredChanges + pending.Changes,
                }, ct);
                await tx.CommitAsync(ct);
                accepted++;
                log.LogDebug("Webhook {WebhookId}: delivery {DeliveryId} ({Changes} changes) accepted with {StatusCode} after {Attempts} attempts",
                    webhook.Id, pending.Id, pending.Changes, attempt.StatusCode, pending.Attempts);
                continue;
            }

            var failures = webhook.ConsecutiveFailures + 1;
            var failed = webhook with { Pending = pending, ConsecutiveFailures = failures };
            DateTimeOffset? retryAt = null;
            if (attempt.Gone)
            {
                failed = failed.Paused(WebhookPauseCause.Gone, "The endpoint answered 410 Gone: it wants no more deliveries.", after);
            }
            else if (failures >= WebhookRetryPolicy.MaxAttempts)
            {
                failed = failed.Paused(WebhookPauseCause.Failures, $"{failures} delivery attempts in a row failed (the last: {attempt.Error}).", after);
            }
            else
            {
                retryAt = WebhookRetryPolicy.NextAttemptAt(failures, after);
                failed = failed with { NextAttemptAt = retryAt };
            }

            await webhooks.RecordAttemptAsync(tx, new WebhookAttemptRecord(
                Guid.CreateVersion7(), webhook.Id, pending.Id, pending.Attempts, now, false, attempt.StatusCode, attempt.Error, duration, pending.Changes, retryAt), ct);
            await webhooks.SaveAsync(tx, failed, ct);
            await tx.CommitAsync(ct);
            // The endpoint's URL is not logged: integrators put tokens in query strings.
            log.LogWarning("Webhook {WebhookId}: delivery {DeliveryId} attempt {Attempt} failed ({StatusCode} {Error}); {Outcome}",
                webhook.Id, pending.Id, pending.Attempts, attempt.StatusCode, attempt.Error,
                failed.State == WebhookState.Paused ? $"paused ({failed.PauseCause})" : $"next attempt at {retryAt:O}");
            return accepted;
        }

        return accepted;
    }

    /// <summary>
    /// The caller the webhook delivers as: its registrant as the Access module knows it now, never with more
    /// clearance than at registration; null when the key is no longer active or may no longer read the feed.
    /// </summary>
    public async Task<Caller?> DeliversAsAsync(Webhook webhook, CancellationToken ct)
    {
        var current = await callers.FindActiveAsync(webhook.Owner.Id, ct);
        if (current is null || !current.HasRole(Role.Integrator))
        {
            return null;
        }

        return current with { Clearance = current.Clearance < webhook.Owner.Clearance ? current.Clearance : webhook.Owner.Clearance };
    }

    private async Task PauseAsync(WebhookTransaction tx, Webhook webhook, WebhookPauseCause cause, string reason, CancellationToken ct)
    {
        await webhooks.SaveAsync(tx, webhook.Paused(cause, reason, time.GetUtcNow()), ct);
        await tx.CommitAsync(ct);
        log.LogWarning("Webhook {WebhookId} paused: {PauseCause}", webhook.Id, cause);
    }
}

/// <summary>WEBHOOK_DISPATCH: every few seconds (clustered: on one node at a time), delivers the change feed to the webhooks.</summary>
internal sealed class WebhookDispatchJob(WebhookDispatcher dispatcher) : BuildingBlocks.Jobs.SystemJob
{
    public const string Name = "WEBHOOK_DISPATCH";

    public static BuildingBlocks.Jobs.JobDefinition Definition(WebhookOptions options) => new(
        Name, typeof(WebhookDispatchJob), BuildingBlocks.Jobs.JobSchedule.Every(TimeSpan.FromSeconds(options.DispatchIntervalSeconds)), "webhooks",
        "Delivers the change feed to the registered webhooks: signed, one batch at a time, retried with backoff, paused after repeated failures.",
        group: "integration");

    protected override Task<int> RunAsync(BuildingBlocks.Jobs.JobRunContext run, CancellationToken cancellationToken) =>
        dispatcher.DispatchAsync(cancellationToken);
}
