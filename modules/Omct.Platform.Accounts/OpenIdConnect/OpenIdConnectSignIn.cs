using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Omct.Platform.Accounts.Contracts;
using Omct.Platform.Accounts.Identity;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Accounts.OpenIdConnect;

internal enum ProviderSignInOutcome { SignedIn, SecondFactorRequired, Refused }

/// <summary>
/// "Sign in with &lt;organisation&gt;": ASP.NET Core's OpenID Connect handler (authorization code flow with PKCE,
/// <c>state</c> and nonce, the ID token's signature, issuer and audience checked against the provider's discovery
/// document) signs the person into a short-lived external cookie; <see cref="CompleteAsync"/> then turns that into the
/// platform's ordinary session (or its second-factor step) for the account the claims name.
/// </summary>
internal sealed class OpenIdConnectSignIn(
    UserManager<Account> users,
    SignInManager<Account> signIn,
    AccountService accounts,
    IOptions<OpenIdConnectSettings> settings,
    IOptions<CallerClaimMapping> mapping,
    TimeProvider time,
    ILogger<OpenIdConnectSignIn> log)
{
    /// <summary>The OpenID Connect handler's scheme.</summary>
    public const string Scheme = "oidc";

    /// <summary>The login provider's name in the second-factor cookie (and the session's method).</summary>
    public const string LoginProvider = "oidc";

    public const string Refusal = "The sign-in with your organisation did not succeed, or this account may not sign in now.";

    public static void Register(IServiceCollection services, AuthenticationBuilder authentication, OpenIdConnectSettings oidc)
    {
        services.AddScoped<OpenIdConnectSignIn>();
        authentication
            .AddCookie(IdentityConstants.ExternalScheme, o =>
            {
                // Set on the provider's redirect back (a cross-site navigation) and read on the next same-site step:
                // Lax, like the correlation and nonce cookies; it holds only the validated claims, for 5 minutes.
                o.Cookie.Name = "omct_external";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(5);
                o.SlidingExpiration = false;
            })
            .AddOpenIdConnect(Scheme, oidc.DisplayName, o =>
            {
                o.Authority = oidc.Authority;
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.RequireHttpsMetadata = new Uri(oidc.Authority!).Scheme == Uri.UriSchemeHttps;
                o.ResponseType = OpenIdConnectResponseType.Code;
                // The code comes back in the query of a top-level GET: SameSite=Lax cookies are sent with it
                // (a form_post from the provider's site would need SameSite=None).
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.CallbackPath = OpenIdConnectSettings.CallbackPath;
                o.SignInScheme = IdentityConstants.ExternalScheme;
                o.SaveTokens = false;
                o.UseTokenLifetime = false;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.DisableTelemetry = true;
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("email");
                o.Scope.Add("profile");

                o.TokenValidationParameters.NameClaimType = "name";
                o.ProtocolValidator.RequireNonce = true;
                o.CorrelationCookie.Name = "omct_oidc_correlation.";
                o.NonceCookie.Name = "omct_oidc_nonce.";
                foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
                {
                    cookie.SameSite = SameSiteMode.Lax;
                    cookie.HttpOnly = true;
                }

                o.Events.OnRemoteFailure = context =>
                {
                    // The exception's type only: its message may quote the provider's answer.
                    context.HttpContext.RequestServices.GetRequiredService<ILogger<OpenIdConnectSignIn>>()
                        .LogWarning("OpenID Connect sign-in refused: {Failure}", context.Failure?.GetType().Name ?? "unknown");
                    context.Response.Redirect("/account/oidc/failed");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
            });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ExternalScheme)
            .Configure<IWebHostEnvironment, IOptions<AccountsOptions>>((o, environment, settings) =>
                o.Cookie.SecurePolicy = settings.Value.CookieSecurity(environment));
        services.AddOptions<OpenIdConnectOptions>(Scheme)
            .Configure<IWebHostEnvironment, IOptions<AccountsOptions>>((o, environment, settings) =>
            {
                o.CorrelationCookie.SecurePolicy = settings.Value.CookieSecurity(environment);
                o.NonceCookie.SecurePolicy = o.CorrelationCookie.SecurePolicy;
            });
    }

    /// <summary>
    /// A return URL the platform may send the browser to after the sign-in: a local path (<c>/…</c>, not <c>//…</c>
    /// nor <c>/\…</c>), never another host.
    /// </summary>
    public static bool IsLocal(string? url) =>
        url is { Length: > 0 and <= 2000 } && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(c => char.IsControl(c) || c == '\\');

    /// <summary>
    /// The account for the validated claims of the external cookie, then a session or the second-factor step.
    /// Linked by a verified e-mail address; otherwise made (external) from the role and clearance claims.
    /// </summary>
    public async Task<ProviderSignInOutcome> CompleteAsync(ClaimsPrincipal external, CancellationToken ct)
    {
        var outcome = await SignInAsync(external, ct);
        await signIn.Context.SignOutAsync(IdentityConstants.ExternalScheme);
        return outcome;
    }

    private async Task<ProviderSignInOutcome> SignInAsync(ClaimsPrincipal external, CancellationToken ct)
    {
        var identity = external.Identity as ClaimsIdentity;
        var subject = external.FindFirstValue("sub");
        var email = external.FindFirstValue("email")?.Trim();
        var verified = string.Equals(external.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase);
        if (identity is null || string.IsNullOrEmpty(subject) || email is not { Length: > 0 and <= 320 } || !verified)
        {
            log.LogInformation("OpenID Connect sign-in refused: no subject, or no verified e-mail address");
            return ProviderSignInOutcome.Refused;
        }

        var account = await users.FindByEmailAsync(email);
        var mapped = mapping.Value.Map(identity, email);
        if (account is null)
        {
            if (mapped is null)
            {
                log.LogInformation("OpenID Connect sign-in refused: no account has this address and the claims give no valid role and clearance");
                return ProviderSignInOutcome.Refused;
            }

            account = await CreateExternalAsync(email, subject, mapped, ct);
            if (account is null)
            {
                return ProviderSignInOutcome.Refused;
            }
        }
        else if (account.External)
        {
            if (!string.Equals(account.ExternalSubject, subject, StringComparison.Ordinal) || mapped is null)
            {
                await accounts.RecordFailureAsync(account.Id, "NOT_ALLOWED", false, ct);
                return ProviderSignInOutcome.Refused;
            }

            if (!account.Disabled && (account.Role, account.Clearance, account.OrganisationId, account.DisplayName) != (mapped.Role, mapped.Clearance, mapped.OrganisationId, mapped.Name))
            {
                account = await FollowClaimsAsync(account, mapped, ct);
            }
        }

        if (account.Disabled || await users.IsLockedOutAsync(account) || !await signIn.CanSignInAsync(account))
        {
            await accounts.RecordFailureAsync(account.Id, account.Disabled ? "NOT_ALLOWED" : "LOCKED_OUT", false, ct);
            return ProviderSignInOutcome.Refused;
        }

        var amr = external.FindAll("amr").Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        if (settings.Value.SecondFactorMethods.Any(amr.Contains))
        {
            // The provider asserts a second factor: it counts as the platform's own.
            await signIn.SignInWithClaimsAsync(account, isPersistent: false, [new Claim("amr", LoginProvider), new Claim("amr", "mfa")]);
            await accounts.Audit.RecordAsync(account.Id, new AccountSignedIn("OIDC+MFA"), ct, account.CallerId);
            return ProviderSignInOutcome.SignedIn;
        }

        var result = await ((AccountSignInManager)signIn).ExternalSignInOrTwoFactorAsync(account, LoginProvider);
        if (result.RequiresTwoFactor)
        {
            return ProviderSignInOutcome.SecondFactorRequired;
        }

        if (result.Succeeded)
        {
            await accounts.Audit.RecordAsync(account.Id, new AccountSignedIn("OIDC"), ct, account.CallerId);
            return ProviderSignInOutcome.SignedIn;
        }

        await accounts.RecordFailureAsync(account.Id, "NOT_ALLOWED", false, ct);
        return ProviderSignInOutcome.Refused;
    }

    private async Task<Account?> CreateExternalAsync(string email, string subject, MappedClaims mapped, CancellationToken ct)
    {
        var account = new Account
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            DisplayName = mapped.Name,
            Role = mapped.Role,
            Clearance = mapped.Clearance,
            OrganisationId = mapped.OrganisationId,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = "system:openid-connect",
            External = true,
            ExternalSubject = subject,
        };
        var created = await users.CreateAsync(account);
        if (!created.Succeeded)
        {
            log.LogWarning("OpenID Connect sign-in: the external account could not be made ({Errors})", string.Join(", ", created.Errors.Select(e => e.Code)));
            return null;
        }

        await accounts.Audit.RecordAsync(account.Id, new AccountCreatedFromProvider(email, mapped.Role, mapped.Clearance, mapped.OrganisationId), ct, account.CallerId);
        return account;
    }

    /// <summary>An external account follows its claims: a changed role or clearance ends its other sessions, as an admin's change does.</summary>
    private async Task<Account> FollowClaimsAsync(Account account, MappedClaims mapped, CancellationToken ct)
    {
        var roleChanged = account.Role != mapped.Role || account.Clearance != mapped.Clearance || account.OrganisationId != mapped.OrganisationId;
        var previous = account.Clearance;
        account.DisplayName = mapped.Name;
        account.Role = mapped.Role;
        account.Clearance = mapped.Clearance;
        account.OrganisationId = mapped.OrganisationId;
        if (roleChanged)
        {
            await users.UpdateSecurityStampAsync(account);
            await accounts.EndSessionsAsync(account, ct);
            await accounts.Audit.RecordAsync(account.Id,
                [new AccountRoleChanged(mapped.Role, mapped.Clearance), new AccountClearanceChanged(account.Id, mapped.Name, mapped.Role, previous, mapped.Clearance, Active: true)],
                ct, account.CallerId);
        }
        else
        {
            await users.UpdateAsync(account);
        }

        return (await users.FindByIdAsync(account.Id.ToString()))!;
    }
}
