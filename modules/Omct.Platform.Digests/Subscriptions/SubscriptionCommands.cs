using System.Net.Mail;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Webhooks;
using Omct.Platform.Digests.Composing;

namespace Omct.Platform.Digests.Subscriptions;

/// <summary>What a create or update asks for; on update a null field stays as it is (an empty list clears, an empty webhookUrl removes the webhook).</summary>
internal sealed record SubscriptionChange(
    string? Name, DigestPeriod? Period, DayOfWeek? Weekday, Confidentiality? Audience, IReadOnlyList<string>? Countries,
    IReadOnlyList<string>? Themes, IReadOnlyList<string>? EmailRecipients, string? WebhookUrl, bool RotateWebhookSecret = false);

/// <summary>A subscription as changed, with the webhook secret when one was made by this change (shown once).</summary>
internal sealed record SubscriptionResult(DigestSubscription Subscription, string? WebhookSecret);

/// <summary>
/// Creating and changing digest subscriptions (STAFF and up). A subscription whose audience is above
/// the caller's clearance does not exist for the caller (NOT_FOUND), and nobody sets an audience above
/// their own clearance (VALIDATION on audience): a digest could otherwise carry to its recipients what
/// the one who set it up may not see.
/// </summary>
internal sealed class SubscriptionCommands(IDocumentStore store, MutationPipeline pipeline, TimeProvider time, IOptions<DigestWebhookOptions> webhooks)
{
    public const int MaxRecipients = 50;
    public const int MaxCountries = 60;
    public const int MaxThemes = 20;

    private const string What = "The digest subscription";

    /// <summary>A repeated clientMutationId answers the first subscription as the caller may see it now, without its secret: it was shown once.</summary>
    public Task<SubscriptionResult> CreateAsync(SubscriptionChange change, string? clientMutationId, CancellationToken ct)
    {
        var caller = pipeline.Caller;
        return pipeline.RunAsync("createDigestSubscription", clientMutationId,
            async first => new SubscriptionResult(await LoadVisibleAsync(first, caller, ct), null),
            async receipt =>
            {
                var now = time.GetUtcNow();
                var subscription = new DigestSubscription
                {
                    Id = Guid.CreateVersion7(),
                    Name = Input.Required(change.Name, "name", 200),
                    Period = change.Period ?? throw DomainException.Validation("period", "The period is DAILY or WEEKLY."),
                    Audience = change.Audience ?? throw DomainException.Validation("audience", "The audience's clearance is required."),
                    CreatedBy = caller.Id,
                    CreatedAt = now,
                    UpdatedAt = now,
                    Version = 1,
                };
                Apply(subscription, change with { Name = null, Period = null, Audience = null });
                CheckAudience(subscription.Audience, caller);
                CheckChannels(subscription);
                var secret = subscription.WebhookUrl is null ? null : subscription.WebhookSecret = WebhookSignature.NewSecret();

                await using var session = store.LightweightSession();
                subscription.OrderKey = await NextOrderKeyAsync(session, ct);
                session.Insert(subscription);
                receipt.Record(session, subscription.Id);
                await SaveAsync(session, ct);
                return new SubscriptionResult(subscription, secret);
            }, ct);
    }

    public Task<SubscriptionResult> UpdateAsync(Guid id, SubscriptionChange change, int? expectedVersion, string? clientMutationId, CancellationToken ct) =>
        ChangeAsync("updateDigestSubscription", id, expectedVersion, clientMutationId, (subscription, caller) =>
        {
            var hadWebhook = subscription.WebhookUrl is not null;
            Apply(subscription, change);
            if (change.Audience is { } audience)
            {
                CheckAudience(audience, caller);
                subscription.Audience = audience;
            }

            CheckChannels(subscription);
            if (subscription.WebhookUrl is null)
            {
                subscription.WebhookSecret = null;
                return null;
            }

            return !hadWebhook || change.RotateWebhookSecret ? subscription.WebhookSecret = WebhookSignature.NewSecret() : null;
        }, ct);

    public Task<SubscriptionResult> PauseAsync(Guid id, bool paused, int? expectedVersion, string? clientMutationId, CancellationToken ct) =>
        ChangeAsync(paused ? "pauseDigestSubscription" : "resumeDigestSubscription", id, expectedVersion, clientMutationId, (subscription, _) =>
        {
            subscription.Paused = paused;
            return null;
        }, ct);

    /// <summary>Deletes the subscription and its deliveries not yet made (its digests stay, readable as before). A repeat is NOT_FOUND: it is gone.</summary>
    public Task<DigestSubscription> DeleteAsync(Guid id, int? expectedVersion, string? clientMutationId, CancellationToken ct)
    {
        var caller = pipeline.Caller;
        return pipeline.RunAsync<DigestSubscription>("deleteDigestSubscription", clientMutationId,
            _ => throw DomainException.NotFound(What),
            async receipt =>
            {
                await using var session = store.LightweightSession();
                var subscription = MutationPipeline.Visible(await session.LoadAsync<DigestSubscription>(id, ct), caller.CanSee, What);
                MutationPipeline.CheckVersion(subscription.Version, expectedVersion, What);
                session.Delete(subscription);
                session.QueueSqlCommand(DigestStore.DeleteUndeliveredSql(store.Options.DatabaseSchemaName), subscription.Id);
                receipt.Record(session, subscription.Id);
                await SaveAsync(session, ct);
                return subscription;
            }, ct);
    }

