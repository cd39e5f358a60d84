using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.News.Handling;
using Quartz;

namespace Omct.Platform.News.Scheduling;

/// <summary>
/// Every minute (clustered: on one node), publishes the scheduled articles whose moment has come —
/// also those a stopped host missed — and keeps portraits in line with the defenders' consent.
/// </summary>
internal sealed class PublishScheduledArticlesJob(IServiceScopeFactory scopes, ILogger<PublishScheduledArticlesJob> log) : SystemJob(scopes, log)
{
    public static readonly JobKey Key = new("publish-scheduled-articles", "news");

    protected override string CallerName => "news-scheduler";

    protected override async Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        (await services.GetRequiredService<ArticleCommands>().PublishDueAsync(cancellationToken)).Changed;
}
