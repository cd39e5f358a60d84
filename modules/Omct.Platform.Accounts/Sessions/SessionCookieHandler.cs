using System.Security.Claims;
using System.Text.Encodings.Web;
using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.Accounts.Identity;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Http;

namespace Omct.Platform.Accounts.Sessions;

/// <summary>Marks the account pages (sign-in, second factor, links): they check their own antiforgery token (form field or header).</summary>
internal sealed class AccountPageMetadata;

/// <summary>
/// The session cookie as one more credential of the platform's pipeline. Beyond ASP.NET Core's cookie handler:
/// <list type="bullet">
/// <item>every request re-reads the account: a changed security stamp (disabled, clearance or role changed, factors
/// reset, password reset) ends the session, and the principal is rebuilt from the account as it is now;</item>
/// <item>a cookie that does not authenticate is a refused credential (401), never the anonymous caller — except on
/// the account pages, where it is dropped so that the person can sign in again;</item>
/// <item>on every other endpoint (<c>/graphql</c>, exports) the request must carry the antiforgery token in
/// <c>X-CSRF-TOKEN</c> (ASP.NET Core antiforgery, bound to the signed-in account); without it the request is refused
/// before anything runs — except a same-origin <c>GET</c> of a read-only file endpoint marked
/// <see cref="SessionDownloadMetadata"/> (a report's CSV or HTML opened as a link of the console).</item>
/// </list>
/// </summary>
internal sealed class SessionCookieHandler(IOptionsMonitor<CookieAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : CookieAuthenticationHandler(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var result = await base.HandleAuthenticateAsync();
        var accountPage = Context.GetEndpoint()?.Metadata.GetMetadata<AccountPageMetadata>() is not null;
        if (result.None)
        {
            return result;
        }

        if (!result.Succeeded)
        {
            if (accountPage)
            {
                Options.CookieManager.DeleteCookie(Context, Options.Cookie.Name!, Options.Cookie.Build(Context));
                return AuthenticateResult.NoResult();
            }

            CallerCredentials.MarkRefused(Context);
            return result;
        }

        if (!accountPage && Context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is not null && !SessionDownloadMetadata.Allows(Context))
        {
            var antiforgery = Context.RequestServices.GetRequiredService<IAntiforgery>();
            var previous = Context.User;
            Context.User = result.Principal!;
            try
            {
                await antiforgery.ValidateRequestAsync(Context);
            }
            catch (AntiforgeryValidationException)
            {
                Context.User = previous;
                // Refused before anything runs; answered 403 FORBIDDEN by the host's refusal writer.
                CallerCredentials.MarkAntiforgeryRefused(Context);
                return AuthenticateResult.Fail(CallerCredentials.AntiforgeryRequired);
            }
        }

        return result;
    }

    /// <summary>
    /// On every request (<c>OnValidatePrincipal</c>): the account as it is now, or the end of the session.
    /// </summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var identity = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var principal = context.Principal;
        Account? account = null;
        if (Guid.TryParse(principal?.FindFirstValue(AccountPrincipalFactory.AccountIdClaimType), out var id))
        {
            await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
            account = await session.LoadAsync<Account>(id, context.HttpContext.RequestAborted);
        }

        if (account is null || account.Disabled || account.SecurityStamp != principal?.FindFirstValue(identity.SecurityStampClaimType))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CallerCredentials.SessionScheme);
            return;
        }

        var fresh = await services.GetRequiredService<IUserClaimsPrincipalFactory<Account>>().CreateAsync(account);
        var freshIdentity = (ClaimsIdentity)fresh.Identity!;
        foreach (var kept in principal!.Claims.Where(c => c.Type is ClaimTypes.AuthenticationMethod || c.Type.StartsWith("Microsoft.AspNetCore.Authentication.Cookies-", StringComparison.Ordinal)))
        {
            freshIdentity.AddClaim(new Claim(kept.Type, kept.Value));
        }

        if (principal.FindFirst(SessionTicketStore.SessionClaim) is { } sessionId)
        {
            freshIdentity.AddClaim(new Claim(SessionTicketStore.SessionClaim, sessionId.Value));
        }

        context.ReplacePrincipal(fresh);
    }
}
