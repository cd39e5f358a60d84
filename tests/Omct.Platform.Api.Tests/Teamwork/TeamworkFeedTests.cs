using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.BuildingBlocks.Mail;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Teamwork;

/// <summary>A host whose webhooks may deliver to a receiver on the loopback, and whose invitations are captured.</summary>
public sealed class TeamworkFeedFactory : PlatformFactory
{
    public CapturedMail Mail { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:Webhooks:AllowHttp"] = "true",
        ["Omct:Webhooks:AllowPrivateNetworks"] = "true", // the receiver listens on the loopback
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IPlatformMail>(Mail);
}

/// <summary>
/// Task and assignment changes in the change feed (<c>TASK</c>, <c>TEAMWORK</c>) and in webhook deliveries: each listed only
/// to a caller who may see its record now — a STAFF integrator sees those of a STAFF case, none of a RESTRICTED one.
/// </summary>
public sealed class TeamworkFeedTests(TeamworkFeedFactory platform) : IClassFixture<TeamworkFeedFactory>
{
    private static readonly string[] TeamworkTypes = ["TASK", "TEAMWORK"];

    [Fact]
    public async Task A_STAFF_integrator_reads_task_and_assignment_changes_of_a_STAFF_case_and_none_of_a_RESTRICTED_one()
    {
        var admin = platform.Admin();
        var staffIntegrator = platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "STAFF"));
        var restrictedIntegrator = platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "RESTRICTED"));
        var (_, staffStart) = await FeedKit.DrainAsync(staffIntegrator, types: TeamworkTypes);
        var (_, restrictedStart) = await FeedKit.DrainAsync(restrictedIntegrator, types: TeamworkTypes);

        var staffCase = await FeedKit.OpenCaseAsync(admin, "Feed: teamwork on a staff case", "STAFF");
        var restrictedCase = await FeedKit.OpenCaseAsync(admin, "Feed: teamwork on a restricted case", "RESTRICTED");
        var owner = await AccountsSetup.InviteAsync(admin, "feed.owner@example.org", "STAFF", "RESTRICTED");
        var colleague = await AccountsSetup.InviteAsync(admin, "feed.colleague@example.org", "STAFF", "RESTRICTED");

        // The STAFF case: owner assigned, a watcher added and removed; a task reassigned and completed, another cancelled.
        await TeamworkKit.AssignOwnerAsync(admin, staffCase, owner);
        await TeamworkKit.WatchAsync(admin, staffCase, colleague);
        await admin.QueryAsync("mutation($r: ID!, $a: ID!) { unwatchRecord(input: { recordId: $r, accountId: $a }) { teamwork { id } } }", new { r = staffCase, a = colleague });
        var done = await CreateTaskAsync(admin, staffCase, "Call the lawyer", owner);
        await admin.QueryAsync("mutation($t: ID!, $a: ID!) { reassignTask(input: { taskId: $t, assigneeId: $a }) { task { id } } }", new { t = done, a = colleague });
        await admin.QueryAsync("mutation($t: ID!) { completeTask(input: { taskId: $t }) { task { id } } }", new { t = done });
        var cancelled = await CreateTaskAsync(admin, staffCase, "Write to the prosecutor", owner);
        await admin.QueryAsync("mutation($t: ID!) { cancelTask(input: { taskId: $t, reason: \"Released\" }) { task { id } } }", new { t = cancelled });

        // The RESTRICTED case: the same kinds of change.
        await TeamworkKit.AssignOwnerAsync(admin, restrictedCase, owner);
        var hiddenTask = await CreateTaskAsync(admin, restrictedCase, "Visit the family", owner);
        await admin.QueryAsync("mutation($t: ID!) { completeTask(input: { taskId: $t }) { task { id } } }", new { t = hiddenTask });

        var (staffSees, _) = await FeedKit.DrainAsync(staffIntegrator, staffStart, types: TeamworkTypes);
        Assert.Equal(
            [("TASK", done, "CREATED", 1), ("TASK", done, "UPDATED", 2), ("TASK", done, "UPDATED", 3), ("TASK", cancelled, "CREATED", 1), ("TASK", cancelled, "UPDATED", 2)],
            staffSees.Where(c => c.EntityType == "TASK").Select(c => (c.EntityType, c.EntityId, c.Kind, c.Version ?? 0)));
        var team = staffSees.Where(c => c.EntityType == "TEAMWORK").ToList();
        Assert.Equal([("CREATED", 1), ("UPDATED", 2), ("UPDATED", 3)], team.Select(c => (c.Kind, c.Version ?? 0)));
        Assert.Single(team.Select(c => c.EntityId).Distinct());
        // node(entityId) is the case's team.
        var node = await staffIntegrator.QueryAsync("query($id: ID!) { node(id: $id) { ... on Teamwork { recordId } } }", new { id = team[0].EntityId });
        Assert.Equal(staffCase, node.GetProperty("node").GetProperty("recordId").GetString());
        Assert.DoesNotContain(staffSees, c => c.EntityId == hiddenTask);

        // A RESTRICTED integrator sees the RESTRICTED case's changes as well: they are in the feed, only not for the STAFF key.
        var (restrictedSees, _) = await FeedKit.DrainAsync(restrictedIntegrator, restrictedStart, types: TeamworkTypes);
        Assert.Equal([("CREATED", 1), ("UPDATED", 2)], restrictedSees.Where(c => c.EntityId == hiddenTask).Select(c => (c.Kind, c.Version ?? 0)));
        Assert.Equal(2, restrictedSees.Where(c => c.EntityType == "TEAMWORK").Select(c => c.EntityId).Distinct().Count());
        Assert.Equal(staffSees.Count + 3, restrictedSees.Count);
    }

    [Fact]
    public async Task A_webhook_of_a_STAFF_integrator_delivers_the_task_and_assignment_changes_of_a_STAFF_case_only()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = platform.Admin();
        var integrator = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "STAFF")).Key);
        var (webhook, _, _) = await WebhookKit.RegisterAsync(integrator, receiver.Url, TeamworkTypes);
        try
        {
            var staffCase = await FeedKit.OpenCaseAsync(admin, "Webhook: teamwork on a staff case", "STAFF");
            var restrictedCase = await FeedKit.OpenCaseAsync(admin, "Webhook: teamwork on a restricted case", "RESTRICTED");
            var owner = await AccountsSetup.InviteAsync(admin, "hook.owner@example.org", "STAFF", "RESTRICTED");
            await TeamworkKit.AssignOwnerAsync(admin, restrictedCase, owner);
            var hiddenTask = await CreateTaskAsync(admin, restrictedCase, "Visit the family", owner);
            await TeamworkKit.AssignOwnerAsync(admin, staffCase, owner);
            var task = await CreateTaskAsync(admin, staffCase, "Call the lawyer", owner);
            await admin.QueryAsync("mutation($t: ID!) { completeTask(input: { taskId: $t }) { task { id } } }", new { t = task });

            while (await WebhookKit.DispatchAsync(platform) > 0)
            {
            }

            var delivered = receiver.Accepted.SelectMany(d => d.Changes)
                .Select(c => (c.GetProperty("entityType").GetString()!, c.GetProperty("kind").GetString()!, c.GetProperty("version").GetInt32())).ToList();
            Assert.Equal([("TEAMWORK", "CREATED", 1), ("TASK", "CREATED", 1), ("TASK", "UPDATED", 2)], delivered);
            Assert.Equal([task, task], receiver.Accepted.SelectMany(d => d.Changes).Where(c => c.GetProperty("entityType").GetString() == "TASK")
                .Select(c => c.GetProperty("entityId").GetString()!));
            Assert.All(receiver.Received, r => Assert.DoesNotContain(hiddenTask, System.Text.Encoding.UTF8.GetString(r.Body), StringComparison.Ordinal));
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, webhook);
        }
    }

    private static async Task<string> CreateTaskAsync(GraphQLClient admin, string recordId, string title, string assigneeId) =>
        (await admin.QueryAsync("mutation($r: ID!, $t: String!, $a: ID) { createTask(input: { recordId: $r, title: $t, dueOn: \"2026-12-15\", assigneeId: $a }) { task { id } } }",
            new { r = recordId, t = title, a = assigneeId })).GetProperty("createTask").GetProperty("task").GetProperty("id").GetString()!;
}
