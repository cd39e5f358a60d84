using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.Operations.Jobs;

namespace Omct.Platform.Operations.GraphQL;

[MutationFields]
internal sealed class JobMutations
{
    [Description("ADMIN with the job's clearance (RESTRICTED): runs a job now, synchronously, through the same code path as the scheduler (also when the scheduler is off). " +
                 "A daily job runs for asOf (default today), catching up the days since its last completed day. " +
                 "A failed run is returned with outcome FAILED and its error message.")]
    [RequireRole(Role.Admin)]
    [OutputType(typeof(NonNullGraphType<JobRunPayloadGraphType>))]
    public async Task<Payload<JobRun>> RunJob(RunJobInput input, [FromServices] JobCommands commands, CancellationToken ct) =>
        new(await commands.RunAsync(input.Name, input.AsOf, input.ClientMutationId, ct), input.ClientMutationId);
}

internal sealed class RunJobInput : IdempotentInput
{
    [InputType(typeof(NonNullGraphType<JobNameGraphType>))]
    public string Name { get; set; } = "";

    [Description("For a daily job: the day to run for (default: today in the job's time zone).")]
    public DateOnly? AsOf { get; set; }
}

/// <summary><c>JobRunPayload { run }</c>: the entity field is not named after its type.</summary>
internal sealed class JobRunPayloadGraphType() : PayloadGraphType<JobRunGraphType>("JobRunPayload", "run");
