using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Digests.ScheduledReports.Delivery;
using Quartz;

namespace Omct.Platform.Digests.ScheduledReports;

/// <summary>
/// SCHEDULED_REPORTS, every minute: for each definition with a schedule, the latest fire of its cron (in its time zone)
/// that is due and not yet run — fires missed while no host ran are not made up one by one: the latest runs once — is
/// claimed and run (a fire is claimed once across the cluster, see <see cref="ReportRunStore"/>); then the runs whose
/// retry is due, and the RUNNING runs whose lease ran out (their host stopped mid-run), each taken over by one host as
/// its next attempt (FAILED once the attempts are spent); then the webhook notifications whose retry is due; then the files
/// older than <c>Omct:Reports:RunFileDays</c> are deleted.
/// </summary>
internal sealed class ScheduledReportsJob(
    IDocumentStore store, ReportRunStore runs, ReportRunner runner, ReportDelivery delivery, TimeProvider time, IOptions<ReportOptions> options,
    ILogger<ScheduledReportsJob> log) : SystemJob
{
    public const string Name = "SCHEDULED_REPORTS";

    /// <summary>How many fires of one cron a run looks through to find the latest due one (a long downtime of a frequent schedule).</summary>
    private const int MaxFiresScanned = 10_000;

    public static JobDefinition Definition() => new(Name, typeof(ScheduledReportsJob), JobSchedule.Every(TimeSpan.FromMinutes(1)), "scheduled-reports",
        "The report definitions' scheduled runs (each fire once across hosts), their retries, and the purge of old run files.", group: "digests");

    protected override async Task<int> RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var items = 0;
        List<ReportDefinition> scheduled;
        await using (var session = store.QuerySession())
        {
            scheduled = (await session.Query<ReportDefinition>().Where(d => d.Cron != null).ToListAsync(cancellationToken)).ToList();
        }

        var lastFires = await runs.LastFiresAsync(cancellationToken);
        foreach (var definition in scheduled)
        {
            var from = lastFires.TryGetValue(definition.Id, out var last) && last > definition.ScheduledFrom ? last : definition.ScheduledFrom;
            if (LatestDue(definition, from, now) is { } fire && await RunSafelyAsync(definition, () => runner.StartAsync(definition, "SCHEDULE", fire, cancellationToken)))
            {
                items++;
            }
        }

        foreach (var id in await runs.DueRetriesAsync(now, cancellationToken))
        {
            if (await runs.ClaimRetryAsync(id, now, now + ReportRunner.Lease, cancellationToken) is { } claimed && await RetryAsync(claimed, cancellationToken))
            {
                items++;
            }
        }

        foreach (var id in await runs.ExpiredLeasesAsync(now, cancellationToken))
        {
            if (await runs.ClaimExpiredAsync(id, now, now + ReportRunner.Lease, cancellationToken) is { } claimed)
            {
                log.LogWarning("Report run {RunId} of definition {DefinitionId} was left RUNNING by a host that stopped: taken over as attempt {Attempt}",
                    claimed.Id, claimed.DefinitionId, claimed.Attempts);
                if (await RetryAsync(claimed, cancellationToken))
                {
                    items++;
                }
            }
        }

        // The webhook notifications whose retry is due (a run's first attempt is made as it ends).
        items += await delivery.NotifyAsync(null, cancellationToken);

        var purged = await runs.PurgeFilesAsync(now - TimeSpan.FromDays(options.Value.RunFileDays), cancellationToken);
        if (purged > 0)
        {
            log.LogInformation("Deleted {Files} report run files older than {Days} days", purged, options.Value.RunFileDays);
        }

        return items;
    }

    /// <summary>The latest fire after <paramref name="from"/> and at or before <paramref name="now"/>, if any.</summary>
    public static DateTimeOffset? LatestDue(ReportDefinition definition, DateTimeOffset from, DateTimeOffset now)
    {
        var cron = new CronExpression(definition.Cron!, PlatformTimeZones.Resolve(definition.TimeZone));
        DateTimeOffset? due = null;
        for (var (next, scanned) = (cron.GetNextValidTimeAfter(from), 0); next is { } fire && fire <= now && scanned < MaxFiresScanned; next = cron.GetNextValidTimeAfter(fire), scanned++)
        {
            due = fire;
        }

        return due;
    }

    /// <summary>Runs a claimed attempt (a retry, or a run taken over); one beyond <see cref="ReportRunner.MaxAttempts"/> (a run whose hosts kept stopping) ends FAILED.</summary>
    private async Task<bool> RetryAsync(ReportRun claimed, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        if (await session.LoadAsync<ReportDefinition>(claimed.DefinitionId, ct) is not { } definition)
        {
            return false;
        }

        if (claimed.Attempts > ReportRunner.MaxAttempts)
        {
            var failed = claimed with
            {
                Status = ReportRunStatus.Failed, NextAttemptAt = null,
                Error = $"The run stopped with its host {ReportRunner.MaxAttempts} times (its lease ran out): it is not tried again.",
            };
            return await runs.CompleteAsync(failed, [], time.GetUtcNow(), ct);
        }

        return await RunSafelyAsync(definition, async () => await runner.ExecuteAsync(definition, claimed, ct));
    }

    /// <summary>One definition's failure (a bug, the database) does not keep the others from running.</summary>
    private async Task<bool> RunSafelyAsync(ReportDefinition definition, Func<Task<ReportRun?>> work)
    {
        try
        {
            return await work() is not null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Report definition {DefinitionId} could not be run", definition.Id);
            return false;
        }
    }
}
