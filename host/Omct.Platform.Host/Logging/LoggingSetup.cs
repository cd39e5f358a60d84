using Serilog;
using Serilog.Events;

namespace Omct.Platform.Host;

internal static class LoggingSetup
{
    /// <summary>
    /// The readable lines of Development: ISO 8601 date and time with the offset. The message is rendered
    /// <c>:l</c> (not <c>:lj</c>, which would hand dates to the JSON formatter instead of <see cref="IsoFormatProvider"/>).
    /// </summary>
    public const string DevelopmentTemplate =
        "[{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} {Level:u3}] {Message:l} {Properties:j}{NewLine}{Exception}";

    /// <summary>
    /// Serilog for every log line: readable text in Development, compact JSON elsewhere. Levels and
    /// overrides come from the <c>Serilog</c> configuration section when present.
    /// </summary>
    public static WebApplicationBuilder AddPlatformLogging(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Marten", LogEventLevel.Warning)
                .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
                .MinimumLevel.Override("Npgsql", LogEventLevel.Warning)
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Application", "omct-platform");
            if (development)
            {
                logger.WriteTo.Console(outputTemplate: DevelopmentTemplate, formatProvider: IsoFormatProvider.Instance);
            }
            else
            {
                logger.WriteTo.Console(new IsoCompactJsonFormatter());
            }
        }, preserveStaticLogger: true);
        return builder;
    }

    /// <summary>One line per request: method, path, status, duration; the trace id is on every event.</summary>
    public static WebApplication UsePlatformRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(options =>
        {
            // This host's own logger (not the static one: several hosts may share a process in tests).
            options.Logger = app.Services.GetService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                diagnostics.Set("TraceId", System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier);
            };
            options.GetLevel = (http, _, exception) =>
                exception is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
                : http.Request.Path.StartsWithSegments("/health") ? LogEventLevel.Debug
                : LogEventLevel.Information;
        });
        return app;
    }
}
