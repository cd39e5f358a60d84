using System.Collections.Concurrent;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Omct.Platform.Import.Runs;

/// <summary>
/// Starts runs. With the scheduler on (<c>Omct:Jobs:Enabled</c>, production), a run is a one-off Quartz job on the
/// clustered store, marked <c>RequestRecovery</c>: when the node running it dies, another node (or the same one started
/// again) fires it again and the run resumes at the row it reached. With the scheduler off (development, tests), the
/// host runs it on a task of its own. Either way, when a host starts it starts again every run left queued or running
/// (one stopped with the host, one whose job was lost): the run's advisory lock keeps a run to one worker at a time.
/// </summary>
internal sealed class ImportScheduler(IServiceProvider services, ImportEngine engine, IHostApplicationLifetime lifetime, ILogger<ImportScheduler> log)
{
    public const string Group = "import";
    public const string RunIdKey = "omct.import.run";

    /// <summary>The runs this host carries out on tasks of its own (the scheduler off), until each ends.</summary>
    private readonly ConcurrentDictionary<Guid, Task> _running = new();

    /// <summary>
    /// The task this host carries <paramref name="runId"/> out on, when it runs it on a task of its own (the scheduler off):
    /// it ends when the run's worker returns (finished, or left to another worker). Null when there is none (any more).
    /// </summary>
    public Task? WhenFinishedAsync(Guid runId) => _running.TryGetValue(runId, out var task) ? task : null;

    public async Task StartAsync(Guid runId, CancellationToken ct)
    {
        if (services.GetService<ISchedulerFactory>() is { } factory)
        {
            var scheduler = await factory.GetScheduler(ct);
            var key = new JobKey($"import-{runId:N}", Group);
            var trigger = TriggerBuilder.Create().WithIdentity($"import-{runId:N}-{Guid.NewGuid():N}", Group).StartNow().ForJob(key).Build();
            if (await scheduler.Exists(key, ct))
            {
                // Its job is stored already (a run resumed while the job of its interrupted firing is still there): one more firing.
                await scheduler.ScheduleJob(trigger, new ScheduleJobOptions(), ct);
                return;
            }

            var job = JobBuilder.Create<ImportRunJob>().WithIdentity(key).UsingJobData(RunIdKey, runId.ToString())
                .RequestRecovery(true).WithDescription("An import run").Build();
            try
            {
                await scheduler.ScheduleJob(job, trigger, new ScheduleJobOptions(), ct);
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another node scheduled it at the same moment: its job carries the run.
            }

            return;
        }

        var stopping = lifetime.ApplicationStopping;
        var running = Task.Run(async () =>
        {
            try
            {
                await engine.RunAsync(runId, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                log.LogInformation("Import run {RunId} stopped with the host; it resumes when a host starts", runId);
            }
            catch (Exception e)
            {
                log.LogError(e, "Import run {RunId} failed", runId);
            }
        }, CancellationToken.None);
        _running[runId] = running;
        _ = running.ContinueWith(t => _running.TryRemove(new KeyValuePair<Guid, Task>(runId, t)), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }
}

/// <summary>The Quartz job of one run (see <see cref="ImportScheduler"/>).</summary>
[DisallowConcurrentExecution]
internal sealed class ImportRunJob(ImportEngine engine) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(context.MergedJobDataMap.GetString(ImportScheduler.RunIdKey), out var runId))
        {
            await engine.RunAsync(runId, cancellationToken);
        }
    }
}

/// <summary>Once the host has started: starts again the runs left queued or running (see <see cref="ImportScheduler"/>).</summary>
internal sealed class ImportResumer(IDocumentStore store, ImportScheduler scheduler, IHostApplicationLifetime lifetime, ILogger<ImportResumer> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(ResumeAsync, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ResumeAsync()
    {
        try
        {
            IReadOnlyList<Guid> unfinished;
            await using (var query = store.QuerySession())
            {
                unfinished = await query.Query<ImportRun>()
                    .Where(r => r.Status == ImportRunStatus.Queued || r.Status == ImportRunStatus.Running)
                    .Select(r => r.Id).ToListAsync(lifetime.ApplicationStopping);
            }

            foreach (var id in unfinished)
            {
                log.LogInformation("Import run {RunId} resumes", id);
                await scheduler.StartAsync(id, lifetime.ApplicationStopping);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "The unfinished import runs could not be resumed");
        }
    }
}
