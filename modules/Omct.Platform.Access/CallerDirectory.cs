using Marten;
using Microsoft.Extensions.Options;
using Omct.Platform.Access.ApiKeys;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Access;

/// <summary>
/// <see cref="ICallerDirectory"/> for API keys: <c>apikey:{id}</c> is active while the stored key is neither
/// revoked nor expired (read from PostgreSQL each time, so a revocation applies at once on every host);
/// <c>apikey:bootstrap</c> while a bootstrap key is configured; a staff account (<c>user:&lt;account id&gt;</c>) as
/// the Accounts module says (<see cref="IAccountCallers"/>: not disabled, its role and clearance now). Bearer-token
/// users (<c>user:&lt;subject&gt;</c>, no account) are never vouched for.
/// </summary>
internal sealed class CallerDirectory(IDocumentStore store, IOptions<SecurityOptions> options, TimeProvider time, IEnumerable<IAccountCallers> accounts)
    : ICallerDirectory
{
    private const string ApiKeyPrefix = "apikey:";

    public async ValueTask<Caller?> FindActiveAsync(string callerId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(callerId))
        {
            return null;
        }

        if (!callerId.StartsWith(ApiKeyPrefix, StringComparison.Ordinal))
        {
            foreach (var source in accounts)
            {
                if (await source.FindActiveAsync(callerId, cancellationToken) is { } account)
                {
                    return account;
                }
            }

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
