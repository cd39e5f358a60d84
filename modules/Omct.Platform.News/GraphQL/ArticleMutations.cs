using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.News.Articles;
using Omct.Platform.News.Domain;
using Omct.Platform.News.Handling;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.News.GraphQL;

internal static class ArticleMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ArticlePayloadGraphType>>("draftArticle")
            .Description("EDITOR: a new article in its original language (slug generated from the title when not given).")
            .Argument<NonNullGraphType<DraftArticleInputGraphType>>("input")
            .RequireRole(Role.Editor)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<DraftArticleInput>("input");
                var article = await ctx.Service<ArticleCommands>().DraftAsync(new DraftArticle(i.Kind,
                    new TranslationInput(i.Language, i.Title, i.Summary, i.Body, i.Slug), i.Confidentiality,
                    i.CountryCodes ?? [], i.Themes ?? [], Ids(i.CaseIds, "Case", "caseIds"), Ids(i.DefenderIds, DefenderIds.Defender, "defenderIds"),
                    Ids(i.SubmissionIds, SubmissionIds.Submission, "submissionIds")),
                    i.ClientMutationId, ctx.CancellationToken);
                return Payload(article, i.Language, i.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<ArticlePayloadGraphType>>("saveTranslation")
            .Description("EDITOR: adds or replaces a translation (or edits the original). A published article's slugs do not change.")
            .Argument<NonNullGraphType<SaveTranslationInputGraphType>>("input")
            .RequireRole(Role.Editor)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<SaveTranslationInput>("input");
                var article = await ctx.Service<ArticleCommands>().SaveTranslationAsync(ArticleId(i), i.ExpectedVersion,
                    new TranslationInput(i.Language, i.Title, i.Summary, i.Body, i.Slug), i.ClientMutationId, ctx.CancellationToken);
                return Payload(article, i.Language, i.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<ArticlePayloadGraphType>>("tagArticle")
            .Description("EDITOR: replaces the given countries, themes, links and confidentiality.")
            .Argument<NonNullGraphType<TagArticleInputGraphType>>("input")
            .RequireRole(Role.Editor)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<TagArticleInput>("input");
                var article = await ctx.Service<ArticleCommands>().TagAsync(ArticleId(i), i.ExpectedVersion, new TagArticle(i.CountryCodes, i.Themes,
                    i.CaseIds is null ? null : Ids(i.CaseIds, "Case", "caseIds"),
                    i.DefenderIds is null ? null : Ids(i.DefenderIds, DefenderIds.Defender, "defenderIds"), i.Confidentiality,
                    i.SubmissionIds is null ? null : Ids(i.SubmissionIds, SubmissionIds.Submission, "submissionIds")), i.ClientMutationId, ctx.CancellationToken);
                return Payload(article, null, i.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<ArticlePayloadGraphType>>("publishArticle")
            .Description("EDITOR: publishes now, or at publishAt (a job publishes it then, once). A portrait needs each linked defender's consent to a portrait.")
            .Argument<NonNullGraphType<PublishArticleInputGraphType>>("input")
            .RequireRole(Role.Editor)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<PublishArticleInput>("input");
                var article = await ctx.Service<ArticleCommands>().PublishAsync(ArticleId(i), i.ExpectedVersion, i.PublishAt, i.ClientMutationId, ctx.CancellationToken);
                return Payload(article, null, i.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<ArticlePayloadGraphType>>("unpublishArticle")
            .Argument<NonNullGraphType<ArticleIdInputGraphType>>("input")
            .RequireRole(Role.Editor)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<ArticleIdInput>("input");
                return Payload(await ctx.Service<ArticleCommands>().UnpublishAsync(ArticleId(i), i.ExpectedVersion, i.ClientMutationId, ctx.CancellationToken), null, i.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<ArticlePayloadGraphType>>("archiveArticle")
            .Argument<NonNullGraphType<ArchiveArticleInputGraphType>>("input")
            .RequireRole(Role.Editor)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<ArticleIdInput>("input");
                return Payload(await ctx.Service<ArticleCommands>().ArchiveAsync(ArticleId(i), i.ExpectedVersion, i.ClientMutationId, ctx.CancellationToken), null, i.ClientMutationId);
            });
    }

    private static Payload<ArticleView> Payload(Article article, Language? language, string? clientMutationId) =>
        new(ArticleView.Of(article, language), clientMutationId);

    private static Guid ArticleId(ArticleIdInput input) =>
        GlobalId.TryDecode(input.ArticleId, ArticleIds.Article, out var id) ? id : throw DomainException.NotFound("The article");

    /// <summary>
    /// Linked ids. One that is not an id of the type (malformed, or of another type) names nothing: NOT_FOUND, as in
    /// every module; a well-formed one the caller may not link is VALIDATION on its field (see ArticleCommands).
    /// </summary>
    private static List<Guid> Ids(List<string>? ids, string type, string field) =>
        (ids ?? []).Select((value, i) => GlobalId.TryDecode(value, type, out var id) ? id : throw DomainException.NotFound($"The {type.ToLowerInvariant()} ({field}[{i}])")).ToList();
}

internal sealed class DraftArticleInput : MutationInput
{
    public ArticleKind Kind { get; set; }
    public Language Language { get; set; }
    public string? Title { get; set; }
    public string? Summary { get; set; }
    public string? Body { get; set; }
    public string? Slug { get; set; }
    public List<string>? CountryCodes { get; set; }
    public List<string>? Themes { get; set; }
    public List<string>? CaseIds { get; set; }
    public List<string>? DefenderIds { get; set; }
    public List<string>? SubmissionIds { get; set; }
    public Confidentiality? Confidentiality { get; set; }
}

internal class ArticleIdInput : MutationInput
{
    public string? ArticleId { get; set; }
}

internal sealed class SaveTranslationInput : ArticleIdInput
{
    public Language Language { get; set; }
    public string? Title { get; set; }
    public string? Summary { get; set; }
    public string? Body { get; set; }
    public string? Slug { get; set; }
}

internal sealed class TagArticleInput : ArticleIdInput
{
    public List<string>? CountryCodes { get; set; }
    public List<string>? Themes { get; set; }
    public List<string>? CaseIds { get; set; }
    public List<string>? DefenderIds { get; set; }
    public List<string>? SubmissionIds { get; set; }
    public Confidentiality? Confidentiality { get; set; }
}

internal sealed class PublishArticleInput : ArticleIdInput
{
    public DateTimeOffset? PublishAt { get; set; }
}

internal sealed class DraftArticleInputGraphType : MutationInputGraphType<DraftArticleInput>
{
    public DraftArticleInputGraphType() : base("DraftArticleInput", onExistingEntity: false)
    {
        Field<NonNullGraphType<ArticleKindGraphType>>("kind");
        Field<NonNullGraphType<LanguageGraphType>>("language");
        Field<NonNullGraphType<StringGraphType>>("title");
        Field<StringGraphType>("summary");
        Field<NonNullGraphType<StringGraphType>>("body").Description("Markdown; raw HTML is shown as text.");
        Field<StringGraphType>("slug");
        Field<ListGraphType<NonNullGraphType<CountryCodeGraphType>>>("countryCodes");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("themes");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("caseIds");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("defenderIds");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("submissionIds").Description("Submissions to UN mechanisms the article is about.");
        Field<ConfidentialityGraphType>("confidentiality").Description(WriteClearance.DefaultDescription);
    }
}

internal abstract class ArticleInputGraphType<T> : MutationInputGraphType<T> where T : ArticleIdInput
{
    protected ArticleInputGraphType(string name) : base(name) => Field<NonNullGraphType<IdGraphType>>("articleId");
}

internal sealed class SaveTranslationInputGraphType : ArticleInputGraphType<SaveTranslationInput>
{
    public SaveTranslationInputGraphType() : base("SaveTranslationInput")
    {
        Field<NonNullGraphType<LanguageGraphType>>("language");
        Field<NonNullGraphType<StringGraphType>>("title");
        Field<StringGraphType>("summary");
        Field<NonNullGraphType<StringGraphType>>("body");
        Field<StringGraphType>("slug");
    }
}

internal sealed class TagArticleInputGraphType : ArticleInputGraphType<TagArticleInput>
{
    public TagArticleInputGraphType() : base("TagArticleInput")
    {
        Field<ListGraphType<NonNullGraphType<CountryCodeGraphType>>>("countryCodes");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("themes");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("caseIds");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("defenderIds");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("submissionIds");
        Field<ConfidentialityGraphType>("confidentiality");
    }
}

internal sealed class PublishArticleInputGraphType : ArticleInputGraphType<PublishArticleInput>
{
    public PublishArticleInputGraphType() : base("PublishArticleInput") =>
        Field<IsoDateTimeGraphType>("publishAt").Description("Now when absent or past.");
}

internal sealed class ArticleIdInputGraphType : ArticleInputGraphType<ArticleIdInput>
{
    public ArticleIdInputGraphType() : base("UnpublishArticleInput") { }
}

internal sealed class ArchiveArticleInputGraphType : ArticleInputGraphType<ArticleIdInput>
{
    public ArchiveArticleInputGraphType() : base("ArchiveArticleInput") { }
}
