using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Integration.ChangeFeed;

namespace Omct.Platform.Integration.GraphQL;

internal static class ChangeQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ChangeConnectionGraphType>>("changes")
            .Description("Every change to every entity the caller may see, oldest first, each once across calls: store pageInfo.endCursor and call " +
                         "again with after. first: default 100, at most 1,000. Role INTEGRATOR (or STAFF, EDITOR, ADMIN).")
            .Argument<StringGraphType>("after")
            .Argument<IntGraphType>("first")
            .Argument<ListGraphType<NonNullGraphType<EntityTypeGraphType>>>("entityTypes", "Only these entity types (default: all). A cursor is read on with the same entityTypes.")
            .RequireRole(Role.Integrator)
            .ResolveAsync(async ctx => await ctx.Service<ChangeFeedReader>().ReadAsync(
                ctx.GetArgument<string?>("after"),
                ChangeFeedReader.PageSize(ctx.GetArgument<int?>("first")),
                ctx.GetArgument<List<string>?>("entityTypes"),
                ctx.GetCaller(),
                ctx.CancellationToken));
    }
}
