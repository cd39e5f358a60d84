using System.Text.Json;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests.Teamwork;

/// <summary>Teamwork through the API for the tests of its feed, templates and removals.</summary>
public static class TeamworkKit
{
    public static Task AssignOwnerAsync(GraphQLClient admin, string recordId, string accountId) =>
        admin.QueryAsync("mutation($r: ID!, $a: ID!) { assignOwner(input: { recordId: $r, accountId: $a }) { teamwork { id } } }", new { r = recordId, a = accountId });

    public static Task WatchAsync(GraphQLClient admin, string recordId, string accountId) =>
        admin.QueryAsync("mutation($r: ID!, $a: ID!) { watchRecord(input: { recordId: $r, accountId: $a }) { teamwork { id } } }", new { r = recordId, a = accountId });

    /// <summary>Waits until the async daemon (templates, removals) has processed every event written so far.</summary>
    public static Task DaemonDoneAsync(PlatformFactory platform) =>
        platform.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

    /// <summary>The tasks of a record, by due date, once the async daemon made at least <paramref name="atLeast"/>.</summary>
    public static async Task<JsonElement> TasksOfAsync(PlatformFactory platform, GraphQLClient admin, string recordId, int atLeast)
    {
        await DaemonDoneAsync(platform);
        for (var attempt = 0; ; attempt++)
        {
            var nodes = (await admin.QueryAsync("query($r: ID!) { tasks(filter: { recordId: $r }) { nodes { id title dueOn status template assigneeId } } }", new { r = recordId }))
                .GetProperty("tasks").GetProperty("nodes");
            if (nodes.GetArrayLength() >= atLeast || attempt >= 300)
            {
                return nodes;
            }

            await Task.Delay(100);
        }
    }
}
