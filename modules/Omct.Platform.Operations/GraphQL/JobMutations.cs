using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Jobs;

namespace Omct.Platform.Operations.GraphQL;

internal static class JobMutations
{
    public static void Register(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<JobRunPayloadGraphType>>("runJob")
            .Description("ADMIN with the job's clearance (RESTRICTED): runs a job now, synchronously, through the same code path as the scheduler (also when the scheduler is off). " +
                         "A daily job runs for asOf (default today), catching up the days since its last completed day. " +
                         "A failed run is returned with outcome FAILED and its error message.")
            .Argument<NonNullGraphType<RunJobInputGraphType>>("input")
            .RequireRole(Role.Admin)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<RunJobInput>("input");
                var runner = ctx.Service<JobRunner>();
                var job = runner.Find(input.Name) ?? throw DomainException.Validation("name", $"No job is named {input.Name}.");
                // A job works with its own clearance across all the data, and its run (items, error) reports on it:
                // an admin below that clearance may not start one (the scheduler still runs it).
                if (!ctx.GetCaller().CanSee(job.Clearance))
                {
                    throw DomainException.Validation("name", $"{job.Name} runs with {job.Clearance.ToString().ToUpperInvariant()} clearance, above your own.");
                }
                if (input.AsOf is { } asOf && (asOf.Year < 1900 || asOf.Year > 9000))
                {
                    throw DomainException.Validation("asOf", "asOf is out of range.");
                }

                // A repeat (also one sent while the first still runs: it waits) answers the first run and runs nothing.
                var log = ctx.Service<JobRunLog>();
                var run = await ctx.Service<MutationPipeline>().RunAsync("runJob", input.ClientMutationId,
                    async first => await log.FindAsync(first, ctx.CancellationToken) ?? throw DomainException.NotFound("The job run"),
                    async receipt =>
                    {
                        JobRun done;
                        try
                        {
                            done = await runner.RunAsync(job, JobTrigger.Manual, input.AsOf, ctx.CancellationToken);
                        }
                        catch (JobRunFailedException failed)
                        {
                            done = failed.Run;
                        }

                        await receipt.RecordAsync(done.Id, ctx.CancellationToken);
                        return done;
                    }, ctx.CancellationToken);

                return new Payload<JobRun>(run, input.ClientMutationId);
            });
}
