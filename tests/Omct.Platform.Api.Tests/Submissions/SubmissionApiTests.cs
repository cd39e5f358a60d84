using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Api.Tests.Security;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Submissions;

/// <summary>Submissions to UN mechanisms and calls for input through the GraphQL API (fake clock: 2026-11-28).</summary>
public sealed class SubmissionApiTests(FakeClockPlatformFactory platform) : IClassFixture<FakeClockPlatformFactory>
{
    private const string Fields = "id mechanism title country { code } dueOn status wordCount wordLimit coSignatories { id } version";

    [Fact]
    public async Task A_upr_submission_keeps_to_its_word_limit_and_freezes_once_submitted()
    {
        var (a, b) = (await OrganisationAsync("Coalition A", "CO"), await OrganisationAsync("Coalition B", "CO"));
        var single = await PlanAsync("UPR", "CO", "Colombia UPR alone");
        Assert.Equal(2815, single.GetProperty("wordLimit").GetInt32());
        var id = single.GetProperty("id").GetString();

        var early = await Refused("markSubmitted", $"submissionId: \"{id}\"");
        Assert.Equal("submissionId", early);
        await Mutate("attachSubmissionText", $"submissionId: \"{id}\", wordCount: 3000, fileReference: \"colombia.pdf\"");
        Assert.Equal("wordCount", await Refused("markSubmitted", $"submissionId: \"{id}\""));

        // Joint: the limit doubles.
        var joint = await Mutate("addCoSignatory", $"submissionId: \"{id}\", organisationId: \"{a}\"");
        Assert.Equal(5630, joint.GetProperty("wordLimit").GetInt32());
        await Mutate("addCoSignatory", $"submissionId: \"{id}\", organisationId: \"{b}\"");
        var submitted = await Mutate("markSubmitted", $"submissionId: \"{id}\", submittedOn: \"2026-11-20\"");
        Assert.Equal("SUBMITTED", submitted.GetProperty("status").GetString());

        Assert.Equal("submissionId", await Refused("markSubmitted", $"submissionId: \"{id}\""));
        Assert.Equal("organisationId", await Refused("removeCoSignatory", $"submissionId: \"{id}\", organisationId: \"{a}\""));
        Assert.Equal("submissionId", await Refused("attachSubmissionText", $"submissionId: \"{id}\", text: \"More words\""));

        var unknownCase = await platform.Admin().PostAsync($"mutation {{ recordOutcome(input: {{ submissionId: \"{id}\", recommendations: [{{ text: \"X\", accepted: true, caseIds: [\"{Omct.Platform.BuildingBlocks.Ids.GlobalId.Encode("Case", Guid.NewGuid())}\"] }}] }}) {{ submission {{ id }} }} }}");
        Assert.Equal(("VALIDATION", "recommendations[0].caseIds[0]"), (unknownCase.ErrorCode, unknownCase.ErrorField));
        var outcome = await Mutate("recordOutcome", $"submissionId: \"{id}\", recommendations: [{{ text: \"Investigate all allegations of torture\", accepted: true }}, {{ text: \"Ratify OPCAT\", accepted: false }}]",
            "status recommendations { text accepted }");
        Assert.Equal("OUTCOME_RECORDED", outcome.GetProperty("status").GetString());
        Assert.False(outcome.GetProperty("recommendations")[1].GetProperty("accepted").GetBoolean());
    }

    [Theory]
    [InlineData("mechanism: UPR, countryCode: \"ZZ\", title: \"T\", dueOn: \"2027-01-01\"", "countryCode")]
    [InlineData("mechanism: UPR, countryCode: \"CO\", title: \"\", dueOn: \"2027-01-01\"", "title")]
    [InlineData("mechanism: UPR, countryCode: \"CO\", title: \"T\", dueOn: \"2020-01-01\"", "dueOn")]
    [InlineData("mechanism: UPR, countryCode: \"CO\", title: \"T\", dueOn: \"2027-01-01\", catStage: LIST_OF_ISSUES", "catStage")]
    [InlineData("mechanism: UPR, countryCode: \"CO\", title: \"T\", dueOn: \"2027-01-01\", sessionStartsOn: \"2026-12-01\"", "sessionStartsOn")]
    public async Task Invalid_plans_are_refused_naming_the_field(string input, string field)
    {
        var response = await platform.Admin().PostAsync($"mutation {{ planSubmission(input: {{ {input} }}) {{ submission {{ id }} }} }}");
        Assert.Equal(("VALIDATION", field), (response.ErrorCode, response.ErrorField));
    }

