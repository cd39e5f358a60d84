using Marten;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Accounts;

/// <summary>
/// Who an account's caller (<c>user:&lt;account id&gt;</c>) is now, for work done later on its behalf (a webhook
/// registered from a session): null once the account is disabled or when no account has this id (a bearer-token
/// user's <c>user:&lt;subject&gt;</c>); otherwise its role, clearance and organisation as they are now, read from
/// PostgreSQL each time.
/// </summary>
internal sealed class AccountCallers(IDocumentStore store) : IAccountCallers, IAccountHandles, IAccountAddresses
{
    /// <summary>The most handles one lookup answers (a note mentions a few colleagues, not the directory).</summary>
    private const int MaxHandles = 20;

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

    public async Task<IReadOnlyDictionary<Guid, Caller>> FindActiveAsync(IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken)
    {
        if (accountIds.Count == 0)
        {
            return new Dictionary<Guid, Caller>();
        }

        await using var session = store.QuerySession();
        var accounts = await session.LoadManyAsync<Account>(cancellationToken, accountIds.Distinct());
        return accounts.Where(a => a is { Disabled: false }).ToDictionary(a => a.Id, a => a.ToCaller());
    }

    public async Task<IReadOnlyList<StaffMember>> ActiveStaffAsync(Confidentiality level, int max, CancellationToken cancellationToken)
    {
        Role[] staff = [Role.Staff, Role.Editor, Role.Admin];
        await using var session = store.QuerySession();
        var accounts = await session.Query<Account>().Where(a => a.DisabledAt == null && staff.Contains(a.Role)).ToListAsync(cancellationToken);
        return accounts.Select(a => new StaffMember(a.Id, a.ToCaller(), a.Email.Split('@')[0].ToLowerInvariant()))
            .Where(m => m.Person.CanSee(level))
            .OrderBy(m => m.Person.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(m => m.Handle, StringComparer.Ordinal)
            .Take(max).ToList();
    }

    public async Task<IReadOnlyDictionary<string, Caller>> FindByHandlesAsync(IReadOnlyCollection<string> handles, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, Caller>(StringComparer.Ordinal);
        var wanted = handles.Select(h => h.Trim().ToUpperInvariant()).Where(h => h.Length > 0 && !h.Contains('@', StringComparison.Ordinal))
            .Distinct().Take(MaxHandles).ToList();
        if (wanted.Count == 0)
        {
            return found;
        }

        await using var session = store.QuerySession();
        foreach (var handle in wanted)
        {
            // NormalizedEmail is upper case (Identity's normaliser): the handle is what comes before its '@'.
            var prefix = handle + "@";
            var accounts = await session.Query<Account>().Where(a => a.NormalizedEmail.StartsWith(prefix) && a.DisabledAt == null).Take(2).ToListAsync(cancellationToken);
            // Two accounts with one handle (two domains) are ambiguous: neither is mentioned.
            if (accounts.Count == 1)
            {
                found[handle.ToLowerInvariant()] = accounts[0].ToCaller();
            }
        }

        return found;
    }

    public async Task<IReadOnlyDictionary<Guid, string>> AddressesAsync(IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken)
    {
        if (accountIds.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        await using var session = store.QuerySession();
        var accounts = await session.LoadManyAsync<Account>(cancellationToken, accountIds.Distinct());
        return accounts.Where(a => a is { Disabled: false }).ToDictionary(a => a.Id, a => a.Email);
    }

    public async Task<IReadOnlyDictionary<string, Caller>> FindByAddressesAsync(IReadOnlyCollection<string> addresses, CancellationToken cancellationToken)
    {
        var wanted = addresses.Select(a => a.Trim().ToUpperInvariant()).Where(a => a.Length > 0).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<string, Caller>();
        }

        await using var session = store.QuerySession();
        var accounts = await session.Query<Account>().Where(a => wanted.Contains(a.NormalizedEmail) && a.DisabledAt == null).ToListAsync(cancellationToken);
        return accounts.GroupBy(a => a.Email.ToLowerInvariant()).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single().ToCaller());
    }

    public async Task<IReadOnlyList<(Caller Admin, string Address)>> AdminsAsync(CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var admins = await session.Query<Account>().Where(a => a.Role == Role.Admin && a.DisabledAt == null).OrderBy(a => a.Email).Take(1_000).ToListAsync(cancellationToken);
        return admins.Select(a => (a.ToCaller(), a.Email)).ToList();
    }
}
