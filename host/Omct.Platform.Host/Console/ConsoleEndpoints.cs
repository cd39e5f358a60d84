using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Omct.Platform.Host.Console;

/// <summary>
/// Serves the staff console (host/console, a React single-page app) at <c>/console</c>: the hashed files under
/// <c>/console/assets/</c> with a year's cache, and <c>index.html</c> for every other path (deep links), never cached,
/// with a strict Content-Security-Policy. The console is a client of <c>/graphql</c> like any other: nothing here
/// reads data; sign-in is the Accounts module's <c>/account</c> endpoints.
/// </summary>
/// <remarks>
/// The policy: no inline script and nothing from another origin. Mantine (the component library) writes a few
/// <c>&lt;style&gt;</c> elements at run time (its CSS variables, the AppShell's media queries, responsive props), so
/// <c>style-src</c> allows, besides the built stylesheet, only the style elements that carry this response's nonce:
/// the host puts a fresh nonce in index.html's <c>omct-style-nonce</c> meta tag and the app hands it to Mantine
/// (<c>getStyleNonce</c>). This is stricter than <c>'unsafe-inline'</c>: markup injected into the page cannot add
/// styles. Style attributes that React sets through the CSSOM are not subject to the policy.
/// </remarks>
internal static class ConsoleEndpoints
{
    public const string PathBase = "/console";

    private const string IndexCacheControl = "no-cache, no-store, must-revalidate";
    private const string AssetCacheControl = "public, max-age=31536000, immutable";
    private const string NoncePlaceholder = "__OMCT_STYLE_NONCE__";

    /// <summary>The policy of index.html; <paramref name="nonce"/> is the response's style nonce.</summary>
    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'none'; script-src 'self'; " +
        $"style-src 'self' 'nonce-{nonce}'; " +
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    public static IServiceCollection AddPlatformConsole(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleFiles>();
        services.AddHostedService<ConsolePersistedOperations>();
        return services;
    }

    /// <summary>Branches <c>/console</c> off the pipeline, ahead of the other static files.</summary>
    public static void MapPlatformConsole(this WebApplication app)
    {
        var files = app.Services.GetRequiredService<ConsoleFiles>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleEndpoints));
        if (!files.IsBuilt)
        {
            log.LogWarning("The staff console is not built ({Path} is missing): /console answers 503 until build/console.sh has run", files.IndexPath);
        }

        app.Map(PathBase, branch =>
        {
            branch.Use(async (http, next) =>
            {
                SecurityHeaders(http.Response.Headers);
                if (!files.IsBuilt)
                {
                    await NotBuiltAsync(http, files);
                    return;
                }

                await next(http);
            });
            var contentTypes = new FileExtensionContentTypeProvider();
            branch.Map("/" + ConsoleFiles.AssetsFolder, assets => assets.Run(http => AssetAsync(http, files, contentTypes)));
            branch.Run(http => IndexAsync(http, files));
        });
    }

    private static void SecurityHeaders(IHeaderDictionary headers)
    {
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), publickey-credentials-get=(self), publickey-credentials-create=(self)";
    }

    /// <summary>
    /// A file of <c>assets/</c> (flat, content-hashed names): cached for a year; its <c>.br</c> or <c>.gz</c> sibling
    /// (written by build/console.sh) when the browser accepts it. A missing asset is a 404, never index.html.
    /// </summary>
    private static async Task AssetAsync(HttpContext http, ConsoleFiles files, FileExtensionContentTypeProvider contentTypes)
    {
        var name = http.Request.Path.Value?.TrimStart('/') ?? "";
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var path = Path.Combine(files.AssetsPath, name);
        if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0 || name.StartsWith('.') || !contentTypes.TryGetContentType(name, out var type)
            || !File.Exists(path))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            http.Response.Headers.CacheControl = "no-store";
            return;
        }

        var accepted = http.Request.Headers.AcceptEncoding.ToString();
        http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        foreach (var (encoding, extension) in new[] { ("br", ".br"), ("gzip", ".gz") })
        {
            if (accepted.Contains(encoding, StringComparison.OrdinalIgnoreCase) && File.Exists(path + extension))
            {
                http.Response.Headers.ContentEncoding = encoding;
                path += extension;
                break;
            }
        }

        http.Response.ContentType = type;
        http.Response.Headers.CacheControl = AssetCacheControl;
        http.Response.ContentLength = new FileInfo(path).Length;
        if (HttpMethods.IsGet(http.Request.Method))
        {
            await http.Response.SendFileAsync(path, http.RequestAborted);
        }
    }

    private static async Task IndexAsync(HttpContext http, ConsoleFiles files)
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = "GET, HEAD";
            return;
        }

        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        string html;
        try
        {
            html = await File.ReadAllTextAsync(files.IndexPath, Encoding.UTF8, http.RequestAborted);
        }
        catch (FileNotFoundException)
        {
            await NotBuiltAsync(http, files);
            return;
        }

        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
        http.Response.Headers.CacheControl = IndexCacheControl;
        http.Response.Headers[HeaderNames.Pragma] = "no-cache";
        http.Response.ContentType = "text/html; charset=utf-8";
        var body = Encoding.UTF8.GetBytes(html.Replace(NoncePlaceholder, nonce, StringComparison.Ordinal));
        http.Response.ContentLength = body.Length;
        if (HttpMethods.IsGet(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    private static Task NotBuiltAsync(HttpContext http, ConsoleFiles files)
    {
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(
            "<!doctype html><html lang=\"en\"><title>OMCT console</title><h1>The staff console is not built</h1>" +
            "<p>This host has no console files in <code>" + System.Net.WebUtility.HtmlEncode(files.Root) + "</code>. " +
            "Run <code>build/console.sh</code> (build/run.sh and build/test.sh run it) and reload. " +
            "The GraphQL API at <a href=\"/graphql\">/graphql</a> works without it.</p></html>", http.RequestAborted);
    }
}
