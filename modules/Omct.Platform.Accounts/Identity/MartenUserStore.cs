using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Identity;

namespace Omct.Platform.Accounts.Identity;

/// <summary>
/// ASP.NET Core Identity's user store on Marten: one <see cref="Account"/> document per person. Identity changes
/// the object through these setters and then calls <see cref="UpdateAsync"/>, which writes it only if nobody else
/// wrote it since it was read (the concurrency stamp), so two requests cannot undo each other's change (a lockout
/// counter, a redeemed recovery code). E-mail is the user name.
/// </summary>
internal sealed class MartenUserStore(IDocumentStore store, TimeProvider time) :
    IUserPasswordStore<Account>,
    IUserSecurityStampStore<Account>,
    IUserEmailStore<Account>,
    IUserLockoutStore<Account>,
    IUserAuthenticatorKeyStore<Account>,
    IUserTwoFactorStore<Account>,
    IUserTwoFactorRecoveryCodeStore<Account>,
    IUserPasskeyStore<Account>
{
    public void Dispose() { }

    // IUserStore
    public Task<string> GetUserIdAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.Id.ToString());

    public Task<string?> GetUserNameAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    public Task SetUserNameAsync(Account user, string? userName, CancellationToken cancellationToken)
    {
        user.Email = userName ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetNormalizedUserNameAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedUserNameAsync(Account user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedName ?? "";
        return Task.CompletedTask;
    }

    public async Task<IdentityResult> CreateAsync(Account user, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        if (await session.Query<Account>().AnyAsync(a => a.NormalizedEmail == user.NormalizedEmail, cancellationToken))
        {
            return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(user.Email));
        }

        user.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        session.Insert(user);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(user.Email));
        }
        catch (Marten.Exceptions.MartenCommandException e) when (e.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateEmail(user.Email));
        }

        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(Account user, CancellationToken cancellationToken)
    {
        // Marten checks the version the document was read with (optimistic concurrency): a write in between fails.
        await using var session = store.LightweightSession();
        user.ConcurrencyStamp = Guid.NewGuid().ToString("N");
        session.Update(user);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (JasperFx.ConcurrencyException)
        {
            return IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure());
        }

        return IdentityResult.Success;
    }

    public Task<IdentityResult> DeleteAsync(Account user, CancellationToken cancellationToken) =>
        // Accounts are disabled, never deleted: their audit trail stays attached to them.
        Task.FromResult(IdentityResult.Failed(new IdentityError { Code = "NotSupported", Description = "Accounts are disabled, not deleted." }));

    public async Task<Account?> FindByIdAsync(string userId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(userId, out var id))
        {
            return null;
        }

        await using var session = store.QuerySession();
        return await session.LoadAsync<Account>(id, cancellationToken);
    }

    public async Task<Account?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        await FindByEmailAsync(normalizedUserName, cancellationToken);

    // IUserPasswordStore
    public Task SetPasswordHashAsync(Account user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

    public Task<bool> HasPasswordAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    // IUserSecurityStampStore
    public Task SetSecurityStampAsync(Account user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    // IUserEmailStore
    public Task SetEmailAsync(Account user, string? email, CancellationToken cancellationToken)
    {
        user.Email = email ?? "";
        return Task.CompletedTask;
    }

    public Task<string?> GetEmailAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.Email);

    /// <summary>An account's address is confirmed by the invitation link sent to it.</summary>
    public Task<bool> GetEmailConfirmedAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task SetEmailConfirmedAsync(Account user, bool confirmed, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<Account?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.Query<Account>().FirstOrDefaultAsync(a => a.NormalizedEmail == normalizedEmail, cancellationToken);
    }

    public Task<string?> GetNormalizedEmailAsync(Account user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedEmail);

    public Task SetNormalizedEmailAsync(Account user, string? normalizedEmail, CancellationToken cancellationToken)
    {
        user.NormalizedEmail = normalizedEmail ?? "";
        return Task.CompletedTask;
    }

    // IUserLockoutStore
    public Task<DateTimeOffset?> GetLockoutEndDateAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(Account user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(Account user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    public Task<bool> GetLockoutEnabledAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnabled);

    public Task SetLockoutEnabledAsync(Account user, bool enabled, CancellationToken cancellationToken)
    {
        user.LockoutEnabled = enabled;
        return Task.CompletedTask;
    }

    // IUserAuthenticatorKeyStore
    public Task SetAuthenticatorKeyAsync(Account user, string key, CancellationToken cancellationToken)
    {
        user.AuthenticatorKey = key;
        return Task.CompletedTask;
    }

    public Task<string?> GetAuthenticatorKeyAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.AuthenticatorKey);

    // IUserTwoFactorStore
    public Task SetTwoFactorEnabledAsync(Account user, bool enabled, CancellationToken cancellationToken)
    {
        user.TwoFactorEnabled = enabled;
        return Task.CompletedTask;
    }

    public Task<bool> GetTwoFactorEnabledAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.TwoFactorEnabled);

    // IUserTwoFactorRecoveryCodeStore: codes kept as SHA-256 hashes (each has 50 random bits and is used once).
    public Task ReplaceCodesAsync(Account user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        user.RecoveryCodeHashes = recoveryCodes.Select(HashCode).ToList();
        return Task.CompletedTask;
    }

    public Task<bool> RedeemCodeAsync(Account user, string code, CancellationToken cancellationToken)
    {
        var hash = HashCode(code);
        var index = user.RecoveryCodeHashes.FindIndex(h => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(h), Encoding.ASCII.GetBytes(hash)));
        if (index < 0)
        {
            return Task.FromResult(false);
        }

        user.RecoveryCodeHashes.RemoveAt(index);
        return Task.FromResult(true);
    }

    public Task<int> CountCodesAsync(Account user, CancellationToken cancellationToken) => Task.FromResult(user.RecoveryCodeHashes.Count);

    internal static string HashCode(string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code.Trim().Replace("-", "", StringComparison.Ordinal).ToUpperInvariant())));

    // IUserPasskeyStore
    public Task AddOrUpdatePasskeyAsync(Account user, UserPasskeyInfo passkey, CancellationToken cancellationToken)
    {
        var key = Base64Url.EncodeToString(passkey.CredentialId);
        var existing = user.Passkeys.FindIndex(p => p.CredentialKey == key);
        var stored = new StoredPasskey
        {
            CredentialId = passkey.CredentialId,
            CredentialKey = key,
            PublicKey = passkey.PublicKey,
            Name = passkey.Name,
            CreatedAt = passkey.CreatedAt == default ? time.GetUtcNow() : passkey.CreatedAt,
            SignCount = passkey.SignCount,
            Transports = passkey.Transports,
            IsUserVerified = passkey.IsUserVerified,
            IsBackupEligible = passkey.IsBackupEligible,
            IsBackedUp = passkey.IsBackedUp,
            AttestationObject = passkey.AttestationObject,
            ClientDataJson = passkey.ClientDataJson,
        };
        if (existing >= 0)
        {
            user.Passkeys[existing] = stored;
        }
        else
        {
            user.Passkeys.Add(stored);
        }

        return Task.CompletedTask;
    }

    public Task<IList<UserPasskeyInfo>> GetPasskeysAsync(Account user, CancellationToken cancellationToken) =>
        Task.FromResult<IList<UserPasskeyInfo>>(user.Passkeys.Select(ToInfo).ToList());

    public async Task<Account?> FindByPasskeyIdAsync(byte[] credentialId, CancellationToken cancellationToken)
    {
        var key = Base64Url.EncodeToString(credentialId);
        await using var session = store.QuerySession();
        return await session.Query<Account>().FirstOrDefaultAsync(a => a.Passkeys.Any(p => p.CredentialKey == key), cancellationToken);
    }

    public Task<UserPasskeyInfo?> FindPasskeyAsync(Account user, byte[] credentialId, CancellationToken cancellationToken)
    {
        var key = Base64Url.EncodeToString(credentialId);
        return Task.FromResult(user.Passkeys.FirstOrDefault(p => p.CredentialKey == key) is { } p ? ToInfo(p) : null);
    }

    public Task RemovePasskeyAsync(Account user, byte[] credentialId, CancellationToken cancellationToken)
    {
        var key = Base64Url.EncodeToString(credentialId);
        user.Passkeys.RemoveAll(p => p.CredentialKey == key);
        return Task.CompletedTask;
    }

    private static UserPasskeyInfo ToInfo(StoredPasskey p) =>
        new(p.CredentialId, p.PublicKey, p.CreatedAt, p.SignCount, p.Transports, p.IsUserVerified, p.IsBackupEligible, p.IsBackedUp,
            p.AttestationObject, p.ClientDataJson)
        { Name = p.Name };
}
