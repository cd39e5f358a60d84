using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Jobs;
using Quartz;

namespace Omct.Platform.Operations.Jobs;

internal sealed record ScheduledJob(
    JobDefinition Job, JobRun? LastRun, DateTimeOffset? NextFireTime, DateOnly? LastCompletedDay, IReadOnlyList<RunningJobRun> Running);

/// <summary><c>scheduledJobs</c>: every job with its schedule, its last run and its next fire time. Scoped.</summary>
internal sealed class ScheduledJobs(JobRunner runner, JobRunLog log, JobProgress progress, IServiceProvider services)
{
    public async Task<List<ScheduledJob>> ListAsync(CancellationToken ct)
    {
        var latest = await log.LatestAsync(ct);
        var running = (await log.RunningAsync(ct)).ToLookup(r => r.Name);
        var scheduler = await RunningSchedulerAsync(ct);
        var jobs = new List<ScheduledJob>();
        foreach (var job in runner.Definitions)
        {
            jobs.Add(new ScheduledJob(job, latest.GetValueOrDefault(job.Name), await NextFireTimeAsync(scheduler, job, ct),
                job.TakesAsOf ? await progress.LastCompletedAsync(job.Name, ct) : null, running[job.Name].ToList()));
        }

        return jobs;
    }

    /// <summary>The scheduler of this process when Quartz is on and started; null otherwise.</summary>
    private async Task<IScheduler?> RunningSchedulerAsync(CancellationToken ct)
    {
        if (services.GetService<ISchedulerFactory>() is not { } factory)
        {
            return null;
        }

        try
        {
            var scheduler = await factory.GetScheduler(ct);
            return await scheduler.GetStatus(ct) == SchedulerStatus.Running ? scheduler : null;
        }
        catch (SchedulerException)
        {
            // Starting or stopping: the listing is still worth having, without next fire times.
            return null;
        }
    }

    private static async Task<DateTimeOffset?> NextFireTimeAsync(IScheduler? scheduler, JobDefinition job, CancellationToken ct)
    {
        if (scheduler is null)
        {
            return null;
        }

        try
        {
            var triggers = await scheduler.GetTriggers([job.ScheduleTrigger, job.StartTrigger], ct);
            return triggers.Select(t => t.NextFireTimeUtc).Where(t => t is not null).Min();
        }
        catch (SchedulerException)
        {
            return null;
        }
    }
}
