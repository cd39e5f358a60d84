using Microsoft.AspNetCore.Authorization;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.Host.GraphQL;

namespace Omct.Platform.Host.Authentication;

/// <summary>
/// Between authentication and authorisation, on every endpoint that declares a policy: counts the request
/// against its rate-limit partition — the caller's (key or user), the client address's for anonymous
/// callers, or the address's refused-credentials partition when the credential was refused — and sets the
/// authenticated caller in <see cref="CallerContext"/> for everything the request runs.
/// </summary>
internal sealed class CallerRequestMiddleware(RequestDelegate next, RequestRateLimits limits)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is null)
        {
            await next(http);
            return;
        }

        var refused = CallerCredentials.IsRefused(http);
        var caller = http.User.ToCaller();
        if ((refused ? limits.TryAcquireRefused() : limits.TryAcquire(caller)) is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = RequestRateLimits.Header(retryAfter);
            await Refusals.WriteAsync(http, StatusCodes.Status429TooManyRequests, ErrorCodes.LimitExceeded,
                refused ? $"Too many refused credentials from this address; retry after {retryAfter} s." : $"Too many requests; retry after {retryAfter} s.");
            return;
        }

        if (!refused)
        {
            http.RequestServices.GetRequiredService<CallerContext>().Set(caller);
        }

        await next(http);
    }
}
