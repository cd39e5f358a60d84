using GraphQL.Types;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Integration.ChangeFeed;

namespace Omct.Platform.Integration.GraphQL;

/// <summary><c>CASE | DEFENDER | ORGANISATION | …</c>: the entity types the modules' change feed sources declare.</summary>
internal sealed class EntityTypeGraphType : EnumerationGraphType
{
    public EntityTypeGraphType(FeedCatalog catalog)
    {
        Name = "EntityType";
        Description = "The kinds of entity the change feed lists.";
        foreach (var entry in catalog.All)
        {
            Add(entry.Type.Name, entry.Type.Name, $"Ids resolvable with node(id) as {entry.Type.GlobalIdType}.");
        }
    }
}

internal sealed class ChangeKindGraphType : EnumerationGraphType<ChangeKind>
{
    public ChangeKindGraphType()
    {
        Name = "ChangeKind";
        Description = "CREATED: the entity's first event. UPDATED: any later one. DELETED: the entity was removed (a defender's personal data erased, " +
                      "a profile merged into another, an article archived). REDACTED: the entity was taken out of your sight (its confidentiality " +
                      "rose above your clearance, an article was unpublished): drop what you hold of it; nothing else of it is listed while hidden.";
    }
}

internal sealed class ChangeGraphType : ObjectGraphType<Change>
{
    public ChangeGraphType()
    {
        Name = "Change";
        Description = "One change to an entity the caller may see (or, as REDACTED, one that it no longer may). No content: fetch the entity with node(entityId).";
        Field(c => c.Cursor).Description("Resume after this change: pass it as changes(after:).");
        Field<NonNullGraphType<LongGraphType>>("sequence").Description("The event store's global sequence number (orders changes within a bucket; see the README).")
            .Resolve(c => c.Source.Sequence);
        Field<NonNullGraphType<EntityTypeGraphType>>("entityType").Resolve(c => c.Source.EntityType);
        Field<NonNullGraphType<IdGraphType>>("entityId").Description("The entity's global id, as node(id) takes it.").Resolve(c => c.Source.EntityId);
        Field<NonNullGraphType<ChangeKindGraphType>>("kind").Resolve(c => c.Source.Kind);
        Field<IntGraphType>("version").Description("The entity's version after the change; null for REDACTED.").Resolve(c => c.Source.Version);
        Field<IsoDateTimeGraphType>("occurredAt").Description("When the change was recorded; null for REDACTED.").Resolve(c => c.Source.OccurredAt);
        this.FieldsShownWithRecord();
    }
}

internal sealed class ChangeEdgeGraphType : ObjectGraphType<Change>
{
    public ChangeEdgeGraphType()
    {
        Name = "ChangeEdge";
        Field(c => c.Cursor);
        Field<NonNullGraphType<ChangeGraphType>>("node").Resolve(c => c.Source);
        this.FieldsShownWithRecord();
    }
}

/// <summary>A Relay connection without totalCount: how many changes there are is not the caller's business.</summary>
internal sealed class ChangeConnectionGraphType : ObjectGraphType<ChangePage>
{
    public ChangeConnectionGraphType()
    {
        Name = "ChangeConnection";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChangeEdgeGraphType>>>>("edges").Resolve(c => c.Source.Changes);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ChangeGraphType>>>>("nodes").Resolve(c => c.Source.Changes);
        Field<NonNullGraphType<ChangePageInfoGraphType>>("pageInfo").Resolve(c => c.Source);
        this.FieldsShownWithRecord();
    }
}

internal sealed class ChangePageInfoGraphType : ObjectGraphType<ChangePage>
{
    public ChangePageInfoGraphType()
    {
        Name = "ChangePageInfo";
        Description = "Where to go on from. endCursor is never null: it can lie past the last edge (changes you may not see were skipped), so store it, not the last edge's cursor.";
        Field(p => p.HasNextPage).Description("False when the feed was drained at the time of the call (poll again later with endCursor).");
        Field<NonNullGraphType<StringGraphType>>("endCursor").Resolve(c => c.Source.EndCursor);
        this.FieldsShownWithRecord();
    }
}
