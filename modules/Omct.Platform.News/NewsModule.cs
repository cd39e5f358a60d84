using GraphQL.Types;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.News.ReadModels;

namespace Omct.Platform.News;

internal sealed class NewsModule : PlatformModule
{
    public override string Name => "news";

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<ArticleSummary>().DocumentAlias("news_article_summary");
    }

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.AddVisibleCount<ArticleSummary>("articleCount", "The number of articles the caller may see.");
    }
}

public static class NewsModuleRegistration
{
    public static IServiceCollection AddNewsModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new NewsModule(), configuration);
}
