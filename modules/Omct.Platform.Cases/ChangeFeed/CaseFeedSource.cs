using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.GraphQL;

namespace Omct.Platform.Cases.ChangeFeed;

/// <summary>
/// Cases in the change feed: a case is visible by its confidentiality, as in <c>cases</c> and
/// <c>node(id)</c>. Cases are closed, never deleted. Raising the level takes the case out of the
/// sight of callers between the two levels (REDACTED for them).
/// </summary>
internal sealed class CaseFeedSource(IDocumentStore store) : IChangeFeedSource
{
    public static readonly FeedEntityType Cases = new("CASE", CaseIds.Case, typeof(Case), [], [typeof(CaseConfidentialityChanged)]);

    public IReadOnlyList<FeedEntityType> EntityTypes { get; } = [Cases];

    public async Task<IReadOnlySet<Guid>> VisibleAsync(FeedEntityType type, IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken)
    {
        var wanted = ids.ToArray();
        var levels = caller.VisibleLevels();
        await using var session = store.QuerySession();
        var visible = await session.Query<Case>()
            .Where(c => wanted.Contains(c.Id) && levels.Contains(c.Confidentiality))
            .Select(c => c.Id)
            .ToListAsync(cancellationToken);
        return visible.ToHashSet();
    }

    public bool LostSight(FeedEntityType type, object @event, Caller caller) =>
        @event is CaseConfidentialityChanged changed && caller.CanSee(changed.From) && !caller.CanSee(changed.To);
}
