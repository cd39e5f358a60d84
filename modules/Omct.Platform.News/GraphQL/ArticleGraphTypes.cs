using GraphQL;
using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Rendering;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.News.Articles;
using Omct.Platform.News.Domain;
using Omct.Platform.News.Portraits;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.News.GraphQL;

internal static class ArticleIds
{
    public const string Article = "Article";
}

/// <summary>An article in one language: the one asked for, or the original when that translation is missing.</summary>
internal sealed record ArticleView(Article Article, Translation Text, Language Requested)
{
    public static ArticleView Of(Article article, Language? requested)
    {
        var wanted = requested ?? article.OriginalLanguage;
        var text = article.In(wanted) ?? article.In(article.OriginalLanguage) ?? article.Translations[0];
        return new ArticleView(article, text, wanted);
    }
}

internal sealed class ArticleGraphType : ObjectGraphType<ArticleView>
{
    public ArticleGraphType()
    {
        Name = "Article";
        Description = "A publication, in the language asked for or, when that translation is missing, its original language (see language and fallback).";
        Interface<NodeInterfaceGraphType>();
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(ArticleIds.Article, c.Source.Article.Id));
        Field<NonNullGraphType<StringGraphType>>("slug").Resolve(c => c.Source.Text.Slug);
        Field<NonNullGraphType<EnumerationGraphType<Language>>>("language").Description("The language actually returned.").Resolve(c => c.Source.Text.Language);
        Field<NonNullGraphType<BooleanGraphType>>("fallback").Description("True when the requested translation is missing and the original is returned.")
            .Resolve(c => c.Source.Text.Language != c.Source.Requested);
        Field<NonNullGraphType<EnumerationGraphType<Language>>>("originalLanguage").Resolve(c => c.Source.Article.OriginalLanguage);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EnumerationGraphType<Language>>>>>("languages").Resolve(c => c.Source.Article.Languages);
        Field<NonNullGraphType<StringGraphType>>("title").Description(ArticleMentions.Described).Resolve(c => c.Mentioning(c.Source.Text.Title));
        Field<StringGraphType>("summary").Description("The teaser shown before \"read more\".").Resolve(c => c.Mentioning(c.Source.Text.Summary));
        Field<NonNullGraphType<StringGraphType>>("body").Description("Markdown, as written (mentions named as in title).")
            .Resolve(c => c.Mentioning(c.Source.Text.Body, MarkdownText.Escape));
        Field<NonNullGraphType<StringGraphType>>("bodyHtml").Description("The body as sanitised HTML.").Resolve(c => ArticleMentions.Html(c, c.Source.Text));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ArticleTranslationGraphType>>>>("translations")
            .Description("Every translation it has, the original first (editors work on them side by side).")
            .Resolve(c => c.Source.Article.Translations.OrderBy(t => t.Language == c.Source.Article.OriginalLanguage ? 0 : 1).ThenBy(t => t.Language));
        Field<NonNullGraphType<EnumerationGraphType<ArticleKind>>>("kind").Resolve(c => c.Source.Article.Kind);
        Field<NonNullGraphType<EnumerationGraphType<ArticleStatus>>>("status").Resolve(c => c.Source.Article.Status);
        Field<IsoDateTimeGraphType>("publishedAt")
            .Description("Its publication date: when it was published, or the original date of an article published before (originallyPublishedAt, setArticleOriginalPublicationDate).")
            .Resolve(c => c.Source.Article.PublishedAt);
        Field<IsoDateTimeGraphType>("publishAt").Description("When a scheduled article will be published.").Resolve(c => c.Source.Article.PublishAt);
        Field<StringGraphType>("withheldReason")
            .Description("Why the platform took the article back: a scheduled portrait not published, or a published one unpublished, " +
                         "because a linked defender's consent to a portrait is not recorded. Null otherwise.")
            .Resolve(c => c.Source.Article.WithheldReason);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CountryGraphType>>>>("countries")
            .Resolve(c => c.Source.Article.Countries.Select(code => Country.TryGet(code, out var country) ? country : null).OfType<Country>());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("themes").Resolve(c => c.Source.Article.Themes);
        Field("cases", new NonNullGraphType(new ListGraphType(new NonNullGraphType(new GraphQLTypeReference("Case")))))
            .Description("The linked cases the caller may see (one query per page).")
            .Resolve(c => DataLoaderResults.All(c.Source.Article.CaseIds.Select(id =>
                    c.Loader<Guid, object>("news.cases", (ids, ct) => c.Service<ICaseDirectory>().CasesAsync(ids, c.GetCaller(), ct)).Load(id)).ToList())
                .Then(all => all.Where(x => x is not null).ToList()));
        Field("defenders", new NonNullGraphType(new ListGraphType(new NonNullGraphType(new GraphQLTypeReference("Defender")))))
            .Description("The linked defenders the caller may find (one query per page).")
            .Resolve(c => DataLoaderResults.All(c.Source.Article.DefenderIds.Select(id =>
                    c.Loader<Guid, object>("news.defenders", (ids, ct) => c.Service<IDefenderDirectory>().ProfilesAsync(ids, c.GetCaller(), ct)).Load(id)).ToList())
                .Then(all => all.Where(x => x is not null).Distinct().ToList()));
        Field("submissions", new NonNullGraphType(new ListGraphType(new NonNullGraphType(new GraphQLTypeReference("Submission")))))
            .Description("The linked submissions to UN mechanisms the caller may see (one query per page).")
            .Resolve(c => DataLoaderResults.All(c.Source.Article.SubmissionIds.Select(id =>
                    c.Loader<Guid, object>("news.submissions", (ids, ct) => c.Service<ISubmissionDirectory>().SubmissionsAsync(ids, c.GetCaller(), ct)).Load(id)).ToList())
                .Then(all => all.Where(x => x is not null).ToList()));
        Field("callsForInput", new NonNullGraphType(new ListGraphType(new NonNullGraphType(new GraphQLTypeReference("CallForInput")))))
            .Description("The linked calls for input the caller may see as callForInput shows them (staff; a member organisation the call addresses). One query per page.")
            .Resolve(c => DataLoaderResults.All(c.Source.Article.CallForInputIds.Select(id =>
                    c.Loader<Guid, object>("news.calls", (ids, ct) => c.Service<ISubmissionDirectory>().CallsForInputAsync(ids, c.GetCaller(), ct)).Load(id)).ToList())
                .Then(all => all.Where(x => x is not null).ToList()));
        Field("files", RecordFiles.ListType)
            .Description("The article's images and PDFs the caller may see, oldest first: each within its own level too (a PUBLIC article's file " +
                         "is public only when the file is PUBLIC). One query per page.")
            .Resolve(c => RecordFiles.Of(c, c.Source.Article.Id, (Files.Contracts.IAttachedFiles f) => f.OfRecordsAsync));
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality").Resolve(c => c.Source.Article.Confidentiality);
        Field<NonNullGraphType<IntGraphType>>("version").Resolve(c => c.Source.Article.Version);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("createdAt").Resolve(c => c.Source.Article.CreatedAt);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("updatedAt").Resolve(c => c.Source.Article.UpdatedAt);
        this.HistoryField(c => c.Article.Id, c => ArticleHistory.For(c.GetCaller()));
        this.FieldsShownWithRecord();
    }
}

