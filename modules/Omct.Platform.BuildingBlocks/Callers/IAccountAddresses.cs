namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>
/// The Accounts module's people by e-mail address, for a module that writes to them (teamwork's notifications) or is
/// configured with their addresses (a country's team): active accounts only, addresses compared ignoring case.
/// </summary>
public interface IAccountAddresses
{
    /// <summary>The e-mail address of each of <paramref name="accountIds"/> that is an active account.</summary>
    Task<IReadOnlyDictionary<Guid, string>> AddressesAsync(IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken);

    /// <summary>The active accounts of these addresses, as callers (<c>user:&lt;account id&gt;</c>), keyed by the address in lower case.</summary>
    Task<IReadOnlyDictionary<string, Caller>> FindByAddressesAsync(IReadOnlyCollection<string> addresses, CancellationToken cancellationToken);

    /// <summary>Every active ADMIN account, as a caller (<c>user:&lt;account id&gt;</c>, its clearance as it is now) with its address: whom the platform tells of what needs an admin.</summary>
    Task<IReadOnlyList<(Caller Admin, string Address)>> AdminsAsync(CancellationToken cancellationToken);
}
