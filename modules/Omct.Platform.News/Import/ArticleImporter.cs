using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Import;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.News.Articles;
using Omct.Platform.News.Domain;
using Omct.Platform.News.GraphQL;
using Omct.Platform.News.Handling;
using Omct.Platform.News.Portraits;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.News.Import;

/// <summary>
/// ARTICLE rows (EDITOR, as the mutations): <c>draftArticle</c> in the article's original language — its Markdown body
/// kept and sanitised exactly as the API does it — then, for an article of the past, <c>publishArticle</c> with
/// <c>originallyPublishedAt</c> (its original date), and <c>unpublishArticle</c> / <c>archiveArticle</c> when the row's
/// status says so; each through <see cref="ArticleCommands"/> with its own clientMutationId. A row is checked first
/// with the deciders the mutations use, and its links with the rule of <see cref="ArticleCommands.EnsureLinksAsync"/>.
/// A row changed since its last import is corrected with <c>saveTranslation</c> (title, summary, body, slug),
/// <c>tagArticle</c> (countries, themes, links, level) and <c>setArticleOriginalPublicationDate</c>; a change of kind,
/// language or status is not applied (CHANGED_NOT_APPLIED when nothing else changed).
/// </summary>
internal sealed class ArticleImporter : IRecordImporter
{
    public string Kind => "ARTICLE";

    public string RecordType => ArticleIds.Article;

    public IReadOnlyList<ImportField> Fields { get; } =
    [
        new("kind", "PRESS_RELEASE, URGENT_INTERVENTION, STATEMENT, REPORT, PORTRAIT, CALL_FOR_INPUT, JOINT_REPORT or EVENT.", Required: true),
        new("language", "The original language: EN, FR or ES.", Required: true),
        new("title", "The title (at most 300 characters).", Required: true),
        new("summary", "Summary."),
        new("body", "The body in Markdown (raw HTML is shown as text).", Required: true),
        new("slug", "Lower-case letters, digits and hyphens; default: from the title."),
        new("countryCodes", "ISO 3166-1 alpha-2 codes, separated by ;."),
        new("themes", "Separated by ;."),
        new("confidentiality", "PUBLIC, NETWORK, STAFF (default) or RESTRICTED, up to your clearance."),
        new("publishedAt", "Its original publication date (YYYY-MM-DD or ISO 8601), in the past: the article is published, dated then."),
        new("status", "DRAFT (default without publishedAt), PUBLISHED (default with it), UNPUBLISHED or ARCHIVED."),
        new("caseIds", "Ids of the cases it is about, separated by ;."),
        new("defenderIds", "Ids of the defenders it is about, separated by ;."),
        new("submissionIds", "Ids of the submissions it is about, separated by ;."),
        new("callForInputIds", "Ids of the calls for input it is about, separated by ;."),
    ];

    public IReadOnlyDictionary<string, IReadOnlyList<ImportField>> Parts { get; } = new Dictionary<string, IReadOnlyList<ImportField>>();

    internal sealed record ArticlePlan(DraftArticle Draft, DateTimeOffset? PublishedAt, ArticleStatus Status);

