using System.Text.Json;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Api.Tests.Calendar;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Teamwork;

/// <summary>
/// People who no longer reach a record are taken off its team, with history naming who, which record and why: a watcher
/// whose clearance is lowered (the accounts module's contract event), an owner below a case raised above them (the cases
/// module's). Taken off for good: raising the clearance or lowering the case again does not bring them back.
/// </summary>
public sealed class TeamReachTests(CalendarFeedFactory platform) : IClassFixture<CalendarFeedFactory>
{
    private const string Team = "query($r: ID!) { teamwork(recordId: $r) { owner { accountId } watchers { accountId } history { nodes { action summary } } } }";

    [Fact]
    public async Task Lowering_a_watchers_clearance_takes_them_off_the_record_with_history_and_out_of_their_work_for_good()
    {
        var admin = platform.Admin();
        var caseId = await OpenCaseAsync(admin, "Reach: a staff case");
        var person = await AccountsSetup.CreateAsync(admin, platform.Browser(), platform.Mail, "reach.watcher@example.org", "STAFF", "STAFF");
        var colleague = await AccountsSetup.InviteAsync(admin, "reach.colleague@example.org", "STAFF", "STAFF");
        await TeamworkKit.WatchAsync(admin, caseId, person.Id);
        await TeamworkKit.WatchAsync(admin, caseId, colleague);

        await ChangeRoleAsync(admin, person.Id, "NETWORK");
        var history = await HistoryAsync(admin, caseId);
        var removed = Assert.Single(history, h => h.Action == "WATCHER_REMOVED");
        Assert.Contains("Person reach.watcher@example.org", removed.Summary, StringComparison.Ordinal);
        Assert.Contains("CLEARANCE_LOWERED", removed.Summary, StringComparison.Ordinal);

        // Raised again, the person is no watcher any more (taken off, not only hidden); the colleague stays.
        await ChangeRoleAsync(admin, person.Id, "STAFF");
        var team = (await admin.QueryAsync(Team, new { r = caseId })).GetProperty("teamwork");
        Assert.Equal([colleague], team.GetProperty("watchers").EnumerateArray().Select(w => w.GetProperty("accountId").GetString()!));
        var browser = await AccountsSetup.SignInAsync(platform.Browser(), person);
        var work = await browser.GraphQLAsync("{ myWork { records { recordId } } }");
        Assert.DoesNotContain(caseId, work.Data.GetProperty("myWork").GetProperty("records").EnumerateArray().Select(r => r.GetProperty("recordId").GetString()));
    }

    [Fact]
    public async Task Raising_a_case_above_its_owner_takes_the_owner_off_and_keeps_a_watcher_it_does_not_pass()
    {
        var admin = platform.Admin();
        var caseId = await OpenCaseAsync(admin, "Reach: a case to raise");
        var owner = await AccountsSetup.InviteAsync(admin, "reach.owner@example.org", "STAFF", "STAFF");
        var watcher = await AccountsSetup.InviteAsync(admin, "reach.restricted@example.org", "STAFF", "RESTRICTED");
        await TeamworkKit.AssignOwnerAsync(admin, caseId, owner);
        await TeamworkKit.WatchAsync(admin, caseId, watcher);

        await FeedKit.SetCaseConfidentialityAsync(admin, caseId, "RESTRICTED");
        var history = await HistoryAsync(admin, caseId);
        var removed = Assert.Single(history, h => h.Action == "OWNER_REMOVED");
        Assert.Contains("Person reach.owner@example.org", removed.Summary, StringComparison.Ordinal);
        Assert.Contains("RECORD_RAISED", removed.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(history, h => h.Action == "WATCHER_REMOVED");

        // Lowered again, the case has no owner until one is assigned; the RESTRICTED watcher was never touched.
        await FeedKit.SetCaseConfidentialityAsync(admin, caseId, "STAFF");
        var team = (await admin.QueryAsync(Team, new { r = caseId })).GetProperty("teamwork");
        Assert.Equal(JsonValueKind.Null, team.GetProperty("owner").ValueKind);
        Assert.Equal([watcher], team.GetProperty("watchers").EnumerateArray().Select(w => w.GetProperty("accountId").GetString()!));
    }

    [Fact]
    public async Task Disabling_an_account_takes_it_off_as_owner_and_watcher_of_every_record()
    {
        var admin = platform.Admin();
        var first = await OpenCaseAsync(admin, "Reach: owned by a leaver");
        var second = await OpenCaseAsync(admin, "Reach: watched by a leaver");
        var leaver = await AccountsSetup.InviteAsync(admin, "reach.leaver@example.org", "STAFF", "STAFF");
        await TeamworkKit.AssignOwnerAsync(admin, first, leaver);
        await TeamworkKit.WatchAsync(admin, first, leaver);
        await TeamworkKit.WatchAsync(admin, second, leaver);

        await admin.QueryAsync("mutation($id: ID!) { disableAccount(input: { id: $id }) { account { id } } }", new { id = leaver });
        var owned = await HistoryAsync(admin, first);
        Assert.Equal(["OWNER_REMOVED", "WATCHER_REMOVED"], owned.Where(h => h.Action.EndsWith("_REMOVED", StringComparison.Ordinal)).Select(h => h.Action));
        Assert.All(owned.Where(h => h.Action.EndsWith("_REMOVED", StringComparison.Ordinal)), h => Assert.Contains("ACCOUNT_DISABLED", h.Summary, StringComparison.Ordinal));
        Assert.Contains((await HistoryAsync(admin, second)), h => h.Action == "WATCHER_REMOVED" && h.Summary.Contains("ACCOUNT_DISABLED", StringComparison.Ordinal));
    }

    /// <summary>The team's history once teamwork's subscriptions have processed every event written so far.</summary>
    private async Task<List<(string Action, string Summary)>> HistoryAsync(GraphQLClient admin, string recordId)
    {
        await TeamworkKit.DaemonDoneAsync(platform);
        return [.. (await admin.QueryAsync(Team, new { r = recordId })).GetProperty("teamwork").GetProperty("history").GetProperty("nodes").EnumerateArray()
            .Select(h => (h.GetProperty("action").GetString()!, h.GetProperty("summary").GetString()!))];
    }

    private static Task ChangeRoleAsync(GraphQLClient admin, string accountId, string clearance) =>
        admin.QueryAsync("mutation($id: ID!, $c: Confidentiality!) { changeAccountRole(input: { id: $id, role: STAFF, clearance: $c }) { account { clearance } } }",
            new { id = accountId, c = clearance });

    private static async Task<string> OpenCaseAsync(GraphQLClient admin, string title) =>
        (await admin.QueryAsync("mutation($t: String!) { openCase(input: { title: $t, countryCode: \"BY\", confidentiality: STAFF }) { case { id } } }",
            new { t = title })).GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
}
