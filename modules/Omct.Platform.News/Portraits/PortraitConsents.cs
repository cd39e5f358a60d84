using Marten;
using Marten.Events.Projections;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.News.Articles;
using Omct.Platform.News.Domain;

namespace Omct.Platform.News.Portraits;

/// <summary>
/// Whether a portrait of a defender may be published, as the defenders module last said
/// (<see cref="DefenderPortraitConsentChanged"/> in its contracts). Kept inline, so the change is
/// committed with the consent that caused it: a portrait stops being public in the same transaction
/// as the withdrawal. A defender without a document has never consented.
/// </summary>
public sealed class PortraitConsent
{
    /// <summary>The defender's id.</summary>
    public Guid Id { get; set; }

    public bool Given { get; set; }
}

public sealed class PortraitConsentProjection : MultiStreamProjection<PortraitConsent, Guid>
{
    public PortraitConsentProjection() => Identity<DefenderPortraitConsentChanged>(e => e.DefenderId);

    public static PortraitConsent Apply(DefenderPortraitConsentChanged e, PortraitConsent consent)
    {
        (consent.Id, consent.Given) = (e.DefenderId, e.Given);
        return consent;
    }
}

/// <summary>The rule "a portrait is public only while each linked defender's consent to a portrait is recorded", for one article and for lists.</summary>
internal static class PortraitRule
{
    public const string DocumentAlias = "news_portrait_consent";

    /// <summary>True when there is at least one defender and each has consent to a portrait recorded (one query).</summary>
    public static async Task<bool> ConsentedAsync(IQuerySession session, IReadOnlyCollection<Guid> defenderIds, CancellationToken ct)
    {
        var ids = defenderIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return false;
        }

        var consents = await session.LoadManyAsync<PortraitConsent>(ct, ids);
        return consents.Count == ids.Count && consents.All(c => c.Given);
    }

    /// <summary>Of <paramref name="articles"/>, those the rule shows (all but portraits without every linked consent), in one query.</summary>
    public static async Task<IReadOnlySet<Guid>> ShownAsync(IQuerySession session, IReadOnlyCollection<Article> articles, CancellationToken ct)
    {
        var linked = articles.Where(a => a.Kind == ArticleKind.Portrait).SelectMany(a => a.DefenderIds).Distinct().ToList();
        var given = linked.Count == 0 ? []
            : (await session.LoadManyAsync<PortraitConsent>(ct, linked)).Where(c => c.Given).Select(c => c.Id).ToHashSet();
        return articles.Where(a => Shown(a, given)).Select(a => a.Id).ToHashSet();
    }

    /// <summary>Every defender whose consent to a portrait is recorded (for a whole export, read once in its snapshot).</summary>
    public static async Task<HashSet<Guid>> AllGivenAsync(IQuerySession session, CancellationToken ct) =>
        (await session.Query<PortraitConsent>().Where(c => c.Given).Select(c => c.Id).ToListAsync(ct)).ToHashSet();

    /// <summary>The rule for one article, given the defenders whose consent is recorded.</summary>
    public static bool Shown(Article article, IReadOnlySet<Guid> consentGiven) =>
        article.Kind != ArticleKind.Portrait || (article.DefenderIds.Count > 0 && article.DefenderIds.All(consentGiven.Contains));

    /// <summary>
    /// A condition on the article table (alias <c>d</c>, for <c>MatchesSql</c>): the article is not a
    /// portrait, or it links at least one defender and each has consent to a portrait recorded.
    /// Part of the list's own query, so pages and counts stay exact.
    /// </summary>
    public static string ShownSql(string schema) =>
        "(d.data ->> 'kind' <> 'Portrait' or (jsonb_array_length(coalesce(d.data -> 'defenderIds', '[]'::jsonb)) > 0 and not exists (" +
        "select 1 from jsonb_array_elements_text(d.data -> 'defenderIds') linked(id) where not exists (" +
        $"select 1 from {schema}.mt_doc_{DocumentAlias} c where c.id = linked.id::uuid and c.data ->> 'given' = 'true'))))";
}
