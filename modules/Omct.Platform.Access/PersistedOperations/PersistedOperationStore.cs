using System.Collections.Concurrent;
using Marten;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.Access.PersistedOperations;

/// <summary>
/// Looks persisted documents up in PostgreSQL. A document is immutable under its hash, so what was
/// found once is kept in memory for the life of the process (bounded); a miss is not cached, so a
/// document registered on another host is found at once. A report's saved query (<see cref="PersistedOperation.ReportsOnly"/>)
/// is not found for requests, nor kept here.
/// </summary>
internal sealed class PersistedOperationStore(IDocumentStore store, TimeProvider time) : IPersistedOperations
{
    private const int MaxCached = 5_000;
    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);

    public async ValueTask<string?> FindAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(sha256Hex, out var cached))
        {
            return cached;
        }

        var operation = await LoadAsync(sha256Hex, cancellationToken);
        if (operation is not { ReportsOnly: false })
        {
            return null;
        }

        if (_cache.Count < MaxCached)
        {
            _cache.TryAdd(sha256Hex, operation.Document);
        }

        return operation.Document;
    }

    public async ValueTask<string?> FindForReportAsync(string sha256Hex, CancellationToken cancellationToken) =>
        _cache.TryGetValue(sha256Hex, out var cached) ? cached : (await LoadAsync(sha256Hex, cancellationToken))?.Document;

    public async ValueTask RegisterForReportAsync(string name, string document, string registeredBy, CancellationToken cancellationToken)
    {
        var operation = PersistedOperationCommands.Validate(name.Length > 100 ? name[..100] : name, document);
        operation.RegisteredAt = time.GetUtcNow();
        operation.RegisteredBy = registeredBy;
        operation.ReportsOnly = true;
        await PersistedOperationCommands.InsertNewAsync(store, operation, cancellationToken);
    }

    private async Task<PersistedOperation?> LoadAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<PersistedOperation>(sha256Hex, cancellationToken);
    }
}
