using GraphQL.Types;
using JasperFx.Events.Projections;
using Marten;
using Omct.Platform.News.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.News.Articles;
using Omct.Platform.News.ChangeFeed;
using Omct.Platform.News.DemoData;
using Omct.Platform.News.Domain;
using Omct.Platform.News.Export;
using Omct.Platform.News.GraphQL;
using Omct.Platform.News.Handling;
using Omct.Platform.News.Portraits;
using Omct.Platform.News.Scheduling;
using Omct.Platform.BuildingBlocks.Jobs;

namespace Omct.Platform.News;

/// <summary>What the organisation publishes: multilingual articles, their workflow and scheduled publication.</summary>
internal sealed class NewsModule : PlatformModule
{
    /// <summary>The order keys of articles (newest first in their list).</summary>
    public static readonly OrderKeySequence OrderKeys = new("news_order_seq");

    public override string Name => "news";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ArticleCommands>();
        services.AddSingleton<IArticleDirectory, ArticleDirectory>();
        services.AddSingleton<INodeResolver, ArticleNodeResolver>();
        // Articles take files (images, the report's PDF): the files module asks this who may see an article.
        services.AddSingleton<Files.Contracts.IAttachmentTargets, Attachments.ArticleAttachmentTargets>();
        services.AddScoped<IDemoDataSeeder, NewsDemoData>();
        services.AddSingleton<IChangeFeedSource, ArticleFeedSource>();
        services.AddSingleton<IExportSource, ArticleExportSource>();
        services.AddSingleton<BuildingBlocks.Import.IRecordImporter, Import.ArticleImporter>();
        services.AddSystemJob<PublishScheduledArticlesJob>(PublishScheduledArticlesJob.Definition);
        services.AddSingleton<BuildingBlocks.Privacy.IPersonalDataErasureParticipant, Erasure.ArticleTextErasure>();
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Events.MapEventType<ArticleDrafted>("news.article_drafted");
        options.Events.MapEventType<TranslationSaved>("news.translation_saved");
        options.Events.MapEventType<ArticleTagged>("news.article_tagged");
        options.Events.MapEventType<ArticleScheduled>("news.article_scheduled");
        options.Events.MapEventType<ArticlePublished>("news.article_published");
        options.Events.MapEventType<ArticleUnpublished>("news.article_unpublished");
        options.Events.MapEventType<ArticleArchived>("news.article_archived");
        options.Events.MapEventType<ArticlePublicationWithheld>("news.article_publication_withheld");
        options.Events.MapEventType<ArticlePublicationDateCorrected>("news.article_publication_date_corrected");
        options.Events.MapEventType<ArticleTextRedacted>("news.article_text_redacted");
        options.Projections.Add<ArticleProjection>(ProjectionLifecycle.Inline);
        // What ArticleDecider decides on, aggregated live from the stream for each command (see Handling/ArticleCommands).
        options.Projections.AddWriteModel<ArticleState>(ArticleDecider.Evolve);
        // Fed by the defenders module's contract event (DefenderPortraitConsentChanged), in the consent's own transaction.
        options.Projections.Add<PortraitConsentProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<PortraitConsent>().DocumentAlias(PortraitRule.DocumentAlias);
        options.Schema.For<Article>().DocumentAlias("news_article").Duplicate(a => a.OrderKey).Duplicate(a => a.Status)
            // The digests ask for the articles published in a period (Articles/ArticleDirectory).
            .Duplicate(a => a.PublishedAt);
        OrderKeys.Register(options);
        options.Schema.For<ArticleSlug>().DocumentAlias("news_article_slug");
    }

    public override void AddQueryFields(ObjectGraphType query) => query.AddFieldsOf<ArticleQueries>();

    public override void AddMutationFields(ObjectGraphType mutation) => mutation.AddFieldsOf<ArticleMutations>();
}

public static class NewsModuleRegistration
{
    public static IServiceCollection AddNewsModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new NewsModule(), configuration);
}
