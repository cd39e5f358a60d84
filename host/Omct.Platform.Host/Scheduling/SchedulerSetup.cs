using Microsoft.Extensions.DependencyInjection.Extensions;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Host.Configuration;
using Omct.Platform.Host.EventStore;
using Quartz;

namespace Omct.Platform.Host.Scheduling;

internal static class SchedulerSetup
{
    /// <summary>
    /// One Quartz scheduler per process, clustered on a persistent store in the platform's
    /// PostgreSQL (tables created when missing), so a trigger fires on exactly one node. Each
    /// module adds its jobs. With <c>Omct:Jobs:Enabled=false</c> the scheduler is not started:
    /// nothing fires on its own, and jobs run only when triggered through the API (<c>runJob</c>).
    /// Every job registered with <c>AddSystemJob</c> is scheduled here from its definition.
    /// </summary>
    public static WebApplicationBuilder AddPlatformScheduler(this WebApplicationBuilder builder)
    {
        var jobs = builder.Services.AddValidatedSection<JobsOptions>(builder.Configuration, JobsOptions.Section);
        var nodeId = string.IsNullOrWhiteSpace(jobs.NodeId) ? JobNode.Default().Id : jobs.NodeId;
        // Runs are recorded with the node also when they are started through runJob with the scheduler off.
        builder.Services.Replace(ServiceDescriptor.Singleton(new JobNode(nodeId)));
        OverrideIntervals(builder.Services, jobs.Intervals);
        if (!jobs.Enabled)
        {
            return builder;
        }

        var definitions = builder.Services.RegisteredJobs();
        var connectionString = builder.Configuration.GetPostgresConnectionString();
        builder.Services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(s =>
            {
                s.InstanceName = "omct";
                s.InstanceId = nodeId;
            });
            // Quartz fires on the wall clock, shared by the cluster's nodes; the platform's TimeProvider (a fake one in
            // tests) decides what a run does, e.g. which day a daily job is on.
            quartz.UseTimeProvider(TimeProvider.System);
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering(_ => { });
                store.ProvisionSchema();
            });
            foreach (var job in definitions)
            {
                // Daily jobs also run once when the scheduler starts: what a stopped host missed is done at once.
                quartz.ScheduleSystemJob(job, catchUpOnStart: job.TakesAsOf);
            }

        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }

    /// <summary>
    /// Replaces the definitions of the interval jobs named in <c>Omct:Jobs:Intervals</c>, so that
    /// the scheduler and <c>scheduledJobs</c> both use the configured interval; a name that is not an
    /// interval job fails start-up, naming the setting.
    /// </summary>
    private static void OverrideIntervals(IServiceCollection services, IReadOnlyDictionary<string, TimeSpan> intervals)
    {
        foreach (var (name, interval) in intervals)
        {
            var setting = ValidatedSections.Describe($"{JobsOptions.Section}:Intervals:{name}");
            var descriptor = services.FirstOrDefault(d => d.ImplementationInstance is JobDefinition j && j.Name == name)
                             ?? throw new InvalidOperationException($"{setting}: there is no job named {name}.");
            var job = (JobDefinition)descriptor.ImplementationInstance!;
            if (job.Schedule.Interval is null)
            {
                throw new InvalidOperationException($"{setting}: {name} runs on a daily schedule, not at an interval.");
            }

            if (interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromDays(1))
            {
                throw new InvalidOperationException($"{setting} must be between 00:00:01 and 1.00:00:00.");
            }

            services.Remove(descriptor);
            services.AddSingleton(new JobDefinition(job.Name, job.JobType, JobSchedule.Every(interval), job.CallerName, job.Description, job.TakesAsOf, job.Key.Group));
        }
    }
}
