using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Http;
using Omct.Platform.Host.GraphQL;

namespace Omct.Platform.Host.Authentication;

/// <summary>
/// Answers a request its endpoint's policy refused with the contract's error: 401 UNAUTHENTICATED (with
/// <c>WWW-Authenticate</c>) for a refused credential or a missing one, 403 FORBIDDEN for a caller whose role
/// or key does not reach the endpoint, or a session cookie without its antiforgery token, — in <c>/graphql</c>'s own response format there, as JSON elsewhere.
/// </summary>
internal sealed class RefusalWriter : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (CallerCredentials.IsAntiforgeryRefused(context))
        {
            // A valid session cookie without its antiforgery token (a cross-site request, or a client that forgot it).
            await Refusals.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, CallerCredentials.AntiforgeryRequired);
            return;
        }

        var reason = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message;
        var refusedCredential = CallerCredentials.IsRefused(context);
        if (authorizeResult.Challenged || refusedCredential)
        {
            context.Response.Headers.WWWAuthenticate = CallerAuthentication.Challenge;
            await Refusals.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated,
                refusedCredential ? CallerCredentials.UnknownCredential : "This needs an API key or a bearer token.");
            return;
        }

        await Refusals.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, reason ?? "You are not allowed to do this.");
    }
}

/// <summary>Errors written before an endpoint runs, in the endpoint's format.</summary>
internal static class Refusals
{
    public static Task WriteAsync(HttpContext http, int status, string code, string message) =>
        http.GetEndpoint()?.Metadata.GetMetadata<GraphQLHttpEndpoint>() is { } graphql
            ? graphql.WriteRefusalAsync(http, status, code, message)
            : HttpErrors.WriteAsync(http, status, code, message);
}
