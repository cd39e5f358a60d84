using System.Collections.Concurrent;
using Marten;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.Access.PersistedOperations;

/// <summary>
/// Looks persisted documents up in PostgreSQL. A document is immutable under its hash, so what was
/// found once is kept in memory for the life of the process (bounded); a miss is not cached, so a
/// document registered on another host is found at once.
/// </summary>
internal sealed class PersistedOperationStore(IDocumentStore store) : IPersistedOperations
{
    private const int MaxCached = 5_000;
    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);

    public async ValueTask<string?> FindAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(sha256Hex, out var cached))
        {
            return cached;
        }

        await using var session = store.QuerySession();
        var operation = await session.LoadAsync<PersistedOperation>(sha256Hex, cancellationToken);
        if (operation is not null && _cache.Count < MaxCached)
        {
            _cache.TryAdd(sha256Hex, operation.Document);
        }

        return operation?.Document;
    }
}
