using Marten;
using Marten.Linq.MatchesSql;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.Access.ApiKeys;

/// <summary>
/// The stored API keys for admins — revoked and expired ones too, so a key can be found to revoke it or to see
/// when it was last used — oldest first. An admin sees only keys whose clearance is within its own (the ones it
/// may also revoke). The bootstrap key of the configuration is not stored and not listed. Keys are ordered by id
/// (time-ordered), which is also the cursor: a key created while paging appears after the ones already read,
/// never before. Scoped.
/// </summary>
internal sealed class ApiKeyListing(IDocumentStore store, ICallerContext callers)
{
    /// <summary>A page of keys, and the last uses of its keys.</summary>
    public async Task<(Connection<ApiKey> Page, IReadOnlyList<ApiKeyUsage> Uses)> PageAsync(int? first, string? after, CancellationToken ct)
    {
        var size = Paging.PageSize(first);
        var afterId = Paging.DecodeIdCursor(after);
        var levels = callers.Current.VisibleLevels();

        await using var session = store.QuerySession();
        var query = session.Query<ApiKey>().Where(k => levels.Contains(k.Clearance));
        if (afterId is { } position)
        {
            query = query.Where(k => k.MatchesSql("d.id > ?", position));
        }

        var rows = await query.OrderBy(k => k.Id).Take(size + 1).ToListAsync(ct);
        var page = rows.Take(size).ToList();
        var uses = await session.LoadManyAsync<ApiKeyUsage>(ct, page.Select(k => k.Id).ToArray());
        var edges = page.Select(k => new Edge<ApiKey>(Paging.EncodeCursor(k.Id), k)).ToList();
        var connection = new Connection<ApiKey>(edges, new PageInfo(rows.Count > size, edges.Count > 0 ? edges[^1].Cursor : null),
            async countCt =>
            {
                await using var count = store.QuerySession();
                return await count.Query<ApiKey>().CountAsync(k => levels.Contains(k.Clearance), countCt);
            });
        return (connection, uses);
    }
}
