using Microsoft.AspNetCore.Http;

namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>
/// How a request's credential is read: <c>X-Api-Key</c> or <c>Authorization: Bearer</c> (not both); no
/// credential is the anonymous caller; a credential present but not valid is refused, never the anonymous
/// caller. The host's authentication handlers apply it to every endpoint.
/// </summary>
public static class CallerCredentials
{
    public const string UnknownCredential =
        "The credentials are unknown, expired, revoked or invalid (send one of X-Api-Key or Authorization: Bearer).";

    /// <summary>The authentication scheme of a staff member's session (the cookie a sign-in sets).</summary>
    public const string SessionScheme = "Identity.Application";

    /// <summary>The name of the session cookie: a request that carries it is authenticated by <see cref="SessionScheme"/>.</summary>
    public const string SessionCookie = "omct_session";

    /// <summary>The header a cookie-authenticated request sends its antiforgery token in.</summary>
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    private const string RefusedKey = "omct:refused-credential";

    private const string AntiforgeryRefusedKey = "omct:antiforgery-refused";

    /// <summary>The answer (403 FORBIDDEN) to a request with the session cookie and without a valid antiforgery token.</summary>
    public const string AntiforgeryRequired =
        "A request with the session cookie must carry a valid antiforgery token in the X-CSRF-TOKEN header (GET /account gives it, with Accept: application/json); nothing was done.";

    /// <summary>
    /// The request's session cookie was valid but its antiforgery token missing or wrong: refused like a refused
    /// credential (nothing runs), answered 403 FORBIDDEN rather than 401 — the person is signed in, the request is not theirs to make so.
    /// </summary>
    public static void MarkAntiforgeryRefused(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Items[AntiforgeryRefusedKey] = true;
        MarkRefused(http);
    }

    public static bool IsAntiforgeryRefused(HttpContext http) => http.Items.ContainsKey(AntiforgeryRefusedKey);

    /// <summary>Marks the request's credential as refused (an authentication handler's failure; ASP.NET Core keeps only successes).</summary>
    public static void MarkRefused(HttpContext http) => http.Items[RefusedKey] = true;

    /// <summary>Whether the request presented a credential that was refused: such a request is never the anonymous caller.</summary>
    public static bool IsRefused(HttpContext http) => http.Items.ContainsKey(RefusedKey);
}

/// <summary>Registered in DI by the module that handles staff sessions: the host's selector then sends a request with the session cookie to <see cref="CallerCredentials.SessionScheme"/>.</summary>
public sealed class SessionCookieScheme;
