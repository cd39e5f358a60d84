using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.Teamwork.GraphQL;
using Omct.Platform.Teamwork.Ownership;
using Omct.Platform.Teamwork.Records;
using Omct.Platform.Teamwork.Tasks;

namespace Omct.Platform.Teamwork.ChangeFeed;

/// <summary>
/// Teamwork in the change feed: <c>TASK</c> (created; completed, cancelled, reassigned as UPDATED) and <c>TEAMWORK</c>,
/// a record's team (owner assigned, watcher added or removed — also when the platform takes someone off — the first as
/// CREATED, the others UPDATED). Neither has a level of its own: each is visible exactly where its record is, asked of
/// the record's module (<see cref="TeamworkRecords"/>), as in <c>tasks</c>, <c>teamwork</c> and <c>node(id)</c>. A record
/// raised above the caller takes its tasks and team out of its feed with it (the record's own REDACTED says so; the
/// teamwork streams carry no level to tell it from). A team is named by its stream's id (<see cref="RecordTeam.StreamIdOf"/>),
/// which <c>node(id)</c> resolves to the record's <c>Teamwork</c>. Notes are not in the feed (see the README).
/// </summary>
internal sealed class TeamworkFeedSource(IDocumentStore store, TeamworkRecords records) : IChangeFeedSource
{
    public static readonly FeedEntityType Tasks = new("TASK", TaskIds.Task, typeof(WorkTask), [], []);

    public static readonly FeedEntityType Teams = new("TEAMWORK", TeamworkGraphType.TypeName, typeof(RecordTeam), [], []);

    public IReadOnlyList<FeedEntityType> EntityTypes { get; } = [Tasks, Teams];

    public async Task<IReadOnlySet<Guid>> VisibleAsync(FeedEntityType type, IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var wanted = ids.Distinct().ToArray();
        IReadOnlyList<(Guid Id, string RecordType, Guid RecordId)> rows = type == Tasks
            ? [.. (await session.LoadManyAsync<WorkTask>(cancellationToken, wanted)).Select(t => (t.Id, t.RecordType, t.RecordId))]
            : [.. (await session.LoadManyAsync<RecordTeam>(cancellationToken, wanted)).Select(t => (t.Id, t.RecordType, t.RecordId))];
        var visible = await records.VisibleAsync(rows.Select(r => (r.RecordType, r.RecordId)), caller, cancellationToken);
        return rows.Where(r => visible.ContainsKey(r.RecordId)).Select(r => r.Id).ToHashSet();
    }

    /// <summary>Tasks and teams have no level of their own: they leave a caller's sight only with their record.</summary>
    public bool LostSight(FeedEntityType type, object @event, Caller caller) => false;
}
