using System.Diagnostics;
using System.Net.Http.Json;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests;

/// <summary>
/// The SQL commands one GraphQL request sends to PostgreSQL, for the tests that prove nested
/// relations are loaded in one query per page. The request carries a W3C <c>traceparent</c> of its
/// own, and only Npgsql commands in that trace count: what runs meanwhile in other flows — the
/// audit writer flushing restricted reads, Marten's async daemon, Quartz — has traces of its own.
/// </summary>
internal static class RequestCommands
{
    public static async Task<(GraphQLResponse Response, IReadOnlyList<string> Commands)> RunAsync(
        PlatformFactory platform, string apiKey, string query, object? variables = null)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var commands = new List<string>();
        using var listener = new ActivityListener
        {
            // ASP.NET Core's source too, so the host starts the request's activity from the traceparent header.
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                // Commands only: opening a new physical connection is traced too ("CONNECT"), without a statement.
                var statement = activity.Tags.FirstOrDefault(t => t.Key is "db.statement" or "db.query.text").Value;
                if (activity.Source.Name == "Npgsql" && activity.TraceId == traceId && statement is not null)
                {
                    lock (commands)
                    {
                        commands.Add(statement);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var http = platform.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.Add("X-Api-Key", apiKey);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await http.SendAsync(request);
        var parsed = await GraphQLResponse.ReadAsync(response);
        lock (commands)
        {
            return (parsed, commands.ToList());
        }
    }
}
