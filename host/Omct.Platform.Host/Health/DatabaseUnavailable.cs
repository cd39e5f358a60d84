using System.Net.Sockets;
using Npgsql;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.Host.Authentication;
using Omct.Platform.Host.GraphQL;

namespace Omct.Platform.Host.Health;

/// <summary>
/// While PostgreSQL cannot be reached (down, restarting, refusing connections, the network cut), a request
/// is answered 503 with <c>Retry-After</c> and <c>extensions.code: UNAVAILABLE</c> instead of INTERNAL, so
/// clients know to send it again: from a resolver through the GraphQL error handler, from anywhere else in the
/// pipeline (the API key lookup, an export) through <see cref="UseDatabaseUnavailable"/>.
/// </summary>
internal static class DatabaseUnavailable
{
    public const int RetryAfterSeconds = 5;

    public const string Message = "The platform cannot reach its database right now; retry later.";

    /// <summary>
    /// Whether <paramref name="exception"/> (or one it wraps) says the database could not be reached: a
    /// connection that failed or broke (Npgsql's transient errors: sockets, timeouts), or the server saying it
    /// is shutting down, starting or out of connections — never a query the server refused.
    /// </summary>
    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    return postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300" || postgres.SqlState.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(Is):
                    return true;
            }
        }

        return false;
    }

    public static IApplicationBuilder UseDatabaseUnavailable(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (Exception e) when (Is(e) && !http.Response.HasStarted)
            {
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Omct.Platform.Host")
                    .LogWarning("The database is unreachable: {Method} {Path} answered 503 ({Error})", http.Request.Method, http.Request.Path.Value, e.Message);
                http.Response.Clear();
                http.Response.Headers.RetryAfter = RateLimits.Header(RetryAfterSeconds);
                await Refusals.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, Message);
            }
        });
}
