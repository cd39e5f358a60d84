using System.Collections.Concurrent;
using System.Reflection;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Access.Auditing;

internal enum AuditEntryKind { Change, RestrictedRead }

internal sealed record AuditEntry(
    AuditEntryKind Kind, DateTimeOffset At, string Action, long? Version, string? By, string? TraceId, string? ClientMutationId);

/// <summary>
/// An entity's history for admins — every event of its stream with who (caller id), when, the request's
/// trace id and the clientMutationId, and every read of its <c>RESTRICTED</c> values — oldest first. It names
/// actions, never the data they carried. Scoped.
/// <para>
/// An admin sees the trail of a record only when it may see the record itself (its module's node resolver
/// decides, as for <c>node(id)</c>): the trail of a record above the admin's clearance is the empty list,
/// exactly the answer for an id that does not exist. Ids of a kind no module resolves are answered only to
/// callers with <c>RESTRICTED</c> clearance, who may see everything. Inside a record the admin may see, a
/// change whose event carries a level above the admin's clearance (a RESTRICTED case event or victim in a
/// NETWORK case, an event raised to RESTRICTED) is left out: its type and time would tell of an entry the
/// admin may not see.
/// </para>
/// </summary>
internal sealed class AuditTrail(IDocumentStore store, ICallerContext callers)
{
    /// <param name="isVisible">Whether the caller may see the record of this type and id; null when no module resolves the type.</param>
    public async Task<List<AuditEntry>> ReadAsync(string entityId, Func<string, Guid, Task<bool?>> isVisible, CancellationToken ct)
    {
        if (!GlobalId.TryDecode(entityId, out var typeName, out var id))
        {
            throw DomainException.Validation("entityId", "Not an id of this API.");
        }

        var caller = callers.Current;
        if (!(await isVisible(typeName, id) ?? caller.CanSee(Confidentiality.Restricted)))
        {
            return [];
        }

        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        var reads = await session.Query<RestrictedRead>().Where(r => r.EntityId == id).OrderBy(r => r.ReadAt)
            .Take(10_000).ToListAsync(ct);

        return events
            .Where(e => LevelOf(e.Data) is not { } level || level <= caller.Clearance)
            .Select(e => new AuditEntry(AuditEntryKind.Change, e.Timestamp, e.EventTypeName, e.Version, e.UserName, e.CorrelationId,
                e.Headers is { } h && h.TryGetValue("clientMutationId", out var cmid) ? cmid?.ToString() : null))
            .Concat(reads.Select(r => new AuditEntry(AuditEntryKind.RestrictedRead, r.ReadAt, r.Field, null, r.CallerId, r.TraceId, null)))
            .OrderBy(a => a.At)
            .ToList();
    }

    /// <summary>The level an event's data carries (a <c>Confidentiality</c> property: an event, victim or report of its own level), if any.</summary>
    private static Confidentiality? LevelOf(object data) =>
        Levels.GetOrAdd(data.GetType(), static t => t.GetProperty("Confidentiality") is { } p
            && (p.PropertyType == typeof(Confidentiality) || p.PropertyType == typeof(Confidentiality?)) ? p : null)?.GetValue(data) as Confidentiality?;

    private static readonly ConcurrentDictionary<Type, PropertyInfo?> Levels = new();
}