internal sealed class ArticleTranslationGraphType : ObjectGraphType<Translation>
{
    public ArticleTranslationGraphType()
    {
        Name = "ArticleTranslation";
        Description = "An article's text in one language.";
        Field<NonNullGraphType<EnumerationGraphType<Language>>>("language").Resolve(c => c.Source.Language);
        Field<NonNullGraphType<StringGraphType>>("slug").Resolve(c => c.Source.Slug);
        Field<NonNullGraphType<StringGraphType>>("title").Description(ArticleMentions.Described).Resolve(c => c.Mentioning(c.Source.Title));
        Field<StringGraphType>("summary").Resolve(c => c.Mentioning(c.Source.Summary));
        Field<NonNullGraphType<StringGraphType>>("body").Description("Markdown, as written (mentions named as in title).")
            .Resolve(c => c.Mentioning(c.Source.Body, MarkdownText.Escape));
        Field<NonNullGraphType<StringGraphType>>("bodyHtml").Description("The body as sanitised HTML.").Resolve(c => ArticleMentions.Html(c, c.Source));
        this.FieldsShownWithRecord();
    }
}

/// <summary>
/// An article's texts as the caller reads them: the events hold a mentioned defender's token, and the name goes in only
/// here — for a public reader only where the person consented to publication (the directory's display names decide).
/// </summary>
internal static class ArticleMentions
{
    public const string Described = "A defender mentioned in it (@[id]) is named as the caller may name them: the name (for the public only with consent), else the pseudonym, else [name withheld].";

    public static object? Mentioning(this IResolveFieldContext c, string? text, Func<string, string>? escape = null) =>
        c.Mentioning<IDefenderDirectory>(text, DefenderIds.Defender, d => d.DisplayNamesAsync, escape);

    /// <summary>
    /// The stored HTML when the body mentions nobody; else the body with the names (escaped as Markdown) rendered again, so a
    /// name goes through the same Markdown rendering and sanitiser as the rest and no token is left in the HTML.
    /// </summary>
    public static object? Html(IResolveFieldContext c, Translation text) => c.Mentioning(text.Body, MarkdownText.Escape) switch
    {
        global::GraphQL.DataLoader.IDataLoaderResult<string?> named => named.Then(body => MarkdownRenderer.ToHtml(body!)),
        _ => text.BodyHtml,
    };
}

/// <summary>
/// Who sees an article: published ones within clearance — a portrait only while each linked
/// defender's consent to a portrait is recorded (<see cref="PortraitRule"/>); editors also drafts,
/// scheduled and unpublished ones, and portraits whatever the consent (they must manage them).
/// </summary>
internal static class ArticleVisibility
{
    public static async Task<bool> SeesAsync(this Caller caller, IQuerySession session, Article article, CancellationToken ct)
    {
        if (!caller.CanSee(article))
        {
            return false;
        }

        if (caller.HasRole(Role.Editor))
        {
            return true;
        }

        return article.Status == ArticleStatus.Published
               && (article.Kind != ArticleKind.Portrait || await PortraitRule.ConsentedAsync(session, article.DefenderIds, ct));
    }
}
