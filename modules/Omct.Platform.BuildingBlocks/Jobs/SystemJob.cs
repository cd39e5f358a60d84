using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Callers;
using Quartz;

namespace Omct.Platform.BuildingBlocks.Jobs;

/// <summary>
/// A scheduled job: runs in a scope of its own under a system caller (explicit name, RESTRICTED
/// clearance), through the same handlers and read models as the API, and logs what it did. Each
/// job must be idempotent: with the Quartz cluster it runs on one node, but a rerun must write nothing new.
/// </summary>
[DisallowConcurrentExecution]
public abstract class SystemJob(IServiceScopeFactory scopes, ILogger logger) : IJob
{
    /// <summary>The system caller's name (<c>system:{name}</c> in the audit trail).</summary>
    protected abstract string CallerName { get; }

    /// <summary>Does the work; returns how many things it changed (logged when not zero).</summary>
    protected abstract Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System(CallerName));
        var changed = await RunAsync(scope.ServiceProvider, cancellationToken);
        if (changed > 0)
        {
            logger.LogInformation("Job {Job} changed {Count} records", context.JobDetail.Key, changed);
        }
    }
}
