using Marten;
using Microsoft.AspNetCore.Identity;
using Omct.Platform.Accounts.Contracts;
using Omct.Platform.Accounts.GraphQL;
using Omct.Platform.Accounts.Links;
using Omct.Platform.Accounts.Sessions;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Idempotency;

namespace Omct.Platform.Accounts;

/// <summary>
/// The account's own factors and sessions (a signed-in person only: an API key has no account), and the admin's
/// account management — always within the admin's clearance: an account above it is NOT_FOUND, like an unknown id,
/// and nobody gives a clearance above their own. Every change is in the account's audit trail. Scoped.
/// </summary>
internal sealed class AccountCommands(AccountService accounts, IDocumentStore store, TimeProvider time, MutationPipeline pipeline)
{
    private static readonly Role[] AccountRoles = [Role.NetworkMember, Role.Staff, Role.Editor, Role.Admin];

    // The person's own account.

    /// <summary>A new pending authenticator key for the caller's own account: the key and its otpauth:// URI.</summary>
    public async Task<(string Key, string Uri)> BeginAuthenticatorEnrolmentAsync(string? clientMutationId, CancellationToken ct)
    {
        var account = await OwnAsync(clientMutationId, ct);
        var key = accounts.Users.GenerateNewAuthenticatorKey();
        await using var session = store.LightweightSession();
        session.Store(new PendingAuthenticator { Id = account.Id, Key = key, CreatedAt = time.GetUtcNow() });
        await session.SaveChangesAsync(ct);
        return (key, $"otpauth://totp/OMCT:{Uri.EscapeDataString(account.Email)}?secret={key}&issuer=OMCT&digits=6");
    }

