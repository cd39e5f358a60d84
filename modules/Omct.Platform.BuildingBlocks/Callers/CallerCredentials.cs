using Microsoft.AspNetCore.Http;

namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>How every endpoint reads the caller's credential from a request.</summary>
public static class CallerCredentials
{
    /// <summary>
    /// <c>X-Api-Key</c> or <c>Authorization: Bearer</c> (not both); no credential is the anonymous
    /// caller. Null when a credential is present but not valid: never fall back to anonymous.
    /// </summary>
    public static async Task<Caller?> AuthenticateAsync(this ICallerAuthenticator authenticator, HttpRequest request)
    {
        var apiKey = request.Headers["X-Api-Key"].ToString();
        var authorization = request.Headers.Authorization.ToString();
        if (apiKey.Length == 0 && authorization.Length == 0)
        {
            return Caller.Anonymous;
        }

        if (apiKey.Length > 0 && authorization.Length > 0)
        {
            return null;
        }

        if (apiKey.Length > 0)
        {
            return await authenticator.AuthenticateApiKeyAsync(apiKey, request.HttpContext.RequestAborted);
        }

        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
            ? await authenticator.AuthenticateBearerTokenAsync(authorization[bearer.Length..].Trim(), request.HttpContext.RequestAborted)
            : null;
    }

    public const string UnknownCredential =
        "The credentials are unknown, expired, revoked or invalid (send one of X-Api-Key or Authorization: Bearer).";
}
