using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Omct.Platform.Accounts.Identity;
using Omct.Platform.Accounts.Links;
using Omct.Platform.Accounts.OpenIdConnect;
using Omct.Platform.Accounts.Sessions;
using Omct.Platform.BuildingBlocks.Callers;
using static Omct.Platform.Accounts.Pages.AccountPages;

namespace Omct.Platform.Accounts.Pages;

/// <summary>
/// <c>/account/…</c>: sign-in (password, then the second factor), passkeys, sign-out, the one-time links (invitation,
/// second-factor enrolment, reset) and the reset request. Each answers HTML to a browser's form and JSON to a client
/// that sends or accepts JSON (the console). Every POST needs the antiforgery token (form field or <c>X-CSRF-TOKEN</c>;
/// <c>GET /account</c> gives it) and is refused when the browser says it comes from another site.
/// </summary>
internal static class AccountEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/account").WithMetadata(new AccountPageMetadata()).AddEndpointFilter(RefusePlainHttpAsync);
        group.MapGet("", (Delegate)StatusAsync);
        group.MapGet("/sign-in", (Delegate)((HttpContext http) => SignInPage(http, null)));
        group.MapPost("/sign-in", SignInAsync);
        group.MapGet("/second-factor", (Delegate)((HttpContext http) => SecondFactorPage(http, null)));
        group.MapPost("/second-factor", SecondFactorAsync);
        group.MapPost("/sign-out", SignOutAsync);
        group.MapGet("/link", LinkPageAsync);
        group.MapPost("/link", UseLinkAsync);
        group.MapGet("/reset", (Delegate)((HttpContext http) => ResetRequestPage(http, null)));
        group.MapPost("/reset", ResetRequestAsync);
        group.MapPost("/passkey/creation-options", PasskeyCreationOptionsAsync);
        group.MapPost("/passkey/register", PasskeyRegisterAsync);
        group.MapPost("/passkey/request-options", PasskeyRequestOptionsAsync);
        group.MapPost("/passkey/sign-in", PasskeySignInAsync);
        group.MapGet("/oidc", OidcStartAsync);
        group.MapGet("/oidc/complete", OidcCompleteAsync);
        group.MapGet("/oidc/failed", (Delegate)((HttpContext http) => OidcFailed(http)));
        group.MapGet("/passkey.js", () => Results.Text(PasskeyScript.Source, "text/javascript"));
    }

    /// <summary>
    /// Outside Development the accounts' cookies are HTTPS-only: over plain HTTP no sign-in could hold, so every
    /// <c>/account</c> request says so (and names the setting for a host reached on this machine) instead of failing.
    /// </summary>
    private static ValueTask<object?> RefusePlainHttpAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var environment = http.RequestServices.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>();
        var settings = http.RequestServices.GetRequiredService<IOptions<AccountsOptions>>().Value;
        if (http.Request.IsHttps || settings.CookieSecurity(environment) != Microsoft.AspNetCore.Http.CookieSecurePolicy.Always)
        {
            return next(context);
        }

        const string message = "Sign-in needs HTTPS: this host sends its session cookies over HTTPS only. Reach it at its https:// address " +
            "(behind a TLS proxy, forward X-Forwarded-Proto), or, for a host reached on this machine only, set Omct:Accounts:AllowPlainHttpOnLoopback=true " +
            "(Omct__Accounts__AllowPlainHttpOnLoopback; build/run.sh does).";
        return ValueTask.FromResult<object?>(WantsJson(http)
            ? Results.Json(new { status = "HTTPS_REQUIRED", message }, statusCode: StatusCodes.Status400BadRequest)
            : Results.Text(message, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest));
    }

    private static bool WantsJson(HttpContext http) =>
        http.Request.HasJsonContentType() || http.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The POST's fields (form or JSON object), or null when refused: cross-site, or no valid antiforgery token.</summary>
    private static async Task<Dictionary<string, string?>?> ReadAsync(HttpContext http)
    {
        if (http.Request.Headers["Sec-Fetch-Site"].ToString() is "cross-site"
            || (http.Request.Headers.Origin.ToString() is { Length: > 0 } origin
                && !(Uri.TryCreate(origin, UriKind.Absolute, out var o) && string.Equals(o.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase))))
        {
            return null;
        }

        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return null;
        }

        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            foreach (var (key, value) in form)
            {
                fields[key] = value.ToString();
            }
        }
        else if (http.Request.HasJsonContentType())
        {
            try
            {
                using var json = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
                if (json.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in json.RootElement.EnumerateObject())
                    {
                        fields[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                    }
                }
            }
            catch (JsonException)
            {
                return fields;
            }
        }

        return fields;
    }

    private static IResult Forbidden(HttpContext http) => WantsJson(http)
        ? Results.Json(new { status = "REFUSED", message = "Refused: this request comes from another site or lacks the antiforgery token (GET /account gives it)." }, statusCode: 403)
        : Html(http, "Refused", "<p>This form came from another site or has expired. <a href=\"/account/sign-in\">Start again</a>.</p>", 403);

    private static async Task<IResult> StatusAsync(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        var caller = http.User.ToCaller();
        var signedIn = caller.Id?.StartsWith("user:", StringComparison.Ordinal) == true;
        if (WantsJson(http))
        {
            return Results.Json(new
            {
                signedIn,
                id = signedIn ? caller.Id : null,
                name = signedIn ? caller.Name : null,
                role = signedIn ? caller.Role.ToString().ToUpperInvariant() : null,
                clearance = signedIn ? caller.Clearance.ToString().ToUpperInvariant() : null,
                antiforgeryHeader = CallerCredentials.AntiforgeryHeader,
                antiforgeryToken = tokens.RequestToken,
                openIdConnect = OidcButton(http) is { } oidc ? new { displayName = oidc.DisplayName, signInUrl = oidc.SignInUrl } : null,
            });
        }

        if (!signedIn)
        {
            return Results.Redirect("/account/sign-in");
        }

        await Task.CompletedTask;
        return Html(http, "Your account",
            $"<p>Signed in as {Encode(caller.Name)} ({Encode(caller.Role.ToString())}, clearance {Encode(caller.Clearance.ToString())}).</p>" +
            $"<p id=\"passkey-status\"></p><button type=\"button\" id=\"register-passkey\">Add a passkey</button>" +
            $"<input type=\"hidden\" id=\"antiforgery\" value=\"{Encode(tokens.RequestToken)}\">" +
            Form(http, "/account/sign-out", "", "Sign out") +
            "<script src=\"/account/passkey.js\"></script>");
    }

    private static IResult SignInPage(HttpContext http, string? error, int status = 200)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return Html(http, "Sign in",
            Error(error) +
            Form(http, "/account/sign-in",
                Field("E-mail", "email", "email", "username webauthn") + Field("Password", "password", "password", "current-password"), "Sign in") +
            $"<p><button type=\"button\" id=\"passkey-sign-in\">Sign in with a passkey</button></p>" +
            (OidcButton(http) is { } oidc ? $"<p><a id=\"oidc-sign-in\" href=\"{Encode(oidc.SignInUrl)}\">Sign in with {Encode(oidc.DisplayName)}</a></p>" : "") +
            $"<input type=\"hidden\" id=\"antiforgery\" value=\"{Encode(tokens.RequestToken)}\">" +
            "<p><a href=\"/account/reset\">Forgot the password?</a></p><script src=\"/account/passkey.js\"></script>", status);
    }

    /// <summary>"Sign in with &lt;organisation&gt;" when OpenID Connect is configured: its name and the URL that starts it (back to a local page).</summary>
    private static (string DisplayName, string SignInUrl)? OidcButton(HttpContext http)
    {
        var settings = http.RequestServices.GetRequiredService<IOptions<OpenIdConnectSettings>>().Value;
        if (!settings.Enabled)
        {
            return null;
        }

        var returnUrl = http.Request.Query["returnUrl"].ToString();
        return (settings.DisplayName, $"/account/oidc?returnUrl={Uri.EscapeDataString(OpenIdConnectSignIn.IsLocal(returnUrl) ? returnUrl : "/account")}");
    }

    /// <summary><c>GET /account/oidc?returnUrl=/…</c>: to the organisation's provider (authorization code flow with PKCE); only a local return URL.</summary>
    private static IResult OidcStartAsync(HttpContext http, IOptions<OpenIdConnectSettings> settings, string? returnUrl)
    {
        if (!settings.Value.Enabled)
        {
            return WantsJson(http)
                ? Results.Json(new { status = "NOT_CONFIGURED", message = "Sign-in through an organisation's provider is not configured here." }, statusCode: 404)
                : Html(http, "Sign in", "<p>Sign-in through an organisation's provider is not configured here. <a href=\"/account/sign-in\">Sign in</a>.</p>", 404);
        }

        returnUrl = string.IsNullOrEmpty(returnUrl) ? "/account" : returnUrl;
        if (!OpenIdConnectSignIn.IsLocal(returnUrl))
        {
            return WantsJson(http)
                ? Results.Json(new { status = "REFUSED", message = "returnUrl must be a path on this site (/…).", field = "returnUrl" }, statusCode: 400)
                : Html(http, "Sign in", Error("The page to return to must be on this site.") + "<p><a href=\"/account/sign-in\">Sign in</a></p>", 400);
        }

        return Results.Challenge(
            new Microsoft.AspNetCore.Authentication.AuthenticationProperties { RedirectUri = $"/account/oidc/complete?returnUrl={Uri.EscapeDataString(returnUrl)}" },
            [OpenIdConnectSignIn.Scheme]);
    }

    /// <summary>
    /// After the provider's redirect back (the handler has checked the code, PKCE, state, nonce and the ID token): the
    /// account, then a session or the second-factor step. The next page is reached through a same-site navigation
    /// (a page that moves on), so the SameSite=Strict session cookie goes with it.
    /// </summary>
    private static async Task<IResult> OidcCompleteAsync(HttpContext http, IServiceProvider services, string? returnUrl)
    {
        if (services.GetService<OpenIdConnectSignIn>() is not { } oidc)
        {
            return OidcFailed(http);
        }

        var external = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
        if (!external.Succeeded)
        {
            return OidcFailed(http);
        }

        var outcome = await oidc.CompleteAsync(external.Principal!, http.RequestAborted);
        var next = outcome switch
        {
            ProviderSignInOutcome.SignedIn => OpenIdConnectSignIn.IsLocal(returnUrl) ? returnUrl! : "/account",
            ProviderSignInOutcome.SecondFactorRequired => "/account/second-factor",
            _ => null,
        };
        if (next is null)
        {
            return OidcFailed(http);
        }

        return Html(http, outcome == ProviderSignInOutcome.SignedIn ? "Signed in" : "Second factor",
            $"<p><a id=\"continue\" href=\"{Encode(next)}\">Continue</a></p>",
            head: $"<meta http-equiv=\"refresh\" content=\"0;url={Encode(next)}\">");
    }

    private static IResult OidcFailed(HttpContext http) => WantsJson(http)
        ? Results.Json(new { status = "REFUSED", message = OpenIdConnectSignIn.Refusal }, statusCode: 401)
        : SignInPage(http, OpenIdConnectSignIn.Refusal, 401);

    private static async Task<IResult> SignInAsync(HttpContext http, AccountService accounts)
    {
        if (await ReadAsync(http) is not { } input)
        {
            return Forbidden(http);
        }

        var outcome = await accounts.PasswordSignInAsync(input.GetValueOrDefault("email"), input.GetValueOrDefault("password"), http.RequestAborted);
        return Outcome(http, outcome);
    }

    private static IResult Outcome(HttpContext http, SignInOutcome outcome) => (outcome, WantsJson(http)) switch
    {
        (SignInOutcome.SignedIn, true) => Results.Json(new { status = "SIGNED_IN" }),
        (SignInOutcome.SignedIn, false) => Results.Redirect("/account", preserveMethod: false),
        (SignInOutcome.SecondFactorRequired, true) => Results.Json(new { status = "SECOND_FACTOR_REQUIRED" }),
        (SignInOutcome.SecondFactorRequired, false) => Results.Redirect("/account/second-factor"),
        (_, true) => Results.Json(new { status = "REFUSED", message = AccountService.GenericRefusal }, statusCode: 401),
        _ => SignInPage(http, AccountService.GenericRefusal, 401),
    };

    private static IResult SecondFactorPage(HttpContext http, string? error, int status = 200) =>
        Html(http, "Second factor",
            Error(error) +
            Form(http, "/account/second-factor",
                Field("Code from your authenticator app", "code", "text", "one-time-code") +
                Field("or a recovery code", "recoveryCode", "text", "off"), "Continue"), status);

    private static async Task<IResult> SecondFactorAsync(HttpContext http, AccountService accounts)
    {
        if (await ReadAsync(http) is not { } input)
        {
            return Forbidden(http);
        }

        var outcome = await accounts.SecondFactorAsync(input.GetValueOrDefault("code"), input.GetValueOrDefault("recoveryCode"), http.RequestAborted);
        return outcome == SignInOutcome.SignedIn ? Outcome(http, outcome)
            : WantsJson(http) ? Results.Json(new { status = "REFUSED", message = "The code is wrong or has expired, or the sign-in must start again." }, statusCode: 401)
            : SecondFactorPage(http, "The code is wrong or has expired, or the sign-in must start again.", 401);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, AccountService accounts)
    {
        if (await ReadAsync(http) is null)
        {
            return Forbidden(http);
        }

        if (Guid.TryParse(http.User.FindFirst(AccountPrincipalFactory.AccountIdClaimType)?.Value, out var id))
        {
            await accounts.SignOutAsync();
            await accounts.Audit.RecordAsync(id, new AccountSignedOut(), http.RequestAborted, $"user:{id}");
        }

        return WantsJson(http) ? Results.Json(new { status = "SIGNED_OUT" }) : Results.Redirect("/account/sign-in");
    }

    private static async Task<IResult> LinkPageAsync(HttpContext http, AccountService accounts, string? token)
    {
        var link = await accounts.PeekLinkAsync(token, http.RequestAborted);
        var account = link is null ? null : await accounts.Users.FindByIdAsync(link.AccountId.ToString());
        if (link is null || account is null || account.Disabled)
        {
            return WantsJson(http)
                ? Results.Json(new { status = "INVALID_LINK", message = "This link is unknown, used or expired." }, statusCode: 404)
                : Html(http, "Link", "<p>This link is unknown, used or expired. Ask for a new one.</p>", 404);
        }

        string? key = null;
        if (link.Purpose != LinkPurpose.Reset)
        {
            // The key shown is the one the code will be checked against (a fresh one, until the link is used).
            key = await accounts.Users.GetAuthenticatorKeyAsync(account);
            if (key is null || account.TwoFactorEnabled)
            {
                account.AuthenticatorKey = null;
                await accounts.Users.ResetAuthenticatorKeyAsync(account);
                key = await accounts.Users.GetAuthenticatorKeyAsync(account);
            }
        }

        var uri = key is null ? null : $"otpauth://totp/OMCT:{Uri.EscapeDataString(account.Email)}?secret={key}&issuer=OMCT&digits=6";
        if (WantsJson(http))
        {
            var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
            return Results.Json(new
            {
                purpose = link.Purpose.ToString().ToUpperInvariant(),
                email = account.Email,
                authenticatorKey = key,
                authenticatorUri = uri,
                secondFactorRequired = account.RequiresSecondFactor,
                antiforgeryToken = tokens.RequestToken,
            });
        }

        var fields = $"<input type=\"hidden\" name=\"token\" value=\"{Encode(token)}\">";
        fields += link.Purpose == LinkPurpose.SecondFactor
            ? Field("Your password", "password", "password", "current-password")
            : Field("New password (at least 12 characters)", "password", "password", "new-password");
        if (key is not null)
        {
            fields += $"<p>Add this key to an authenticator app: <code>{Encode(key)}</code> (or <code>{Encode(uri)}</code>), then type its code.</p>" +
                      Field("Code from the app", "code", "text", "one-time-code");
        }

        return Html(http, link.Purpose switch { LinkPurpose.Invitation => "Welcome", LinkPurpose.SecondFactor => "Second factor", _ => "New password" },
            $"<p>{Encode(account.Email)}</p>" + Form(http, "/account/link", fields, "Save"));
    }

    private static async Task<IResult> UseLinkAsync(HttpContext http, AccountService accounts)
    {
        if (await ReadAsync(http) is not { } input)
        {
            return Forbidden(http);
        }

        var ct = http.RequestAborted;
        var token = input.GetValueOrDefault("token");
        var password = input.GetValueOrDefault("password") ?? "";
        var code = (input.GetValueOrDefault("code") ?? "").Replace(" ", "", StringComparison.Ordinal);
        var link = await accounts.PeekLinkAsync(token, ct);
        var account = link is null ? null : await accounts.Users.FindByIdAsync(link.AccountId.ToString());
        if (link is null || account is null || account.Disabled)
        {
            return LinkRefused(http, "This link is unknown, used or expired. Ask for a new one.", 404);
        }

        // Check everything before using the link: a typo must not spend it.
        if (link.Purpose == LinkPurpose.SecondFactor ? !await accounts.Users.CheckPasswordAsync(account, password) : PasswordRules.Problem(password) is not null)
        {
            return LinkRefused(http, link.Purpose == LinkPurpose.SecondFactor ? "The password is wrong." : PasswordRules.Problem(password)!, 400, "password");
        }

        var enrol = link.Purpose != LinkPurpose.Reset && (account.RequiresSecondFactor || code.Length > 0);
        if (enrol && (account.AuthenticatorKey is null || code.Length is 0 or > 10
                      || !await accounts.Users.VerifyTwoFactorTokenAsync(account, accounts.Users.Options.Tokens.AuthenticatorTokenProvider, code)))
        {
            return LinkRefused(http, "The code from the authenticator app is wrong or has expired.", 400, "code");
        }

        if (await accounts.ConsumeLinkAsync(token, ct) is null)
        {
            return LinkRefused(http, "This link is unknown, used or expired. Ask for a new one.", 404);
        }

        account = (await accounts.Users.FindByIdAsync(account.Id.ToString()))!;
        List<string>? recoveryCodes = null;
        if (link.Purpose != LinkPurpose.SecondFactor)
        {
            var set = await accounts.SetPasswordAsync(account, password);
            if (!set.Succeeded)
            {
                return LinkRefused(http, set.Errors.First().Description, 400, "password");
            }

            await accounts.Audit.RecordAsync(account.Id, new AccountPasswordSet(link.Purpose == LinkPurpose.Reset ? "RESET" : "INVITATION"), ct, account.CallerId);
        }

        if (enrol)
        {
            await accounts.Users.SetTwoFactorEnabledAsync(account, true);
            recoveryCodes = (await accounts.Users.GenerateNewTwoFactorRecoveryCodesAsync(account, 10))?.ToList();
            await accounts.Audit.RecordAsync(account.Id, new AccountAuthenticatorEnrolled(), ct, account.CallerId);
            await accounts.Audit.RecordAsync(account.Id, new AccountRecoveryCodesRegenerated(recoveryCodes?.Count ?? 0), ct, account.CallerId);
        }

        // Whatever the link changed, sessions opened before it end (a reset after a stolen password).
        await accounts.Users.UpdateSecurityStampAsync(account);
        await accounts.EndSessionsAsync(account, ct);
        await accounts.NotifyAsync(account, link.Purpose == LinkPurpose.Reset ? "your password was changed" : "your sign-in was set up",
            link.Purpose == LinkPurpose.Reset
                ? "The password of your account was changed through a reset link. If this was not you, tell an administrator now."
                : "A password and a second factor were set for your account. If this was not you, tell an administrator now.", ct);

        if (WantsJson(http))
        {
            return Results.Json(new { status = "DONE", recoveryCodes });
        }

        var codes = recoveryCodes is null ? "" :
            "<p>Your recovery codes — each works once, in place of a code from the app. Keep them somewhere safe: they are not shown again.</p><ul>" +
            string.Concat(recoveryCodes.Select(c => $"<li><code>{Encode(c)}</code></li>")) + "</ul>";
        return Html(http, "Done", codes + "<p><a href=\"/account/sign-in\">Sign in</a></p>");
    }

    private static IResult LinkRefused(HttpContext http, string message, int status, string? field = null) => WantsJson(http)
        ? Results.Json(new { status = "REFUSED", message, field }, statusCode: status)
        : Html(http, "Link", Error(message) + "<p>Go back to the link in your e-mail to try again.</p>", status);

    private static IResult ResetRequestPage(HttpContext http, string? message) =>
        Html(http, "Reset the password",
            (message is null ? "" : $"<p role=\"status\">{Encode(message)}</p>") +
            Form(http, "/account/reset", Field("E-mail", "email", "email", "username"), "Send a reset link"));

    private const string ResetAnswer = "If an account has this address, a link to set a new password is on its way.";

    private static async Task<IResult> ResetRequestAsync(HttpContext http, AccountService accounts)
    {
        if (await ReadAsync(http) is not { } input)
        {
            return Forbidden(http);
        }

        var email = input.GetValueOrDefault("email")?.Trim() ?? "";
        var account = email.Length is > 0 and <= 320 ? await accounts.Users.FindByEmailAsync(email) : null;
        if (account is { Disabled: false, PasswordHash: not null })
        {
            var url = await accounts.CreateLinkAsync(account, LinkPurpose.Reset, http.RequestAborted);
            await accounts.NotifyAsync(account, "reset your password",
                $"Someone (hopefully you) asked to reset the password of your account. Open this link within {accounts.Options.ResetLinkMinutes} minutes to choose a new one; it works once:\n\n{url}\n\nIf it was not you, ignore this message: your password stays as it is.",
                http.RequestAborted);
        }

        // The same answer, whether the account exists or not.
        return WantsJson(http) ? Results.Json(new { status = "SENT", message = ResetAnswer }, statusCode: 202) : ResetRequestPage(http, ResetAnswer);
    }

    private static async Task<IResult> PasskeyCreationOptionsAsync(HttpContext http, AccountService accounts)
    {
        if (await ReadAsync(http) is null)
        {
            return Forbidden(http);
        }

        if (await accounts.Users.GetUserAsync(http.User) is not { } account)
        {
            return Results.Json(new { status = "REFUSED", message = "Sign in first." }, statusCode: 401);
        }

        var options = await accounts.SignIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity
        {
            Id = account.Id.ToString(),
            Name = account.Email,
            DisplayName = account.DisplayName,
        });
        return Results.Content(options, "application/json");
    }

    private static async Task<IResult> PasskeyRegisterAsync(HttpContext http, AccountService accounts)
    {
        if (await ReadAsync(http) is not { } input)
        {
            return Forbidden(http);
        }

        if (await accounts.Users.GetUserAsync(http.User) is not { } account)
        {
            return Results.Json(new { status = "REFUSED", message = "Sign in first." }, statusCode: 401);
        }

        var credential = input.GetValueOrDefault("credential");
        if (string.IsNullOrEmpty(credential) || credential.Length > 20_000)
        {
            return Results.Json(new { status = "REFUSED", message = "No credential." }, statusCode: 400);
        }

        PasskeyAttestationResult attestation;
        try
        {
            attestation = await accounts.SignIn.PerformPasskeyAttestationAsync(credential);
        }
        catch (InvalidOperationException)
        {
            return Results.Json(new { status = "REFUSED", message = "Ask for creation options first." }, statusCode: 400);
        }

        if (!attestation.Succeeded || attestation.UserEntity.Id != account.Id.ToString())
        {
            return Results.Json(new { status = "REFUSED", message = "The passkey could not be verified." }, statusCode: 400);
        }

        var name = input.GetValueOrDefault("name")?.Trim();
        attestation.Passkey.Name = string.IsNullOrEmpty(name) ? "Passkey" : name[..Math.Min(name.Length, 100)];
        var added = await accounts.Users.AddOrUpdatePasskeyAsync(account, attestation.Passkey);
        if (!added.Succeeded)
        {
            return Results.Json(new { status = "REFUSED", message = "The passkey could not be saved; try again." }, statusCode: 409);
        }

        await accounts.Audit.RecordAsync(account.Id, new AccountPasskeyAdded(attestation.Passkey.Name), http.RequestAborted, account.CallerId);
        await accounts.NotifyAsync(account, "a passkey was added", "A passkey was added to your account. If this was not you, tell an administrator now.", http.RequestAborted);
        return Results.Json(new { status = "ADDED" });
    }

    private static async Task<IResult> PasskeyRequestOptionsAsync(HttpContext http, AccountService accounts)
    {
        if (await ReadAsync(http) is null)
        {
            return Forbidden(http);
        }

        // Discoverable credentials only: no e-mail asked, so the options never tell whether an account exists.
        var options = await accounts.SignIn.MakePasskeyRequestOptionsAsync(null);
        return Results.Content(options, "application/json");
    }

    private static async Task<IResult> PasskeySignInAsync(HttpContext http, AccountService accounts)
    {
        if (await ReadAsync(http) is not { } input)
        {
            return Forbidden(http);
        }

        var credential = input.GetValueOrDefault("credential");
        if (string.IsNullOrEmpty(credential) || credential.Length > 20_000)
        {
            return Outcome(http, SignInOutcome.Refused);
        }

        Microsoft.AspNetCore.Identity.SignInResult result;
        try
        {
            result = await accounts.SignIn.PasskeySignInAsync(credential);
        }
        catch (InvalidOperationException)
        {
            return Outcome(http, SignInOutcome.Refused);
        }

        if (result.Succeeded && await accounts.Users.GetUserAsync(http.User) is { } account)
        {
            await accounts.Audit.RecordAsync(account.Id, new AccountSignedIn("PASSKEY"), http.RequestAborted, account.CallerId);
            return Outcome(http, SignInOutcome.SignedIn);
        }

        return Outcome(http, SignInOutcome.Refused);
    }
}
