using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Api.Tests.Security;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Submissions;

/// <summary>Submissions to UN mechanisms and calls for input through the GraphQL API (fake clock from 2026-11-28, moved by some tests).</summary>
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
        // The clock is shared by the class's tests: dates are relative to it.
        var deadline = Today().AddDays(7);
        var call = await OpenCallAsync("WHRD in Africa", deadline, "[\"ZW\", \"KE\"]");
        var zimbabweKey = await KeyAsync("NETWORK_MEMBER", "NETWORK", zimbabwe);
        var kenyaKey = await KeyAsync("NETWORK_MEMBER", "NETWORK", kenya);
        var peruKey = await KeyAsync("NETWORK_MEMBER", "NETWORK", peru);

        await Receive(zimbabweKey, call, zimbabwe, "First answer");
        await Receive(zimbabweKey, call, zimbabwe, "Replaced answer");
        Assert.Equal("FORBIDDEN", (await ReceiveRaw(zimbabweKey, call, kenya, "Impersonation")).ErrorCode);
        Assert.Equal("NOT_FOUND", (await ReceiveRaw(peruKey, call, peru, "Not addressed")).ErrorCode);

        var asZimbabwe = await platform.GraphQL(zimbabweKey).QueryAsync("{ callsForInput { nodes { title inputs { text organisation { name } } answered { id } } } }");
        var seen = asZimbabwe.GetProperty("callsForInput").GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("title").GetString() == "WHRD in Africa");
        Assert.Equal("Replaced answer", Assert.Single(seen.GetProperty("inputs").EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("answered").ValueKind);
        await Receive(kenyaKey, call, kenya, "Kenyan answer");
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
        var id = CallGuid(call);
        platform.Clock.Advance(TimeSpan.FromDays(7));
        Assert.DoesNotContain(id, await CloseExpiredAsync());
        platform.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Contains(id, await CloseExpiredAsync());
        Assert.DoesNotContain(id, await CloseExpiredAsync());
        Assert.Equal("callId", (await ReceiveRaw(zimbabweKey, call, zimbabwe, "Too late")).ErrorField);
        var extended = await platform.Admin().QueryAsync($"mutation {{ extendCallDeadline(input: {{ callId: \"{call}\", deadline: \"{deadline.AddDays(15):yyyy-MM-dd}\" }}) {{ callForInput {{ status deadline }} }} }}");
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
    public async Task Who_has_not_answered_takes_two_queries_per_page_not_two_per_call()
    {
        // Eight calls, each to the members of one country but the last, which goes to all members.
        string[] countries = ["BJ", "BF", "ML", "NE", "TD", "GA", "CG", ""];
        var expected = new Dictionary<string, string>();
        foreach (var country in countries)
        {
            var title = $"Loader call {(country.Length == 0 ? "all" : country)}";
            if (country.Length > 0)
            {
                await OrganisationAsync($"Loader member {country}", country, member: true);
                expected[title] = $"Loader member {country}";
            }

            var audience = country.Length == 0 ? "" : $", audienceCountryCodes: [\"{country}\"]";
            await platform.Admin().QueryAsync($"mutation {{ openCallForInput(input: {{ title: \"{title}\", question: \"Q?\", deadline: \"2035-01-01\"{audience} }}) {{ callForInput {{ id }} }} }}");
        }

        const string Query = "query($n: Int) { callsForInput(first: $n) { nodes { title notAnswered { name } } } }";
        await platform.Admin().QueryAsync(Query, new { n = 1 }); // first use of each document type in the process checks its table
        var (fewResponse, few) = await RequestCommands.RunAsync(platform, PlatformFactory.AdminKey, Query, new { n = 2 });
        var (manyResponse, many) = await RequestCommands.RunAsync(platform, PlatformFactory.AdminKey, Query, new { n = 8 });
        Assert.False(fewResponse.HasErrors || manyResponse.HasErrors, $"{fewResponse}\n{manyResponse}");
        Assert.True(few.Count == many.Count, $"2 calls: {string.Join("\n", few)}\n---\n8 calls: {string.Join("\n", many)}");

        // And each call still names exactly its own audience's members who have not answered.
        var all = (await platform.Admin().QueryAsync(Query, new { n = 100 })).GetProperty("callsForInput").GetProperty("nodes").EnumerateArray()
            .ToDictionary(n => n.GetProperty("title").GetString()!, n => n.GetProperty("notAnswered").EnumerateArray().Select(o => o.GetProperty("name").GetString()!).ToList());
        foreach (var (title, member) in expected)
        {
            Assert.Equal([member], all[title].Where(name => name.StartsWith("Loader member", StringComparison.Ordinal)));
        }

        Assert.Superset(expected.Values.ToHashSet(), all["Loader call all"].ToHashSet());
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

    [Fact]
    public async Task A_joint_upr_submission_over_5630_words_and_a_co_signatory_after_submission_are_refused()
    {
        var (a, b) = (await OrganisationAsync("Joint Coalition A", "CO"), await OrganisationAsync("Joint Coalition B", "CO"));
        var id = (await PlanAsync("UPR", "CO", "Colombia UPR jointly")).GetProperty("id").GetString();
        Assert.Equal(5630, (await Mutate("addCoSignatory", $"submissionId: \"{id}\", organisationId: \"{a}\"")).GetProperty("wordLimit").GetInt32());

        await Mutate("attachSubmissionText", $"submissionId: \"{id}\", wordCount: 5631, fileReference: \"joint.pdf\"");
        Assert.Equal("wordCount", await Refused("markSubmitted", $"submissionId: \"{id}\""));
        await Mutate("attachSubmissionText", $"submissionId: \"{id}\", wordCount: 5630, fileReference: \"joint-v2.pdf\"");
        Assert.Equal("SUBMITTED", (await Mutate("markSubmitted", $"submissionId: \"{id}\"")).GetProperty("status").GetString());

        Assert.Equal("organisationId", await Refused("addCoSignatory", $"submissionId: \"{id}\", organisationId: \"{b}\""));
        var after = await platform.Admin().QueryAsync($"{{ node(id: \"{id}\") {{ ... on Submission {{ coSignatories {{ id }} version }} }} }}");
        Assert.Equal([a], after.GetProperty("node").GetProperty("coSignatories").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Submission_filters_return_exactly_the_matching_submissions()
    {
        var today = Today();
        var lead = await OrganisationAsync("Paraguay Lead NGO", "PY");
        var cosigner = await OrganisationAsync("Paraguay Co-signing NGO", "PY");
        var hiddenOrganisation = await OrganisationAsync("Paraguay Staff-only NGO", "PY", confidentiality: "STAFF");
        await PlanIdAsync("UPR", "PY", "PY upr planned", today.AddDays(30), extra: $", leadOrganisationId: \"{lead}\"");
        var drafting = await PlanIdAsync("CAT", "PY", "PY cat drafting", today.AddDays(60), extra: $", coSignatoryIds: [\"{cosigner}\", \"{hiddenOrganisation}\"]");
        await Mutate("attachSubmissionText", $"submissionId: \"{drafting}\", wordCount: 900, fileReference: \"cat.pdf\"");
        var submitted = await PlanIdAsync("OTHER", "PY", "PY other submitted", today.AddDays(90));
        await Mutate("attachSubmissionText", $"submissionId: \"{submitted}\", wordCount: 100, fileReference: \"other.pdf\"");
        await Mutate("markSubmitted", $"submissionId: \"{submitted}\"");
        await PlanIdAsync("UPR", "UY", "UY upr co-signed", today.AddDays(30), extra: $", coSignatoryIds: [\"{lead}\"]");
        await PlanIdAsync("UPR", "PY", "PY upr staff-only", today.AddDays(30), confidentiality: "STAFF", extra: $", coSignatoryIds: [\"{lead}\"]");

        var admin = platform.Admin();
        var anonymous = platform.GraphQL();
        Assert.Equal(["PY cat drafting", "PY other submitted", "PY upr planned", "PY upr staff-only"], await SubmissionTitlesAsync(admin, "countries: [\"PY\"]"));
        Assert.Equal(["PY cat drafting", "PY other submitted", "PY upr planned"], await SubmissionTitlesAsync(anonymous, "countries: [\"PY\"]"));
        Assert.Equal(["PY upr planned", "PY upr staff-only", "UY upr co-signed"], await SubmissionTitlesAsync(admin, "countries: [\"PY\", \"UY\"], mechanisms: [UPR]"));
        Assert.Equal(["PY cat drafting"], await SubmissionTitlesAsync(anonymous, "countries: [\"PY\"], mechanisms: [CAT, HRC_SPECIAL_PROCEDURE]"));
        Assert.Equal(["PY cat drafting"], await SubmissionTitlesAsync(anonymous, "countries: [\"PY\"], statuses: [DRAFTING]"));
        Assert.Equal(["PY other submitted", "PY upr planned"], await SubmissionTitlesAsync(anonymous, "countries: [\"PY\"], statuses: [PLANNED, SUBMITTED]"));
        Assert.Equal(["PY upr planned", "UY upr co-signed"], await SubmissionTitlesAsync(anonymous, $"organisationId: \"{lead}\""));
        Assert.Equal(["PY upr planned", "PY upr staff-only", "UY upr co-signed"], await SubmissionTitlesAsync(admin, $"organisationId: \"{lead}\""));
        Assert.Equal(["PY cat drafting"], await SubmissionTitlesAsync(anonymous, $"organisationId: \"{cosigner}\""));
        Assert.Equal(["PY cat drafting", "PY other submitted"], await SubmissionTitlesAsync(anonymous, $"countries: [\"PY\"], dueFrom: \"{today.AddDays(31):yyyy-MM-dd}\""));
        Assert.Equal(["PY cat drafting"], await SubmissionTitlesAsync(anonymous, $"countries: [\"PY\"], dueFrom: \"{today.AddDays(31):yyyy-MM-dd}\", dueTo: \"{today.AddDays(89):yyyy-MM-dd}\""));
        Assert.Equal(["PY upr planned"], await SubmissionTitlesAsync(anonymous, $"countries: [\"PY\"], dueTo: \"{today.AddDays(30):yyyy-MM-dd}\""));
        // An organisation the caller may not see matches nothing (the filter must not tell what it signs).
        Assert.Empty(await SubmissionTitlesAsync(anonymous, $"organisationId: \"{hiddenOrganisation}\""));
        Assert.Equal(["PY cat drafting"], await SubmissionTitlesAsync(admin, $"organisationId: \"{hiddenOrganisation}\""));
    }

    [Fact]
    public async Task The_call_status_filter_returns_exactly_the_matching_calls()
    {
        var open = await OpenCallAsync("Status filter: still open", Today().AddDays(20));
        var closing = await OpenCallAsync("Status filter: closing", Today().AddDays(1));
        platform.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Contains(CallGuid(closing), await CloseExpiredAsync());
        Assert.DoesNotContain(CallGuid(open), await CloseExpiredAsync());

        string[] ours = ["Status filter: closing", "Status filter: still open"];
        Assert.Equal(["Status filter: closing"], await CallTitlesAsync(platform.Admin(), "filter: { statuses: [CLOSED] }, ", ours));
        Assert.Equal(["Status filter: still open"], await CallTitlesAsync(platform.Admin(), "filter: { statuses: [OPEN] }, ", ours));
        Assert.Equal(ours, await CallTitlesAsync(platform.Admin(), "filter: { statuses: [OPEN, CLOSED] }, ", ours));
        Assert.Equal(ours, await CallTitlesAsync(platform.Admin(), "", ours));
    }

    [Fact]
    public async Task A_recommendation_shows_the_cases_the_caller_may_see()
    {
        var publicCase = await CaseAsync("Morocco: arbitrary detention", "MA", "PUBLIC");
        var staffCase = await CaseAsync("Morocco: staff-only follow-up", "MA", "STAFF");
        var id = (await PlanAsync("UPR", "MA", "Morocco UPR outcome")).GetProperty("id").GetString();
        await Mutate("attachSubmissionText", $"submissionId: \"{id}\", wordCount: 2000, fileReference: \"ma.pdf\"");
        await Mutate("markSubmitted", $"submissionId: \"{id}\"");
        await Mutate("recordOutcome", $"submissionId: \"{id}\", recommendations: [{{ text: \"Release all detained defenders\", accepted: false, caseIds: [\"{publicCase}\", \"{staffCase}\"] }}]");

        var query = $"{{ node(id: \"{id}\") {{ ... on Submission {{ recommendations {{ text cases {{ id reference title }} }} }} }} }}";
        var anonymous = (await platform.GraphQL().QueryAsync(query)).GetProperty("node").GetProperty("recommendations")[0].GetProperty("cases");
        var shown = Assert.Single(anonymous.EnumerateArray());
        Assert.Equal((publicCase, "Morocco: arbitrary detention"), (shown.GetProperty("id").GetString(), shown.GetProperty("title").GetString()));
        Assert.StartsWith("MAR ", shown.GetProperty("reference").GetString(), StringComparison.Ordinal);
        var admin = (await platform.Admin().QueryAsync(query)).GetProperty("node").GetProperty("recommendations")[0].GetProperty("cases");
        Assert.Equal(new[] { publicCase, staffCase }.Order(StringComparer.Ordinal), admin.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Members_addressed_by_a_call_read_the_inputs_others_shared_and_not_the_others()
    {
        var (a, b, c) = (await OrganisationAsync("Ghana Sharing Member", "GH", member: true), await OrganisationAsync("Ghana Private Member", "GH", member: true),
            await OrganisationAsync("Ghana Reading Member", "GH", member: true));
        var (keyA, keyB, keyC) = (await KeyAsync("NETWORK_MEMBER", "NETWORK", a), await KeyAsync("NETWORK_MEMBER", "NETWORK", b), await KeyAsync("NETWORK_MEMBER", "NETWORK", c));
        var call = await OpenCallAsync("Ghana sharing call", Today().AddDays(10), "[\"GH\"]");
        await Receive(keyA, call, a, "Shared by A", share: true);
        await Receive(keyB, call, b, "Kept by B");

        async Task<List<string>> InputsAsync(GraphQLClient client)
        {
            var response = await client.PostAsync($"{{ node(id: \"{call}\") {{ ... on CallForInput {{ inputs {{ text sharedWithNetwork organisation {{ name }} }} }} }} }}");
            Assert.False(response.HasErrors, response.ToString());
            return response.Data.GetProperty("node").GetProperty("inputs").EnumerateArray()
                .Select(i => $"{i.GetProperty("organisation").GetProperty("name").GetString()}: {i.GetProperty("text").GetString()} ({i.GetProperty("sharedWithNetwork").GetBoolean()})")
                .Order(StringComparer.Ordinal).ToList();
        }

        Assert.Equal(["Ghana Sharing Member: Shared by A (True)"], await InputsAsync(platform.GraphQL(keyC)));
        Assert.Equal(["Ghana Sharing Member: Shared by A (True)"], await InputsAsync(platform.GraphQL(keyA)));
        Assert.Equal(["Ghana Private Member: Kept by B (False)", "Ghana Sharing Member: Shared by A (True)"], await InputsAsync(platform.GraphQL(keyB)));
        Assert.Equal(["Ghana Private Member: Kept by B (False)", "Ghana Sharing Member: Shared by A (True)"], await InputsAsync(platform.Admin()));

        // A replaces its input without sharing: the others no longer read it.
        await Receive(keyA, call, a, "A, privately now");
        Assert.Empty(await InputsAsync(platform.GraphQL(keyC)));
        Assert.Equal(["Ghana Sharing Member: A, privately now (False)"], await InputsAsync(platform.GraphQL(keyA)));
    }

    [Fact]
    public async Task An_input_of_an_organisation_the_caller_may_not_see_is_left_out_and_the_call_is_still_shown()
    {
        var visible = await OrganisationAsync("Togo Visible Member", "TG", member: true);
        var hidden = await OrganisationAsync("Togo Confidential Member", "TG", member: true, confidentiality: "STAFF");
        var call = await OpenCallAsync("Togo call", Today().AddDays(10), "[\"TG\"]");
        await Receive(PlatformFactory.AdminKey, call, hidden, "From the confidential member", share: true);
        var visibleKey = await KeyAsync("NETWORK_MEMBER", "NETWORK", visible);
        await Receive(visibleKey, call, visible, "From the visible member", share: true);

        var query = $"{{ node(id: \"{call}\") {{ ... on CallForInput {{ title inputs {{ text organisation {{ name }} }} answered {{ name }} }} }} " +
                    "callsForInput(first: 100) { nodes { title inputs { organisation { name } } } } }";
        // A staff key below the organisation's level, and a member reading shared inputs.
        foreach (var key in new[] { await KeyAsync("STAFF", "NETWORK", null), visibleKey })
        {
            var response = await platform.GraphQL(key).PostAsync(query);
            Assert.False(response.HasErrors, response.ToString());
            var node = response.Data.GetProperty("node");
            Assert.Equal("Togo call", node.GetProperty("title").GetString());
            Assert.Equal(["From the visible member"], node.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("text").GetString()));
            Assert.Contains(response.Data.GetProperty("callsForInput").GetProperty("nodes").EnumerateArray(), n => n.GetProperty("title").GetString() == "Togo call");
            Assert.DoesNotContain("Confidential", response.Raw, StringComparison.Ordinal);
        }

        var admin = (await platform.Admin().QueryAsync(query)).GetProperty("node");
        Assert.Equal(2, admin.GetProperty("inputs").GetArrayLength());
    }

    [Fact]
    public async Task Only_member_organisations_answer_and_receiveInput_takes_the_calls_expectedVersion()
    {
        var member = await OrganisationAsync("Benin Member", "BJ", member: true);
        var outsider = await OrganisationAsync("Benin Non-member", "BJ");
        var call = await OpenCallAsync("Benin call", Today().AddDays(10), "[\"BJ\"]");

        var nonMember = await ReceiveRaw(PlatformFactory.AdminKey, call, outsider, "Not from the network");
        Assert.Equal(("VALIDATION", "organisationId"), (nonMember.ErrorCode, nonMember.ErrorField));
        var unknown = await ReceiveRaw(PlatformFactory.AdminKey, call, GlobalId.Encode("Organisation", Guid.NewGuid()), "From nowhere");
        Assert.Equal(("VALIDATION", "organisationId"), (unknown.ErrorCode, unknown.ErrorField));

        var first = await ReceiveRaw(PlatformFactory.AdminKey, call, member, "First", expectedVersion: 1);
        Assert.False(first.HasErrors, first.ToString());
        Assert.Equal(2, first.Data.GetProperty("receiveInput").GetProperty("callForInput").GetProperty("version").GetInt32());
        var stale = await ReceiveRaw(PlatformFactory.AdminKey, call, member, "Replacing what I did not read", expectedVersion: 1);
        Assert.Equal("CONFLICT", stale.ErrorCode);
        var inputs = await platform.Admin().QueryAsync($"{{ node(id: \"{call}\") {{ ... on CallForInput {{ version inputs {{ text }} }} }} }}");
        Assert.Equal((2, "First"), (inputs.GetProperty("node").GetProperty("version").GetInt32(), inputs.GetProperty("node").GetProperty("inputs")[0].GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Ids_that_are_not_ids_are_NOT_FOUND_in_every_submissions_mutation()
    {
        var id = (await PlanAsync("UPR", "NE", "Niger UPR")).GetProperty("id").GetString();
        var call = await OpenCallAsync("Niger call", Today().AddDays(10));
        var responses = new[]
        {
            await platform.Admin().PostAsync($"mutation {{ addCoSignatory(input: {{ submissionId: \"{id}\", organisationId: \"not-an-id\" }}) {{ submission {{ id }} }} }}"),
            await platform.Admin().PostAsync("mutation { planSubmission(input: { mechanism: UPR, countryCode: \"NE\", title: \"T\", dueOn: \"2030-01-01\", coSignatoryIds: [\"nope\"] }) { submission { id } } }"),
            await platform.Admin().PostAsync($"mutation {{ recordOutcome(input: {{ submissionId: \"{id}\", recommendations: [{{ text: \"X\", accepted: true, caseIds: [\"nope\"] }}] }}) {{ submission {{ id }} }} }}"),
            await ReceiveRaw(PlatformFactory.AdminKey, call, "nope", "Text"),
            await platform.Admin().PostAsync("mutation { markSubmitted(input: { submissionId: \"nope\" }) { submission { id } } }"),
            await platform.Admin().PostAsync($"mutation {{ markSubmitted(input: {{ submissionId: \"{call}\" }}) {{ submission {{ id }} }} }}"),
        };
        Assert.All(responses, r => Assert.Equal("NOT_FOUND", r.ErrorCode));
    }

    private async Task<IReadOnlyList<Guid>> CloseExpiredAsync()
    {
        await using var scope = platform.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System("test-calls"));
        // What CloseExpiredCallsJob runs every quarter of an hour.
        return await scope.ServiceProvider.GetRequiredService<Omct.Platform.Submissions.Handling.SubmissionCommands>().CloseExpiredCallsAsync(CancellationToken.None);
    }

    private async Task Receive(string key, string call, string organisation, string text, bool share = false)
    {
        var response = await ReceiveRaw(key, call, organisation, text, share);
        Assert.False(response.HasErrors, response.ToString());
    }

    private Task<GraphQLResponse> ReceiveRaw(string key, string call, string organisation, string text, bool share = false, int? expectedVersion = null) =>
        platform.GraphQL(key).PostAsync(
            "mutation($c: ID!, $o: ID!, $t: String!, $s: Boolean, $v: Int) { receiveInput(input: { callId: $c, organisationId: $o, text: $t, shareWithNetwork: $s, expectedVersion: $v }) { callForInput { id version } } }",
            new { c = call, o = organisation, t = text, s = share, v = expectedVersion });

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

    private async Task<string> OrganisationAsync(string name, string country, bool member = false, string confidentiality = "PUBLIC") =>
        (await platform.Admin().QueryAsync($"mutation {{ registerOrganisation(input: {{ name: \"{name}\", countryCode: \"{country}\", networkMember: {(member ? "true" : "false")}, confidentiality: {confidentiality} }}) {{ organisation {{ id }} }} }}"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;

    private DateOnly Today() => DateOnly.FromDateTime(platform.Clock.GetUtcNow().UtcDateTime);

    private static Guid CallGuid(string id) => GlobalId.TryDecode(id, "CallForInput", out var guid) ? guid : throw new ArgumentException(id);

    private async Task<string> OpenCallAsync(string title, DateOnly deadline, string audienceCountryCodes = "[]") =>
        (await platform.Admin().QueryAsync(
            $"mutation {{ openCallForInput(input: {{ title: \"{title}\", question: \"Which challenges?\", deadline: \"{deadline:yyyy-MM-dd}\", audienceCountryCodes: {audienceCountryCodes} }}) {{ callForInput {{ id }} }} }}"))
        .GetProperty("openCallForInput").GetProperty("callForInput").GetProperty("id").GetString()!;

    private async Task<string> CaseAsync(string title, string country, string confidentiality) =>
        (await platform.Admin().QueryAsync($"mutation {{ openCase(input: {{ title: \"{title}\", countryCode: \"{country}\", confidentiality: {confidentiality} }}) {{ case {{ id }} }} }}"))
        .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    /// <summary>Plans a submission (admin); <paramref name="extra"/> adds input fields (leadOrganisationId, coSignatoryIds …).</summary>
    private async Task<string> PlanIdAsync(string mechanism, string country, string title, DateOnly dueOn, string confidentiality = "PUBLIC", string extra = "") =>
        (await platform.Admin().QueryAsync(
            $"mutation {{ planSubmission(input: {{ mechanism: {mechanism}, countryCode: \"{country}\", title: \"{title}\", dueOn: \"{dueOn:yyyy-MM-dd}\", confidentiality: {confidentiality}{extra} }}) {{ submission {{ id }} }} }}"))
        .GetProperty("planSubmission").GetProperty("submission").GetProperty("id").GetString()!;

    /// <summary>The titles of this test's calls among those the caller sees with <paramref name="filter"/>.</summary>
    private static async Task<List<string>> CallTitlesAsync(GraphQLClient client, string filter, IReadOnlyCollection<string> ours) =>
        (await client.QueryAsync($"{{ callsForInput({filter}first: 100) {{ nodes {{ title }} }} }}"))
        .GetProperty("callsForInput").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("title").GetString()!)
        .Where(ours.Contains).Order(StringComparer.Ordinal).ToList();

    private static async Task<List<string>> SubmissionTitlesAsync(GraphQLClient client, string filter)
    {
        var page = (await client.QueryAsync($"{{ submissions(filter: {{ {filter} }}, first: 100) {{ totalCount nodes {{ title }} }} }}")).GetProperty("submissions");
        var titles = page.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("title").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(titles.Count, page.GetProperty("totalCount").GetInt32());
        return titles;
    }

    private async Task<string> KeyAsync(string role, string clearance, string? organisation) =>
        (await platform.Admin().QueryAsync($"mutation {{ createApiKey(input: {{ name: \"member\", role: {role}, clearance: {clearance}{(organisation is null ? "" : $", organisationId: \"{organisation}\"")} }}) {{ key }} }}"))
            .GetProperty("createApiKey").GetProperty("key").GetString()!;
}
