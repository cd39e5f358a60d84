using System.ComponentModel;
using GraphQL;
using Marten;
using Marten.Linq.MatchesSql;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Files.Contracts;
using Omct.Platform.News.Articles;
using Omct.Platform.News.Domain;
using Omct.Platform.News.Portraits;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.News.GraphQL;

[QueryFields]
internal sealed class ArticleQueries
{
    [Description("An article by its slug in any language, returned in `language` when translated, else in its original language; " +
                 "NOT_FOUND when no article has the slug or the caller may not see it (never told apart).")]
    [RequireRole(Role.Anonymous)]
    public async Task<ArticleView?> Article(string slug, Language? language, IResolveFieldContext ctx)
    {
        slug = slug.Trim().ToLowerInvariant();
        await using var session = ctx.Service<IDocumentStore>().QuerySession();
        // Within the levels the caller may see: the requested language first, then the most open article.
        var levels = ctx.GetCaller().VisibleLevels();
        var reservations = await session.LoadManyAsync<ArticleSlug>(ctx.CancellationToken, ArticleSlug.IdsFor(Enum.GetValues<Language>(), slug, levels));
        var reservation = reservations
            .OrderBy(r => language is { } l && r.Id.StartsWith($"{l}:".ToLowerInvariant(), StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(r => Array.FindIndex(levels, level => r.Id.EndsWith($":{level}".ToLowerInvariant(), StringComparison.Ordinal)))
            .FirstOrDefault();
        var article = reservation is null ? null : await session.LoadAsync<Article>(reservation.ArticleId, ctx.CancellationToken);
        return article is not null && await ctx.GetCaller().SeesAsync(session, article, ctx.CancellationToken)
            ? ArticleView.Of(article, language)
            : throw DomainException.NotFound("The article");
    }

    [Description("The number of articles the caller may see (the public: published ones).")]
    [RequireRole(Role.Anonymous)]
    public async Task<int> ArticleCount(IResolveFieldContext ctx)
    {
        var store = ctx.Service<IDocumentStore>();
        await using var session = store.QuerySession();
        return await Filtered(session, new ArticleFilter(), LinkFilter.None, ctx.GetCaller(), store.Options.DatabaseSchemaName).CountAsync(ctx.CancellationToken);
    }

    [Description("Articles the caller may see (the public: published ones), newest first, in `filter.language` when given.")]
    [RequireRole(Role.Anonymous)]
    public async Task<Connection<ArticleView>> Articles(ArticleFilter? filter, int? first, string? after, IResolveFieldContext ctx)
    {
        filter ??= new ArticleFilter();
        var caller = ctx.GetCaller();
        var links = await LinkFilter.ResolveAsync(ctx, filter);
        var pageSize = Paging.PageSize(first);
        var afterKey = Paging.DecodeCursor(after);
        var store = ctx.Service<IDocumentStore>();
        var schema = store.Options.DatabaseSchemaName;
        await using var session = store.QuerySession();
        var page = Filtered(session, filter, links, caller, schema);
        if (afterKey is { } key)
        {
            page = page.Where(a => a.OrderKey < key);
        }

        var rows = await page.OrderByDescending(a => a.OrderKey).Take(pageSize + 1).ToListAsync(ctx.CancellationToken);
        var views = rows.Select(a => ArticleView.Of(a, filter.Language)).ToList();
        return Paging.Page(views, pageSize, v => v.Article.OrderKey, async ct =>
        {
            await using var countSession = store.QuerySession();
            return await Filtered(countSession, filter, links, caller, schema).CountAsync(ct);
        });
    }

    [Description("EDITOR: the sanitised HTML that an article's bodyHtml would be for this Markdown, rendered as saveTranslation renders it; " +
                 "nothing is saved. VALIDATION on markdown when it is empty or longer than 200,000 characters.")]
    [RequireRole(Role.Editor)]
    public string PreviewArticleBody(string markdown) => ArticleDecider.RenderBody(markdown, "markdown").Html;

    /// <summary>The articles a caller may see, filtered; <paramref name="asReader"/>: as a non-editor with the caller's clearance (the digests).</summary>
    internal static IQueryable<Article> Filtered(IQuerySession session, ArticleFilter filter, LinkFilter links, Caller caller, string schema, bool asReader = false)
    {
        var levels = caller.VisibleLevels();
        var query = session.Query<Article>().Where(a => levels.Contains(a.Confidentiality));
        if (asReader || !caller.HasRole(Role.Editor))
        {
            var portraitsShown = PortraitRule.ShownSql(schema);
            query = query.Where(a => a.Status == ArticleStatus.Published && a.MatchesSql(portraitsShown));
        }

        if (filter.Statuses is { Count: > 0 } statuses)
        {
            var wanted = statuses.ToArray();
            query = query.Where(a => wanted.Contains(a.Status));
        }

        if (filter.Kinds is { Count: > 0 } kinds)
        {
            var wanted = kinds.ToArray();
            query = query.Where(a => wanted.Contains(a.Kind));
        }

        if (filter.Countries is { Count: > 0 } countries)
        {
            var codes = countries.Select(c => c.ToUpperInvariant()).ToArray();
            query = query.Where(a => a.Countries.Any(c => codes.Contains(c)));
        }

        if (filter.Themes is { Count: > 0 } themes)
        {
            var wanted = themes.Select(t => t.Trim().ToLowerInvariant()).ToArray();
            query = query.Where(a => a.Themes.Any(t => wanted.Contains(t)));
        }

        if (filter.Language is { } language)
        {
            query = query.Where(a => a.Languages.Contains(language));
        }

        if (filter.PublishedFrom is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(a => a.PublishedAt >= start);
        }

        if (filter.PublishedTo is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(a => a.PublishedAt < end);
        }

        // Scheduled articles are listed only to editors (the filter above keeps the others to published ones).
        if (filter.ScheduledFrom is { } scheduledFrom)
        {
            var start = new DateTimeOffset(scheduledFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(a => a.Status == ArticleStatus.Scheduled && a.PublishAt >= start);
        }

        if (filter.ScheduledTo is { } scheduledTo)
        {
            var end = new DateTimeOffset(scheduledTo.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(a => a.Status == ArticleStatus.Scheduled && a.PublishAt < end);
        }

        if (links.CaseId is { } caseId)
        {
            query = query.Where(a => a.CaseIds.Contains(caseId));
        }

        if (links.DefenderIds is { } defenderIds)
        {
            query = defenderIds.Length == 0 ? query.Where(a => a.Id == Guid.Empty) : query.Where(a => a.DefenderIds.Any(d => defenderIds.Contains(d)));
        }

        if (links.SubmissionId is { } submissionId)
        {
            query = query.Where(a => a.SubmissionIds.Contains(submissionId));
        }

        if (links.CallForInputId is { } callId)
        {
            query = query.Where(a => a.CallForInputIds.Contains(callId));
        }

        if (Input.SearchText(filter.Text) is { } text)
        {
            // Full text in the requested language's translation with that language's dictionary (stemming, stop words);
            // without a language, in every translation with its own dictionary.
            var searched = filter.Language is { } l ? [l] : Enum.GetValues<Language>();
            var clauses = string.Join(" or ", searched.Select(l =>
                $"(t->>'language' = '{l}' and to_tsvector('{l.TextSearchConfig()}', coalesce(t->>'title', '') || ' ' || coalesce(t->>'summary', '') || ' ' || coalesce(t->>'body', '')) " +
                $"@@ websearch_to_tsquery('{l.TextSearchConfig()}', ?))"));
            var parameters = searched.Select(_ => (object)text).ToList();
            var sql = $"exists (select 1 from jsonb_array_elements(d.data -> 'translations') t where {clauses})";
            // Or the text of a file on it (a PDF's), matched in the dictionary of a language the article has (the files module
            // checked the file, by its own level, and the article).
            foreach (var fileLanguage in searched)
            {
                if (links.TextInFiles.GetValueOrDefault(fileLanguage) is { Length: > 0 } ids)
                {
                    sql += $" or (d.data -> 'languages' @> '[\"{fileLanguage}\"]'::jsonb and d.id = any(?))";
                    parameters.Add(ids);
                }
            }

            var matching = $"({sql})";
            var arguments = parameters.ToArray();
            query = query.Where(a => a.MatchesSql(matching, arguments));
        }

        return query;
    }
}

internal sealed class ArticleFilter
{
    [Description("Articles in these statuses (a caller who is not an editor sees published ones only).")]
    public List<ArticleStatus>? Statuses { get; set; }
    public List<ArticleKind>? Kinds { get; set; }
    [CountryCode] public List<string>? Countries { get; set; }
    public List<string>? Themes { get; set; }
    [Description("Articles translated into it, returned in it; the text is searched in it.")]
    public Language? Language { get; set; }
    public DateOnly? PublishedFrom { get; set; }
    public DateOnly? PublishedTo { get; set; }
    [Description("Scheduled articles (editors) whose publishAt is on or after this day (UTC).")]
    public DateOnly? ScheduledFrom { get; set; }
    [Description("Scheduled articles (editors) whose publishAt is on or before this day (UTC).")]
    public DateOnly? ScheduledTo { get; set; }
    [Id] public string? CaseId { get; set; }
    [Id, Description("Also the profiles merged into it.")]
    public string? DefenderId { get; set; }
    [Id] public string? SubmissionId { get; set; }
    [Id, Description("Articles linked to this call for input (a call the caller may not see matches none).")]
    public string? CallForInputId { get; set; }
    [Description("Full text in title, summary and body, and in the text of the article's PDFs the caller may see, with the language's dictionary.")]
    public string? Text { get; set; }
}

/// <summary>
/// The linked-record filters, resolved before the query: a case, defender, submission or call for input the
/// caller may not see matches nothing (<see cref="Guid.Empty"/>, no identities), so a filter cannot
/// tell that a hidden record exists or which articles link it. A defender stands for the profiles
/// merged into it too.
/// </summary>
internal sealed record LinkFilter(Guid? CaseId, Guid[]? DefenderIds, Guid? SubmissionId, Guid? CallForInputId = null)
{
    public static readonly LinkFilter None = new(null, null, null);

    /// <summary>
    /// With a text filter: per searched language, the articles whose file's text matches it in that language's dictionary,
    /// the file (its own level) and the article visible to the caller (the files module answers).
    /// </summary>
    public IReadOnlyDictionary<Language, Guid[]> TextInFiles { get; init; } = new Dictionary<Language, Guid[]>();

    public static async Task<LinkFilter> ResolveAsync(IResolveFieldContext ctx, ArticleFilter filter)
    {
        var caller = ctx.GetCaller();
        var ct = ctx.CancellationToken;
        Guid? caseId = null;
        if (filter.CaseId is not null)
        {
            var id = Decode(filter.CaseId, "Case", "filter.caseId");
            caseId = (await ctx.Service<ICaseDirectory>().CasesAsync([id], caller, ct)).ContainsKey(id) ? id : Guid.Empty;
        }

        Guid[]? defenderIds = null;
        if (filter.DefenderId is not null)
        {
            var id = Decode(filter.DefenderId, Defenders.Contracts.DefenderIds.Defender, "filter.defenderId");
            defenderIds = [.. await ctx.Service<IDefenderDirectory>().IdentitiesAsync(id, caller, ct)];
        }

        Guid? submissionId = null;
        if (filter.SubmissionId is not null)
        {
            var id = Decode(filter.SubmissionId, SubmissionIds.Submission, "filter.submissionId");
            submissionId = (await ctx.Service<ISubmissionDirectory>().SubmissionsAsync([id], caller, ct)).ContainsKey(id) ? id : Guid.Empty;
        }

        Guid? callId = null;
        if (filter.CallForInputId is not null)
        {
            var id = Decode(filter.CallForInputId, SubmissionIds.CallForInput, "filter.callForInputId");
            callId = (await ctx.Service<ISubmissionDirectory>().CallsForInputAsync([id], caller, ct)).ContainsKey(id) ? id : Guid.Empty;
        }

        var inFiles = new Dictionary<Language, Guid[]>();
        if (Input.SearchText(filter.Text) is { } text)
        {
            Language[] searched = filter.Language is { } language ? [language] : Enum.GetValues<Language>();
            var matched = await ctx.Service<IAttachedFiles>().RecordsWithMatchingTextAsync(
                [ArticleIds.Article], text, searched.Select(l => l.TextSearchConfig()).Distinct().ToList(), caller, ct);
            foreach (var searchedLanguage in searched)
            {
                inFiles[searchedLanguage] = matched.TryGetValue(searchedLanguage.TextSearchConfig(), out var found) ? found.Select(f => f.Id).ToArray() : [];
            }
        }

        return new LinkFilter(caseId, defenderIds, submissionId, callId) { TextInFiles = inFiles };
    }

    private static Guid Decode(string value, string type, string field) =>
        GlobalId.TryDecode(value, type, out var id) ? id : throw DomainException.Validation(field, $"Not a {type.ToLowerInvariant()} id.");
}
