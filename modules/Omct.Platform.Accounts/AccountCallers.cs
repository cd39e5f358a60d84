using Marten;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Accounts;

/// <summary>
/// Who an account's caller (<c>user:&lt;account id&gt;</c>) is now, for work done later on its behalf (a webhook
/// registered from a session): null once the account is disabled or when no account has this id (a bearer-token
/// user's <c>user:&lt;subject&gt;</c>); otherwise its role, clearance and organisation as they are now, read from
/// PostgreSQL each time.
/// </summary>
internal sealed class AccountCallers(IDocumentStore store) : IAccountCallers
{
    private const string Prefix = "user:";

    public async ValueTask<Caller?> FindActiveAsync(string callerId, CancellationToken cancellationToken)
    {
        if (callerId is null || !callerId.StartsWith(Prefix, StringComparison.Ordinal)
            || !Guid.TryParseExact(callerId.AsSpan(Prefix.Length), "D", out var id))
        {
            return null;
        }

        await using var session = store.QuerySession();
        var account = await session.LoadAsync<Account>(id, cancellationToken);
        return account is { Disabled: false } ? account.ToCaller() : null;
    }
}