    /// <summary>A repeated clientMutationId answers the subscription as the caller may see it now, without a secret.</summary>
    private Task<SubscriptionResult> ChangeAsync(
        string operation, Guid id, int? expectedVersion, string? clientMutationId, Func<DigestSubscription, Caller, string?> change, CancellationToken ct)
    {
        var caller = pipeline.Caller;
        return pipeline.RunAsync(operation, clientMutationId,
            async first => new SubscriptionResult(await LoadVisibleAsync(first, caller, ct), null),
            async receipt =>
            {
                await using var session = store.LightweightSession();
                var subscription = MutationPipeline.Visible(await session.LoadAsync<DigestSubscription>(id, ct), caller.CanSee, What);
                MutationPipeline.CheckVersion(subscription.Version, expectedVersion, What);
                var secret = change(subscription, caller);
                subscription.Version++;
                subscription.UpdatedAt = time.GetUtcNow();
                session.Update(subscription);
                session.QueueSqlCommand(DigestStore.DeleteStaleUndeliveredSql(store.Options.DatabaseSchemaName),
                    subscription.Id, subscription.EmailRecipients.ToArray(), subscription.WebhookUrl ?? "", subscription.Audience.ToString());
                receipt.Record(session, subscription.Id);
                await SaveAsync(session, ct);
                return new SubscriptionResult(subscription, secret);
            }, ct);
    }

    public const string SequenceName = "digests_subscription_seq";

    private async Task<long> NextOrderKeyAsync(IDocumentSession session, CancellationToken ct)
    {
        var next = await session.QueryAsync<long>($"select nextval('{store.Options.DatabaseSchemaName}.{SequenceName}')", ct);
        return next[0];
    }

    private static async Task SaveAsync(IDocumentSession session, CancellationToken ct)
    {
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException)
        {
            // Changed by someone else between our read and our write (optimistic concurrency on the document).
            throw MutationPipeline.Stale(What);
        }
    }

    private async Task<DigestSubscription> LoadVisibleAsync(Guid id, Caller caller, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return MutationPipeline.Visible(await session.LoadAsync<DigestSubscription>(id, ct), caller.CanSee, What);
    }

    private static void CheckAudience(Confidentiality audience, Caller caller)
    {
        if (!Enum.IsDefined(audience))
        {
            throw DomainException.Validation("audience", "Not a clearance.");
        }

        // A digest carries to its recipients what its audience may see: never more than the one who set it up.
        WriteClearance.Ensure(audience, caller.Clearance, "audience");
    }

    private static void CheckChannels(DigestSubscription subscription)
    {
        if (subscription.EmailRecipients.Count == 0 && subscription.WebhookUrl is null)
        {
            throw DomainException.Validation("emailRecipients", "A digest goes somewhere: give e-mail recipients, a webhookUrl, or both.");
        }
    }

    private void Apply(DigestSubscription subscription, SubscriptionChange change)
    {
        if (change.Name is not null)
        {
            subscription.Name = Input.Required(change.Name, "name", 200);
        }

        if (change.Period is { } period)
        {
            subscription.Period = Enum.IsDefined(period) ? period : throw DomainException.Validation("period", "The period is DAILY or WEEKLY.");
        }

        if (change.Weekday is { } weekday)
        {
            subscription.Weekday = Enum.IsDefined(weekday) ? weekday : throw DomainException.Validation("weekday", "Not a day of the week.");
        }

        if (change.Weekday is not null && subscription.Period != DigestPeriod.Weekly)
        {
            throw DomainException.Validation("weekday", "The weekday is for WEEKLY digests.");
        }

        if (change.Countries is { } countries)
        {
            if (countries.Count > MaxCountries)
            {
                throw DomainException.Validation("countries", $"At most {MaxCountries} countries.");
            }

            subscription.Countries = countries.Select((c, i) => Input.Country(c, $"countries[{i}]").Code).Distinct().Order(StringComparer.Ordinal).ToList();
        }

        if (change.Themes is { } themes)
        {
            if (themes.Count > MaxThemes)
            {
                throw DomainException.Validation("themes", $"At most {MaxThemes} themes.");
            }

            subscription.Themes = themes.Select((t, i) => Input.Required(t, $"themes[{i}]", 100).ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();
        }

        if (change.EmailRecipients is { } recipients)
        {
            if (recipients.Count > MaxRecipients)
            {
                throw DomainException.Validation("emailRecipients", $"At most {MaxRecipients} recipients.");
            }

            subscription.EmailRecipients = recipients.Select((r, i) => Recipient(r, $"emailRecipients[{i}]"))
                .DistinctBy(r => r.ToLowerInvariant()).ToList();
        }

        if (change.WebhookUrl is { } url)
        {
            if (url.Trim().Length == 0)
            {
                subscription.WebhookUrl = null;
            }
            else if (WebhookRetryPolicy.CheckEndpoint(url.Trim(), webhooks.Value.AllowHttp) is { } problem)
            {
                throw DomainException.Validation("webhookUrl", problem);
            }
            else
            {
                subscription.WebhookUrl = url.Trim();
            }
        }
    }

    /// <summary>A bare address (<c>name@example.org</c>): no display name, no list, at most 254 characters.</summary>
    internal static string Recipient(string? value, string field)
    {
        var address = value?.Trim() ?? "";
        return address.Length is > 0 and <= 254 && MailAddress.TryCreate(address, out var parsed) && parsed.Address == address && parsed.DisplayName.Length == 0
            ? address
            : throw DomainException.Validation(field, $"'{(address.Length > 60 ? address[..60] + "…" : address)}' is not an e-mail address.");
    }
}
