using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.News.Handling;

namespace Omct.Platform.News.Scheduling;

/// <summary>
/// Every minute (clustered: on one node), publishes the scheduled articles whose moment has come —
/// also those a stopped host missed — and keeps portraits in line with the defenders' consent.
/// </summary>
internal sealed class PublishScheduledArticlesJob(ArticleCommands articles) : SystemJob
{
    public static readonly JobDefinition Definition = new(
        "PUBLISH_SCHEDULED_ARTICLES", typeof(PublishScheduledArticlesJob), JobSchedule.Every(TimeSpan.FromMinutes(1)), "news-scheduler",
        "Publishes the scheduled articles whose publication time has come.", group: "news");

    protected override async Task<int> RunAsync(JobRunContext run, CancellationToken cancellationToken) =>
        (await articles.PublishDueAsync(cancellationToken)).Changed;
}
