using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Jobs;
using Quartz;

namespace Omct.Platform.Operations.GraphQL;

internal static class JobQueries
{
    public static void Register(ObjectGraphType query) =>
        // Admins only: a failed run's message may name internals that staff need not see.
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ScheduledJobGraphType>>>>("scheduledJobs")
            .Description("Every job with its schedule, its last run and its next fire time, by name.")
            .RequireRole(Role.Admin)
            .ResolveAsync(async ctx =>
            {
                var runner = ctx.Service<JobRunner>();
                var latest = await ctx.Service<JobRunLog>().LatestAsync(ctx.CancellationToken);
                var progress = ctx.Service<JobProgress>();
                var scheduler = await RunningSchedulerAsync(ctx.RequestServices!, ctx.CancellationToken);
                var jobs = new List<ScheduledJob>();
                foreach (var job in runner.Definitions)
                {
                    jobs.Add(new ScheduledJob(job, latest.GetValueOrDefault(job.Name), await NextFireTimeAsync(scheduler, job, ctx.CancellationToken),
                        job.TakesAsOf ? await progress.LastCompletedAsync(job.Name, ctx.CancellationToken) : null));
                }

                return jobs;
            });

    /// <summary>The scheduler of this process when Quartz is on and started; null otherwise.</summary>
    private static async Task<IScheduler?> RunningSchedulerAsync(IServiceProvider services, CancellationToken ct)
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
