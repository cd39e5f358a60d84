using Marten;
using Microsoft.Extensions.Options;
using Omct.Platform.Access.ApiKeys;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Access;

/// <summary>
/// <see cref="ICallerDirectory"/> for API keys: <c>apikey:{id}</c> is active while the stored key is neither
/// revoked nor expired (read from PostgreSQL each time, so a revocation applies at once on every host);
/// <c>apikey:bootstrap</c> while a bootstrap key is configured. Bearer-token users are never vouched for.
/// </summary>
internal sealed class CallerDirectory(IDocumentStore store, IOptions<SecurityOptions> options, TimeProvider time) : ICallerDirectory
{
    private const string ApiKeyPrefix = "apikey:";

    public async ValueTask<Caller?> FindActiveAsync(string callerId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(callerId) || !callerId.StartsWith(ApiKeyPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        if (callerId == ApiKeyAuthenticator.BootstrapAdmin.Id)
        {
            return string.IsNullOrEmpty(options.Value.BootstrapAdminApiKey) ? null : ApiKeyAuthenticator.BootstrapAdmin;
        }

        if (!Guid.TryParse(callerId.AsSpan(ApiKeyPrefix.Length), out var id))
        {
            return null;
        }

        await using var session = store.QuerySession();
        var key = await session.LoadAsync<ApiKey>(id, cancellationToken);
        return key is not null && key.IsActive(time.GetUtcNow()) ? key.ToCaller() : null;
    }
}
