using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Teamwork;

/// <summary>Teamwork through the API for the tests of its feed, templates and removals.</summary>
public static class TeamworkKit
{
    public static Task AssignOwnerAsync(GraphQLClient admin, string recordId, string accountId) =>
        admin.QueryAsync("mutation($r: ID!, $a: ID!) { assignOwner(input: { recordId: $r, accountId: $a }) { teamwork { id } } }", new { r = recordId, a = accountId });

    public static Task WatchAsync(GraphQLClient admin, string recordId, string accountId) =>
        admin.QueryAsync("mutation($r: ID!, $a: ID!) { watchRecord(input: { recordId: $r, accountId: $a }) { teamwork { id } } }", new { r = recordId, a = accountId });

    /// <summary>
    /// Waits until each of teamwork's subscriptions (task templates, removals) has processed every event written so far: its
    /// progress, as the daemon records it, reaching the event store's last sequence. What a subscription writes is committed
    /// before its progress moves, so what it made for those events can then be read.
    /// </summary>
    public static async Task DaemonDoneAsync(PlatformFactory platform)
    {
        var store = platform.Services.GetRequiredService<IDocumentStore>();
        var written = (await store.Advanced.FetchEventStoreStatistics()).EventSequenceNumber;
        string[] subscriptions = ["teamwork_task_templates", "teamwork_deadline_templates", "teamwork_team_reach"];
        var behind = await Eventually.GetAsync(
            async () =>
            {
                var progress = await store.Advanced.AllProjectionProgress();
                return subscriptions.Where(s => progress.Where(p => p.ShardName.StartsWith(s + ":", StringComparison.Ordinal)).Select(p => p.Sequence).DefaultIfEmpty(0).Max() < written).ToList();
            },
            lagging => lagging.Count == 0, TimeSpan.FromSeconds(60));
        Assert.True(behind.Count == 0, $"Behind event {written} after 60 s: {string.Join(", ", behind)}.");
    }

    /// <summary>The tasks of a record, by due date, once teamwork's subscriptions have processed every event written so far.</summary>
    public static async Task<JsonElement> TasksOfAsync(PlatformFactory platform, GraphQLClient admin, string recordId)
    {
        await DaemonDoneAsync(platform);
        return (await admin.QueryAsync("query($r: ID!) { tasks(filter: { recordId: $r }) { nodes { id title dueOn status template assigneeId } } }", new { r = recordId }))
            .GetProperty("tasks").GetProperty("nodes");
    }
}
