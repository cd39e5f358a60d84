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

    /// <summary>Marks the request's credential as refused (an authentication handler's failure; ASP.NET Core keeps only successes).</summary>
    public static void MarkRefused(HttpContext http) => http.Items[RefusedKey] = true;

    /// <summary>Whether the request presented a credential that was refused: such a request is never the anonymous caller.</summary>
    public static bool IsRefused(HttpContext http) => http.Items.ContainsKey(RefusedKey);
}

/// <summary>Registered in DI by the module that handles staff sessions: the host's selector then sends a request with the session cookie to <see cref="CallerCredentials.SessionScheme"/>.</summary>
public sealed class SessionCookieScheme;
