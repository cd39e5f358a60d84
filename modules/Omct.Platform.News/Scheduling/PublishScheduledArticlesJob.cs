using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.News.Handling;
using Quartz;

namespace Omct.Platform.News.Scheduling;

/// <summary>
/// Every minute (clustered: on one node), publishes the scheduled articles whose moment has come —
/// also those a stopped host missed. Runs under a system caller.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class PublishScheduledArticlesJob(IServiceScopeFactory scopes, ILogger<PublishScheduledArticlesJob> log) : IJob
{
    public static readonly JobKey Key = new("publish-scheduled-articles", "news");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System("news-scheduler"));
        var published = await scope.ServiceProvider.GetRequiredService<ArticleCommands>().PublishDueAsync(cancellationToken);
        if (published > 0)
        {
            log.LogInformation("Published {Count} scheduled articles", published);
        }
    }
}
