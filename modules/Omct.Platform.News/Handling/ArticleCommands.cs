using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.News.Articles;
using Omct.Platform.News.Domain;

namespace Omct.Platform.News.Handling;

/// <summary>
/// Carries out article commands for editors through <see cref="StreamCommands"/>. Each slug is
/// reserved (<see cref="ArticleSlug"/>) in the same transaction as the event that sets it: a taken
/// slug is CONFLICT. Links must name cases and defenders the caller may see.
/// </summary>
internal sealed class ArticleCommands(
    StreamCommands commands, IDocumentStore store, ICaseDirectory cases, IDefenderDirectory defenders, TimeProvider time)
{
    private Caller Caller => commands.Caller;

    public async Task<Article> DraftAsync(DraftArticle command, string? clientMutationId, CancellationToken ct)
    {
        commands.RequireRole(Role.Editor);
        if (await commands.RepeatAsync<Article>("draftArticle", clientMutationId, ct) is { } repeated)
        {
            return repeated;
        }

        await EnsureLinksAsync(command.CaseIds, command.DefenderIds, ct);
        var id = Guid.CreateVersion7();
        command = command with { Original = await WithFreeSlugAsync(command.Original, null, ct) };
        var events = ArticleDecider.Draft(id, command);
        return await commands.StartAsync<Article>("draftArticle", id, events, clientMutationId,
            session => ReserveSlugs(session, id, null, events), ct);
    }

    public async Task<Article> SaveTranslationAsync(Guid id, int? expectedVersion, TranslationInput translation, string? clientMutationId, CancellationToken ct)
    {
        translation = await WithFreeSlugAsync(translation, id, ct);
        return await DecideAsync("saveTranslation", id, expectedVersion, clientMutationId, a => [ArticleDecider.Save(a, translation)], ct,
            (session, before, events) => ReserveSlugs(session, id, before, events));
    }

    public async Task<Article> TagAsync(Guid id, int? expectedVersion, TagArticle command, string? clientMutationId, CancellationToken ct)
    {
        await EnsureLinksAsync(command.CaseIds ?? [], command.DefenderIds ?? [], ct);
        return await DecideAsync("tagArticle", id, expectedVersion, clientMutationId, a => [ArticleDecider.Tag(a, command)], ct);
    }

    public async Task<Article> PublishAsync(Guid id, int? expectedVersion, DateTimeOffset? publishAt, string? clientMutationId, CancellationToken ct)
    {
        bool consented;
        await using (var query = store.QuerySession())
        {
            var article = await query.LoadAsync<Article>(id, ct);
            consented = article is { Kind: ArticleKind.Portrait } && await defenders.AllConsentToPortraitAsync(article.DefenderIds, ct);
        }

        return await DecideAsync("publishArticle", id, expectedVersion, clientMutationId,
            a => [ArticleDecider.Publish(a, publishAt, time.GetUtcNow(), consented)], ct);
    }

    public Task<Article> UnpublishAsync(Guid id, int? expectedVersion, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("unpublishArticle", id, expectedVersion, clientMutationId, a => [ArticleDecider.Unpublish(a, time.GetUtcNow())], ct);

    public Task<Article> ArchiveAsync(Guid id, int? expectedVersion, string? clientMutationId, CancellationToken ct) =>
        DecideAsync("archiveArticle", id, expectedVersion, clientMutationId, a => [ArticleDecider.Archive(a, time.GetUtcNow())], ct);

    /// <summary>
    /// The scheduler's work: publishes every scheduled article whose moment has passed (also one a
    /// restart missed), each once — a second run, or a second node, finds nothing left to do.
    /// </summary>
    public async Task<int> PublishDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<Guid> due;
        await using (var query = store.QuerySession())
        {
            due = (await query.Query<Article>().Where(a => a.Status == ArticleStatus.Scheduled && a.PublishAt <= now)
                .Select(a => a.Id).ToListAsync(ct)).ToList();
        }

        var published = 0;
        foreach (var id in due)
        {
            var article = await commands.DecideAsync<Article>("publishScheduled", id, null, null,
                a => ArticleDecider.PublishScheduled(a, now), _ => true, "The article", ct);
            published += article.Status == ArticleStatus.Published && article.PublishedAt <= now ? 1 : 0;
        }

        return published;
    }

    private Task<Article> DecideAsync(string operation, Guid id, int? expectedVersion, string? clientMutationId,
        Func<Article, IReadOnlyList<object>> decide, CancellationToken ct, Action<IDocumentSession, Article, IReadOnlyList<object>>? alongside = null)
    {
        commands.RequireRole(Role.Editor);
        return commands.DecideAsync(operation, id, expectedVersion, clientMutationId, decide, a => Caller.CanSee(a), "The article", alongside, ct);
    }

    /// <summary>
    /// A slug generated from the title takes the first free form (<c>title</c>, <c>title-2</c> …); a
    /// translation that has one keeps it; a slug given explicitly is kept as given (CONFLICT when taken).
    /// </summary>
    private async Task<TranslationInput> WithFreeSlugAsync(TranslationInput t, Guid? articleId, CancellationToken ct)
    {
        if (t.Slug is not null || string.IsNullOrWhiteSpace(t.Title))
        {
            return t;
        }

        await using var query = store.QuerySession();
        if (articleId is { } id && (await query.LoadAsync<Article>(id, ct))?.In(t.Language) is not null)
        {
            return t;
        }

        var baseSlug = ArticleDecider.Slugify(t.Title);
        for (var n = 1; ; n++)
        {
            var candidate = n == 1 ? baseSlug : $"{baseSlug}-{n}";
            var taken = await query.LoadAsync<ArticleSlug>(ArticleSlug.IdFor(t.Language, candidate), ct);
            if (taken is null || taken.ArticleId == articleId)
            {
                return t with { Slug = candidate };
            }
        }
    }

    private static void ReserveSlugs(IDocumentSession session, Guid articleId, Article? before, IReadOnlyList<object> events)
    {
        foreach (var saved in events.OfType<TranslationSaved>())
        {
            var previous = before?.In(saved.Language)?.Slug;
            if (previous == saved.Slug)
            {
                continue;
            }

            if (previous is not null)
            {
                session.Delete<ArticleSlug>(ArticleSlug.IdFor(saved.Language, previous));
            }

            session.Insert(new ArticleSlug { Id = ArticleSlug.IdFor(saved.Language, saved.Slug), ArticleId = articleId });
        }
    }

    private async Task EnsureLinksAsync(IReadOnlyList<Guid> caseIds, IReadOnlyList<Guid> defenderIds, CancellationToken ct)
    {
        var visibleCases = await cases.CasesAsync(caseIds, Caller, ct);
        for (var i = 0; i < caseIds.Count; i++)
        {
            if (!visibleCases.ContainsKey(caseIds[i]))
            {
                throw DomainException.Validation($"caseIds[{i}]", "No such case.");
            }
        }

        var visibleDefenders = await defenders.ExistingAsync(defenderIds, Caller, ct);
        for (var i = 0; i < defenderIds.Count; i++)
        {
            if (!visibleDefenders.Contains(defenderIds[i]))
            {
                throw DomainException.Validation($"defenderIds[{i}]", "No such defender.");
            }
        }
    }
}
