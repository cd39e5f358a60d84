using Microsoft.AspNetCore.Authorization;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Host.Authentication;

/// <summary>
/// After authentication and the rate limit, on every endpoint that declares a policy: sets the authenticated
/// caller (or the anonymous one) in <see cref="CallerContext"/> for everything the request runs. A refused
/// credential sets nothing: its policy answers 401.
/// </summary>
internal sealed class CallerContextMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is not null && !CallerCredentials.IsRefused(http))
        {
            http.RequestServices.GetRequiredService<CallerContext>().Set(http.User.ToCaller());
        }

        return next(http);
    }
}
