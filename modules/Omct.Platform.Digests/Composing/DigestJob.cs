using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.Digests.Subscriptions;

namespace Omct.Platform.Digests.Composing;

/// <summary>
/// DIGEST: every day (cron and time zone from <see cref="DigestOptions"/>), the digest of the day
/// before for each daily subscription and, on a subscription's weekday, of the 7 days before for each
/// weekly one — with the catch-up and the day's transaction of <see cref="DailyJob"/>. A digest is
/// stored once per subscription and period (deterministic id, insert when absent) together with its
/// deliveries, so a rerun or a second host writes nothing. Paused subscriptions get none.
/// </summary>
internal sealed class DigestJob(
    JobProgress progress, TimeProvider clock, ILogger<DigestJob> log, IDocumentStore store, DigestComposer composer, DigestStore digests,
    IOptions<DigestOptions> options) : DailyJob(progress, clock, log)
{
    public const string Name = "DIGEST";

    public static JobDefinition Definition(DigestOptions options) => new(Name, typeof(DigestJob),
        JobSchedule.Daily(options.Cron, options.ResolvedTimeZone()), "digests",
        "Daily and weekly digests of each subscription, composed with its audience's clearance, queued for delivery.", takesAsOf: true, group: "digests");

    protected override async Task<int> ProcessDayAsync(JobDay day, CancellationToken cancellationToken)
    {
        IReadOnlyList<DigestSubscription> subscriptions;
        await using (var session = store.QuerySession())
        {
            subscriptions = await session.Query<DigestSubscription>().Where(s => !s.Paused).OrderBy(s => s.CreatedAt).ToListAsync(cancellationToken);
        }

        var zone = options.Value.ResolvedTimeZone();
        var made = 0;
        foreach (var subscription in subscriptions)
        {
            if (subscription.PeriodEndingBefore(day.Day) is not var (from, to))
            {
                continue;
            }

            var id = DigestComposer.IdOf(subscription.Id, subscription.Period, from);
            if (await digests.ExistsAsync(id, day.Connection, day.Transaction, cancellationToken))
            {
                continue; // composed before: a rerun reads nothing more and writes nothing
            }

            var digest = await composer.ComposeAsync(subscription, day.Day, from, to, zone, day.Now, cancellationToken);
            var deliveries = subscription.EmailRecipients
                .Select(r => (Channel: DeliveryChannel.Email, Target: r))
                .Concat(subscription.WebhookUrl is { } url ? [(DeliveryChannel.Webhook, url)] : [])
                .Select(t => new DigestDelivery(DigestComposer.DeliveryIdOf(digest.Id, t.Channel, t.Target), digest.Id, subscription.Id, t.Channel, t.Target,
                    DeliveryStatus.Pending, 0, null, day.Now, null, day.Now))
                .ToList();
            if (await digests.InsertNewAsync(digest, deliveries, day.Connection, day.Transaction, cancellationToken))
            {
                made++;
                log.LogInformation("Digest {DigestId} of subscription {SubscriptionId} for {From} to {To} ({Audience}): {Items} items, {Deliveries} deliveries queued",
                    digest.Id, subscription.Id, from, to, digest.Audience, digest.Sections.Sum(s => s.Items.Count), deliveries.Count);
            }
        }

        return made;
    }
}
