using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Integration.ChangeFeed;

namespace Omct.Platform.Integration.GraphQL;

[QueryFields]
internal sealed class ChangeQueries
{
    [Description("Every change to every entity the caller may see, oldest first, each once across calls: store pageInfo.endCursor and call " +
                 "again with after. first: default 100, at most 1,000. Role INTEGRATOR (or STAFF, EDITOR, ADMIN).")]
    [RequireRole(Role.Integrator)]
    [OutputType(typeof(NonNullGraphType<ChangeConnectionGraphType>))] // ChangePage stands for the connection and its pageInfo
    public Task<ChangePage> Changes(
        string? after,
        int? first,
        [Description("Only these entity types (default: all). A cursor is read on with the same entityTypes.")]
        [InputType(typeof(ListGraphType<NonNullGraphType<EntityTypeGraphType>>))]
        List<string>? entityTypes,
        [FromServices] ChangeFeedReader feed,
        IResolveFieldContext ctx) =>
        feed.ReadAsync(after, ChangeFeedReader.PageSize(first), entityTypes, ctx.GetCaller(), ctx.CancellationToken);
}
