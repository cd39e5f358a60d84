using System.ComponentModel;
using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Operations.Jobs;

namespace Omct.Platform.Operations.GraphQL;

[QueryFields]
internal sealed class JobQueries
{
    // Admins only: a failed run's message may name internals that staff need not see.
    [Description("Every job with its schedule, its last run and its next fire time, by name.")]
    [RequireRole(Role.Admin)]
    public Task<List<ScheduledJob>> ScheduledJobs([FromServices] ScheduledJobs jobs, CancellationToken ct) => jobs.ListAsync(ct);
}
