using System.Text.Json;
using Npgsql;
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
        var response = await anonymous.PostAsync("query($id: ID!, $r: String!) { case(id: $id) { id } caseByReference(reference: $r) { id } cases(filter: { countries: [\"TG\"] }) { totalCount nodes { id } } }",
            new { id, r = reference });
        Assert.Equal(JsonValueKind.Null, response.Data.GetProperty("case").ValueKind);
        Assert.Equal(JsonValueKind.Null, response.Data.GetProperty("caseByReference").ValueKind);
        Assert.Equal(["NOT_FOUND", "NOT_FOUND"], response.Errors.Select(e => e.GetProperty("extensions").GetProperty("code").GetString()));
        Assert.Equal(0, response.Data.GetProperty("cases").GetProperty("totalCount").GetInt32());

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

    [Fact]
    public async Task Every_refused_command_names_its_field_and_writes_nothing()
    {
        var opened = await OpenAsync("Niger: refused commands", "NE");
        var id = opened.GetProperty("id").GetString()!;
        var victim = (await platform.Admin().QueryAsync("mutation($id: ID!) { addVictim(input: { caseId: $id, name: \"A journalist\" }) { case { victims { id } } } }", new { id }))
            .GetProperty("addVictim").GetProperty("case").GetProperty("victims")[0].GetProperty("id").GetString();
        var unknownDefender = BuildingBlocks.Ids.GlobalId.Encode("Defender", Guid.CreateVersion7());
        var refusals = new (string Document, object Variables, string Field)[]
        {
            ("mutation { openCase(input: { title: \"   \", countryCode: \"NE\" }) { case { id } } }", new { }, "title"),
            ("mutation { openCase(input: { title: \"Unknown\", countryCode: \"QQ\" }) { case { id } } }", new { }, "countryCode"),
            ("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: ARREST, date: \"2999-01-01\" }) { case { id } } }", new { id }, "date"),
            ("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: ARREST, date: \"2013-02-30\" }) { case { id } } }", new { id }, "date"),
            ("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: ARREST, date: \"13 March\" }) { case { id } } }", new { id }, "date"),
            ("mutation($id: ID!, $v: ID!) { recordCaseEvent(input: { caseId: $id, type: ARREST, date: \"2013\", victimIds: [$v] }) { case { id } } }",
                new { id, v = BuildingBlocks.Ids.GlobalId.Encode("Victim", Guid.CreateVersion7()) }, "victimIds[0]"),
            ("mutation($id: ID!, $d: ID!) { addVictim(input: { caseId: $id, defenderId: $d }) { case { id } } }", new { id, d = unknownDefender }, "defenderId"),
            ("mutation($id: ID!) { issueIntervention(input: { caseId: $id, type: FOLLOW_UP }) { case { id } } }", new { id }, "type"),
            ("mutation($id: ID!) { issueIntervention(input: { caseId: $id, type: URGENT_APPEAL, issuedOn: \"2999-01-01\" }) { case { id } } }", new { id }, "issuedOn"),
        };

        var before = await EventCountAsync();
        foreach (var (document, variables, field) in refusals)
        {
            var response = await platform.Admin().PostAsync(document, variables);
            Assert.True(response.ErrorCode == "VALIDATION" && response.ErrorField == field, $"{document}: {response}");
        }

        await platform.Admin().QueryAsync("mutation($id: ID!) { changeCaseStatus(input: { caseId: $id, status: CLOSED }) { case { id } } }", new { id });
        var closedAt = await EventCountAsync();
        var onClosed = await platform.Admin().PostAsync(
            "mutation($id: ID!, $v: ID!) { recordCaseEvent(input: { caseId: $id, type: RELEASE, date: \"2013-04\", victimIds: [$v] }) { case { id } } }", new { id, v = victim });
        Assert.Equal(("VALIDATION", "caseId"), (onClosed.ErrorCode, onClosed.ErrorField));

        Assert.Equal(before + 1, closedAt); // the status change, and nothing from the refusals
        Assert.Equal(closedAt, await EventCountAsync());
        var after = await platform.Admin().QueryAsync("query($id: ID!) { case(id: $id) { version events { type } interventions { type } } }", new { id });
        Assert.Equal(3, after.GetProperty("case").GetProperty("version").GetInt32());
        Assert.Equal(0, after.GetProperty("case").GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task A_correction_changes_the_recorded_event_in_place_and_keeps_the_history()
    {
        var id = (await OpenAsync("Zimbabwe: a corrected arrest", "ZW")).GetProperty("id").GetString()!;
        var recorded = (await platform.Admin().QueryAsync(
                "mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: ARREST, date: \"2013-03\", description: \"Arrested\" }) { case { events { id } } } }", new { id }))
            .GetProperty("recordCaseEvent").GetProperty("case").GetProperty("events")[0].GetProperty("id").GetString();

        var corrected = (await platform.Admin().QueryAsync(
                "mutation($id: ID!, $e: ID!) { correctCaseEvent(input: { caseId: $id, eventId: $e, type: DETENTION, date: \"2013-03-04\", description: \"Detained incommunicado\", expectedVersion: 2 }) { case { version events { id type date description } } } }",
                new { id, e = recorded }))
            .GetProperty("correctCaseEvent").GetProperty("case");
        Assert.Equal(3, corrected.GetProperty("version").GetInt32());
        var only = Assert.Single(corrected.GetProperty("events").EnumerateArray());
        Assert.Equal((recorded, "DETENTION", "2013-03-04", "Detained incommunicado"),
            (only.GetProperty("id").GetString(), only.GetProperty("type").GetString(), only.GetProperty("date").GetString(), only.GetProperty("description").GetString()));

        var trail = (await platform.Admin().QueryAsync("query($id: ID!) { auditTrail(entityId: $id) { action } }", new { id }))
            .GetProperty("auditTrail").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["cases.case_opened", "cases.case_event_recorded", "cases.case_event_corrected"], trail);

        var unknown = await platform.Admin().PostAsync(
            "mutation($id: ID!, $e: ID!) { correctCaseEvent(input: { caseId: $id, eventId: $e, type: THREAT, date: \"2013\" }) { case { id } } }",
            new { id, e = BuildingBlocks.Ids.GlobalId.Encode("CaseEvent", Guid.CreateVersion7()) });
        Assert.Equal(("VALIDATION", "eventId"), (unknown.ErrorCode, unknown.ErrorField));
    }

    private async Task<long> EventCountAsync()
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from omct.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
