using System.Text.Json;
using Marten;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.BuildingBlocks.Webhooks;
using Omct.Platform.Digests.Composing;
using Omct.Platform.Digests.Subscriptions;

namespace Omct.Platform.Digests.Delivery;

/// <summary>
/// DIGEST_DELIVERY (every 30 s by default, on one node of the cluster at a time): works through the
/// delivery outbox. Each due delivery is claimed in a transaction of its own with
/// <c>for update skip locked</c>, sent while the claim holds its row, and marked (DELIVERED, or the
/// failure and the next attempt) in that same transaction — so two hosts never send the same delivery
/// at once, and a delivery marked DELIVERED is never sent again.
/// What is guaranteed: at least once, and exactly once unless the process dies (or loses its
/// database connection) after the receiver accepted and before the mark commits; then the claim rolls
/// back and a later attempt sends it again with the same identity — the same <c>X-Omct-Delivery</c>
/// id for a webhook, the same Message-Id for an e-mail — so a receiver that remembers those ids drops
/// the repeat. Failures back off (<see cref="WebhookRetryPolicy"/>: 30 s doubling to an hour, with
/// jitter) and give up as FAILED after <see cref="WebhookRetryPolicy.MaxAttempts"/> attempts, at once for
/// a webhook answering 410 Gone or a mail server refusing the recipient for good.
/// </summary>
internal sealed class DeliveryJob(
    DigestStore digests, IDocumentStore store, EmailSender email, WebhookSender webhooks, TimeProvider time, ILogger<DeliveryJob> log) : SystemJob
{
    public const string Name = "DIGEST_DELIVERY";
    public const string EventType = "digest.published";

    /// <summary>At most this many deliveries per run; the next run goes on.</summary>
    public const int MaxPerRun = 200;

    public static JobDefinition Definition(DigestOptions options) => new(Name, typeof(DeliveryJob),
        JobSchedule.Every(TimeSpan.FromSeconds(options.DeliveryIntervalSeconds)), "digests",
        "Delivers the digests by e-mail (SMTP) and signed webhook, with retries and backoff.", group: "digests");

    protected override async Task<int> RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        // Without an SMTP host e-mail deliveries wait (PENDING) until one is configured.
        DeliveryChannel[] channels = email.Enabled ? [DeliveryChannel.Email, DeliveryChannel.Webhook] : [DeliveryChannel.Webhook];
        var delivered = 0;
        for (var i = 0; i < MaxPerRun; i++)
        {
            await using var connection = await digests.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var now = time.GetUtcNow();
            if (await digests.ClaimNextAsync(now, channels, connection, transaction, cancellationToken) is not { } delivery)
            {
                break;
            }

            var (sent, permanent, error) = await AttemptAsync(delivery, connection, transaction, cancellationToken);
            var attempts = delivery.Attempts + 1;
            if (sent)
            {
                await digests.RecordAttemptAsync(delivery.Id, DeliveryStatus.Delivered, attempts, null, null, time.GetUtcNow(), connection, transaction, cancellationToken);
                delivered++;
                log.LogInformation("Digest {DigestId} delivered by {Channel} (delivery {DeliveryId}, attempt {Attempt})", delivery.DigestId, delivery.Channel, delivery.Id, attempts);
            }
            else if (permanent || attempts >= WebhookRetryPolicy.MaxAttempts)
            {
                await digests.RecordAttemptAsync(delivery.Id, DeliveryStatus.Failed, attempts, error, null, null, connection, transaction, cancellationToken);
                log.LogWarning("Digest {DigestId}: delivery {DeliveryId} by {Channel} failed for good after {Attempt} attempts: {Error}",
                    delivery.DigestId, delivery.Id, delivery.Channel, attempts, error);
            }
            else
            {
                var next = WebhookRetryPolicy.NextAttemptAt(attempts, time.GetUtcNow());
                await digests.RecordAttemptAsync(delivery.Id, DeliveryStatus.FailedRetrying, attempts, error, next, null, connection, transaction, cancellationToken);
                log.LogWarning("Digest {DigestId}: delivery {DeliveryId} by {Channel} failed (attempt {Attempt}), next at {NextAttemptAt}: {Error}",
                    delivery.DigestId, delivery.Id, delivery.Channel, attempts, next, error);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return delivered;
    }

    private async Task<(bool Sent, bool Permanent, string? Error)> AttemptAsync(
        DigestDelivery delivery, Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, CancellationToken ct)
    {
        var digest = await digests.FindAsync(delivery.DigestId, connection, transaction, ct);
        if (digest is null)
        {
            return (false, true, "The digest no longer exists.");
        }

        if (delivery.Channel == DeliveryChannel.Email)
        {
            var attempt = await email.SendAsync(email.Build(digest, delivery.Id, delivery.Target), ct);
            return (attempt.Sent, attempt.Permanent, attempt.Error);
        }

        DigestSubscription? subscription;
        await using (var session = store.QuerySession())
        {
            subscription = await session.LoadAsync<DigestSubscription>(delivery.SubscriptionId, ct);
        }

        if (subscription?.WebhookSecret is not { } secret)
        {
            return (false, true, "The subscription no longer has a webhook.");
        }

        var sent = await webhooks.SendAsync(new Uri(delivery.Target), secret, delivery.Id.ToString(), EventType, Body(digest), ct);
        return (sent.Delivered, sent.Gone, sent.Error);
    }

    /// <summary>The webhook's body: the digest as the API shows it (ids are global ids).</summary>
    public static byte[] Body(Digest digest) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        id = GlobalId.Encode(GraphQL.DigestGraphType.TypeName, digest.Id),
        subscriptionId = GlobalId.Encode(GraphQL.DigestSubscriptionGraphType.TypeName, digest.SubscriptionId),
        subscriptionName = digest.SubscriptionName,
        period = digest.Period,
        from = digest.From,
        to = digest.To,
        audience = digest.Audience,
        generatedAt = digest.GeneratedAt,
        markdown = digest.Markdown,
        html = digest.Html,
        sections = digest.Sections.Select(s => new
        {
            kind = s.Kind,
            title = s.Title,
            items = s.Items.Select(i => new
            {
                title = i.Title, text = i.Text, date = i.Date, reference = i.Reference, countryCode = i.CountryCode, type = i.Type,
                entityId = i.EntityType is { } type && i.EntityId is { } id ? GlobalId.Encode(type, id) : null,
            }),
        }),
    }, DigestStore.Json);
}
