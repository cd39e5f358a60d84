using GraphQL;
using GraphQL.Types;
using Marten;
using Marten.Linq.MatchesSql;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.Access.ApiKeys;

/// <summary>
/// <c>apiKeys(first, after)</c>: the stored API keys for admins — revoked and expired ones too, so a key
/// can be found to revoke it or to see when it was last used — oldest first. An admin sees only keys whose
/// clearance is within its own (the ones it may also revoke). The bootstrap key of the configuration is not
/// stored and not listed. Keys are ordered by id (time-ordered), which is also the cursor: a key created
/// while paging appears after the ones already read, never before.
/// </summary>
internal static class ApiKeyQuery
{
    /// <summary>Where the page's last uses are kept for <see cref="ApiKeyGraphType"/> (one query per page, not per key).</summary>
    internal const string LastUsesKey = "omct:apiKeyLastUses";

    public static void Register(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ConnectionGraphType<ApiKeyGraphType>>>("apiKeys")
            .Description("ADMIN: the API keys within your clearance (revoked and expired ones included), oldest first. Secrets are never shown.")
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
                var query = session.Query<ApiKey>().Where(k => levels.Contains(k.Clearance));
                if (after is { } position)
                {
                    query = query.Where(k => k.MatchesSql("d.id > ?", position));
                }

                var rows = await query.OrderBy(k => k.Id).Take(size + 1).ToListAsync(ctx.CancellationToken);
                var page = rows.Take(size).ToList();
                var uses = await session.LoadManyAsync<ApiKeyUsage>(ctx.CancellationToken, page.Select(k => k.Id).ToArray());
                var lastUses = ctx.UserContext.TryGetValue(LastUsesKey, out var known) && known is Dictionary<Guid, DateTimeOffset> existing
                    ? existing
                    : new Dictionary<Guid, DateTimeOffset>();
                foreach (var use in uses)
                {
                    lastUses[use.Id] = use.LastUsedAt;
                }

                ctx.UserContext[LastUsesKey] = lastUses;
                var edges = page.Select(k => new Edge<ApiKey>(Paging.EncodeCursor(k.Id), k)).ToList();
                return new Connection<ApiKey>(edges, new PageInfo(rows.Count > size, edges.Count > 0 ? edges[^1].Cursor : null),
                    async ct =>
                    {
                        await using var count = store.QuerySession();
                        return await count.Query<ApiKey>().CountAsync(k => levels.Contains(k.Clearance), ct);
                    });
            });
}

