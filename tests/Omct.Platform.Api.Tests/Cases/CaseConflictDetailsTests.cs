using System.Text.Json;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary>
/// A stale <c>expectedVersion</c> is CONFLICT with what the caller may know of the change that made it stale
/// (<c>extensions.currentVersion</c>, <c>changedBy</c>, <c>changedByName</c>, <c>changedAt</c>), so that a form can say who changed the case
/// and when, and re-apply on the current version.
/// </summary>
public sealed class CaseConflictDetailsTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string ChangeStatus =
        "mutation($id: ID!, $v: Int!, $s: CaseStatus!) { changeCaseStatus(input: { caseId: $id, status: $s, expectedVersion: $v }) { case { version } } }";

    private static JsonElement Extensions(GraphQLResponse response) => response.Errors[0].GetProperty("extensions");

    [Fact]
    public async Task A_conflict_tells_the_current_version_who_changed_the_case_and_when()
    {
        var id = await FeedKit.OpenCaseAsync(platform.Admin(), "Honduras: threats against a land defender", "STAFF", "HN");
        var staff = platform.GraphQL(await FeedKit.KeyAsync(platform, "STAFF", "STAFF"));
        var me = (await staff.QueryAsync("{ me { id name } }")).GetProperty("me");
        var staffId = me.GetProperty("id").GetString();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        await staff.QueryAsync(ChangeStatus, new { id, v = 1, s = "MONITORING" });
        var stale = await platform.Admin().PostAsync(ChangeStatus, new { id, v = 1, s = "CLOSED" });

        Assert.Equal("CONFLICT", stale.ErrorCode);
        var extensions = Extensions(stale);
        Assert.Equal(2, extensions.GetProperty("currentVersion").GetInt32());
        Assert.StartsWith("apikey:", staffId);
        Assert.Equal(staffId, extensions.GetProperty("changedBy").GetString());
        Assert.Equal(me.GetProperty("name").GetString(), extensions.GetProperty("changedByName").GetString()); // the key's name, for people
        var changedAt = DateTimeOffset.Parse(extensions.GetProperty("changedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(changedAt, before, DateTimeOffset.UtcNow.AddSeconds(5));

        var after = await platform.Admin().QueryAsync("query($id: ID!) { case(id: $id) { version status } }", new { id });
        Assert.Equal("MONITORING", after.GetProperty("case").GetProperty("status").GetString());

        // Re-applied on the version the conflict gave: it is written.
        var reapplied = await platform.Admin().QueryAsync(ChangeStatus, new { id, v = 2, s = "CLOSED" });
        Assert.Equal(3, reapplied.GetProperty("changeCaseStatus").GetProperty("case").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_change_above_the_callers_clearance_gives_only_the_version()
    {
        var id = await FeedKit.OpenCaseAsync(platform.Admin(), "Egypt: detention of a lawyer", "STAFF", "EG");
        var staff = platform.GraphQL(await FeedKit.KeyAsync(platform, "STAFF", "STAFF"));
        await platform.Admin().QueryAsync(
            "mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: THREAT, date: \"2024-03\", confidentiality: RESTRICTED, expectedVersion: 1 }) { case { version } } }",
            new { id });

        var stale = await staff.PostAsync(ChangeStatus, new { id, v = 1, s = "MONITORING" });

        Assert.Equal("CONFLICT", stale.ErrorCode);
        var extensions = Extensions(stale);
        Assert.Equal(2, extensions.GetProperty("currentVersion").GetInt32());
        Assert.False(extensions.TryGetProperty("changedBy", out _));
        Assert.False(extensions.TryGetProperty("changedByName", out _));
        Assert.False(extensions.TryGetProperty("changedAt", out _));
    }

    [Fact]
    public async Task A_caller_who_may_not_see_the_case_gets_not_found_without_details()
    {
        var id = await FeedKit.OpenCaseAsync(platform.Admin(), "Russia: confidential follow-up", "RESTRICTED", "RU");
        var staff = platform.GraphQL(await FeedKit.KeyAsync(platform, "STAFF", "STAFF"));
        await platform.Admin().QueryAsync(ChangeStatus, new { id, v = 1, s = "MONITORING" });

        var stale = await staff.PostAsync(ChangeStatus, new { id, v = 1, s = "CLOSED" });

        Assert.Equal("NOT_FOUND", stale.ErrorCode);
        var extensions = Extensions(stale);
        Assert.False(extensions.TryGetProperty("currentVersion", out _));
        Assert.False(extensions.TryGetProperty("changedBy", out _));
    }
}
