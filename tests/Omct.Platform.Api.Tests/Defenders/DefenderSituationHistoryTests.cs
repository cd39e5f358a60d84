using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Defenders;

/// <summary>Defender.situationHistory: every situation the caller may see, from cases' events and staff's records, oldest first by date.</summary>
public sealed class DefenderSituationHistoryTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task The_history_lists_case_reports_and_recorded_situations_by_date_within_the_callers_clearance()
    {
        var id = (await platform.Admin().QueryAsync(
                "mutation { registerDefender(input: { name: \"History Person\", countryCode: \"UG\", consentToPublishName: true, confidentiality: PUBLIC }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        var caseId = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Uganda: arrest\", countryCode: \"UG\", confidentiality: PUBLIC }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        var victim = (await platform.Admin().QueryAsync($"mutation {{ addVictim(input: {{ caseId: \"{caseId}\", defenderId: \"{id}\", confidentiality: PUBLIC }}) {{ case {{ victims {{ id }} }} }} }}"))
            .GetProperty("addVictim").GetProperty("case").GetProperty("victims")[0].GetProperty("id").GetString()!;
        await platform.Admin().QueryAsync(
            $"mutation {{ recordCaseEvent(input: {{ caseId: \"{caseId}\", type: RELEASE, date: \"2015-06\", victimIds: [\"{victim}\"], confidentiality: STAFF }}) {{ case {{ id }} }} }}");
        await platform.Admin().QueryAsync(
            $"mutation {{ recordCaseEvent(input: {{ caseId: \"{caseId}\", type: ARREST, date: \"2015-02-11\", victimIds: [\"{victim}\"], confidentiality: PUBLIC }}) {{ case {{ id }} }} }}");
        await platform.Admin().QueryAsync(
            $"mutation {{ recordDefenderSituation(input: {{ defenderId: \"{id}\", situation: IN_HIDING, date: \"2016\", confidentiality: RESTRICTED }}) {{ defender {{ id }} }} }}");

        const string Query = "query($id: ID!) { defender(id: $id) { situation situationHistory { situation date fromCase confidentiality case { id } } } }";
        var admin = (await platform.Admin().QueryAsync(Query, new { id })).GetProperty("defender");
        var history = admin.GetProperty("situationHistory").EnumerateArray().ToList();
        Assert.Equal(["DETAINED", "AT_LIBERTY", "IN_HIDING"], history.Select(h => h.GetProperty("situation").GetString()));
        Assert.Equal(["2015-02-11", "2015-06", "2016"], history.Select(h => h.GetProperty("date").GetString()));
        Assert.Equal([true, true, false], history.Select(h => h.GetProperty("fromCase").GetBoolean()));
        Assert.Equal(caseId, history[0].GetProperty("case").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, history[2].GetProperty("case").ValueKind);
        Assert.Equal("IN_HIDING", admin.GetProperty("situation").GetString()); // the last one is the situation

        // The public sees the arrest only: the release is STAFF, the hiding RESTRICTED.
        var anonymous = (await platform.GraphQL().QueryAsync(Query, new { id })).GetProperty("defender");
        var seen = anonymous.GetProperty("situationHistory").EnumerateArray().ToList();
        Assert.Equal(["DETAINED"], seen.Select(h => h.GetProperty("situation").GetString()));
        Assert.Equal("PUBLIC", seen[0].GetProperty("confidentiality").GetString());
        Assert.Equal("DETAINED", anonymous.GetProperty("situation").GetString());
    }

    [Fact]
    public async Task A_report_from_a_case_the_caller_may_not_see_is_not_listed_nor_its_case()
    {
        var id = (await platform.Admin().QueryAsync(
                "mutation { registerDefender(input: { name: \"Hidden Case Person\", countryCode: \"UG\", consentToPublishName: true, confidentiality: PUBLIC }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        var caseId = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Uganda: staff case\", countryCode: \"UG\", confidentiality: STAFF }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        var victim = (await platform.Admin().QueryAsync($"mutation {{ addVictim(input: {{ caseId: \"{caseId}\", defenderId: \"{id}\" }}) {{ case {{ victims {{ id }} }} }} }}"))
            .GetProperty("addVictim").GetProperty("case").GetProperty("victims")[0].GetProperty("id").GetString()!;
        await platform.Admin().QueryAsync(
            $"mutation {{ recordCaseEvent(input: {{ caseId: \"{caseId}\", type: DISAPPEARANCE, date: \"2019\", victimIds: [\"{victim}\"], confidentiality: PUBLIC }}) {{ case {{ id }} }} }}");

        const string Query = "query($id: ID!) { defender(id: $id) { situationHistory { situation case { id } } } }";
        var staff = (await platform.Admin().QueryAsync(Query, new { id })).GetProperty("defender").GetProperty("situationHistory");
        Assert.Equal("DISAPPEARED", staff[0].GetProperty("situation").GetString());
        Assert.Equal(caseId, staff[0].GetProperty("case").GetProperty("id").GetString());
        var anonymous = (await platform.GraphQL().QueryAsync(Query, new { id })).GetProperty("defender").GetProperty("situationHistory");
        Assert.Equal(0, anonymous.GetArrayLength());
    }
}
