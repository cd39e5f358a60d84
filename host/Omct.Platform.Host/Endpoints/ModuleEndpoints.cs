using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Http;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Host.GraphQL;

namespace Omct.Platform.Host.Endpoints;

/// <summary>
/// The modules' own HTTP endpoints (exports), behind what /graphql does before it runs anything:
/// the caller from X-Api-Key or a bearer token (an invalid credential is 401, never anonymous),
/// the rate limits (refused credentials counted per address, as there), and the caller set in <see cref="ICallerContext"/>. What a caller may do
/// there is the endpoint's decision.
/// </summary>
internal static class ModuleEndpoints
{
    public static void MapModuleEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("").AddEndpointFilter(AuthenticateAsync);
        foreach (var module in app.Services.GetServices<PlatformModule>())
        {
            module.MapEndpoints(group);
        }
    }

    private static async ValueTask<object?> AuthenticateAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var limits = http.RequestServices.GetRequiredService<RequestRateLimits>();
        if (RequestRateLimits.HasCredential(http.Request) && limits.RefusedCredentialsWait() is { } blockedFor)
        {
            http.Response.Headers.RetryAfter = RequestRateLimits.Header(blockedFor);
            await HttpErrors.WriteAsync(http, StatusCodes.Status429TooManyRequests, ErrorCodes.LimitExceeded,
                $"Too many refused credentials from this address; retry after {blockedFor} s.");
            return Results.Empty;
        }

        var caller = await http.RequestServices.GetRequiredService<ICallerAuthenticator>().AuthenticateAsync(http.Request);
        if (caller is null)
        {
            limits.RecordRefusedCredential();
            http.Response.Headers.WWWAuthenticate = "ApiKey, Bearer";
            await HttpErrors.WriteAsync(http, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, CallerCredentials.UnknownCredential);
            return Results.Empty;
        }

        if (limits.TryAcquire(caller) is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = RequestRateLimits.Header(retryAfter);
            await HttpErrors.WriteAsync(http, StatusCodes.Status429TooManyRequests, ErrorCodes.LimitExceeded, $"Too many requests; retry after {retryAfter} s.");
            return Results.Empty;
        }

        http.RequestServices.GetRequiredService<CallerContext>().Set(caller);
        return await next(context);
    }
}
