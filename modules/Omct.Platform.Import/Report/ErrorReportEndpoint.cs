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
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.Import.GraphQL;
using Omct.Platform.Import.Mappings;
using Omct.Platform.Import.Runs;

namespace Omct.Platform.Import.Report;

/// <summary>
/// <c>GET /imports/{runId}/errors.csv</c>: a run's errors as CSV (line, column, message; RFC 4180, formula-safe through
/// <see cref="CsvText"/>), streamed page by page. For whoever may see the run (its importer; an ADMIN with at least the
/// importer's clearance); anyone else, and an unknown run, gets the same 404. Behind the host's authentication and the
/// <see cref="PlatformPolicies.DataPuller"/> policy, then the STAFF role; the console may open it as a plain link.
/// </summary>
internal static class ErrorReportEndpoint
{
    public const string Path = "/imports";

    public static string UrlOf(Guid runId) => $"{Path}/{GlobalId.Encode(ImportRunGraphType.TypeName, runId)}/errors.csv";

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path + "/{run}/errors.csv", HandleAsync).RequireAuthorization(PlatformPolicies.DataPuller).AllowsSessionDownload();

    private static async Task HandleAsync(HttpContext http, string run)
    {
        var caller = http.RequestServices.GetRequiredService<ICallerContext>().Current;
        if (!caller.HasRole(ImportAccess.MinimumRole))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "You are not allowed to do this.");
            return;
        }

        var commands = http.RequestServices.GetRequiredService<ImportCommands>();
        var found = GlobalId.TryDecode(run, ImportRunGraphType.TypeName, out var id) ? await commands.RunAsync(id, http.RequestAborted) : null;
        if (found is null)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The import run was not found.");
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = $"import-errors-{found.Id:N}.csv" }.ToString();
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-store";
        var csv = new StringBuilder().Line("line", "column", "message");
        await foreach (var error in commands.AllErrorsAsync(found.Id, http.RequestAborted))
        {
            csv.Line(error.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Column, error.Message);
            if (csv.Length > 64 * 1024)
            {
                await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(csv.ToString()), http.RequestAborted);
                csv.Clear();
            }
        }

        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(csv.ToString()), http.RequestAborted);
    }
}