    public async Task<ImportCheck> CheckAsync(ImportRow row, Guid? existing, IServiceProvider services, CancellationToken cancellationToken)
    {
        var caller = services.GetRequiredService<ICallerContext>().Current;
        if (!caller.HasRole(Role.Editor))
        {
            return ImportCheck.Refused("$row", "Articles are imported by an EDITOR (as draftArticle is called).");
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var values = new ImportValues(row, caller);
        var kind = values.Required("kind", values.Enum<ArticleKind>("kind"));
        var language = values.Required("language", values.Enum<Language>("language"));
        var draft = new DraftArticle(kind ?? default, new TranslationInput(language ?? default, values.Text("title"), values.Text("summary"), values.Text("body"), values.Text("slug")),
            values.Enum<Confidentiality>("confidentiality") ?? Confidentiality.Staff, values.List("countryCodes"), values.List("themes"),
            values.Ids("caseIds", "Case"), values.Ids("defenderIds", DefenderIds.Defender), values.Ids("submissionIds", SubmissionIds.Submission),
            values.Ids("callForInputIds", SubmissionIds.CallForInput));
        var publishedAt = values.Moment("publishedAt");
        var status = values.Enum<ArticleStatus>("status") ?? (publishedAt is null ? ArticleStatus.Draft : ArticleStatus.Published);
        switch (status)
        {
            case ArticleStatus.Scheduled:
                values.Problems.Add(new ImportProblem("status", "An import records an article of the past: to schedule one, use publishArticle with publishAt."));
                break;
            case ArticleStatus.Published or ArticleStatus.Unpublished when publishedAt is null:
                values.Problems.Add(new ImportProblem("publishedAt", "An article that was published is imported with its original publication date."));
                break;
            case ArticleStatus.Draft when publishedAt is not null:
                values.Problems.Add(new ImportProblem("publishedAt", "A draft has no publication date: give the status PUBLISHED, UNPUBLISHED or ARCHIVED."));
                break;
        }

        if (values.Problems.Count == 0)
        {
            var state = values.Guard(() => ArticleDecider.Draft(Guid.Empty, draft, caller.Clearance).Aggregate((ArticleState?)null, ArticleDecider.Evolve));
            if (state is not null && publishedAt is not null)
            {
                var consented = draft.Kind != ArticleKind.Portrait
                                || await PortraitRule.ConsentedAsync(services.GetRequiredService<IQuerySession>(), draft.DefenderIds, cancellationToken);
                values.Guard(() => ArticleDecider.Publish(state, null, now, consented, publishedAt));
                // The mutation's originallyPublishedAt is this importer's publishedAt (the export's column).
                for (var i = 0; i < values.Problems.Count; i++)
                {
                    values.Problems[i] = values.Problems[i] is { Field: "originallyPublishedAt" } p ? p with { Field = "publishedAt" } : values.Problems[i];
                }
            }

            await values.GuardAsync(() => services.GetRequiredService<ArticleCommands>().EnsureLinksAsync(draft.CaseIds, draft.DefenderIds, draft.SubmissionIds,
                draft.CallForInputIds ?? [], cancellationToken));
        }

        return values.Problems.Count > 0 ? ImportCheck.Refused(values.Problems) : ImportCheck.Of(new ArticlePlan(draft, publishedAt, status));
    }

    public async Task<ImportApplied> ApplyAsync(object command, Guid? existing, string operationKey, IServiceProvider services, CancellationToken cancellationToken)
    {
        var plan = (ArticlePlan)command;
        var commands = services.GetRequiredService<ArticleCommands>();
        if (existing is { } known)
        {
            return new ImportApplied(known, await CorrectAsync(known, plan, commands, services, operationKey, cancellationToken));
        }

        var article = await commands.DraftAsync(plan.Draft, operationKey + ":draft", cancellationToken);
        if (plan.PublishedAt is { } original)
        {
            await commands.PublishAsync(article.Id, null, null, original, operationKey + ":publish", cancellationToken);
        }

        if (plan.Status == ArticleStatus.Unpublished)
        {
            await commands.UnpublishAsync(article.Id, null, operationKey + ":unpublish", cancellationToken);
        }
        else if (plan.Status == ArticleStatus.Archived)
        {
            await commands.ArchiveAsync(article.Id, null, operationKey + ":archive", cancellationToken);
        }

        return new ImportApplied(article.Id);
    }

    /// <summary>Applies what the update commands can correct; whether any of them changed the article.</summary>
    private static async Task<bool> CorrectAsync(Guid id, ArticlePlan plan, ArticleCommands commands, IServiceProvider services, string operationKey, CancellationToken ct)
    {
        var article = await services.GetRequiredService<IQuerySession>().LoadAsync<Article>(id, ct) ?? throw DomainException.NotFound("The article");
        var version = article.Version;
        var original = plan.Draft.Original;
        if (article.In(original.Language) is { } text
            && (text.Title != original.Title?.Trim() || text.Summary != original.Summary?.Trim() || text.Body != original.Body?.Trim()
                || (original.Slug is not null && text.Slug != original.Slug.Trim())))
        {
            article = await commands.SaveTranslationAsync(id, null, original, operationKey + ":translation", ct);
        }

        var tag = new TagArticle(plan.Draft.Countries, plan.Draft.Themes, plan.Draft.CaseIds, plan.Draft.DefenderIds, plan.Draft.Confidentiality,
            plan.Draft.SubmissionIds, plan.Draft.CallForInputIds, "Corrected by an import.");
        // The lists as the decider keeps them (codes checked, themes in lower case, no repeats), to compare with the article's.
        var tagged = ArticleDecider.Tag(new ArticleState(id, article.Kind, article.Status, article.Confidentiality, [], null, article.WasPublished),
            tag with { Confidentiality = null }, article.Confidentiality);
        if (!tagged.Countries!.SequenceEqual(article.Countries) || !tagged.Themes!.SequenceEqual(article.Themes) || !tagged.CaseIds!.SequenceEqual(article.CaseIds)
            || !tagged.DefenderIds!.SequenceEqual(article.DefenderIds) || !tagged.SubmissionIds!.SequenceEqual(article.SubmissionIds)
            || !tagged.CallForInputIds!.SequenceEqual(article.CallForInputIds) || plan.Draft.Confidentiality != article.Confidentiality)
        {
            article = await commands.TagAsync(id, null, tag, operationKey + ":tag", ct);
        }

        if (plan.PublishedAt is { } publishedAt && article.WasPublished && article.PublishedAt != publishedAt)
        {
            article = await commands.CorrectPublicationDateAsync(id, null, publishedAt, "Corrected by an import.", operationKey + ":date", ct);
        }

        return article.Version != version;
    }
}
