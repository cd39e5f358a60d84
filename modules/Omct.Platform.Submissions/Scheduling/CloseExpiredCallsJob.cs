using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.Submissions.Handling;
using Quartz;

namespace Omct.Platform.Submissions.Scheduling;

/// <summary>Every quarter of an hour (clustered: on one node), closes the calls for input whose deadline has passed, once each.</summary>
internal sealed class CloseExpiredCallsJob(IServiceScopeFactory scopes, ILogger<CloseExpiredCallsJob> log) : SystemJob(scopes, log)
{
    public static readonly JobKey Key = new("close-expired-calls", "submissions");

    protected override string CallerName => "calls-for-input";

    protected override async Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        (await services.GetRequiredService<SubmissionCommands>().CloseExpiredCallsAsync(cancellationToken)).Count;
}