    [Fact]
    public async Task Calls_for_input_take_one_replaceable_input_per_member_and_close_once_after_the_deadline()
    {
        var zimbabwe = await OrganisationAsync("Zimbabwe Lawyers", "ZW", member: true);
        var kenya = await OrganisationAsync("Kenya Defenders", "KE", member: true);
        var peru = await OrganisationAsync("Peru Network", "PE", member: true);
        var call = (await platform.Admin().QueryAsync("mutation { openCallForInput(input: { title: \"WHRD in Africa\", question: \"Which challenges?\", deadline: \"2026-12-05\", audienceCountryCodes: [\"ZW\", \"KE\"] }) { callForInput { id } } }"))
            .GetProperty("openCallForInput").GetProperty("callForInput").GetProperty("id").GetString();
        var zimbabweKey = await KeyAsync("NETWORK_MEMBER", "NETWORK", zimbabwe);
        var kenyaKey = await KeyAsync("NETWORK_MEMBER", "NETWORK", kenya);
        var peruKey = await KeyAsync("NETWORK_MEMBER", "NETWORK", peru);

        await Receive(zimbabweKey, call!, zimbabwe, "First answer");
        await Receive(zimbabweKey, call!, zimbabwe, "Replaced answer");
        Assert.Equal("FORBIDDEN", (await ReceiveRaw(zimbabweKey, call!, kenya, "Impersonation")).ErrorCode);
        Assert.Equal("NOT_FOUND", (await ReceiveRaw(peruKey, call!, peru, "Not addressed")).ErrorCode);

        var asZimbabwe = await platform.GraphQL(zimbabweKey).QueryAsync("{ callsForInput { nodes { title inputs { text organisation { name } } answered { id } } } }");
        var seen = asZimbabwe.GetProperty("callsForInput").GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("title").GetString() == "WHRD in Africa");
        Assert.Equal("Replaced answer", Assert.Single(seen.GetProperty("inputs").EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("answered").ValueKind);
        await Receive(kenyaKey, call!, kenya, "Kenyan answer");
        var kenyaSees = await platform.GraphQL(kenyaKey).QueryAsync($"{{ node(id: \"{call}\") {{ ... on CallForInput {{ inputs {{ text }} }} }} }}");
        Assert.Equal(["Kenyan answer"], kenyaSees.GetProperty("node").GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("text").GetString()));
        var peruSees = await platform.GraphQL(peruKey).QueryAsync($"{{ node(id: \"{call}\") {{ id }} callsForInput {{ totalCount }} }}");
        Assert.Equal(JsonValueKind.Null, peruSees.GetProperty("node").ValueKind);

        var staff = await platform.Admin().QueryAsync($"{{ node(id: \"{call}\") {{ ... on CallForInput {{ inputs {{ text }} answered {{ name }} notAnswered {{ name }} status }} }} }}");
        var node = staff.GetProperty("node");
        Assert.Equal(2, node.GetProperty("inputs").GetArrayLength());
        Assert.Equal(["Kenya Defenders", "Zimbabwe Lawyers"], node.GetProperty("answered").EnumerateArray().Select(o => o.GetProperty("name").GetString()).Order());
        Assert.DoesNotContain("Peru Network", node.GetProperty("notAnswered").EnumerateArray().Select(o => o.GetProperty("name").GetString()));

