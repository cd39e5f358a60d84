using System.Text.Json;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Defenders;

/// <summary>Defender.history (the record-history building block): endAffiliation's reason, who and when; STAFF and above only.</summary>
public sealed class DefenderHistoryTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string History = "query($id: ID!) { defender(id: $id) { history { totalCount nodes { at by action summary reason version } } } }";

    [Fact]
    public async Task An_ended_affiliation_shows_in_the_history_with_its_reason_for_staff_and_the_history_names_no_personal_data()
    {
        var org = (await platform.Admin().QueryAsync(
                "mutation { registerOrganisation(input: { name: \"History Coalition\", countryCode: \"KE\", networkMember: true, memberSince: \"2004-01-01\", confidentiality: PUBLIC }) { organisation { id } } }"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;
        var id = (await platform.Admin().QueryAsync(
                "mutation { registerDefender(input: { name: \"Wanjiru Historic\", countryCode: \"KE\", consentToPublishName: true, confidentiality: PUBLIC }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        await platform.Admin().QueryAsync($"mutation {{ affiliateDefender(input: {{ defenderId: \"{id}\", organisationId: \"{org}\" }}) {{ defender {{ id }} }} }}");
        var staffKey = await FeedKit.KeyAsync(platform, "STAFF", "STAFF");
        var staff = platform.GraphQL(staffKey);
        var tooLong = await staff.PostAsync("mutation($d: ID!, $o: ID!, $r: String) { endAffiliation(input: { defenderId: $d, organisationId: $o, reason: $r }) { defender { id } } }",
            new { d = id, o = org, r = new string('x', 2_001) });
        Assert.Equal(("VALIDATION", "reason"), (tooLong.ErrorCode, tooLong.ErrorField));
        await staff.QueryAsync($"mutation {{ endAffiliation(input: {{ defenderId: \"{id}\", organisationId: \"{org}\", endedOn: \"2020-05-01\", reason: \"Left the coalition\" }}) {{ defender {{ id }} }} }}");

        var history = (await staff.QueryAsync(History, new { id })).GetProperty("defender").GetProperty("history");
        var entries = history.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["DEFENDER_REGISTERED", "AFFILIATION_ADDED", "AFFILIATION_ENDED"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(entries.Count, history.GetProperty("totalCount").GetInt32());
        var ended = entries[^1];
        Assert.Equal("Left the coalition", ended.GetProperty("reason").GetString());
        Assert.Contains("2020-05-01", ended.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("apikey:", ended.GetProperty("by").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(entries[0].GetProperty("by").GetString(), ended.GetProperty("by").GetString());
        Assert.Equal(entries.Select(e => e.GetProperty("version").GetInt32()).Order(), entries.Select(e => e.GetProperty("version").GetInt32()));
        Assert.DoesNotContain(entries, e => e.GetProperty("summary").GetString()!.Contains("Wanjiru", StringComparison.Ordinal));

        // The profile is public; its history is not.
        var anonymous = (await platform.GraphQL().QueryAsync(History, new { id })).GetProperty("defender").GetProperty("history");
        Assert.Equal(0, anonymous.GetProperty("totalCount").GetInt32());
        Assert.Equal(JsonValueKind.Array, anonymous.GetProperty("nodes").ValueKind);
        Assert.Equal(0, anonymous.GetProperty("nodes").GetArrayLength());
    }
}
