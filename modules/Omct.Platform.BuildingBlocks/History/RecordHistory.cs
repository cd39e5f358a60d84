using JasperFx.Events;
using Marten;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.BuildingBlocks.History;

/// <summary>
/// What one event of a record's stream says to a caller: an upper-case <paramref name="Action"/>
/// (<c>CASE_UPDATED</c>, <c>CASE_EVENT_WITHDRAWN</c> …), one English line that names nothing above
/// the caller's clearance, and the correction's reason when the event has one.
/// </summary>
public sealed record HistoryDescription(string Action, string Summary, string? Reason = null);

/// <summary>
/// One entry of a record's history: when (the event's timestamp), who (the caller id the event
/// records, as <c>auditTrail</c> shows it), what, why, and the record's version after it.
/// </summary>
public sealed record HistoryEntry(DateTimeOffset At, string? By, string Action, string Summary, string? Reason, int Version);

/// <summary>
/// Describes the events of one record's stream for one caller, oldest first, one call per event
/// (so it may keep what earlier events said: the level of an event a later withdrawal names).
/// Returns null for an event that gives no entry: one about something above the caller's
/// clearance, or one that only tells other modules (a contract event).
/// </summary>
public delegate HistoryDescription? HistoryDescriber(IEvent @event);

/// <summary>
/// The record-history building block: a record's history is its event stream, read with its
/// Marten metadata (timestamp, <c>LastModifiedBy</c> = the caller id StreamCommands sets, version)
/// and described by the module that owns the record (<see cref="HistoryDescriber"/>). The module
/// exposes it as <c>history(first, after): HistoryEntryConnection!</c> with
/// <see cref="HistoryFields.HistoryField{TSource}"/>. Who and when are never copied into events;
/// a correction's event carries only its optional <c>Reason</c> (checked by <see cref="Reason"/>).
/// </summary>
public static class RecordHistory
{
    /// <summary>The most characters a correction's reason may have.</summary>
    public const int MaxReason = 2_000;

    /// <summary>A correction's optional reason: trimmed, null when empty, at most 2,000 characters (VALIDATION on <c>reason</c>).</summary>
    public static string? Reason(string? reason) => Input.Optional(reason, "reason", MaxReason);

    /// <summary>
    /// The entries of stream <paramref name="streamId"/> that <paramref name="describe"/> gives, oldest first
    /// (the whole stream is read and described: a record's history is its own stream, not a table scan).
    /// </summary>
    public static async Task<IReadOnlyList<HistoryEntry>> ReadAsync(IDocumentStore store, Guid streamId, HistoryDescriber describe, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(describe);
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(streamId, token: ct);
        var entries = new List<HistoryEntry>(events.Count);
        foreach (var e in events.OrderBy(e => e.Version))
        {
            if (describe(e) is { } d)
            {
                entries.Add(new HistoryEntry(e.Timestamp, e.UserName, d.Action, d.Summary, d.Reason, (int)e.Version));
            }
        }

        return entries;
    }

    /// <summary>
    /// One page of the history (<see cref="Paging"/>'s conventions: <paramref name="first"/> entries after the cursor
    /// <paramref name="after"/>, the cursor being the entry's version).
    /// </summary>
    public static async Task<Connection<HistoryEntry>> PageAsync(
        IDocumentStore store, Guid streamId, HistoryDescriber describe, int? first, string? after, CancellationToken ct)
    {
        var pageSize = Paging.PageSize(first);
        var afterVersion = Paging.DecodeCursor(after);
        var entries = await ReadAsync(store, streamId, describe, ct);
        var rows = entries.Where(e => afterVersion is not { } v || e.Version > v).Take(pageSize + 1).ToList();
        return Paging.Page(rows, pageSize, e => e.Version, _ => Task.FromResult(entries.Count));
    }
}
