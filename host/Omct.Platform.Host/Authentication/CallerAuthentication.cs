using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Http;

namespace Omct.Platform.Host.Authentication;

/// <summary>
/// One authentication pipeline for every endpoint: a policy scheme (<see cref="Scheme"/>) forwards each request
/// to the handler of the credential it carries — <c>X-Api-Key</c> to <see cref="ApiKeyAuthenticationHandler"/>,
/// <c>Authorization</c> to <see cref="BearerAuthenticationHandler"/>, both at once to
/// <see cref="AmbiguousCredentialsHandler"/> (refused) — and no credential is the anonymous caller. A cookie
/// session joins as one more handler and one more branch of the selector. The policies of
/// <see cref="PlatformPolicies"/> then decide, per endpoint, who may go on.
/// </summary>
internal static class CallerAuthentication
{
    public const string Scheme = "omct";
    public const string ApiKeyScheme = "ApiKey";
    public const string BearerScheme = "Bearer";
    public const string AmbiguousScheme = "omct-ambiguous";
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The schemes a client may use, for <c>WWW-Authenticate</c>.</summary>
    public const string Challenge = "ApiKey, Bearer";

    public static IServiceCollection AddPlatformAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "OMCT caller", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, null)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerScheme, null)
            .AddScheme<AuthenticationSchemeOptions, AmbiguousCredentialsHandler>(AmbiguousScheme, null);

        services.AddSingleton<IAuthorizationHandler, CallerRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusalWriter>();
        services.AddAuthorizationBuilder()
            .AddPolicy(PlatformPolicies.Caller, p => p.AddRequirements(new CallerRequirement(Role.Anonymous, allowsPersistedOperationsOnly: true)))
            .AddPolicy(PlatformPolicies.DataPuller, p => p.AddRequirements(new CallerRequirement(Role.Integrator, allowsPersistedOperationsOnly: false)))
            .AddPolicy(PlatformPolicies.Contributor, p => p.AddRequirements(new CallerRequirement(Role.NetworkMember, allowsPersistedOperationsOnly: false)));
        return services;
    }

    /// <summary>A refused credential: the request is marked so that no policy takes it for the anonymous caller.</summary>
    public static AuthenticateResult Refuse(HttpContext http)
    {
        CallerCredentials.MarkRefused(http);
        return AuthenticateResult.Fail(CallerCredentials.UnknownCredential);
    }

    private static string SelectScheme(HttpContext http)
    {
        // An empty header is no credential (as before the pipeline existed).
        var headers = http.Request.Headers;
        var apiKey = headers[ApiKeyHeader].ToString().Length > 0;
        var authorization = headers.Authorization.ToString().Length > 0;
        // A staff member's session cookie (the Accounts module's scheme), when that scheme is registered.
        var session = http.Request.Cookies.TryGetValue(CallerCredentials.SessionCookie, out var cookie) && cookie.Length > 0
            && http.RequestServices.GetService<SessionCookieScheme>() is not null;
        return (apiKey ? 1 : 0) + (authorization ? 1 : 0) + (session ? 1 : 0) > 1 ? AmbiguousScheme
            : session ? CallerCredentials.SessionScheme
            : authorization ? BearerScheme : ApiKeyScheme;
    }
}

/// <summary><c>X-Api-Key</c>: the caller of a stored or bootstrap key; an unknown, expired or revoked key fails (401, never anonymous).</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ICallerAuthenticator authenticator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var apiKey = Request.Headers[CallerAuthentication.ApiKeyHeader].ToString();
        if (apiKey.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var caller = await authenticator.AuthenticateApiKeyAsync(apiKey, Context.RequestAborted);
        return caller is null
            ? CallerAuthentication.Refuse(Context)
            : AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(Scheme.Name), Scheme.Name));
    }
}

/// <summary><c>Authorization: Bearer &lt;jwt&gt;</c>; any other scheme, or a token that fails a check, fails (401, never anonymous).</summary>
internal sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ICallerAuthenticator authenticator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string Prefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var caller = authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            ? await authenticator.AuthenticateBearerTokenAsync(authorization[Prefix.Length..].Trim(), Context.RequestAborted)
            : null;
        return caller is null
            ? CallerAuthentication.Refuse(Context)
            : AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(Scheme.Name), Scheme.Name));
    }
}

/// <summary>Two credentials at once: refused, whichever of them is valid.</summary>
internal sealed class AmbiguousCredentialsHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(CallerAuthentication.Refuse(Context));
}
