using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.Integration;

/// <summary>
/// An entity type the change feed lists, as the module that owns it declares it.
/// </summary>
/// <param name="Name">The public <c>EntityType</c> value (<c>CASE</c>, <c>DEFENDER</c> …): a promise to integrators.</param>
/// <param name="GlobalIdType">The type name in the entity's global id, the one <c>node(id)</c> resolves (<c>Case</c>).</param>
/// <param name="AggregateType">The aggregate its event streams are started with (<c>StartStream&lt;T&gt;</c>): how the feed maps a stream to this type.</param>
/// <param name="DeletingEvents">Events after which the entity no longer exists for anyone who sees it (listed as <c>DELETED</c>).</param>
/// <param name="VisibilityEvents">
/// Events that may take the entity out of a caller's sight (a raised confidentiality, an
/// unpublished article). They carry what the source needs to tell, for a caller, whether it could
/// see the entity before and cannot after (<see cref="IChangeFeedSource.LostSight"/>).
/// </param>
/// <param name="SilentEvents">
/// Events in the entity's stream that are not a change of it for integrators: notices to other
/// modules that repeat, next to it, a change the feed already lists (the defenders module's
/// <c>DefenderPersonalDataErased</c> next to its erasure). The feed skips them.
/// </param>
public sealed record FeedEntityType(
    string Name,
    string GlobalIdType,
    Type AggregateType,
    IReadOnlyCollection<Type> DeletingEvents,
    IReadOnlyCollection<Type> VisibilityEvents,
    IReadOnlyCollection<Type>? SilentEvents = null);

/// <summary>
/// What a module tells the change feed about its own entities: which they are and who may see
/// them now, with the module's own clearance rules (the feed knows none). Implemented once per
/// module (<c>&lt;Module&gt;/ChangeFeed/</c>), registered in its <c>ConfigureServices</c>.
/// </summary>
public interface IChangeFeedSource
{
    IReadOnlyList<FeedEntityType> EntityTypes { get; }

    /// <summary>
    /// Which of <paramref name="ids"/> (stream ids of <paramref name="type"/>) the caller may see
    /// now, by the same rule as the module's lists and <c>node(id)</c>; one query for the batch.
    /// </summary>
    Task<IReadOnlySet<Guid>> VisibleAsync(FeedEntityType type, IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// For an event of one of <see cref="FeedEntityType.VisibilityEvents"/>: true when the caller
    /// could see the entity just before the event and cannot just after it. An event written
    /// before it carried that information answers false (never tell a caller about an entity it
    /// may never have seen).
    /// </summary>
    bool LostSight(FeedEntityType type, object @event, Caller caller);
}
