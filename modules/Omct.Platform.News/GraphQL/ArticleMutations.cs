using System.ComponentModel;
using GraphQL;
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

[MutationFields]
internal sealed class ArticleMutations
{
    [Description("EDITOR: a new article in its original language (slug generated from the title when not given).")]
    [RequireRole(Role.Editor)]
    public async Task<Payload<ArticleView>> DraftArticle(DraftArticleInput input, [FromServices] ArticleCommands commands, CancellationToken ct)
    {
        var article = await commands.DraftAsync(new DraftArticle(input.Kind,
            new TranslationInput(input.Language, input.Title, input.Summary, input.Body, input.Slug), input.Confidentiality,
            input.CountryCodes ?? [], input.Themes ?? [], Ids(input.CaseIds, "Case", "caseIds"), Ids(input.DefenderIds, DefenderIds.Defender, "defenderIds"),
            Ids(input.SubmissionIds, SubmissionIds.Submission, "submissionIds"), Ids(input.CallForInputIds, SubmissionIds.CallForInput, "callForInputIds")),
            input.ClientMutationId, ct);
        return Payload(article, input.Language, input);
    }

    [Description("EDITOR: adds or replaces a translation (or edits the original). A published article's slugs do not change.")]
    [RequireRole(Role.Editor)]
    public async Task<Payload<ArticleView>> SaveTranslation(SaveTranslationInput input, [FromServices] ArticleCommands commands, CancellationToken ct) =>
        Payload(await commands.SaveTranslationAsync(ArticleId(input), input.ExpectedVersion,
            new TranslationInput(input.Language, input.Title, input.Summary, input.Body, input.Slug), input.ClientMutationId, ct), input.Language, input);

    [Description("EDITOR: replaces the given countries, themes, links and confidentiality; reason: why (a correction, e.g. a link added after publication).")]
    [RequireRole(Role.Editor)]
    public async Task<Payload<ArticleView>> TagArticle(TagArticleInput input, [FromServices] ArticleCommands commands, CancellationToken ct) =>
        Payload(await commands.TagAsync(ArticleId(input), input.ExpectedVersion, new TagArticle(input.CountryCodes, input.Themes,
            input.CaseIds is null ? null : Ids(input.CaseIds, "Case", "caseIds"),
            input.DefenderIds is null ? null : Ids(input.DefenderIds, DefenderIds.Defender, "defenderIds"), input.Confidentiality,
            input.SubmissionIds is null ? null : Ids(input.SubmissionIds, SubmissionIds.Submission, "submissionIds"),
            input.CallForInputIds is null ? null : Ids(input.CallForInputIds, SubmissionIds.CallForInput, "callForInputIds"), input.Reason), input.ClientMutationId, ct), null, input);

    [Description("EDITOR: publishes now, or at publishAt (a job publishes it then, once), or — an article published before (an archive) — now, " +
                 "dated originallyPublishedAt (in the past). A portrait needs each linked defender's consent to a portrait.")]
    [RequireRole(Role.Editor)]
    public async Task<Payload<ArticleView>> PublishArticle(PublishArticleInput input, [FromServices] ArticleCommands commands, CancellationToken ct) =>
        Payload(await commands.PublishAsync(ArticleId(input), input.ExpectedVersion, input.PublishAt, input.OriginallyPublishedAt, input.ClientMutationId, ct), null, input);

    [Description("EDITOR, a correction: the publication date of an article that was published, set to its original date (in the past, not before 1900), " +
                 "with an optional reason. Lists, filters, digests and exports by publication date use it.")]
    [RequireRole(Role.Editor)]
    public async Task<Payload<ArticleView>> SetArticleOriginalPublicationDate(
        SetArticleOriginalPublicationDateInput input, [FromServices] ArticleCommands commands, CancellationToken ct) =>
        Payload(await commands.CorrectPublicationDateAsync(ArticleId(input), input.ExpectedVersion, input.PublishedAt, input.Reason, input.ClientMutationId, ct), null, input);

    [RequireRole(Role.Editor)]
    public async Task<Payload<ArticleView>> UnpublishArticle(UnpublishArticleInput input, [FromServices] ArticleCommands commands, CancellationToken ct) =>
        Payload(await commands.UnpublishAsync(ArticleId(input), input.ExpectedVersion, input.ClientMutationId, ct), null, input);

