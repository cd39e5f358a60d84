using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.Accounts.Links;
using Omct.Platform.Accounts.Sessions;
using Omct.Platform.BuildingBlocks.Mail;

namespace Omct.Platform.Accounts;

internal enum SignInOutcome { SignedIn, SecondFactorRequired, Refused }

/// <summary>
/// What the sign-in pages, the GraphQL fields and the first-administrator start-up share: sign-in with its audit
/// entries, one-time links and the e-mails that carry them. Scoped (one per request).
/// </summary>
internal sealed class AccountService(
    UserManager<Account> users,
    SignInManager<Account> signIn,
    IDocumentStore store,
    AccountAudit audit,
    TimeProvider time,
    IOptions<AccountsOptions> options,
    IServiceProvider services,
    ILogger<AccountService> log)
{
    public const string GenericRefusal = "The e-mail address or the password is wrong, or this account may not sign in now.";

    // A hash to verify when there is no account (or it is locked): an unknown e-mail takes as long as a known one.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<Account>().HashPassword(new Account(), Guid.NewGuid().ToString()));

    public UserManager<Account> Users => users;

    public SignInManager<Account> SignIn => signIn;

    public AccountAudit Audit => audit;

    public AccountsOptions Options => options.Value;

    public async Task<SignInOutcome> PasswordSignInAsync(string? email, string? password, CancellationToken ct)
    {
        email = email?.Trim() ?? "";
        password ??= "";
        var account = email.Length is > 0 and <= 320 ? await users.FindByEmailAsync(email) : null;
        if (account is null)
        {
            BurnPasswordCheck(password);
            log.LogInformation("Sign-in refused: no such account");
            return SignInOutcome.Refused;
        }

        var wasLocked = await users.IsLockedOutAsync(account);
        var result = await signIn.PasswordSignInAsync(account, password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut || result.IsNotAllowed)
        {
            // Identity answers these before checking the password: check one anyway, for the same timing.
            if (wasLocked || result.IsNotAllowed)
            {
                BurnPasswordCheck(password);
            }
        }

        if (result.Succeeded)
        {
            await audit.RecordAsync(account.Id, new AccountSignedIn("PASSWORD"), ct, account.CallerId);
            return SignInOutcome.SignedIn;
        }

        if (result.RequiresTwoFactor)
        {
            return SignInOutcome.SecondFactorRequired;
        }

        await RecordFailureAsync(account.Id, result.IsLockedOut ? "LOCKED_OUT" : result.IsNotAllowed ? "NOT_ALLOWED" : "WRONG_PASSWORD", !wasLocked && result.IsLockedOut, ct);
        return SignInOutcome.Refused;
    }

    public async Task<SignInOutcome> SecondFactorAsync(string? code, string? recoveryCode, CancellationToken ct)
    {
        var account = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (account is null)
        {
            return SignInOutcome.Refused;
        }

        var wasLocked = await users.IsLockedOutAsync(account);
        // The first step: a password, or the organisation's provider (its name is in the second-factor cookie).
        var first = (await signIn.Context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme)).Principal?
            .FindFirst(System.Security.Claims.ClaimTypes.AuthenticationMethod)?.Value == OpenIdConnect.OpenIdConnectSignIn.LoginProvider ? "OIDC" : "PASSWORD";
        Microsoft.AspNetCore.Identity.SignInResult result;
        string method;
        if (!string.IsNullOrWhiteSpace(recoveryCode))
        {
            method = first + "+RECOVERY_CODE";
            result = recoveryCode.Length > 40 ? Microsoft.AspNetCore.Identity.SignInResult.Failed : await signIn.TwoFactorRecoveryCodeSignInAsync(recoveryCode.Trim());
        }
        else
        {
            method = first + "+TOTP";
            var digits = (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
            result = account.TwoFactorEnabled && digits.Length is > 0 and <= 10
                ? await signIn.TwoFactorAuthenticatorSignInAsync(digits, isPersistent: false, rememberClient: false)
                : Microsoft.AspNetCore.Identity.SignInResult.Failed;
        }

        if (result.Succeeded)
        {
            await audit.RecordAsync(account.Id, new AccountSignedIn(method), ct, account.CallerId);
            if (method.EndsWith("+RECOVERY_CODE", StringComparison.Ordinal))
            {
                var remaining = await users.CountRecoveryCodesAsync(await users.FindByIdAsync(account.Id.ToString()) ?? account);
                await audit.RecordAsync(account.Id, new AccountRecoveryCodeUsed(remaining), ct, account.CallerId);
                await NotifyAsync(account, "A recovery code was used", $"A recovery code of your account was used to sign in. {remaining} remain. If this was not you, tell an administrator now.", ct);
            }

            return SignInOutcome.SignedIn;
        }

        await RecordFailureAsync(account.Id, result.IsLockedOut ? "LOCKED_OUT" : "WRONG_CODE", !wasLocked && result.IsLockedOut, ct);
        return SignInOutcome.Refused;
    }

    public async Task RecordFailureAsync(Guid accountId, string reason, bool lockedNow, CancellationToken ct)
    {
        log.LogInformation("Sign-in refused for account {AccountId}: {Reason}", accountId, reason);
        await audit.RecordAsync(accountId, new AccountSignInFailed(reason), ct, $"user:{accountId}");
        if (lockedNow)
        {
            var account = await users.FindByIdAsync(accountId.ToString());
            await audit.RecordAsync(accountId, new AccountLockedOut(account?.LockoutEnd ?? time.GetUtcNow()), ct, $"user:{accountId}");
        }
    }

    private static void BurnPasswordCheck(string password) =>
        new PasswordHasher<Account>().VerifyHashedPassword(new Account(), DummyHash.Value, password);

    /// <summary>Makes a one-time link for <paramref name="account"/> and returns its URL (to send, never to log, except the first administrator's).</summary>
    public async Task<string> CreateLinkAsync(Account account, LinkPurpose purpose, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var token = OneTimeLink.NewToken();
        var link = new OneTimeLink
        {
            Id = OneTimeLink.IdOf(token),
            AccountId = account.Id,
            Purpose = purpose,
            CreatedAt = now,
            ExpiresAt = purpose == LinkPurpose.Reset ? now.AddMinutes(Options.ResetLinkMinutes) : now.AddHours(Options.InvitationLinkHours),
        };
        await using var session = audit.Open(null);
        // A new link replaces the unused ones of the same purpose.
        foreach (var older in await session.Query<OneTimeLink>().Where(l => l.AccountId == account.Id && l.Purpose == purpose && l.UsedAt == null).ToListAsync(ct))
        {
            older.UsedAt = now;
            session.Update(older);
        }

        session.Insert(link);
        session.Events.Append(account.Id, new AccountLinkSent(purpose.ToString().ToUpperInvariant()));
        await session.SaveChangesAsync(ct);
        return $"{Options.PublicUrl.TrimEnd('/')}/account/link?token={token}";
    }

    /// <summary>Uses a link once: null when it is unknown, used, expired, of another purpose, or used at the same moment by another request.</summary>
    public async Task<OneTimeLink?> ConsumeLinkAsync(string? token, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var link = await OneTimeLinks.FindUsableAsync(session, token, time.GetUtcNow(), ct);
        if (link is null)
        {
            return null;
        }

        link.UsedAt = time.GetUtcNow();
        session.Update(link);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (JasperFx.ConcurrencyException)
        {
            return null;
        }

        return link;
    }

    public async Task<OneTimeLink?> PeekLinkAsync(string? token, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await OneTimeLinks.FindUsableAsync(session, token, time.GetUtcNow(), ct);
    }

    /// <summary>Sends an e-mail to the person (factor or password changed, a link); false when it could not be sent.</summary>
    public async Task<bool> NotifyAsync(Account account, string subject, string text, CancellationToken ct)
    {
        var mail = services.GetService<IPlatformMail>();
        if (mail is not { Enabled: true })
        {
            log.LogWarning("No e-mail sent to account {AccountId} ({Subject}): e-mail delivery is not configured (Omct:Smtp:Host)", account.Id, subject);
            return false;
        }

        var sent = await mail.SendAsync(account.Email, $"OMCT platform: {subject}", text, ct);
        if (!sent)
        {
            log.LogWarning("The e-mail to account {AccountId} ({Subject}) could not be sent", account.Id, subject);
        }

        return sent;
    }

    /// <summary>Ends every session of the account now (its security stamp and the stored sessions).</summary>
    public async Task EndSessionsAsync(Account account, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        await SessionTicketStore.RevokeAllAsync(session, account.Id, time.GetUtcNow());
        await session.SaveChangesAsync(ct);
    }

    public async Task<IdentityResult> SetPasswordAsync(Account account, string password)
    {
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, account, password);
            if (!check.Succeeded)
            {
                return check;
            }
        }

        if (await users.HasPasswordAsync(account))
        {
            var removed = await users.RemovePasswordAsync(account);
            if (!removed.Succeeded)
            {
                return removed;
            }
        }

        return await users.AddPasswordAsync(account, password);
    }

    public Task SignOutAsync() => signIn.SignOutAsync();

    public static AuthenticationProperties Properties(string method) => new() { Items = { [SessionTicketStore.MethodItem] = method } };
}
