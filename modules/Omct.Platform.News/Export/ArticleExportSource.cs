using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.BuildingBlocks.Rendering;
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.News.Articles;
using Omct.Platform.News.Domain;
using Omct.Platform.News.GraphQL;
using Omct.Platform.News.Portraits;

namespace Omct.Platform.News.Export;

/// <summary>
/// <c>GET /export/articles</c>: the articles the caller may see (published ones; editors all), in
/// their original language, with the fields of <c>Article</c> (Markdown body and sanitised HTML).
/// Linked cases and defenders are not exported: whether the caller may see each is their
/// modules' decision (ask <c>node(id)</c>). Its columns are the ARTICLE importer's fields (<c>countries</c>:
/// its <c>countryCodes</c>): an export imports back, published articles with their publication date as the original one.
/// A mentioned defender is named as <c>Article.title</c> names them for the caller (<see cref="ArticleMentions"/>).
/// </summary>
internal sealed class ArticleExportSource(IDefenderDirectory defenders) : IExportSource
{
    public string Name => "articles";

    public IReadOnlyList<string> Columns { get; } =
        ["id", "slug", "language", "languages", "title", "summary", "body", "bodyHtml", "kind", "status", "publishedAt", "countries", "themes",
         "confidentiality", "version", "createdAt", "updatedAt"];

    public async IAsyncEnumerable<object?[]> RowsAsync(IQuerySession session, Caller caller,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var levels = caller.VisibleLevels();
        var query = session.Query<Article>().Where(a => levels.Contains(a.Confidentiality));
        var editor = caller.HasRole(Role.Editor);
        if (!editor)
        {
            query = query.Where(a => a.Status == ArticleStatus.Published);
        }

        // Read in the export's snapshot, before the rows: whose consent to a portrait is recorded.
        var consentGiven = editor ? null : await PortraitRule.AllGivenAsync(session, cancellationToken);
        var mentions = new MentionRenderer(DefenderIds.Defender, (ids, ct) => defenders.DisplayNamesAsync(ids, caller, ct));
        await foreach (var article in query.OrderBy(a => a.OrderKey).ToAsyncEnumerable(cancellationToken))
        {
            if ((consentGiven is not null && !PortraitRule.Shown(article, consentGiven)) || article.Translations.Count == 0)
            {
                continue;
            }

            var view = ArticleView.Of(article, null);
            await mentions.LoadAsync(cancellationToken, view.Text.Title, view.Text.Summary, view.Text.Body);
            var body = mentions.Render(view.Text.Body, MarkdownText.Escape)!;
            yield return
            [
                GlobalId.Encode(ArticleIds.Article, article.Id), view.Text.Slug, view.Text.Language, article.Languages, mentions.Render(view.Text.Title),
                mentions.Render(view.Text.Summary), body, ReferenceEquals(body, view.Text.Body) ? view.Text.BodyHtml : MarkdownRenderer.ToHtml(body),
                article.Kind, article.Status, article.PublishedAt, article.Countries, article.Themes,
                article.Confidentiality, article.Version, article.CreatedAt, article.UpdatedAt,
            ];
        }
    }
}
