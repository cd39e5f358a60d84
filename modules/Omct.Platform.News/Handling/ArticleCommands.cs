using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.News.Articles;
using Omct.Platform.News.Domain;
using Omct.Platform.News.Portraits;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.News.Handling;

/// <summary>
/// Carries out article commands for editors through <see cref="StreamCommands"/>. Each slug is
/// reserved (<see cref="ArticleSlug"/>) in the same transaction as the event that sets it: a taken
/// slug is CONFLICT. Links must name cases, defenders, submissions and calls for input the caller may see.
/// </summary>
internal sealed class ArticleCommands(
    StreamCommands commands, IDocumentStore store, ICaseDirectory cases, IDefenderDirectory defenders, ISubmissionDirectory submissions,
    TimeProvider time, ILogger<ArticleCommands> log)
{
    private Caller Caller => commands.Caller;

    public async Task<Article> DraftAsync(DraftArticle command, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Editor);
        if (await commands.RepeatAsync<Article>("draftArticle", clientMutationId, Caller.CanSee, What, ct) is { } repeated)
        {
            return repeated;
        }

        await EnsureLinksAsync(command.CaseIds, command.DefenderIds, command.SubmissionIds, command.CallForInputIds ?? [], ct);
        await RequireMentionableAsync(command.Original, ct);
        var id = Guid.CreateVersion7();
        command = command with { Original = await WithFreeSlugAsync(command.Original, null, ct) };
        var events = ArticleDecider.Draft(id, command, Caller.Clearance);
        return await commands.StartAsync<Article>("draftArticle", id, events, clientMutationId, Caller.CanSee, What,
            session => ReserveSlugs(session, id, null, events), ct);
    }

    public async Task<Article> SaveTranslationAsync(Guid id, int? expectedVersion, TranslationInput translation, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Editor);
        await RequireMentionableAsync(translation, ct);
        translation = await WithFreeSlugAsync(translation, id, ct);
        return await DecideAsync("saveTranslation", id, expectedVersion, clientMutationId, a => [ArticleDecider.Save(a, translation)], ct,
            (session, before, events) => ReserveSlugs(session, id, before, events));
    }

    /// <summary>
    /// A translation mentions (<see cref="Mentions"/>) only defenders the editor may find, else VALIDATION on the field — alike
    /// for a missing and a hidden one. The events keep the token; readers get the name as they may (ArticleMentions).
    /// </summary>
    private Task RequireMentionableAsync(TranslationInput t, CancellationToken ct) =>
        Mentions.RequireMentionableAsync(DefenderIds.Defender, ids => defenders.ExistingAsync(ids, Caller, ct), ("title", t.Title), ("summary", t.Summary), ("body", t.Body));

    public async Task<Article> TagAsync(Guid id, int? expectedVersion, TagArticle command, string? clientMutationId, CancellationToken ct)
    {
        await EnsureLinksAsync(command.CaseIds ?? [], command.DefenderIds ?? [], command.SubmissionIds ?? [], command.CallForInputIds ?? [], ct);
        return await DecideAsync("tagArticle", id, expectedVersion, clientMutationId, a => [ArticleDecider.Tag(a, command, Caller.Clearance)], ct,
            (session, before, events) => ReserveSlugs(session, id, before, events));
    }

    /// <summary>
    /// Publishes or schedules. A portrait needs each linked defender's consent now: checked here to
    /// answer the editor with VALIDATION; what guarantees it is the read rule (<see cref="PortraitRule"/>),
    /// which hides a portrait the moment a consent is withdrawn, also one withdrawn after this check.
    /// </summary>
    public async Task<Article> PublishAsync(
        Guid id, int? expectedVersion, DateTimeOffset? publishAt, DateTimeOffset? originallyPublishedAt, string? clientMutationId, CancellationToken ct)
    {
        bool consented;
        await using (var query = store.QuerySession())
        {
            var article = await query.LoadAsync<Article>(id, ct);
            consented = article is { Kind: ArticleKind.Portrait } && await PortraitRule.ConsentedAsync(query, article.DefenderIds, ct);
        }

        return await DecideAsync("publishArticle", id, expectedVersion, clientMutationId,
            a => [ArticleDecider.Publish(a, publishAt, time.GetUtcNow(), consented, originallyPublishedAt)], ct);
    }

    /// <summary>A correction: the publication date of an article that was published, set to its original date (in the past).</summary>
    public Task<Article> CorrectPublicationDateAsync(Guid id, int? expectedVersion, DateTimeOffset publishedAt, string? reason, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("setArticleOriginalPublicationDate", id, expectedVersion, clientMutationId,
            a => [ArticleDecider.CorrectPublicationDate(a, publishedAt, reason, time.GetUtcNow())], ct);

    public Task<Article> UnpublishAsync(Guid id, int? expectedVersion, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("unpublishArticle", id, expectedVersion, clientMutationId, a => [ArticleDecider.Unpublish(a, time.GetUtcNow())], ct);

    public Task<Article> ArchiveAsync(Guid id, int? expectedVersion, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("archiveArticle", id, expectedVersion, clientMutationId, a => [ArticleDecider.Archive(a, time.GetUtcNow())], ct);

    /// <summary>
    /// The scheduler's work: publishes every scheduled article whose moment has passed (also one a
    /// restart missed), each once — a second run, or a second node, finds nothing left to do. A
    /// portrait whose consent is missing by then goes back to the editors as a draft, with the
    /// reason. A published portrait whose consent was withdrawn (already hidden from the public by
    /// <see cref="PortraitRule"/>) is unpublished, so its status says so and a renewed consent does
    /// not bring it back without an editor.
    /// </summary>
    public async Task<PublicationRun> PublishDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<Article> due;
        List<Guid> withdrawn;
        HashSet<Guid> consented;
        await using (var query = store.QuerySession())
        {
            due = (await query.Query<Article>().Where(a => a.Status == ArticleStatus.Scheduled && a.PublishAt <= now).ToListAsync(ct)).ToList();
            var shown = PortraitRule.ShownSql(store.Options.DatabaseSchemaName);
            withdrawn = (await query.Query<Article>()
                .Where(a => a.Status == ArticleStatus.Published && a.Kind == ArticleKind.Portrait && a.MatchesSql($"not {shown}"))
                .Select(a => a.Id).ToListAsync(ct)).ToList();
            // Consent of every defender of the due portraits, in one query.
            var linked = due.Where(a => a.Kind == ArticleKind.Portrait).SelectMany(a => a.DefenderIds).Distinct().ToList();
            consented = linked.Count == 0 ? [] : (await query.LoadManyAsync<PortraitConsent>(ct, linked)).Where(c => c.Given).Select(c => c.Id).ToHashSet();
        }

        var published = new List<Guid>();
        var withheld = new List<Guid>();
        foreach (var article in due)
        {
            var portraitConsented = article.DefenderIds.Count > 0 && article.DefenderIds.All(consented.Contains);
            var decided = await DecideOnceAsync("publishScheduled", article.Id, a => ArticleDecider.PublishScheduled(a, now, portraitConsented), ct);
            if (decided.OfType<ArticlePublished>().Any())
            {
                published.Add(article.Id);
            }
            else if (decided.OfType<ArticlePublicationWithheld>().Any())
            {
                withheld.Add(article.Id);
                log.LogWarning("Scheduled portrait {ArticleId} was not published: a linked defender's consent to a portrait is not recorded; it is a draft again",
                    article.Id);
            }
        }

        var unpublished = new List<Guid>();
        foreach (var id in withdrawn)
        {
            if ((await DecideOnceAsync("withdrawPortrait", id, a => ArticleDecider.WithdrawPortrait(a, now), ct)).Count > 0)
            {
                unpublished.Add(id);
                log.LogWarning("Published portrait {ArticleId} was unpublished: a linked defender's consent to a portrait was withdrawn", id);
            }
        }

        return new PublicationRun(published, withheld, unpublished);
    }

    /// <summary>A system decision on one article; returns the events it wrote (none when another run got there first).</summary>
    private async Task<IReadOnlyList<object>> DecideOnceAsync(string operation, Guid id, Func<ArticleState, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        IReadOnlyList<object> written = [];
        await commands.DecideAsync<ArticleState, Article>(operation, id, null, null, a => written = decide(a), _ => true, _ => true, What, null, ct);
        return written;
    }

    /// <summary>Decides on the article's write model (<see cref="ArticleState"/>, from its events); returns the read model.</summary>
    private Task<Article> DecideAsync(string operation, Guid id, int? expectedVersion, string? clientMutationId,
        Func<ArticleState, IReadOnlyList<object>> decide, CancellationToken ct, Action<IDocumentSession, ArticleState, IReadOnlyList<object>>? alongside = null)
    {
        commands.RequireRole(Role.Editor);
        return commands.DecideAsync<ArticleState, Article>(operation, id, expectedVersion, clientMutationId, decide, Caller.CanSee, Caller.CanSee, What, alongside, ct);
    }

    private const string What = "The article";

    /// <summary>
    /// A slug generated from the title takes the first form free among the articles the caller may
    /// see (<c>title</c>, <c>title-2</c> …); a translation that has one keeps it; a slug given
    /// explicitly is kept as given (CONFLICT when an article the caller may see holds it). An article
    /// the caller may not see changes nothing here (see <see cref="ArticleSlug"/>).
    /// </summary>
    private async Task<TranslationInput> WithFreeSlugAsync(TranslationInput t, Guid? articleId, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        if (t.Slug is not null)
        {
            return await TakenAsync(query, t.Language, t.Slug, articleId, ct)
                ? throw DomainException.Conflict("A unique value (a reference, a slug) is already taken.")
                : t;
        }

        if (string.IsNullOrWhiteSpace(t.Title))
        {
            return t;
        }

        if (articleId is { } id && (await query.LoadAsync<Article>(id, ct))?.In(t.Language) is not null)
        {
            return t;
        }

        var baseSlug = ArticleDecider.Slugify(t.Title);
        for (var n = 1; ; n++)
        {
            var candidate = n == 1 ? baseSlug : $"{baseSlug}-{n}";
            if (!await TakenAsync(query, t.Language, candidate, articleId, ct))
            {
                return t with { Slug = candidate };
            }
        }
    }

    /// <summary>Whether another article the caller may see holds <paramref name="slug"/> in <paramref name="language"/>.</summary>
    private async Task<bool> TakenAsync(IQuerySession query, Language language, string slug, Guid? articleId, CancellationToken ct) =>
        (await query.LoadManyAsync<ArticleSlug>(ct, ArticleSlug.IdsFor([language], slug.Trim().ToLowerInvariant(), Caller.VisibleLevels())))
        .Any(r => r.ArticleId != articleId);

    /// <summary>
    /// Keeps the slug reservations of an article in step with its events, at its level: a translation's
    /// new slug, and every slug when the article's level changes (CONFLICT when an article of the new
    /// level — one the caller may see — holds one of them).
    /// </summary>
    private static void ReserveSlugs(IDocumentSession session, Guid articleId, ArticleState? before, IReadOnlyList<object> events)
    {
        var levelBefore = before?.Confidentiality ?? events.OfType<ArticleDrafted>().Single().Confidentiality;
        var level = events.OfType<ArticleTagged>().LastOrDefault()?.Confidentiality ?? levelBefore;
        var slugs = (before?.Translations ?? []).ToDictionary(t => t.Language, t => t.Slug);
        var reserved = new Dictionary<Language, string>(slugs);
        foreach (var saved in events.OfType<TranslationSaved>())
        {
            slugs[saved.Language] = saved.Slug;
        }

        foreach (var (language, slug) in reserved)
        {
            if (slugs[language] != slug || level != levelBefore)
            {
                session.Delete<ArticleSlug>(ArticleSlug.IdFor(language, slug, levelBefore));
            }
        }

        foreach (var (language, slug) in slugs)
        {
            if (!reserved.TryGetValue(language, out var previous) || previous != slug || level != levelBefore)
            {
                session.Insert(new ArticleSlug { Id = ArticleSlug.IdFor(language, slug, level), ArticleId = articleId });
            }
        }
    }

    /// <summary>VALIDATION on the first linked id the caller may not link (an import checks its rows with it too).</summary>
    internal async Task EnsureLinksAsync(
        IReadOnlyList<Guid> caseIds, IReadOnlyList<Guid> defenderIds, IReadOnlyList<Guid> submissionIds, IReadOnlyList<Guid> callForInputIds, CancellationToken ct)
    {
        var visibleCases = await cases.CasesAsync(caseIds, Caller, ct);
        Refuse(caseIds, visibleCases.ContainsKey, "caseIds", "No such case.");
        var visibleDefenders = await defenders.ExistingAsync(defenderIds, Caller, ct);
        Refuse(defenderIds, visibleDefenders.Contains, "defenderIds", "No such defender.");
        var visibleSubmissions = await submissions.SubmissionsAsync(submissionIds, Caller, ct);
        Refuse(submissionIds, visibleSubmissions.ContainsKey, "submissionIds", "No such submission.");
        var visibleCalls = await submissions.CallsForInputAsync(callForInputIds, Caller, ct);
        Refuse(callForInputIds, visibleCalls.ContainsKey, "callForInputIds", "No such call for input.");
    }

    /// <summary>VALIDATION on the first id the caller may not link (unknown or hidden: the same answer).</summary>
    private static void Refuse(IReadOnlyList<Guid> ids, Func<Guid, bool> visible, string field, string message)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (!visible(ids[i]))
            {
                throw DomainException.Validation($"{field}[{i}]", message);
            }
        }
    }
}

/// <summary>What one run of the scheduler did: articles published, scheduled portraits withheld, published portraits unpublished.</summary>
internal sealed record PublicationRun(IReadOnlyList<Guid> Published, IReadOnlyList<Guid> Withheld, IReadOnlyList<Guid> Unpublished)
{
    public int Changed => Published.Count + Withheld.Count + Unpublished.Count;
}
