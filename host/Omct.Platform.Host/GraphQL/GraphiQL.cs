namespace Omct.Platform.Host.GraphQL;

/// <summary>The interactive IDE a browser gets at <c>GET /graphql</c> (assets installed by build/web-assets.sh).</summary>
internal static class GraphiQL
{
    public static async Task ServeAsync(HttpContext http, IWebHostEnvironment environment)
    {
        var index = environment.WebRootFileProvider.GetFileInfo("graphiql/index.html");
        http.Response.Headers.ContentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.ContentType = "text/html; charset=utf-8";
        if (index.Exists)
        {
            await using var stream = index.CreateReadStream();
            await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
            return;
        }

        await http.Response.WriteAsync(
            "<!doctype html><title>OMCT GraphQL</title><h1>OMCT GraphQL</h1>" +
            "<p>The GraphiQL IDE is not installed. Run <code>build/web-assets.sh</code> and reload, " +
            "or POST queries to this URL.</p>", http.RequestAborted);
    }
}
