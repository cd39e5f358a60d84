using GraphQL;
using Marten;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.News.Articles;

namespace Omct.Platform.News.GraphQL;

/// <summary><c>node(id)</c> for articles, in their original language.</summary>
internal sealed class ArticleNodeResolver(IDocumentStore store) : INodeResolver
{
    public string TypeName => ArticleIds.Article;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id)
    {
        await using var session = store.QuerySession();
        var found = await session.LoadAsync<Article>(id, context.CancellationToken);
        return found is not null && await context.GetCaller().SeesAsync(session, found, context.CancellationToken) ? ArticleView.Of(found, null) : null;
    }
}
