using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary>changeCaseConfidentiality end to end: who then sees the case, and what is refused.</summary>
public sealed class CaseConfidentialityApiTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task Raising_a_case_hides_it_from_callers_below_the_new_level_and_lowering_it_shows_it_again()
    {
        var id = await FeedKit.OpenCaseAsync(platform.Admin(), "Mali: confidentiality");
        const string Read = "query($id: ID!) { case(id: $id) { id } caseCount }";
        var before = (await platform.GraphQL().QueryAsync(Read, new { id })).GetProperty("caseCount").GetInt32();
        var changed = await FeedKit.SetCaseConfidentialityAsync(platform.Admin(), id, "STAFF");
        Assert.Equal(("STAFF", 2), (changed.GetProperty("changeCaseConfidentiality").GetProperty("case").GetProperty("confidentiality").GetString(),
            changed.GetProperty("changeCaseConfidentiality").GetProperty("case").GetProperty("version").GetInt32()));

        var anonymous = await platform.GraphQL().PostAsync(Read, new { id });
        Assert.Equal("NOT_FOUND", anonymous.ErrorCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, anonymous.Data.GetProperty("case").ValueKind);
        Assert.Equal(before - 1, anonymous.Data.GetProperty("caseCount").GetInt32());

        await FeedKit.SetCaseConfidentialityAsync(platform.Admin(), id, "PUBLIC");
        Assert.Equal(id, (await platform.GraphQL().QueryAsync(Read, new { id })).GetProperty("case").GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_same_level_a_level_above_the_callers_clearance_and_a_stale_version_are_refused()
    {
        var id = await FeedKit.OpenCaseAsync(platform.Admin(), "Mali: refused changes");
        const string Change = "mutation($id: ID!, $c: Confidentiality!, $v: Int) { changeCaseConfidentiality(input: { caseId: $id, confidentiality: $c, expectedVersion: $v }) { case { version } } }";
        var same = await platform.Admin().PostAsync(Change, new { id, c = "PUBLIC" });
        Assert.Equal(("VALIDATION", "confidentiality"), (same.ErrorCode, same.ErrorField));

        var staff = platform.GraphQL(await FeedKit.KeyAsync(platform, "STAFF", "STAFF"));
        var above = await staff.PostAsync(Change, new { id, c = "RESTRICTED" });
        Assert.Equal(("VALIDATION", "confidentiality"), (above.ErrorCode, above.ErrorField));

        var stale = await platform.Admin().PostAsync(Change, new { id, c = "NETWORK", v = 7 });
        Assert.Equal("CONFLICT", stale.ErrorCode);

        var integrator = await platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "RESTRICTED")).PostAsync(Change, new { id, c = "NETWORK" });
        Assert.Equal("FORBIDDEN", integrator.ErrorCode);
        var version = await platform.Admin().QueryAsync("query($id: ID!) { case(id: $id) { version confidentiality } }", new { id });
        Assert.Equal(1, version.GetProperty("case").GetProperty("version").GetInt32());
    }
}
