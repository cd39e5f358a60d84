using System.Diagnostics;
using Serilog.Context;

namespace Omct.Platform.Host;

/// <summary>Puts the request's trace id on every log line written while it is handled.</summary>
internal static class TraceId
{
    public static string Of(HttpContext http) => Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;

    public static IApplicationBuilder UseTraceIdLogContext(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            using (LogContext.PushProperty("TraceId", Of(http)))
            {
                await next(http);
            }
        });
}
