using GraphQL;
using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.BuildingBlocks.History;

/// <summary><c>HistoryEntry { at by action summary reason version }</c>.</summary>
public sealed class HistoryEntryGraphType : ObjectGraphType<HistoryEntry>
{
    public HistoryEntryGraphType()
    {
        Name = "HistoryEntry";
        Description = "One change of a record: when, who, what (an upper-case action and one line), why.";
        Field(h => h.At).Description("When the change was recorded.");
        Field<StringGraphType>("by")
            .Description("Who made it: the caller id the audit trail records (user:…, apikey:…, system:…); null for callers below STAFF.")
            .Resolve(c => c.GetCaller().HasRole(Role.Staff) ? c.Source.By : null);
        Field(h => h.Action).Description("What kind of change, e.g. CASE_OPENED, CASE_UPDATED, CASE_EVENT_WITHDRAWN.");
        Field(h => h.Summary).Description("One English line; it names nothing above your clearance.");
        Field(h => h.Reason, nullable: true).Description("The reason given with a correction.");
        Field(h => h.Version).Description("The record's version after the change.");
        this.FieldsShownWithRecord();
    }
}

public static class HistoryFields
{
    /// <summary>
    /// Adds <c>history(first: Int, after: String): HistoryEntryConnection!</c> to a record's type: the entries of the
    /// record's stream (<paramref name="streamId"/>) that the module's <paramref name="describer"/> gives the caller,
    /// oldest first. The describer is made once per resolved field (it is called once per event, oldest first).
    /// </summary>
    public static void HistoryField<TSource>(
        this ObjectGraphType<TSource> type, Func<TSource, Guid> streamId, Func<IResolveFieldContext<TSource>, HistoryDescriber> describer)
    {
        ArgumentNullException.ThrowIfNull(type);
        type.Field<NonNullGraphType<ConnectionGraphType<HistoryEntryGraphType>>>("history")
            .Description("The changes of this record you may know of, oldest first: who, when, what and why.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .ResolveAsync(async c => (object)await RecordHistory.PageAsync(
                c.Service<IDocumentStore>(), streamId(c.Source), describer(c), c.GetArgument<int?>("first"), c.GetArgument<string?>("after"),
                c.CancellationToken));
    }
}
