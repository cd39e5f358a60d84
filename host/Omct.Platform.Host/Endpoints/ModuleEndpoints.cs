using Omct.Platform.BuildingBlocks.Http;
using Omct.Platform.BuildingBlocks.Modules;

namespace Omct.Platform.Host.Endpoints;

/// <summary>
/// The modules' own HTTP endpoints (exports, report files), behind the pipeline /graphql uses: the caller
/// authenticated once (an invalid credential is 401, never anonymous), the rate limits, and at least the
/// <see cref="PlatformPolicies.Caller"/> policy; an endpoint adds its own (<see cref="PlatformPolicies.DataPuller"/>).
/// The caller is in <see cref="BuildingBlocks.Callers.ICallerContext"/>.
/// </summary>
internal static class ModuleEndpoints
{
    public static void MapModuleEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("").RequireAuthorization(PlatformPolicies.Caller);
        foreach (var module in app.Services.GetServices<PlatformModule>())
        {
            module.MapEndpoints(group);
        }
    }
}