    /// <summary>Confirms the pending key with a code from the app: the account and its new recovery codes.</summary>
    public async Task<(Account Account, IReadOnlyList<string> Codes)> ConfirmAuthenticatorEnrolmentAsync(string code, string? clientMutationId, CancellationToken ct)
    {
        var account = await OwnAsync(clientMutationId, ct);
        code = code.Replace(" ", "", StringComparison.Ordinal);
        await using var query = store.QuerySession();
        var pending = await query.LoadAsync<PendingAuthenticator>(account.Id, ct);
        if (pending is null || pending.CreatedAt.AddMinutes(30) < time.GetUtcNow())
        {
            throw DomainException.Validation("code", "Start the enrolment first (beginAuthenticatorEnrolment); it lasts 30 minutes.");
        }

        // The code is checked against the pending key, in memory only, with Identity's authenticator provider.
        var current = account.AuthenticatorKey;
        account.AuthenticatorKey = pending.Key;
        if (code.Length is 0 or > 10 || !await accounts.Users.VerifyTwoFactorTokenAsync(account, accounts.Users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            account.AuthenticatorKey = current;
            throw DomainException.Validation("code", "The code is wrong or has expired.");
        }

        account.TwoFactorEnabled = true;
        var codes = (await accounts.Users.GenerateNewTwoFactorRecoveryCodesAsync(account, 10))!.ToList();
        await using (var session = store.LightweightSession())
        {
            session.Delete<PendingAuthenticator>(account.Id);
            await session.SaveChangesAsync(ct);
        }

        await accounts.Audit.RecordAsync(account.Id, new AccountAuthenticatorEnrolled(), ct);
        await accounts.Audit.RecordAsync(account.Id, new AccountRecoveryCodesRegenerated(codes.Count), ct);
        await accounts.NotifyAsync(account, "a new authenticator app", "A new authenticator app was enrolled for your account. If this was not you, tell an administrator now.", ct);
        return (account, codes);
    }

    /// <summary>New recovery codes for the caller's own account; the old ones stop working.</summary>
    public async Task<(Account Account, IReadOnlyList<string> Codes)> RegenerateRecoveryCodesAsync(string? clientMutationId, CancellationToken ct)
    {
        var account = await OwnAsync(clientMutationId, ct);
        if (!account.TwoFactorEnabled)
        {
            throw DomainException.Validation("input", "Enrol an authenticator app first: recovery codes stand in for its codes.");
        }

        var codes = (await accounts.Users.GenerateNewTwoFactorRecoveryCodesAsync(account, 10))!.ToList();
        await accounts.Audit.RecordAsync(account.Id, new AccountRecoveryCodesRegenerated(codes.Count), ct);
        await accounts.NotifyAsync(account, "new recovery codes", "New recovery codes were made for your account; the old ones no longer work. If this was not you, tell an administrator now.", ct);
        return (account, codes);
    }

    public async Task<Account> RemovePasskeyAsync(string passkeyId, string? clientMutationId, CancellationToken ct)
    {
        var account = await OwnAsync(clientMutationId, ct);
        var passkey = account.Passkeys.FirstOrDefault(p => p.CredentialKey == passkeyId) ?? throw DomainException.NotFound("The passkey");
        var result = await accounts.Users.RemovePasskeyAsync(account, passkey.CredentialId);
        if (!result.Succeeded)
        {
            throw DomainException.Conflict("The account was changed by someone else at the same moment. Try again.");
        }

        await accounts.Audit.RecordAsync(account.Id, new AccountPasskeyRemoved(), ct);
        await accounts.NotifyAsync(account, "a passkey was removed", "A passkey was removed from your account. If this was not you, tell an administrator now.", ct);
        return account;
    }

    public async Task<Account> RevokeSessionAsync(string sessionId, string? clientMutationId, CancellationToken ct)
    {
        var account = await OwnAsync(clientMutationId, ct);
        if (!BuildingBlocks.Ids.GlobalId.TryDecode(sessionId, AccountSessionGraphType.TypeName, out var id))
        {
            throw DomainException.NotFound("The session");
        }

        await using var session = store.LightweightSession();
        var stored = await session.LoadAsync<AccountSession>(id, ct);
        if (stored is null || stored.AccountId != account.Id)
        {
            throw DomainException.NotFound("The session");
        }

        if (stored.RevokedAt is null)
        {
            stored.RevokedAt = time.GetUtcNow();
            session.Update(stored);
            await session.SaveChangesAsync(ct);
            await accounts.Audit.RecordAsync(account.Id, new AccountSessionRevoked(id), ct);
        }

        return account;
    }

    // Admin.

    /// <param name="organisationExists">Whether the caller may see the organisation of this id (the Organisation node resolver).</param>
    public async Task<Account> InviteAsync(
        string email, string displayName, Role role, Confidentiality clearance, string? organisationId,
        Func<Guid, Task<bool>> organisationExists, string? clientMutationId, CancellationToken ct)
    {
        MutationPipeline.CheckClientMutationId(clientMutationId);
        var admin = pipeline.Caller;
        email = email.Trim();
        var name = displayName.Trim();
        if (email.Length is < 3 or > 320 || !System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            throw DomainException.Validation("email", "Not an e-mail address.");
        }

        if (name.Length is 0 or > 100)
        {
            throw DomainException.Validation("displayName", "The name must have between 1 and 100 characters.");
        }

        role = ValidRole(role);
        clearance = ValidClearance(admin, clearance);
        Guid? organisation = null;
        if (organisationId is not null)
        {
            if (!BuildingBlocks.Ids.GlobalId.TryDecode(organisationId, "Organisation", out var decoded) || !await organisationExists(decoded))
            {
                throw DomainException.Validation("organisationId", "There is no such organisation.");
            }

            organisation = decoded;
        }

        return await pipeline.RunAsync("inviteAccount", clientMutationId, async first =>
        {
            await using var query = store.QuerySession();
            var earlier = await query.LoadAsync<Account>(first, ct);
            return earlier is not null && admin.CanSee(earlier.Clearance) ? earlier : throw DomainException.NotFound("The account");
        }, async receipt =>
        {
            var account = new Account
            {
                Id = Guid.CreateVersion7(),
                Email = email,
                DisplayName = name,
                Role = role,
                Clearance = clearance,
                OrganisationId = organisation,
                CreatedAt = time.GetUtcNow(),
                CreatedBy = admin.Id,
            };
            var created = await accounts.Users.CreateAsync(account);
            if (!created.Succeeded)
            {
                throw created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateEmail) || e.Code == nameof(IdentityErrorDescriber.DuplicateUserName))
                    ? DomainException.Validation("email", "An account already has this e-mail address.")
                    : DomainException.Validation("input", created.Errors.First().Description);
            }

            account = (await accounts.Users.FindByIdAsync(account.Id.ToString()))!;
            await using (var session = store.LightweightSession())
            {
                session.LastModifiedBy = admin.Id;
                session.CorrelationId = System.Diagnostics.Activity.Current?.TraceId.ToString();
                if (clientMutationId is not null)
                {
                    session.SetHeader("clientMutationId", clientMutationId);
                }

                session.Events.Append(account.Id, new AccountInvited(account.Email, role, clearance, organisation));
                receipt.Record(session, account.Id);
                await session.SaveChangesAsync(ct);
            }

            var url = await accounts.CreateLinkAsync(account, LinkPurpose.Invitation, ct);
            await accounts.NotifyAsync(account, "your account",
                $"{admin.Name} made an account for you on the OMCT platform. Open this link within {accounts.Options.InvitationLinkHours} hours to choose a password" +
                (account.RequiresSecondFactor ? " and set up an authenticator app" : "") + $"; it works once:\n\n{url}\n", ct);
            return account;
        }, ct);
    }

    public async Task<Account> ChangeRoleAsync(string accountId, Role role, Confidentiality clearance, string? clientMutationId, CancellationToken ct)
    {
        MutationPipeline.CheckClientMutationId(clientMutationId);
        var admin = pipeline.Caller;
        var account = await ManagedAsync(accountId);
        role = ValidRole(role);
        clearance = ValidClearance(admin, clearance);
        if (account.Role == role && account.Clearance == clearance)
        {
            return account;
        }

        var previous = account.Clearance;
        account.Role = role;
        account.Clearance = clearance;
        // A new stamp: the sessions opened with the old role and clearance end at the next request.
        account.SecurityStamp = Guid.NewGuid().ToString("N");
        await SaveAsync(account);
        await accounts.EndSessionsAsync(account, ct);
        await accounts.Audit.RecordAsync(account.Id,
            [new AccountRoleChanged(role, clearance), new AccountClearanceChanged(account.Id, account.DisplayName, role, previous, clearance, Active: true)], ct);
        return account;
    }

    public async Task<Account> DisableAsync(string accountId, string? clientMutationId, CancellationToken ct)
    {
        MutationPipeline.CheckClientMutationId(clientMutationId);
        var account = await ManagedAsync(accountId);
        if (account.CallerId == pipeline.Caller.Id)
        {
            throw DomainException.Validation("id", "You cannot disable your own account.");
        }

        if (account.Disabled)
        {
            return account;
        }

        account.DisabledAt = time.GetUtcNow();
        account.SecurityStamp = Guid.NewGuid().ToString("N");
        await SaveAsync(account);
        await accounts.EndSessionsAsync(account, ct);
        await accounts.Audit.RecordAsync(account.Id,
            [new AccountDisabled(), new AccountClearanceChanged(account.Id, account.DisplayName, account.Role, account.Clearance, account.Clearance, Active: false)], ct);
        return account;
    }

    public async Task<Account> ResetSecondFactorAsync(string accountId, string? clientMutationId, CancellationToken ct)
    {
        MutationPipeline.CheckClientMutationId(clientMutationId);
        var account = await ManagedAsync(accountId);
        if (account.Disabled)
        {
            throw DomainException.Validation("id", "The account is disabled.");
        }

        account.AuthenticatorKey = null;
        account.TwoFactorEnabled = false;
        account.RecoveryCodeHashes = [];
        account.SecurityStamp = Guid.NewGuid().ToString("N");
        await SaveAsync(account);
        await accounts.EndSessionsAsync(account, ct);
        await accounts.Audit.RecordAsync(account.Id, new AccountSecondFactorReset(), ct);
        var url = await accounts.CreateLinkAsync(account, LinkPurpose.SecondFactor, ct);
        await accounts.NotifyAsync(account, "set up your second factor again",
            $"An administrator removed the authenticator app of your account. Open this link within {accounts.Options.InvitationLinkHours} hours to set up a new one (with your password); it works once:\n\n{url}\n",
            ct);
        return account;
    }

    /// <summary>The caller's own account (FORBIDDEN without one: an API key, a bearer token), then the clientMutationId check.</summary>
    private async Task<Account> OwnAsync(string? clientMutationId, CancellationToken ct)
    {
        Account? account = null;
        if (AccountCallerFields.AccountIdOf(pipeline.Caller) is { } id)
        {
            await using var session = store.QuerySession();
            account = await session.LoadAsync<Account>(id, ct);
        }

        MutationPipeline.CheckClientMutationId(account is null ? throw DomainException.Forbidden() : clientMutationId);
        return account;
    }

    private static Role ValidRole(Role role) =>
        AccountRoles.Contains(role) ? role
            : throw DomainException.Validation("role", "An account's role is NETWORK_MEMBER, STAFF, EDITOR or ADMIN.");

    private static Confidentiality ValidClearance(Caller admin, Confidentiality clearance) =>
        admin.CanSee(clearance) ? clearance : throw DomainException.Validation("clearance", "An account's clearance cannot be higher than your own.");

    /// <summary>The account of <paramref name="globalId"/> if the admin may manage it (within its clearance), else NOT_FOUND.</summary>
    private async Task<Account> ManagedAsync(string globalId)
    {
        if (!BuildingBlocks.Ids.GlobalId.TryDecode(globalId, AccountGraphType.TypeName, out var id))
        {
            throw DomainException.NotFound("The account");
        }

        var account = await accounts.Users.FindByIdAsync(id.ToString());
        return account is not null && pipeline.Caller.CanSee(account.Clearance) ? account : throw DomainException.NotFound("The account");
    }

    private async Task SaveAsync(Account account)
    {
        var result = await accounts.Users.UpdateAsync(account);
        if (!result.Succeeded)
        {
            throw result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure))
                ? DomainException.Conflict("The account was changed by someone else at the same moment. Try again.")
                : DomainException.Validation("input", result.Errors.First().Description);
        }
    }
}
