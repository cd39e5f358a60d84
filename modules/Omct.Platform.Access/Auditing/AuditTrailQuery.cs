using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.Access.Auditing;

/// <summary><c>auditTrail(entityId)</c> (see <see cref="AuditTrail"/>): whether the admin may see the record is <c>node(id)</c>'s answer.</summary>
[QueryFields]
internal sealed class AuditTrailQuery
{
    [Description("ADMIN: the history of an entity (any id): changes and reads of its RESTRICTED values, oldest first.")]
    [RequireRole(Role.Admin)]
    public Task<List<AuditEntry>> AuditTrail([Id] string entityId, [FromServices] AuditTrail trail, IResolveFieldContext ctx) =>
        trail.ReadAsync(entityId,
            async (typeName, id) => ctx.IsNodeType(typeName) ? await ctx.ResolveNodeAsync(typeName, id) is not null : null,
            ctx.CancellationToken);

    [Description("ADMIN: the history of an entity (any id) as a connection, filtered by kind, caller and time: changes and reads of its RESTRICTED values, oldest first, within your clearance as auditTrail.")]
    [RequireRole(Role.Admin)]
    public async Task<Connection<AuditEntry>> AuditEntries(
        [Id] string entityId, AuditEntryFilter? filter, int? first, string? after, [FromServices] AuditTrail trail, IResolveFieldContext ctx)
    {
        var criteria = Criteria(filter ?? new AuditEntryFilter());
        var pageSize = Paging.PageSize(first);
        var afterKey = Paging.DecodeCursor(after);
        async Task<bool?> IsVisible(string typeName, Guid id) => ctx.IsNodeType(typeName) ? await ctx.ResolveNodeAsync(typeName, id) is not null : null;
        var rows = await trail.PageAsync(entityId, criteria, IsVisible, afterKey, pageSize + 1, ctx.CancellationToken);
        var page = Paging.Page(rows, pageSize, r => r.OrderKey, ct => trail.CountAsync(entityId, criteria, IsVisible, ct));
        return new Connection<AuditEntry>([.. page.Edges.Select(e => new Edge<AuditEntry>(e.Cursor, e.Node.Entry))], page.PageInfo, page.TotalCount);
    }

    private static readonly string[] CallerPrefixes = ["apikey:", "user:", "system:"];

    private static AuditCriteria Criteria(AuditEntryFilter filter)
    {
        if (filter.By is { } by && (by.Length > 200 || !CallerPrefixes.Any(p => by.StartsWith(p, StringComparison.Ordinal) && by.Length > p.Length)))
        {
            throw DomainException.Validation("filter.by", "A caller id: apikey:…, user:… or system:… (at most 200 characters).");
        }

        foreach (var (name, at) in new[] { ("filter.from", filter.From), ("filter.to", filter.To) })
        {
            if (at is { Year: < 2000 or > 9000 })
            {
                throw DomainException.Validation(name, "A time from the year 2000 to 9000.");
            }
        }

        if (filter.From > filter.To)
        {
            throw DomainException.Validation("filter.from", "from is after to.");
        }

        return new AuditCriteria(filter.Kinds?.Distinct().ToList() ?? [], filter.By, filter.From, filter.To);
    }
}

internal sealed class AuditEntryFilter
{
    [Description("Only these kinds (all when absent or empty).")]
    public List<AuditEntryKind>? Kinds { get; set; }
    [Description("Only what this caller did: its id as in AuditEntry.by (apikey:…, user:<account id>, system:…).")]
    public string? By { get; set; }
    [Description("At or after this time.")]
    public DateTimeOffset? From { get; set; }
    [Description("Before this time.")]
    public DateTimeOffset? To { get; set; }
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
