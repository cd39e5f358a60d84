namespace Omct.Platform.BuildingBlocks.Jobs;

/// <summary>What a run is for: the job, the day it runs for (when it takes one), how it was started, where.</summary>
public sealed record JobRunContext(JobDefinition Job, DateOnly? AsOf, JobTrigger Trigger, string Node)
{
    /// <summary>Where <see cref="ReportProgressAsync"/> goes (set by <see cref="JobRunner"/>; none in a bare context).</summary>
    internal JobRunProgress? Progress { get; init; }

    /// <summary>
    /// Says how far the run is: <paramref name="done"/> of <paramref name="total"/> (null when unknown) steps.
    /// Shown to admins while the run goes on (<c>scheduledJobs { running }</c>) and kept with the run. It never
    /// fails the run: a progress that could not be written is logged and skipped.
    /// </summary>
    public Task ReportProgressAsync(int done, int? total, CancellationToken cancellationToken) =>
        Progress?.ReportAsync(done, total, cancellationToken) ?? Task.CompletedTask;
}

/// <summary>
/// A job's work. <see cref="JobRunner"/> resolves it in a scope of its own under the job's system
/// caller (explicit name, RESTRICTED clearance), so it uses the same handlers and read models as the
/// API, and records and logs every run. Each job must be idempotent: with the Quartz cluster it runs
/// on one node at a time, but a rerun (manual, or after a failure) must write nothing new.
/// </summary>
public abstract class SystemJob
{
    /// <summary>Runs the work (called by <see cref="JobRunner"/>, which records and logs the run).</summary>
    public Task<int> ExecuteAsync(JobRunContext run, CancellationToken cancellationToken) => RunAsync(run, cancellationToken);

    /// <summary>Does the work; returns how many things it produced or changed.</summary>
    protected abstract Task<int> RunAsync(JobRunContext run, CancellationToken cancellationToken);
}
