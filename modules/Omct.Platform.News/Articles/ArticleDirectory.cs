using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.News.Contracts;
using Omct.Platform.News.GraphQL;

namespace Omct.Platform.News.Articles;

/// <summary>The news module's answers to the digests: the same query as <c>articles</c> for a reader, so the rules live in one place.</summary>
internal sealed class ArticleDirectory(IDocumentStore store) : IArticleDirectory
{
    public async Task<IReadOnlyList<ArticleSummary>> PublishedAsync(
        DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<string> countries, IReadOnlyCollection<string> themes, Caller caller,
        CancellationToken cancellationToken)
    {
        var filter = new ArticleFilter
        {
            Countries = countries.Count > 0 ? [.. countries] : null,
            Themes = themes.Count > 0 ? [.. themes] : null,
        };
        await using var session = store.QuerySession();
        var found = await ArticleQueries.Filtered(session, filter, LinkFilter.None, caller, store.Options.DatabaseSchemaName, asReader: true)
            .Where(a => a.PublishedAt >= from && a.PublishedAt < to)
            .OrderBy(a => a.PublishedAt)
            .Take(1_000)
            .ToListAsync(cancellationToken);
        return found.Where(a => a.PublishedAt is not null && a.Translations.Count > 0).Select(a =>
        {
            var original = a.In(a.OriginalLanguage) ?? a.Translations[0];
            return new ArticleSummary(a.Id, a.Kind.ToString(), original.Language.ToString(), original.Title, original.Summary, original.Slug,
                a.PublishedAt!.Value, a.Countries, a.Themes, a.Confidentiality);
        }).ToList();
    }

    public async Task<IReadOnlyList<ArticleSummary>> ScheduledAsync(DateOnly from, DateOnly to, Caller caller, CancellationToken cancellationToken)
    {
        var filter = new ArticleFilter { ScheduledFrom = from, ScheduledTo = to };
        await using var session = store.QuerySession();
        var found = await ArticleQueries.Filtered(session, filter, LinkFilter.None, caller, store.Options.DatabaseSchemaName)
            .OrderBy(a => a.PublishAt)
            .Take(1_000)
            .ToListAsync(cancellationToken);
        return found.Where(a => a.PublishAt is not null && a.Translations.Count > 0).Select(a =>
        {
            var original = a.In(a.OriginalLanguage) ?? a.Translations[0];
            return new ArticleSummary(a.Id, a.Kind.ToString(), original.Language.ToString(), original.Title, original.Summary, original.Slug,
                a.PublishAt!.Value, a.Countries, a.Themes, a.Confidentiality);
        }).ToList();
    }
}
