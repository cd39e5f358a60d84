using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Omct.Platform.BuildingBlocks.Http;

/// <summary>
/// Marks a read-only file endpoint (a report's CSV or HTML) that a signed-in person may open as a plain link of the
/// console (<c>&lt;a href download&gt;</c>, a new tab), which cannot send the antiforgery header: a <c>GET</c> or
/// <c>HEAD</c> with the session cookie is then accepted without <c>X-CSRF-TOKEN</c> — but only from the platform's
/// own pages or a typed address (<c>Sec-Fetch-Site</c> absent, <c>same-origin</c> or <c>none</c>). The cookie is
/// <c>SameSite=Strict</c> besides, the endpoint changes nothing, and its policy and the caller's clearance apply as
/// to any other credential.
/// </summary>
public sealed class SessionDownloadMetadata
{
    public static readonly SessionDownloadMetadata Instance = new();

    private SessionDownloadMetadata()
    {
    }

    /// <summary>Is this request a session download the endpoint allows without the antiforgery header?</summary>
    public static bool Allows(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.GetEndpoint()?.Metadata.GetMetadata<SessionDownloadMetadata>() is null
            || !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
        {
            return false;
        }

        var site = http.Request.Headers["Sec-Fetch-Site"].ToString();
        return site.Length == 0 || site is "same-origin" or "none";
    }
}

public static class SessionDownloadExtensions
{
    /// <summary>See <see cref="SessionDownloadMetadata"/>.</summary>
    public static TBuilder AllowsSessionDownload<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(SessionDownloadMetadata.Instance);
}
