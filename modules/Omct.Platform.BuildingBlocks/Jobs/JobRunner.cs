using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;

namespace Omct.Platform.BuildingBlocks.Jobs;

/// <summary>
/// The one way a job runs, whether Quartz fires it or an administrator calls <c>runJob</c>: a scope
/// of its own under the job's system caller, the job's work, then a record in <see cref="JobRunLog"/>
/// and one structured log line (Job, Node, Trigger, AsOf, Duration, Items, Outcome). A failure is
/// recorded with its message (never the stack trace, which goes to the log only) and rethrown.
/// </summary>
public sealed class JobRunner(
    IServiceScopeFactory scopes, IEnumerable<JobDefinition> definitions, JobRunLog runs, JobNode node, TimeProvider time, ILogger<JobRunner> log)
{
    private readonly IReadOnlyList<JobDefinition> _definitions = definitions.DistinctBy(d => d.Name).OrderBy(d => d.Name, StringComparer.Ordinal).ToList();

    public IReadOnlyList<JobDefinition> Definitions => _definitions;

    public JobDefinition? Find(string name) => _definitions.FirstOrDefault(d => d.Name == name);

    /// <summary>
    /// Runs <paramref name="job"/> and returns its record; a failure is recorded, logged and thrown as
    /// <see cref="JobRunFailedException"/> carrying the record.
    /// </summary>
    public async Task<JobRun> RunAsync(
        JobDefinition job, JobTrigger trigger, DateOnly? asOf, CancellationToken cancellationToken, DateTimeOffset? scheduledFor = null)
    {
        if (asOf is not null && !job.TakesAsOf)
        {
            throw DomainException.Validation("asOf", $"{job.Name} acts on the present moment; it takes no asOf.");
        }

        // A daily job always runs for a day: the one asked for, or today in its time zone (recorded with the run).
        asOf ??= job.TakesAsOf ? job.Schedule.Today(time) : null;
        var id = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        // PostgreSQL keeps microseconds: the run returned is the run recorded, to the tick.
        var startedAt = now.AddTicks(-(now.Ticks % 10));
        // Measured on the machine's clock: a duration is an observation, not logic driven by the platform's time.
        var watch = Stopwatch.StartNew();
        // Whatever the job logs carries the job and the node (Serilog turns the scope into properties).
        using var logScope = log.BeginScope(new Dictionary<string, object> { ["Job"] = job.Name, ["Node"] = node.Id });
        int items;
        // Written before the work starts, so that admins see the run (and its progress) while it goes on.
        using var progress = new JobRunProgress(id, runs, log);
        await progress.StartAsync(new JobRun(id, job.Name, node.Id, trigger, asOf, startedAt, 0, 0, JobOutcome.Succeeded, null, scheduledFor));
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System(job.CallerName, job.Clearance));
            var work = (SystemJob)scope.ServiceProvider.GetRequiredService(job.JobType);
            items = await work.ExecuteAsync(new JobRunContext(job, asOf, trigger, node.Id) { Progress = progress }, cancellationToken);
        }
        catch (Exception e)
        {
            await progress.StopAsync();
            var failed = new JobRun(id, job.Name, node.Id, trigger, asOf, startedAt, watch.ElapsedMilliseconds, 0, JobOutcome.Failed, ErrorMessage(e), scheduledFor,
                progress.Done, progress.Total);
            log.LogError(e, "Job {Job} on {Node} ({Trigger}, as of {AsOf}) failed after {Duration} ms: {Outcome}",
                job.Name, node.Id, trigger, asOf, failed.DurationMs, failed.Outcome);
            await RecordAsync(failed);
            throw new JobRunFailedException(failed, e);
        }

        await progress.StopAsync();
        var run = new JobRun(id, job.Name, node.Id, trigger, asOf, startedAt, watch.ElapsedMilliseconds, items, JobOutcome.Succeeded, null, scheduledFor,
            progress.Done, progress.Total);
        await RecordAsync(run);
        log.Log(items > 0 || trigger == JobTrigger.Manual ? LogLevel.Information : LogLevel.Debug,
            "Job {Job} on {Node} ({Trigger}, as of {AsOf}) produced {Items} items in {Duration} ms: {Outcome}",
            job.Name, node.Id, trigger, asOf, items, run.DurationMs, run.Outcome);
        return run;
    }

    /// <summary>What admins see of a failure: the message chain, without stack traces or inner details beyond messages.</summary>
    private static string ErrorMessage(Exception e)
    {
        var message = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0].Message : e.Message;
        var text = $"{e.GetType().Name}: {message}";
        return text.Length > 2_000 ? text[..2_000] : text;
    }

    private async Task RecordAsync(JobRun run)
    {
        try
        {
            // Recorded even when the run was cancelled: the record is what admins look at.
            await runs.RecordAsync(run, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogError(e, "Could not record the run of job {Job}", run.Name);
        }
    }
}

/// <summary>A job run failed; <see cref="Run"/> is what was recorded (outcome FAILED, the error message).</summary>
public sealed class JobRunFailedException : Exception
{
    public JobRunFailedException(JobRun run, Exception inner) : base($"Job {run.Name} failed: {run.Error}", inner) => Run = run;

    public JobRunFailedException() : base("A job run failed.") => Run = null!;

    public JobRunFailedException(string message) : base(message) => Run = null!;

    public JobRunFailedException(string message, Exception inner) : base(message, inner) => Run = null!;

    public JobRun Run { get; }
}