        // The deadline is a whole day: on it the call is still open; after it the job closes it, once.
        platform.Clock.Advance(TimeSpan.FromDays(7)); // 2026-12-05
        Assert.Equal(0, await CloseExpiredAsync());
        platform.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await CloseExpiredAsync());
        Assert.Equal(0, await CloseExpiredAsync());
        Assert.Equal("callId", (await ReceiveRaw(zimbabweKey, call!, zimbabwe, "Too late")).ErrorField);
        var extended = await platform.Admin().QueryAsync($"mutation {{ extendCallDeadline(input: {{ callId: \"{call}\", deadline: \"2026-12-20\" }}) {{ callForInput {{ status deadline }} }} }}");
        Assert.Equal("OPEN", extended.GetProperty("extendCallDeadline").GetProperty("callForInput").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_call_addressed_to_a_region_reaches_its_members_and_no_one_else()
    {
        var senegal = await OrganisationAsync("Senegal League", "SN", member: true);
        var chile = await OrganisationAsync("Chile Network", "CL", member: true);
        var call = (await platform.Admin().QueryAsync("mutation { openCallForInput(input: { title: \"Africa region call\", question: \"Q?\", deadline: \"2027-06-01\", audienceRegions: [AFRICA] }) { callForInput { id audienceRegions audience { code } } } }"))
            .GetProperty("openCallForInput").GetProperty("callForInput");
        Assert.Equal(["AFRICA"], call.GetProperty("audienceRegions").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("SN", call.GetProperty("audience").EnumerateArray().Select(c => c.GetProperty("code").GetString()));
        var id = call.GetProperty("id").GetString()!;

        await Receive(await KeyAsync("NETWORK_MEMBER", "NETWORK", senegal), id, senegal, "From Dakar");
        var chileKey = await KeyAsync("NETWORK_MEMBER", "NETWORK", chile);
        Assert.Equal("NOT_FOUND", (await ReceiveRaw(chileKey, id, chile, "From Santiago")).ErrorCode);
        var notAnswered = (await platform.Admin().QueryAsync($"{{ node(id: \"{id}\") {{ ... on CallForInput {{ notAnswered {{ name }} }} }} }}"))
            .GetProperty("node").GetProperty("notAnswered").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList();
        Assert.DoesNotContain("Chile Network", notAnswered);
        Assert.DoesNotContain("Senegal League", notAnswered);
    }

    [Fact]
    public async Task Deadlines_list_due_dates_and_call_deadlines_the_caller_may_see()
    {
        var withSession = await platform.Admin().QueryAsync(
            "mutation { planSubmission(input: { mechanism: UPR, countryCode: \"MX\", title: \"Mexico UPR\", dueOn: \"2027-02-01\", sessionStartsOn: \"2027-03-20\", confidentiality: PUBLIC }) { submission { sessionStartsOn } } }");
        Assert.Equal("2027-03-20", withSession.GetProperty("planSubmission").GetProperty("submission").GetProperty("sessionStartsOn").GetString());
        await PlanAsync("CAT", "MX", "Mexico CAT review", due: "2027-03-10");
        await PlanAsync("HRC_SPECIAL_PROCEDURE", "MX", "Mexico staff-only", due: "2027-03-11", confidentiality: "STAFF");
        await platform.Admin().QueryAsync("mutation { openCallForInput(input: { title: \"Mexico call\", question: \"Q?\", deadline: \"2027-03-12\" }) { callForInput { id } } }");

        const string query = "{ deadlines(from: \"2027-03-01\", to: \"2027-03-31\") { date kind subject { __typename ... on Submission { title } ... on CallForInput { title } } } }";
        var admin = (await platform.Admin().QueryAsync(query)).GetProperty("deadlines").EnumerateArray().ToList();
        Assert.Equal(["2027-03-10", "2027-03-11", "2027-03-12", "2027-03-20"], admin.Select(d => d.GetProperty("date").GetString()));
        Assert.Equal("UN_SESSION", admin[3].GetProperty("kind").GetString());
        Assert.Equal("CallForInput", admin[2].GetProperty("subject").GetProperty("__typename").GetString());

        var anonymous = (await platform.GraphQL().QueryAsync(query)).GetProperty("deadlines").EnumerateArray().ToList();
        Assert.Equal(["Mexico CAT review", "Mexico UPR"], anonymous.Select(d => d.GetProperty("subject").GetProperty("title").GetString()));
    }

    private async Task<int> CloseExpiredAsync()
    {
        await using var scope = platform.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System("test-calls"));
        // What CloseExpiredCallsJob runs every quarter of an hour.
        return await scope.ServiceProvider.GetRequiredService<Omct.Platform.Submissions.Handling.SubmissionCommands>().CloseExpiredCallsAsync(CancellationToken.None);
    }

    private async Task Receive(string key, string call, string organisation, string text)
    {
        var response = await ReceiveRaw(key, call, organisation, text);
        Assert.False(response.HasErrors, response.ToString());
    }

    private Task<GraphQLResponse> ReceiveRaw(string key, string call, string organisation, string text) =>
        platform.GraphQL(key).PostAsync("mutation($c: ID!, $o: ID!, $t: String!) { receiveInput(input: { callId: $c, organisationId: $o, text: $t }) { callForInput { id } } }",
            new { c = call, o = organisation, t = text });

    private async Task<JsonElement> PlanAsync(string mechanism, string country, string title, string due = "2027-01-15", string confidentiality = "PUBLIC")
    {
        var data = await platform.Admin().QueryAsync(
            $"mutation {{ planSubmission(input: {{ mechanism: {mechanism}, countryCode: \"{country}\", title: \"{title}\", dueOn: \"{due}\", confidentiality: {confidentiality} }}) {{ submission {{ {Fields} }} }} }}");
        return data.GetProperty("planSubmission").GetProperty("submission");
    }

    private async Task<JsonElement> Mutate(string mutation, string input, string fields = Fields) =>
        (await platform.Admin().QueryAsync($"mutation {{ {mutation}(input: {{ {input} }}) {{ submission {{ {fields} }} }} }}")).GetProperty(mutation).GetProperty("submission");

    private async Task<string?> Refused(string mutation, string input)
    {
        var response = await platform.Admin().PostAsync($"mutation {{ {mutation}(input: {{ {input} }}) {{ submission {{ id }} }} }}");
        Assert.Equal("VALIDATION", response.ErrorCode);
        return response.ErrorField;
    }

    private async Task<string> OrganisationAsync(string name, string country, bool member = false) =>
        (await platform.Admin().QueryAsync($"mutation {{ registerOrganisation(input: {{ name: \"{name}\", countryCode: \"{country}\", networkMember: {(member ? "true" : "false")} }}) {{ organisation {{ id }} }} }}"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;

    private async Task<string> KeyAsync(string role, string clearance, string organisation) =>
        (await platform.Admin().QueryAsync($"mutation {{ createApiKey(input: {{ name: \"member\", role: {role}, clearance: {clearance}, organisationId: \"{organisation}\" }}) {{ key }} }}"))
            .GetProperty("createApiKey").GetProperty("key").GetString()!;
}
