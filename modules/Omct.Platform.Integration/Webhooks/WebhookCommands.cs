using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Webhooks;
using Omct.Platform.Integration.ChangeFeed;
using Omct.Platform.Integration.GraphQL;

namespace Omct.Platform.Integration.Webhooks;

/// <summary>
/// What integrators (their own webhooks) and admins (every webhook) do with webhooks. Each change is made
/// under the webhook's row lock, so it waits for a delivery in progress and never races one: once
/// pauseWebhook, deleteWebhook or rotateWebhookSecret has answered, no delivery of the old state is in flight.
/// A webhook the caller may not manage is NOT_FOUND, word for word as one that does not exist.
/// </summary>
internal sealed class WebhookCommands(
    WebhookStore store, ChangeFeedReader feed, ICallerDirectory callers, MutationPipeline pipeline, TimeProvider time, IOptions<WebhookOptions> options,
    ILogger<WebhookCommands> log)
{
    private const string NotFoundWhat = "The webhook";

    public async Task<(Webhook Webhook, string Secret)> RegisterAsync(RegisterWebhookInput input, Caller caller, CancellationToken ct)
    {
        var name = Input.Required(input.Name, "name", 100);
        var url = CheckUrl(input.Url);
        var types = EntityTypes(input.EntityTypes);
        MutationPipeline.CheckClientMutationId(input.ClientMutationId);
        // Deliveries happen later, without the caller: only a credential the Access module can check again then
        // (an API key: revoked or expired, the webhook stops) may register one.
        if (caller.Id is null || await callers.FindActiveAsync(caller.Id, ct) is null)
        {
            throw new DomainException(ErrorCodes.Forbidden,
                "Webhooks are registered with an API key (X-Api-Key): they deliver as that key and stop when it is revoked or expires, which a signed-in session cannot promise.");
        }

        return await pipeline.RunAsync<(Webhook, string)>("registerWebhook", input.ClientMutationId, _ => throw AlreadyDone("registered"), async receipt =>
        {
            string cursor;
            if (input.After is { } after)
            {
                await feed.CheckCursorAsync(after, types, ct);
                cursor = after;
            }
            else
            {
                cursor = await feed.HeadAsync(ct);
            }

            var now = time.GetUtcNow();
            var secret = WebhookSignature.NewSecret();
            var webhook = new Webhook(
                Guid.CreateVersion7(), 0, name, url, types, new WebhookOwner(caller.Id, caller.Name, caller.Role, caller.Clearance, caller.OrganisationId),
                WebhookState.Active, null, null, null, now, now, 1, cursor, types, 0, null, null, null, null, 0, 0, now);
            await using (var tx = await store.BeginAsync(ct))
            {
                await store.LockOwnerAsync(tx, caller.Id, ct);
                if (await store.CountAsync(caller.Id, Enum.GetValues<Confidentiality>(), ct, tx) >= options.Value.MaxWebhooksPerCaller)
                {
                    throw DomainException.LimitExceeded($"A caller may have at most {options.Value.MaxWebhooksPerCaller} webhooks; delete one first.");
                }

                await store.InsertAsync(tx, webhook, secret, ct);
                await tx.RecordAsync(receipt, webhook.Id, ct);
                await tx.CommitAsync(ct);
            }

            log.LogInformation("Webhook {WebhookId} registered by {CallerId} for {EntityTypes}", webhook.Id, caller.Id, types.Length == 0 ? "every entity type" : string.Join(",", types));
            return (await store.FindAsync(webhook.Id, ct) ?? webhook, secret);
        }, ct);
    }

    public async Task<Webhook> UpdateAsync(UpdateWebhookInput input, Caller caller, CancellationToken ct)
    {
        var name = input.Name is null ? null : Input.Required(input.Name, "name", 100);
        var url = input.Url is null ? null : CheckUrl(input.Url);
        var types = input.EntityTypes is null ? null : EntityTypes(input.EntityTypes);
        var (webhook, _) = await ChangeAsync("updateWebhook", input.WebhookId, input, caller, (w, now) =>
        {
            var changed = w with { Name = name ?? w.Name, Url = url ?? w.Url, EntityTypes = types ?? w.EntityTypes };
            if (changed.Name == w.Name && changed.Url == w.Url && changed.EntityTypes.SequenceEqual(w.EntityTypes))
            {
                return Task.FromResult(w);
            }

            // A new URL is a new chance: the failures counted against the old one no longer delay the next attempt.
            changed = changed.Url == w.Url ? changed : changed with { ConsecutiveFailures = 0, NextAttemptAt = null };
            return Task.FromResult(changed with { UpdatedAt = now, Version = w.Version + 1 });
        }, ct);
        return webhook;
    }

    public async Task<Webhook> PauseAsync(WebhookRefInput input, Caller caller, CancellationToken ct) =>
        (await ChangeAsync("pauseWebhook", input.WebhookId, input, caller, (w, now) =>
            Task.FromResult(w.State == WebhookState.Paused ? w : w.Paused(WebhookPauseCause.Manual, "Paused with pauseWebhook.", now)), ct)).Webhook;

    /// <summary>Active again, and due at once: a paused or failing webhook's pending delivery is retried on the next dispatch.</summary>
    public async Task<Webhook> ResumeAsync(WebhookRefInput input, Caller caller, CancellationToken ct) =>
        (await ChangeAsync("resumeWebhook", input.WebhookId, input, caller, async (w, now) =>
        {
            if (w is { State: WebhookState.Active, ConsecutiveFailures: 0, NextAttemptAt: null })
            {
                return w;
            }

            if (await callers.FindActiveAsync(w.Owner.Id, ct) is not { } owner || !owner.HasRole(Role.Integrator))
            {
                throw DomainException.Validation("webhookId",
                    "The API key this webhook delivers as was revoked or expired: register a new webhook with an active key.");
            }

            return w with
            {
                State = WebhookState.Active, PauseCause = null, PausedReason = null, PausedAt = null, ConsecutiveFailures = 0, NextAttemptAt = null,
                UpdatedAt = now, Version = w.Version + 1,
            };
        }, ct)).Webhook;

    /// <summary>Deleted: no more deliveries, its secret wiped, its attempts dropped; gone from every list.</summary>
    public async Task<Webhook> DeleteAsync(WebhookRefInput input, Caller caller, CancellationToken ct) =>
        (await ChangeAsync("deleteWebhook", input.WebhookId, input, caller, (w, now) =>
            Task.FromResult(w with { State = WebhookState.Deleted, Pending = null, NextAttemptAt = null, UpdatedAt = now, Version = w.Version + 1 }), ct,
            deleting: true)).Webhook;

    /// <summary>A new secret, effective for every attempt from now on (the pending delivery's retries too); shown once.</summary>
    public async Task<(Webhook Webhook, string Secret)> RotateSecretAsync(WebhookRefInput input, Caller caller, CancellationToken ct)
    {
        var secret = WebhookSignature.NewSecret();
        var (webhook, _) = await ChangeAsync("rotateWebhookSecret", input.WebhookId, input, caller, (w, now) =>
            Task.FromResult(w with { SecretRotatedAt = now, UpdatedAt = now, Version = w.Version + 1 }), ct, newSecret: secret);
        return (webhook, secret);
    }

    /// <summary>
    /// The caller's webhooks in registration order; an admin's: everyone's whose registrant's clearance its own
    /// reaches (<see cref="Webhook.IsManagedBy"/>).
    /// </summary>
    public async Task<Connection<Webhook>> PageAsync(int? first, string? after, Caller caller, CancellationToken ct)
    {
        var owner = caller.HasRole(Role.Admin) ? null : caller.Id;
        var levels = owner is null ? caller.VisibleLevels() : Enum.GetValues<Confidentiality>();
        var size = Paging.PageSize(first);
        var rows = await store.PageAsync(owner, levels, Paging.DecodeCursor(after), size + 1, ct);
        return Paging.Page(rows, size, w => w.OrderKey, countCt => store.CountAsync(owner, levels, countCt));
    }

    /// <summary>The caller's webhook by its global id, or NOT_FOUND (unknown, deleted, or someone else's).</summary>
    public async Task<Webhook?> FindAsync(string? globalId, Caller caller, CancellationToken ct) =>
        GlobalId.TryDecode(globalId, Webhook.TypeName, out var id) && await store.FindAsync(id, ct) is { State: not WebhookState.Deleted } w && w.IsManagedBy(caller)
            ? w
            : null;

    /// <summary>
    /// Loads the webhook under its row lock, checks who may change it and its version, applies
    /// <paramref name="change"/> and writes the result with the receipt of the clientMutationId (<see cref="MutationPipeline"/>).
    /// A repeated clientMutationId returns the webhook as it is, writing nothing (rotateWebhookSecret: CONFLICT, the secret was shown once).
    /// </summary>
    private Task<(Webhook Webhook, bool Changed)> ChangeAsync(
        string operation, string? webhookId, MutationInput input, Caller caller, Func<Webhook, DateTimeOffset, Task<Webhook>> change, CancellationToken ct,
        bool deleting = false, string? newSecret = null)
    {
        var id = GlobalId.DecodeOrNotFound(webhookId, Webhook.TypeName, NotFoundWhat);
        return pipeline.RunAsync(operation, input.ClientMutationId, async _ => (await RepeatedAsync(id, caller, newSecret is not null, ct), false), async receipt =>
        {
            await using var tx = await store.BeginAsync(ct);
            var webhook = await store.LockAsync(tx, id, ct);
            if (webhook is null || webhook.State == WebhookState.Deleted || !webhook.IsManagedBy(caller))
            {
                throw DomainException.NotFound(NotFoundWhat);
            }

            MutationPipeline.CheckVersion(webhook.Version, input.ExpectedVersion, NotFoundWhat);
            var changed = await change(webhook, time.GetUtcNow());
            await tx.RecordAsync(receipt, id, ct);
            if (!ReferenceEquals(changed, webhook))
            {
                await store.SaveAsync(tx, changed, ct, newSecret, wipeSecret: deleting);
                if (deleting)
                {
                    await store.DeleteAttemptsAsync(tx, id, ct);
                }
            }

            await tx.CommitAsync(ct);
            if (!ReferenceEquals(changed, webhook))
            {
                log.LogInformation("Webhook {WebhookId}: {Operation} by {CallerId}", id, operation, caller.Id);
            }

            return (changed, !ReferenceEquals(changed, webhook));
        }, ct);
    }

    private async Task<Webhook> RepeatedAsync(Guid id, Caller caller, bool showsSecret, CancellationToken ct)
    {
        if (showsSecret)
        {
            throw AlreadyDone("rotated");
        }

        return await store.FindAsync(id, ct) is { } w && w.IsManagedBy(caller) ? w : throw DomainException.NotFound(NotFoundWhat);
    }

    /// <summary>Secrets are shown once: a repeat cannot return the first result, so it is refused and writes nothing.</summary>
    private static DomainException AlreadyDone(string what) =>
        DomainException.Conflict($"A webhook secret was already {what} with this clientMutationId; it was shown once. Rotate the secret if it was lost.");

    private string CheckUrl(string? url)
    {
        var trimmed = url?.Trim();
        return WebhookRetryPolicy.CheckEndpoint(trimmed, options.Value.AllowHttp) is { } problem
            ? throw DomainException.Validation("url", problem)
            : trimmed!;
    }

    /// <summary>Sorted and distinct; empty for every type. The schema's enum already refuses an unknown name.</summary>
    private static string[] EntityTypes(List<string>? types) =>
        types is null ? [] : [.. types.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
