using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Submissions.Handling;
using Quartz;

namespace Omct.Platform.Submissions.Scheduling;

/// <summary>Every quarter of an hour (clustered: on one node), closes the calls for input whose deadline has passed, once each.</summary>
[DisallowConcurrentExecution]
internal sealed class CloseExpiredCallsJob(IServiceScopeFactory scopes, ILogger<CloseExpiredCallsJob> log) : IJob
{
    public static readonly JobKey Key = new("close-expired-calls", "submissions");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System("calls-for-input"));
        var closed = await scope.ServiceProvider.GetRequiredService<SubmissionCommands>().CloseExpiredCallsAsync(cancellationToken);
        if (closed > 0)
        {
            log.LogInformation("Closed {Count} calls for input after their deadline", closed);
        }
    }
}
