using System.Collections.Concurrent;
using System.Linq.Expressions;
using Marten;
using Marten.Linq;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Access.ApiKeys;

/// <summary>
/// Authenticates <c>X-Api-Key</c>: the bootstrap admin key from configuration, or a stored key — from the
/// <see cref="ApiKeyCache"/> while its listener is connected, else from the database; its expiry checked on every use.
/// </summary>
internal sealed class ApiKeyAuthenticator(IDocumentStore store, IOptions<SecurityOptions> options, TimeProvider time, ApiKeyCache cache)
{
    /// <summary>Last use is recorded at most this often per key, so reads do not turn into writes.</summary>
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    internal static readonly Caller BootstrapAdmin = new("apikey:bootstrap", "bootstrap admin", Role.Admin, Confidentiality.Restricted);

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastRecorded = new();

    public async ValueTask<Caller?> AuthenticateApiKeyAsync(string apiKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(apiKey) || apiKey.Length > 200)
        {
            return null;
        }

        var bootstrap = options.Value.BootstrapAdminApiKey;
        if (!string.IsNullOrEmpty(bootstrap) && ApiKeySecret.FixedTimeEquals(apiKey, bootstrap))
        {
            return BootstrapAdmin;
        }

        var now = time.GetUtcNow();
        var hash = ApiKeySecret.Hash(apiKey);
        var key = cache.Find(hash);
        if (key is null)
        {
            // A revocation notifies every host's cache in its own transaction (ApiKeyCache): a key found here is
            // kept only if no change was notified while it was being read.
            var generation = cache.Generation;
            await using (var session = store.QuerySession())
            {
                key = await session.QueryAsync(new ApiKeyByHash { Hash = hash }, cancellationToken);
            }

            if (key is not null && key.IsActive(now))
            {
                cache.Add(hash, key, generation);
            }
        }

        if (key is null || !key.IsActive(now))
        {
            return null;
        }

        // The last use is written at most once a minute per key and process, without reading it first.
        if (!_lastRecorded.TryGetValue(key.Id, out var recorded) || now - recorded > LastUseResolution)
        {
            _lastRecorded[key.Id] = now;
            await using var session = store.LightweightSession();
            session.Store(new ApiKeyUsage { Id = key.Id, LastUsedAt = now });
            await session.SaveChangesAsync(cancellationToken);
        }

        return key.ToCaller();
    }
}

/// <summary>The stored key with this hash (a compiled query: planned once, not per request).</summary>
internal sealed class ApiKeyByHash : ICompiledQuery<ApiKey, ApiKey?>
{
    public string Hash { get; set; } = "";

    public Expression<Func<IMartenQueryable<ApiKey>, ApiKey?>> QueryIs() => q => q.FirstOrDefault(k => k.KeyHash == Hash);
}
