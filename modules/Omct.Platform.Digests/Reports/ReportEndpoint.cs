using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Http;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Digests.GraphQL;

namespace Omct.Platform.Digests.Reports;

/// <summary>
/// <c>GET /reports/{id}.csv</c> and <c>GET /reports/{id}.html</c>: a report's files, behind the host's
/// authentication, rate limits and the <see cref="PlatformPolicies.DataPuller"/> policy: no or an invalid credential
/// is 401; a role below INTEGRATOR (the roles that pull data) or a persisted-operations-only key is 403; a report above the caller's clearance is 404,
/// word for word the answer for one that does not exist. A signed-in person's session may open them as plain links of
/// the console (<see cref="SessionDownloadMetadata"/>: same-origin GET, no antiforgery header), within the same rules.
/// </summary>
internal static class ReportEndpoint
{
    public const string Path = "/reports";

    public static string UrlOf(Report report, string extension) => $"{Path}/{GlobalId.Encode(ReportGraphType.TypeName, report.Id)}.{extension}";

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGet(Path + "/{file}", HandleAsync).RequireAuthorization(PlatformPolicies.DataPuller)
        .AllowsSessionDownload();

    private static async Task HandleAsync(HttpContext http, string file)
    {
        // PlatformPolicies.DataPuller has let only a caller who pulls data, with a key that may send any document, get here.
        var caller = http.RequestServices.GetRequiredService<ICallerContext>().Current;

        var dot = file.LastIndexOf('.');
        var extension = dot < 0 ? "" : file[(dot + 1)..];
        var report = dot > 0 && extension is "csv" or "html" && GlobalId.TryDecode(file[..dot], ReportGraphType.TypeName, out var id)
            ? await http.RequestServices.GetRequiredService<ReportStore>().FindAsync(id, caller.VisibleLevels(), http.RequestAborted)
            : null;
        if (report is null)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The report was not found.");
            return;
        }

        var csv = extension == "csv";
        StartFile(http, csv ? "text/csv; charset=utf-8" : "text/html; charset=utf-8", report.FileName(extension));
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(csv ? report.Csv : report.Html), http.RequestAborted);
    }

    /// <summary>
    /// The status and headers of a report file (the monthly reports' and the report runs'): an HTML page is shown inline
    /// and may run nothing, load nothing; every other file is an attachment. Never cached.
    /// </summary>
    internal static void StartFile(HttpContext http, string contentType, string fileName)
    {
        var html = contentType.StartsWith("text/html", StringComparison.Ordinal);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = contentType;
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue(html ? "inline" : "attachment") { FileName = fileName }.ToString();
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-store";
        if (html)
        {
            // The page is static: no script, no outside resource may run or load in it.
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        }
    }
}
