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
    /// nothing fires on its own, and jobs run only when triggered through the API.
    /// </summary>
    public static WebApplicationBuilder AddPlatformScheduler(this WebApplicationBuilder builder)
    {
        var jobs = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        if (!jobs.Enabled)
        {
            return builder;
        }

        var modules = builder.Services.RegisteredModules();
        var connectionString = builder.Configuration.GetPostgresConnectionString();
        var nodeId = string.IsNullOrWhiteSpace(jobs.NodeId) ? $"{Environment.MachineName}-{Environment.ProcessId}" : jobs.NodeId;
        builder.Services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(s =>
            {
                s.InstanceName = "omct";
                s.InstanceId = nodeId;
            });
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering(_ => { });
                store.ProvisionSchema();
            });
            foreach (var module in modules)
            {
                module.ConfigureJobs(quartz, builder.Configuration);
            }
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }
}
