using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Accounts.Identity;

/// <summary>
/// The principal of a session: the platform's caller claims (<see cref="CallerPrincipal"/>) — what every other
/// part of the pipeline reads — plus what Identity needs to find the account again and check its security stamp.
/// Rebuilt from the stored account on every request (see <see cref="AccountsModule"/>), so a role or clearance
/// change applies at once.
/// </summary>
internal sealed class AccountPrincipalFactory(IOptions<IdentityOptions> options) : IUserClaimsPrincipalFactory<Account>
{
    /// <summary>Where Identity finds the account's id (<c>IdentityOptions.ClaimsIdentity.UserIdClaimType</c>).</summary>
    public const string AccountIdClaimType = ClaimTypes.NameIdentifier;

    public Task<ClaimsPrincipal> CreateAsync(Account user)
    {
        var principal = user.ToCaller().ToPrincipal(CallerCredentials.SessionScheme);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(AccountIdClaimType, user.Id.ToString()));
        identity.AddClaim(new Claim(options.Value.ClaimsIdentity.SecurityStampClaimType, user.SecurityStamp));
        return Task.FromResult(principal);
    }
}

/// <summary>
/// Identity's sign-in manager with the platform's rule: from STAFF clearance up a password is never enough — the
/// sign-in asks for the second factor even when none is enrolled yet (then no code can pass: the person needs the
/// enrolment link an admin sends), and a disabled account never signs in.
/// </summary>
internal sealed class AccountSignInManager(
    UserManager<Account> userManager, IHttpContextAccessor contextAccessor, IUserClaimsPrincipalFactory<Account> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor, ILogger<SignInManager<Account>> logger, Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<Account> confirmation)
    : SignInManager<Account>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> IsTwoFactorEnabledAsync(Account user) =>
        user.RequiresSecondFactor || await base.IsTwoFactorEnabledAsync(user);

    public override async Task<bool> CanSignInAsync(Account user) => !user.Disabled && await base.CanSignInAsync(user);

    /// <summary>
    /// After an OpenID Connect sign-in: a session, or (from STAFF clearance up, or with an enrolled authenticator) the
    /// platform's own second-factor step, remembered as <paramref name="loginProvider"/> in the second-factor cookie.
    /// </summary>
    public Task<Microsoft.AspNetCore.Identity.SignInResult> ExternalSignInOrTwoFactorAsync(Account user, string loginProvider) =>
        SignInOrTwoFactorAsync(user, isPersistent: false, loginProvider, bypassTwoFactor: false);
}
