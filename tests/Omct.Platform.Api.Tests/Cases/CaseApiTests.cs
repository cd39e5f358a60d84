using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

public sealed class CaseApiTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string CaseFields = "id reference title status version confidentiality country { code } victims { id name } events { type date } interventions { type reference }";

    private async Task<JsonElement> OpenAsync(string title, string country = "CM", string confidentiality = "PUBLIC", string? clientMutationId = null)
    {
        var data = await platform.Admin().QueryAsync(
            $"mutation($input: OpenCaseInput!) {{ openCase(input: $input) {{ case {{ {CaseFields} }} }} }}",
            new { input = new { title, countryCode = country, confidentiality, openedOn = "2013-03-01", clientMutationId } });
        return data.GetProperty("openCase").GetProperty("case");
    }

    [Fact]
    public async Task A_case_is_opened_with_a_reference_and_followed_through_its_timeline()
    {
        var opened = await OpenAsync("Cameroon: Arbitrary arrest of Mr. Nasako Besingi");
        Assert.Matches(@"^CMR \d{3} / 0313 / OBS \d{3}$", opened.GetProperty("reference").GetString());
        var id = opened.GetProperty("id").GetString();

        var withVictim = (await platform.Admin().QueryAsync(
            $"mutation($id: ID!) {{ addVictim(input: {{ caseId: $id, name: \"Nasako Besingi\" }}) {{ case {{ {CaseFields} }} }} }}", new { id }))
            .GetProperty("addVictim").GetProperty("case");
        var victimId = withVictim.GetProperty("victims")[0].GetProperty("id").GetString();

        var recorded = (await platform.Admin().QueryAsync(
            $"mutation($id: ID!, $v: ID!) {{ recordCaseEvent(input: {{ caseId: $id, type: ARREST, date: \"2013-03-05\", victimIds: [$v], expectedVersion: 2 }}) {{ case {{ {CaseFields} }} }} }}",
            new { id, v = victimId })).GetProperty("recordCaseEvent").GetProperty("case");
        Assert.Equal(3, recorded.GetProperty("version").GetInt32());
        Assert.Equal("2013-03-05", recorded.GetProperty("events")[0].GetProperty("date").GetString());

        await platform.Admin().QueryAsync("mutation($id: ID!) { issueIntervention(input: { caseId: $id, type: URGENT_APPEAL, issuedOn: \"2013-03-06\", addressees: [\"President of the Republic\"] }) { case { id } } }", new { id });
        var followUp = (await platform.Admin().QueryAsync(
            $"mutation($id: ID!) {{ issueIntervention(input: {{ caseId: $id, type: FOLLOW_UP }}) {{ case {{ {CaseFields} }} }} }}", new { id }))
            .GetProperty("issueIntervention").GetProperty("case");
        Assert.Equal(opened.GetProperty("reference").GetString() + ".1", followUp.GetProperty("interventions")[1].GetProperty("reference").GetString());

        var byReference = await platform.GraphQL().QueryAsync("query($r: String!) { caseByReference(reference: $r) { id } }",
            new { r = opened.GetProperty("reference").GetString() + ".1" });
        Assert.Equal(id, byReference.GetProperty("caseByReference").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_stale_expected_version_is_a_conflict_and_writes_nothing()
    {
        var id = (await OpenAsync("Colombia: Intimidation of CIJP members", "CO")).GetProperty("id").GetString();
        var response = await platform.Admin().PostAsync(
            "mutation($id: ID!) { changeCaseStatus(input: { caseId: $id, status: MONITORING, expectedVersion: 7 }) { case { version } } }", new { id });
        Assert.Equal("CONFLICT", response.ErrorCode);
        var after = await platform.Admin().QueryAsync("query($id: ID!) { case(id: $id) { version status } }", new { id });
        Assert.Equal(1, after.GetProperty("case").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_repeated_clientMutationId_returns_the_first_result_and_writes_nothing()
    {
        var first = await OpenAsync("Belarus: Ales Bialiatski", "BY", clientMutationId: "open-bialiatski");
        var second = await OpenAsync("Belarus: Ales Bialiatski", "BY", clientMutationId: "open-bialiatski");
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        var count = await platform.GraphQL().QueryAsync("{ cases(filter: { countries: [\"BY\"] }) { totalCount } }");
        Assert.Equal(1, count.GetProperty("cases").GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("{ title: \"\", countryCode: \"CM\" }", "title")]
    [InlineData("{ title: \"T\", countryCode: \"ZZ\" }", "countryCode")]
    [InlineData("{ title: \"T\", countryCode: \"CM\", openedOn: \"2999-01-01\" }", "openedOn")]
    public async Task Invalid_openings_are_refused_naming_the_field(string input, string field)
    {
        var response = await platform.Admin().PostAsync($"mutation {{ openCase(input: {input}) {{ case {{ id }} }} }}");
        Assert.Equal("VALIDATION", response.ErrorCode);
        Assert.Equal(field, response.ErrorField);
    }

    [Fact]
    public async Task A_confidential_case_does_not_exist_for_a_caller_below_its_level()
    {
        var hidden = await OpenAsync("Togo: confidential follow-up", "TG", "STAFF");
        var id = hidden.GetProperty("id").GetString();
        var reference = hidden.GetProperty("reference").GetString();

        var anonymous = platform.GraphQL();
        var data = await anonymous.QueryAsync("query($id: ID!, $r: String!) { case(id: $id) { id } caseByReference(reference: $r) { id } cases(filter: { countries: [\"TG\"] }) { totalCount nodes { id } } caseCount }",
            new { id, r = reference });
        Assert.Equal(JsonValueKind.Null, data.GetProperty("case").ValueKind);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("caseByReference").ValueKind);
        Assert.Equal(0, data.GetProperty("cases").GetProperty("totalCount").GetInt32());

        var write = await anonymous.PostAsync("mutation($id: ID!) { changeCaseStatus(input: { caseId: $id, status: CLOSED }) { case { id } } }", new { id });
        Assert.Equal("UNAUTHENTICATED", write.ErrorCode);

        var admin = await platform.Admin().QueryAsync("query($id: ID!) { case(id: $id) { id } }", new { id });
        Assert.Equal(id, admin.GetProperty("case").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Paging_with_cursors_repeats_and_skips_nothing_while_cases_are_opened()
    {
        for (var i = 0; i < 7; i++)
        {
            await OpenAsync($"Mexico: case {i}", "MX");
        }

        var seen = new List<string>();
        string? after = null;
        while (true)
        {
            var page = (await platform.GraphQL().QueryAsync(
                "query($after: String) { cases(filter: { countries: [\"MX\"] }, first: 3, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }",
                new { after })).GetProperty("cases");
            seen.AddRange(page.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!));
            await OpenAsync("Mexico: opened while paging", "MX");
            if (!page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean())
            {
                break;
            }

            after = page.GetProperty("pageInfo").GetProperty("endCursor").GetString();
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(seen.Count >= 7);
    }
}
