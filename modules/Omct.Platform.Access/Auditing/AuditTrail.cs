using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Storage;

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

    /// <summary>
    /// One page of the entity's trail matching <paramref name="criteria"/>, oldest first by <see cref="OrderKeyOf"/>
    /// (a keyset position; the empty list when the caller may not see the record, as for an unknown id). The events
    /// are read by <c>stream_id</c> and the reads by their entity id index, so the cost follows the record's own trail.
    /// </summary>
    public async Task<IReadOnlyList<KeyedAuditEntry>> PageAsync(
        string entityId, AuditCriteria criteria, Func<string, Guid, Task<bool?>> isVisible, long? afterKey, int take, CancellationToken ct)
    {
        if (await VisibleIdAsync(entityId, isVisible) is not { } id)
        {
            return [];
        }

        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = connection.Sql("");
        return await command.KeysetPage($"select * from ({Union(id, criteria, command)}) trail where true", afterKey, take, newestFirst: false)
            .ReadAllAsync(r => new KeyedAuditEntry(r.GetInt64(0), new AuditEntry(
                r.GetInt32(1) == 0 ? AuditEntryKind.Change : AuditEntryKind.RestrictedRead,
                r.GetFieldValue<DateTimeOffset>(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7))), ct);
    }

    /// <summary>How many entries of the entity's trail match <paramref name="criteria"/> (0 when the caller may not see the record).</summary>
    public async Task<int> CountAsync(string entityId, AuditCriteria criteria, Func<string, Guid, Task<bool?>> isVisible, CancellationToken ct)
    {
        if (await VisibleIdAsync(entityId, isVisible) is not { } id)
        {
            return 0;
        }

        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = connection.Sql("");
        command.CommandText = $"select count(*) from ({Union(id, criteria, command)}) trail";
        return await command.CountAsync(ct);
    }

    /// <summary>The record's id when the caller may see it (see the class); VALIDATION when <paramref name="entityId"/> is not an id of this API.</summary>
    private async Task<Guid?> VisibleIdAsync(string entityId, Func<string, Guid, Task<bool?>> isVisible)
    {
        if (!GlobalId.TryDecode(entityId, out var typeName, out var id))
        {
            throw DomainException.Validation("entityId", "Not an id of this API.");
        }

        return await isVisible(typeName, id) ?? callers.Current.CanSee(Confidentiality.Restricted) ? id : (Guid?)null;
    }

    /// <summary>
    /// The keyset position of an entry: microseconds since 2020 (UTC) times 4,096, plus the event's version modulo
    /// 2,048 for a change (the events of one transaction share a time and have consecutive versions) or 2,048 plus
    /// 11 bits of the read's id for a read (the recorder gives one process's reads distinct microseconds), so changes
    /// and reads interleave by time and no two entries of a record share a position. Good until the year 2091.
    /// </summary>
    private static string OrderKeyOf(string at, string tieBreak) =>
        $"(((extract(epoch from {at}) * 1000000)::bigint - 1577836800000000) * 4096 + {tieBreak})";

    /// <summary>
    /// The union of the record's changes (its event stream, less the events above the caller's clearance, as
    /// <see cref="LevelOf"/> decides in <see cref="ReadAsync"/>) and the reads of its RESTRICTED values, filtered,
    /// as rows (order_key, kind, at, action, version, by, trace_id, client_mutation_id).
    /// </summary>
    private string Union(Guid id, AuditCriteria criteria, NpgsqlCommand command)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        var reads = $"{store.Options.DatabaseSchemaName}.mt_doc_access_restricted_read"; // the alias given in AccessModule
        var entity = command.Parameter(id, NpgsqlDbType.Uuid);
        var hidden = Enum.GetValues<Confidentiality>().Where(l => l > callers.Current.Clearance).Select(l => l.ToString()).ToArray();
        var readAt = "(r.data ->> 'readAt')::timestamptz";

        var changes = new StringBuilder(
            $"select {OrderKeyOf("e.timestamp", "(e.version % 2048)")} as order_key, 0 as kind, e.timestamp as at, e.type as action, " +
            "e.version, e.user_name as by, e.correlation_id as trace_id, e.headers ->> 'clientMutationId' as client_mutation_id " +
            $"from {schema}.mt_events e where e.stream_id = {entity}");
        if (hidden.Length > 0)
        {
            changes.Append($" and coalesce(e.data ->> 'confidentiality', '') <> all({command.Parameter(hidden, NpgsqlDbType.Array | NpgsqlDbType.Text)})");
        }

        var restrictedReads = new StringBuilder(
            $"select {OrderKeyOf(readAt, "(2048 + ('x' || right(r.id::text, 3))::bit(12)::int % 2048)")} as order_key, 1 as kind, " +
            $"{readAt} as at, r.data ->> 'field' as action, null::bigint as version, r.data ->> 'callerId' as by, " +
            $"r.data ->> 'traceId' as trace_id, null::text as client_mutation_id from {reads} r where (r.data ->> 'entityId')::uuid = {entity}");

        if (criteria.By is { } by)
        {
            var caller = command.Parameter(by, NpgsqlDbType.Text);
            changes.Append($" and e.user_name = {caller}");
            restrictedReads.Append($" and r.data ->> 'callerId' = {caller}");
        }

        if (criteria.From is { } from)
        {
            var p = command.Parameter(from.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            changes.Append($" and e.timestamp >= {p}");
            restrictedReads.Append($" and {readAt} >= {p}");
        }

        if (criteria.To is { } to)
        {
            var p = command.Parameter(to.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            changes.Append($" and e.timestamp < {p}");
            restrictedReads.Append($" and {readAt} < {p}");
        }

        var parts = new List<string>();
        if (criteria.Kinds.Count == 0 || criteria.Kinds.Contains(AuditEntryKind.Change))
        {
            parts.Add(changes.ToString());
        }

        if (criteria.Kinds.Count == 0 || criteria.Kinds.Contains(AuditEntryKind.RestrictedRead))
        {
            parts.Add(restrictedReads.ToString());
        }

        return string.Join(" union all ", parts);
    }

    /// <summary>The level an event's data carries (a <c>Confidentiality</c> property: an event, victim or report of its own level), if any.</summary>
    private static Confidentiality? LevelOf(object data) =>
        Levels.GetOrAdd(data.GetType(), static t => t.GetProperty("Confidentiality") is { } p
            && (p.PropertyType == typeof(Confidentiality) || p.PropertyType == typeof(Confidentiality?)) ? p : null)?.GetValue(data) as Confidentiality?;

    private static readonly ConcurrentDictionary<Type, PropertyInfo?> Levels = new();
}

/// <summary>The filters of <c>auditEntries</c> (all optional; each narrows).</summary>
internal sealed record AuditCriteria(IReadOnlyList<AuditEntryKind> Kinds, string? By, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>An entry of <c>auditEntries</c> with its keyset position.</summary>
internal sealed record KeyedAuditEntry(long OrderKey, AuditEntry Entry);
