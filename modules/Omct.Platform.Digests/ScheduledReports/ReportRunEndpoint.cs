using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Http;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Digests.ScheduledReports;

/// <summary>
/// <c>GET /reports/runs/{runId}/files/{name}</c>: a run's file, behind the host's authentication and rate limits and the
/// <see cref="PlatformPolicies.DataPuller"/> policy (as the monthly reports' files). Only a caller whose clearance reaches the
/// run's level and who is the definition's owner, an admin, or an account the run was delivered to gets it; anyone else —
/// and a file purged or never made — gets 404, word for word the same.
/// </summary>
internal static class ReportRunEndpoint
{
    public const string Path = "/reports/runs";

    public static string UrlOf(ReportRunFile file) => $"{Path}/{GlobalId.Encode(ReportRunGraphType.TypeName, file.RunId)}/files/{Uri.EscapeDataString(file.Name)}";

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGet(Path + "/{runId}/files/{name}", HandleAsync).RequireAuthorization(PlatformPolicies.DataPuller)
        .AllowsSessionDownload();

    private static async Task HandleAsync(HttpContext http, string runId, string name)
    {
        var caller = http.RequestServices.GetRequiredService<ICallerContext>().Current;
        var runs = http.RequestServices.GetRequiredService<ReportRunStore>();
        var run = GlobalId.TryDecode(runId, ReportRunGraphType.TypeName, out var id) ? await runs.FindAsync(id, http.RequestAborted) : null;
        var definition = run is null ? null : await http.RequestServices.GetRequiredService<ReportDefinitionCommands>().LoadAsync(run.DefinitionId, http.RequestAborted);
        var allowed = run is not null && definition is not null && caller.CanSee(run.Level)
                      && (caller.Id == definition.OwnerId || caller.HasRole(Role.Admin) || run.DeliveredTo.Contains(caller.Id ?? ""));
        var file = allowed ? await runs.FileAsync(id, name, http.RequestAborted) : null;
        if (file is not { } found)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The report file was not found.");
            return;
        }

        Reports.ReportEndpoint.StartFile(http, found.ContentType, name);
        http.Response.ContentLength = found.Size;
        await runs.CopyFileAsync(id, name, http.Response.Body, http.RequestAborted);
    }
}
