using System.Globalization;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Http;

namespace Omct.Platform.Reminders.CalendarFeeds;

/// <summary>
/// <c>GET /calendar/{secret}.ics</c>: a person's feed, for calendar applications (which send no credential: the URL's
/// secret is the credential). The content is what the account may see <b>now</b> — its role and clearance are read at
/// each fetch —, and an unknown, revoked or disabled account's URL answers 404, word for word the same. Limited like
/// every anonymous request, per client address (<see cref="PlatformPolicies.Caller"/>).
/// <c>?from=yyyy-MM-dd</c> moves the year the feed covers (default: from 30 days ago).
/// </summary>
internal static class CalendarFeedEndpoint
{
    public const string Path = "/calendar";

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path + "/{file}", HandleAsync).RequireAuthorization(PlatformPolicies.Caller);

    private static async Task HandleAsync(HttpContext http, string file)
    {
        var services = http.RequestServices;
        var secret = file.EndsWith(".ics", StringComparison.Ordinal) ? file[..^4] : "";
        // The request log line names the path: never the secret.
        http.Request.Path = Path + "/****.ics";

        CalendarFeed? feed = null;
        if (CalendarFeedSecret.LooksValid(secret))
        {
            var hash = CalendarFeedSecret.Hash(secret);
            await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
            feed = await session.Query<CalendarFeed>().Where(f => f.SecretHash == hash).FirstOrDefaultAsync(http.RequestAborted);
        }

        var caller = feed is null ? null : await services.GetRequiredService<IAccountCallers>().FindActiveAsync(feed.Id, http.RequestAborted);
        if (caller is null)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The calendar feed was not found.");
            return;
        }

        var time = services.GetRequiredService<TimeProvider>();
        var zone = services.GetRequiredService<IOptions<ReminderOptions>>().Value.ResolvedTimeZone();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        var from = today.AddDays(-CalendarFeedWriter.DaysBefore);
        if (http.Request.Query.TryGetValue("from", out var asked))
        {
            if (!DateOnly.TryParseExact(asked.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out from)
                || from.Year < 1900 || from.AddDays(CalendarFeedWriter.WindowDays).Year > today.Year + 10)
            {
                await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, ErrorCodes.Validation,
                    "from must be a day (yyyy-MM-dd) from 1900 to ten years ahead.", "from");
                return;
            }
        }

        var origin = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        var text = await services.GetRequiredService<CalendarFeedWriter>().WriteAsync(caller, from, origin, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/calendar; charset=utf-8";
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), http.RequestAborted);
    }
}