    [RequireRole(Role.Editor)]
    public async Task<Payload<ArticleView>> ArchiveArticle(ArchiveArticleInput input, [FromServices] ArticleCommands commands, CancellationToken ct) =>
        Payload(await commands.ArchiveAsync(ArticleId(input), input.ExpectedVersion, input.ClientMutationId, ct), null, input);

    private static Payload<ArticleView> Payload(Article article, Language? language, IdempotentInput input) =>
        new(ArticleView.Of(article, language), input.ClientMutationId);

    private static Guid ArticleId(ArticleInput input) =>
        GlobalId.TryDecode(input.ArticleId, ArticleIds.Article, out var id) ? id : throw DomainException.NotFound("The article");

    /// <summary>
    /// Linked ids. One that is not an id of the type (malformed, or of another type) names nothing: NOT_FOUND, as in
    /// every module; a well-formed one the caller may not link is VALIDATION on its field (see ArticleCommands).
    /// </summary>
    private static List<Guid> Ids(List<string>? ids, string type, string field) =>
        (ids ?? []).Select((value, i) => GlobalId.TryDecode(value, type, out var id) ? id : throw DomainException.NotFound($"The {type.ToLowerInvariant()} ({field}[{i}])")).ToList();
}

internal sealed class DraftArticleInput : IdempotentInput
{
    public ArticleKind Kind { get; set; }
    public Language Language { get; set; }
    public string Title { get; set; } = "";
    public string? Summary { get; set; }
    [Description("Markdown; raw HTML is shown as text.")]
    public string Body { get; set; } = "";
    public string? Slug { get; set; }
    [CountryCode] public List<string>? CountryCodes { get; set; }
    public List<string>? Themes { get; set; }
    [Id] public List<string>? CaseIds { get; set; }
    [Id] public List<string>? DefenderIds { get; set; }
    [Id, Description("Submissions to UN mechanisms the article is about.")]
    public List<string>? SubmissionIds { get; set; }
    [Id, Description("Calls for input the article is about (announcing one, or its results).")]
    public List<string>? CallForInputIds { get; set; }
    [Description(WriteClearance.DefaultDescription)]
    public Confidentiality? Confidentiality { get; set; }
}

/// <summary>The input of a mutation on one article: its id first.</summary>
internal abstract class ArticleInput : MutationInput
{
    [Id] public string ArticleId { get; set; } = "";
}

internal sealed class SaveTranslationInput : ArticleInput
{
    public Language Language { get; set; }
    public string Title { get; set; } = "";
    public string? Summary { get; set; }
    public string Body { get; set; } = "";
    public string? Slug { get; set; }
}

internal sealed class TagArticleInput : ArticleInput
{
    [CountryCode] public List<string>? CountryCodes { get; set; }
    public List<string>? Themes { get; set; }
    [Id] public List<string>? CaseIds { get; set; }
    [Id] public List<string>? DefenderIds { get; set; }
    [Id] public List<string>? SubmissionIds { get; set; }
    [Id] public List<string>? CallForInputIds { get; set; }
    public Confidentiality? Confidentiality { get; set; }
    [Description("Why (a correction): trimmed, at most 2,000 characters; shown in the article's history.")]
    public string? Reason { get; set; }
}

internal sealed class PublishArticleInput : ArticleInput
{
    [Description("Now when absent or past.")]
    public DateTimeOffset? PublishAt { get; set; }
    [Description("An article published before (an archive): published now, dated then — its publishedAt. In the past, not before 1900; not with publishAt.")]
    public DateTimeOffset? OriginallyPublishedAt { get; set; }
}

internal sealed class SetArticleOriginalPublicationDateInput : ArticleInput
{
    [Description("The original publication date (in the past, not before 1900).")]
    public DateTimeOffset PublishedAt { get; set; }
    [Description("Why: trimmed, at most 2,000 characters; shown in the article's history.")]
    public string? Reason { get; set; }
}

internal sealed class UnpublishArticleInput : ArticleInput;

internal sealed class ArchiveArticleInput : ArticleInput;
