using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
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
