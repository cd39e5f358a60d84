using Marten;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Access.ApiKeys;

/// <summary>Authenticates <c>X-Api-Key</c>: the bootstrap admin key from configuration, or a stored key.</summary>
internal sealed class ApiKeyAuthenticator(IDocumentStore store, IOptions<SecurityOptions> options, TimeProvider time)
{
    /// <summary>Last use is recorded at most this often per key, so reads do not turn into writes.</summary>
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    private static readonly Caller BootstrapAdmin = new("apikey:bootstrap", "bootstrap admin", Role.Admin, Confidentiality.Restricted);

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

        var hash = ApiKeySecret.Hash(apiKey);
        await using var session = store.LightweightSession();
        var key = await session.Query<ApiKey>().FirstOrDefaultAsync(k => k.KeyHash == hash, cancellationToken);
        var now = time.GetUtcNow();
        if (key is null || !key.IsActive(now))
        {
            return null;
        }

        var usage = await session.LoadAsync<ApiKeyUsage>(key.Id, cancellationToken);
        if (usage is null || now - usage.LastUsedAt > LastUseResolution)
        {
            session.Store(new ApiKeyUsage { Id = key.Id, LastUsedAt = now });
            await session.SaveChangesAsync(cancellationToken);
        }

        return key.ToCaller();
    }
}
