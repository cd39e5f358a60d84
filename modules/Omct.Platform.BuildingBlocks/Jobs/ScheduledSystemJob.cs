using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace Omct.Platform.BuildingBlocks.Jobs;

/// <summary>
/// What Quartz fires: looks the job up by name and runs it through <see cref="JobRunner"/>. A failing
/// run surfaces as a <see cref="JobExecutionException"/>, so Quartz's rules for failed and misfired
/// jobs apply. Concurrent execution is refused per job (per JobDetail), across the cluster.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class ScheduledSystemJob(JobRunner runner) : IJob
{
    public const string NameKey = "omct.job";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await FireAsync(runner, context.MergedJobDataMap.GetString(NameKey), cancellationToken, context.ScheduledFireTimeUtc);

    internal static async Task FireAsync(JobRunner runner, string? name, CancellationToken cancellationToken, DateTimeOffset? scheduledFor = null)
    {
        var job = name is null ? null : runner.Find(name);
        if (job is null)
        {
            throw new JobExecutionException($"No job is registered as '{name}'.");
        }

        try
        {
            await runner.RunAsync(job, JobTrigger.Schedule, null, cancellationToken, scheduledFor: scheduledFor);
        }
        catch (Exception e) when (e is not JobExecutionException and not OperationCanceledException)
        {
            // Not refired at once: the next fire time (or the catch-up of the next run) does the work again.
            throw new JobExecutionException(e) { RefireImmediately = false };
        }
    }
}

public static class JobServiceCollectionExtensions
{
    /// <summary>Registers a job (its class, scoped, and its definition) for the scheduler and for <c>runJob</c>.</summary>
    public static IServiceCollection AddSystemJob<TJob>(this IServiceCollection services, JobDefinition definition)
        where TJob : SystemJob
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.JobType != typeof(TJob))
        {
            throw new ArgumentException($"The definition of {definition.Name} is for {definition.JobType.Name}, not {typeof(TJob).Name}.", nameof(definition));
        }

        if (RegisteredJobs(services).Any(d => d.Name == definition.Name))
        {
            throw new InvalidOperationException($"A job named {definition.Name} is already registered.");
        }

        services.AddSingleton(definition);
        services.TryAddScoped<TJob>();
        return services;
    }

    /// <summary>The jobs registered so far (read at composition time by the host to schedule them).</summary>
    public static IReadOnlyList<JobDefinition> RegisteredJobs(this IServiceCollection services) =>
        services.Where(d => d.ServiceType == typeof(JobDefinition) && d.ImplementationInstance is JobDefinition)
            .Select(d => (JobDefinition)d.ImplementationInstance!)
            .ToList();

    /// <summary>
    /// Schedules a job on Quartz: its cron trigger in its time zone (a misfire fires once, now) or
    /// its interval; with <paramref name="catchUpOnStart"/> also a trigger that fires once when the
    /// scheduler starts, so a host that was down does the missed work at once instead of at the next
    /// scheduled time.
    /// </summary>
    public static IQuartzBuilder ScheduleSystemJob(this IQuartzBuilder quartz, JobDefinition job, bool catchUpOnStart)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        ArgumentNullException.ThrowIfNull(job);
        quartz.AddJob<ScheduledSystemJob>(j => j.WithIdentity(job.Key).WithDescription(job.Description).UsingJobData(ScheduledSystemJob.NameKey, job.Name).StoreDurably());
        quartz.AddTrigger(t =>
        {
            t.ForJob(job.Key).WithIdentity(job.ScheduleTrigger);
            if (job.Schedule.Cron is { } cron)
            {
                t.WithCronSchedule(cron, c => c.InTimeZone(job.Schedule.TimeZone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed));
            }
            else
            {
                t.WithSimpleSchedule(s => s.WithInterval(job.Schedule.Interval ?? TimeSpan.FromMinutes(1)).RepeatForever()
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)).StartNow();
            }
        });
        if (catchUpOnStart && job.Schedule.Cron is not null)
        {
            quartz.AddTrigger(t => t.ForJob(job.Key).WithIdentity(job.StartTrigger).StartNow()
                .WithSimpleSchedule(s => s.WithRepeatCount(0).WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)));
        }

        return quartz;
    }

    /// <summary>What every job needs: the runner, the run records and the daily jobs' progress (tables created with the schema).</summary>
    internal static IServiceCollection AddJobMechanism(this IServiceCollection services)
    {
        services.TryAddSingleton<JobRunLog>();
        services.TryAddSingleton<JobProgress>();
        services.TryAddSingleton<JobRunner>();
        services.TryAddSingleton(JobNode.Default());
        services.TryAddTransient<ScheduledSystemJob>();
        return services;
    }

}
