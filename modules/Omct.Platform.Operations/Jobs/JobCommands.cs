using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Jobs;

namespace Omct.Platform.Operations.Jobs;

/// <summary><c>runJob</c>: a job run now by an admin, through the same code path as the scheduler. Scoped.</summary>
internal sealed class JobCommands(JobRunner runner, JobRunLog log, MutationPipeline pipeline)
{
    /// <summary>
    /// Runs the job <paramref name="name"/> (for <paramref name="asOf"/>, a daily job) and returns its run, a failed one
    /// included. A repeat of <paramref name="clientMutationId"/> (also one sent while the first still runs: it waits)
    /// answers the first run and runs nothing.
    /// </summary>
    public async Task<JobRun> RunAsync(string name, DateOnly? asOf, string? clientMutationId, CancellationToken ct)
    {
        var job = runner.Find(name) ?? throw DomainException.Validation("name", $"No job is named {name}.");
        // A job works with its own clearance across all the data, and its run (items, error) reports on it:
        // an admin below that clearance may not start one (the scheduler still runs it).
        if (!pipeline.Caller.CanSee(job.Clearance))
        {
            throw DomainException.Validation("name", $"{job.Name} runs with {job.Clearance.ToString().ToUpperInvariant()} clearance, above your own.");
        }

        if (asOf is { } day && (day.Year < 1900 || day.Year > 9000))
        {
            throw DomainException.Validation("asOf", "asOf is out of range.");
        }

        return await pipeline.RunAsync("runJob", clientMutationId,
            async first => await log.FindAsync(first, ct) ?? throw DomainException.NotFound("The job run"),
            async receipt =>
            {
                JobRun done;
                try
                {
                    done = await runner.RunAsync(job, JobTrigger.Manual, asOf, ct);
                }
                catch (JobRunFailedException failed)
                {
                    done = failed.Run;
                }

                await receipt.RecordAsync(done.Id, ct);
                return done;
            }, ct);
    }
}
