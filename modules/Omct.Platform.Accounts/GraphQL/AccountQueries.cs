using GraphQL;
using GraphQL.Types;
using Marten;
using Marten.Linq.MatchesSql;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.Accounts.GraphQL;

/// <summary>
/// <c>accounts(first, after)</c>: for admins, the accounts whose clearance is within their own (disabled ones too),
/// oldest first, ordered by id (time-ordered), which is also the cursor.
/// </summary>
internal static class AccountQueries
{
    public static void Register(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ConnectionGraphType<AccountGraphType>>>("accounts")
            .Description("ADMIN: the accounts within your clearance (disabled ones included), oldest first.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .RequireRole(Role.Admin)
            .ResolveAsync(async ctx =>
            {
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"));
                var after = Paging.DecodeIdCursor(ctx.GetArgument<string?>("after"));
                var levels = ctx.GetCaller().VisibleLevels();
                var store = ctx.Service<IDocumentStore>();
                await using var session = store.QuerySession();
                var rows = session.Query<Account>().Where(a => levels.Contains(a.Clearance));
                if (after is { } position)
                {
                    rows = rows.Where(a => a.MatchesSql("d.id > ?", position));
                }

                var list = await rows.OrderBy(a => a.Id).Take(size + 1).ToListAsync(ctx.CancellationToken);
                var edges = list.Take(size).Select(a => new Edge<Account>(Paging.EncodeCursor(a.Id), a)).ToList();
                return new Connection<Account>(edges, new PageInfo(list.Count > size, edges.Count > 0 ? edges[^1].Cursor : null),
                    async ct =>
                    {
                        await using var count = store.QuerySession();
                        return await count.Query<Account>().CountAsync(a => levels.Contains(a.Clearance), ct);
                    });
            });
}
