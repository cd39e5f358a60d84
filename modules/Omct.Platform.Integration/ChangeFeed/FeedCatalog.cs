using Marten;
using Omct.Platform.BuildingBlocks.Integration;

namespace Omct.Platform.Integration.ChangeFeed;

/// <summary>One entity type of the feed, resolved against the event store's names.</summary>
internal sealed record FeedEntry(
    FeedEntityType Type,
    IChangeFeedSource Source,
    string StreamType,
    IReadOnlySet<string> DeletingEvents,
    IReadOnlyDictionary<string, Type> VisibilityEvents,
    IReadOnlySet<string> SilentEvents);

/// <summary>
/// The entity types every module's <see cref="IChangeFeedSource"/> declares, mapped to the names
/// the event store uses: the aggregate alias Marten writes to <c>mt_streams.type</c> and the event
/// type aliases of <c>mt_events.type</c>. The feed reads no module's internals, only this.
/// </summary>
internal sealed class FeedCatalog
{
    public FeedCatalog(IEnumerable<IChangeFeedSource> sources, IDocumentStore store)
    {
        var events = (Marten.Events.EventGraph)((StoreOptions)store.Options).Events;
        var entries = new List<FeedEntry>();
        foreach (var source in sources)
        {
            foreach (var type in source.EntityTypes)
            {
                entries.Add(new FeedEntry(
                    type, source, events.AggregateAliasFor(type.AggregateType),
                    type.DeletingEvents.Select(t => events.EventMappingFor(t).EventTypeName).ToHashSet(StringComparer.Ordinal),
                    type.VisibilityEvents.ToDictionary<Type, string, Type>(t => events.EventMappingFor(t).EventTypeName, t => t, StringComparer.Ordinal),
                    (type.SilentEvents ?? []).Select(t => events.EventMappingFor(t).EventTypeName).ToHashSet(StringComparer.Ordinal)));
            }
        }

        All = [.. entries.OrderBy(e => e.Type.Name, StringComparer.Ordinal)];
        var duplicate = All.GroupBy(e => e.Type.Name).FirstOrDefault(g => g.Count() > 1)
                        ?? All.GroupBy(e => e.StreamType).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two change feed sources declare '{duplicate.Key}'.");
        }

        ByName = All.ToDictionary(e => e.Type.Name, StringComparer.Ordinal);
        ByStreamType = All.ToDictionary(e => e.StreamType, StringComparer.Ordinal);
        VisibilityEventNames = [.. All.SelectMany(e => e.VisibilityEvents.Keys).Distinct()];
    }

    public IReadOnlyList<FeedEntry> All { get; }

    public IReadOnlyDictionary<string, FeedEntry> ByName { get; }

    public IReadOnlyDictionary<string, FeedEntry> ByStreamType { get; }

    /// <summary>Event type aliases whose data the feed reads (to tell a loss of sight); all others are read without data.</summary>
    public string[] VisibilityEventNames { get; }
}
