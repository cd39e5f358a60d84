using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.News.Articles;
using Omct.Platform.News.Domain;
using Omct.Platform.News.GraphQL;
using Omct.Platform.News.Portraits;

namespace Omct.Platform.News.ChangeFeed;

/// <summary>
/// Articles in the change feed, seen as <c>articles</c> and <c>node(id)</c> see them
/// (<see cref="ArticleVisibility"/>): published ones within clearance (a portrait only while its
/// defenders' consent is recorded), editors also the rest.
/// Unpublishing, archiving or raising the level of a published article takes it out of a
/// reader's sight (REDACTED); archiving is DELETED for those who still see it (editors).
/// </summary>
internal sealed class ArticleFeedSource(IDocumentStore store) : IChangeFeedSource
{
    public static readonly FeedEntityType Articles = new("ARTICLE", ArticleIds.Article, typeof(Article),
        [typeof(ArticleArchived)], [typeof(ArticleTagged), typeof(ArticleUnpublished), typeof(ArticleArchived)]);

    public IReadOnlyList<FeedEntityType> EntityTypes { get; } = [Articles];

    public async Task<IReadOnlySet<Guid>> VisibleAsync(FeedEntityType type, IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken)
    {
        var wanted = ids.ToArray();
        var levels = caller.VisibleLevels();
        await using var session = store.QuerySession();
        var query = session.Query<Article>().Where(a => wanted.Contains(a.Id) && levels.Contains(a.Confidentiality));
        if (caller.HasRole(Role.Editor))
        {
            return (await query.Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
        }

        // As for everyone but editors elsewhere: published, and a portrait only with its consents.
        var published = await query.Where(a => a.Status == ArticleStatus.Published).ToListAsync(cancellationToken);
        return await PortraitRule.ShownAsync(session, published, cancellationToken);
    }

    public bool LostSight(FeedEntityType type, object @event, Caller caller)
    {
        var editor = caller.HasRole(Role.Editor);
        bool Reads(Confidentiality level, bool published) => caller.CanSee(level) && (published || editor);
        return @event switch
        {
            ArticleTagged { ConfidentialityFrom: { } from, Confidentiality: { } to, Published: { } published } =>
                Reads(from, published) && !Reads(to, published),
            ArticleUnpublished { From: { } status, Confidentiality: { } level } => Reads(level, status == ArticleStatus.Published) && !Reads(level, false),
            ArticleArchived { From: { } status, Confidentiality: { } level } => Reads(level, status == ArticleStatus.Published) && !Reads(level, false),
            _ => false,
        };
    }
}
