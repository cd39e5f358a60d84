using GraphQL;
using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Access.Auditing;

internal enum AuditEntryKind { Change, RestrictedRead }

internal sealed record AuditEntry(
    AuditEntryKind Kind, DateTimeOffset At, string Action, long? Version, string? By, string? TraceId, string? ClientMutationId);

/// <summary>
/// <c>auditTrail(entityId)</c>: an entity's history for admins — every event of its stream with
/// who (caller id), when, the request's trace id and the clientMutationId, and every read of its
/// <c>RESTRICTED</c> values — oldest first. It names actions, never the data they carried.
/// <para>
/// An admin sees the trail of a record only when it may see the record itself (its module's
/// <see cref="INodeResolver"/> decides, as for <c>node(id)</c>): the trail of a record above the admin's
/// clearance is the empty list, exactly the answer for an id that does not exist. Ids of a kind no module
/// resolves are answered only to callers with <c>RESTRICTED</c> clearance, who may see everything.
/// Inside a record the admin may see, a change whose event carries a level above the admin's clearance
/// (a RESTRICTED case event or victim in a NETWORK case, an event raised to RESTRICTED) is left out:
/// its type and time would tell of an entry the admin may not see.
/// </para>
/// </summary>
internal static class AuditTrailQuery
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AuditEntryGraphType>>>>("auditTrail")
            .Description("ADMIN: the history of an entity (any id): changes and reads of its RESTRICTED values, oldest first.")
            .Argument<NonNullGraphType<IdGraphType>>("entityId")
            .RequireRole(Role.Admin)
            .ResolveAsync(async ctx =>
            {
                if (!GlobalId.TryDecode(ctx.GetArgument<string>("entityId"), out var typeName, out var id))
                {
                    throw DomainException.Validation("entityId", "Not an id of this API.");
                }

                if (!await IsVisibleAsync(ctx, typeName, id))
                {
                    return new List<AuditEntry>();
                }

                await using var session = ctx.Service<IDocumentStore>().QuerySession();
                var events = await session.Events.FetchStreamAsync(id, token: ctx.CancellationToken);
                var reads = await session.Query<RestrictedRead>().Where(r => r.EntityId == id).OrderBy(r => r.ReadAt)
                    .Take(10_000).ToListAsync(ctx.CancellationToken);

                var clearance = ctx.GetCaller().Clearance;
                return events
                    .Where(e => LevelOf(e.Data) is not { } level || level <= clearance)
                    .Select(e => new AuditEntry(AuditEntryKind.Change, e.Timestamp, e.EventTypeName, e.Version, e.UserName, e.CorrelationId,
                        e.Headers is { } h && h.TryGetValue("clientMutationId", out var cmid) ? cmid?.ToString() : null))
                    .Concat(reads.Select(r => new AuditEntry(AuditEntryKind.RestrictedRead, r.ReadAt, r.Field, null, r.CallerId, r.TraceId, null)))
                    .OrderBy(a => a.At)
                    .ToList();
            });
    }

    /// <summary>The level an event's data carries (a <c>Confidentiality</c> property: an event, victim or report of its own level), if any.</summary>
    private static Confidentiality? LevelOf(object data) =>
        Levels.GetOrAdd(data.GetType(), static t => t.GetProperty("Confidentiality") is { } p
            && (p.PropertyType == typeof(Confidentiality) || p.PropertyType == typeof(Confidentiality?)) ? p : null)?.GetValue(data) as Confidentiality?;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, System.Reflection.PropertyInfo?> Levels = new();

    /// <summary>Whether the caller may see the record <paramref name="id"/> of kind <paramref name="typeName"/>.</summary>
    private static async Task<bool> IsVisibleAsync(IResolveFieldContext ctx, string typeName, Guid id)
    {
        var resolver = ctx.Service<IEnumerable<INodeResolver>>().FirstOrDefault(r => r.TypeName == typeName);
        return resolver is null
            ? ctx.GetCaller().CanSee(Confidentiality.Restricted)
            : await resolver.ResolveAsync(ctx, id) is not null;
    }
}

internal sealed class AuditEntryKindGraphType : EnumerationGraphType<AuditEntryKind>
{
    public AuditEntryKindGraphType() => Name = "AuditEntryKind";
}

internal sealed class AuditEntryGraphType : ObjectGraphType<AuditEntry>
{
    public AuditEntryGraphType()
    {
        Name = "AuditEntry";
        Field<NonNullGraphType<AuditEntryKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field(a => a.At).Description("When it happened.");
        Field(a => a.Action).Description("The event type (cases.case_opened …) or the field read (Defender.contact).");
        Field<LongGraphType>("version").Resolve(c => c.Source.Version).Description("The entity's version after a change.");
        Field(a => a.By, nullable: true).Description("The caller id: apikey:…, user:…, system:….");
        Field(a => a.TraceId, nullable: true).Description("The request's trace id (also in the server log).");
        Field(a => a.ClientMutationId, nullable: true);
        this.FieldsShownWithRecord();
    }
}
