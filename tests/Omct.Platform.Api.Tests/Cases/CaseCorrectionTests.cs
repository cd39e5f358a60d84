using System.Text.Json;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary>
/// The corrections of a case through GraphQL — updateCase, withdrawCaseEvent, withdrawVictim, correctIntervention,
/// correctCaseEvent's reason — each with its entry in Case.history (who, when, why), under the write rules.
/// </summary>
public sealed class CaseCorrectionTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string History = "history { totalCount nodes { at by action summary reason version } }";

    private static async Task<JsonElement> CaseAsync(GraphQLClient client, string id, string selection) =>
        (await client.QueryAsync($"query($id: ID!) {{ case(id: $id) {{ {selection} }} }}", new { id })).GetProperty("case");

    private static List<JsonElement> Entries(JsonElement c) => [.. c.GetProperty("history").GetProperty("nodes").EnumerateArray()];

    private static List<string> Actions(JsonElement c) => [.. Entries(c).Select(e => e.GetProperty("action").GetString()!)];

    private static async Task<JsonElement> MutateAsync(GraphQLClient client, string mutation, string input, object? variables = null, string selection = "version") =>
        (await client.QueryAsync($"mutation {{ {mutation}(input: {{ {input} }}) {{ case {{ {selection} }} }} }}", variables))
        .GetProperty(mutation).GetProperty("case");

    private static async Task<string> RecordAsync(GraphQLClient client, string caseId, string type, string date, string? victimId = null, string confidentiality = "PUBLIC")
    {
        var victims = victimId is null ? "" : $", victimIds: [\"{victimId}\"]";
        var c = await MutateAsync(client, "recordCaseEvent", $"caseId: \"{caseId}\", type: {type}, date: \"{date}\", confidentiality: {confidentiality}{victims}",
            selection: "events { id type date }");
        return c.GetProperty("events").EnumerateArray().Last(e => e.GetProperty("type").GetString() == type && e.GetProperty("date").GetString() == date)
            .GetProperty("id").GetString()!;
    }

    private static async Task<string> AddVictimAsync(GraphQLClient client, string caseId, string who, string confidentiality = "PUBLIC")
    {
        var c = await MutateAsync(client, "addVictim", $"caseId: \"{caseId}\", {who}, confidentiality: {confidentiality}", selection: "victims { id }");
        return c.GetProperty("victims").EnumerateArray().Last().GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task UpdateCase_changes_only_the_fields_given_keeps_the_reference_and_shows_who_when_and_why_in_the_history()
    {
        var id = await FeedKit.OpenCaseAsync(platform.Admin(), "Cameroun: titre à corriger");
        var opened = await CaseAsync(platform.Admin(), id, "reference version");
        var staffKey = await FeedKit.KeyAsync(platform, "STAFF", "STAFF");
        var staff = platform.GraphQL(staffKey);

        var c = await MutateAsync(staff, "updateCase", $"caseId: \"{id}\", expectedVersion: 1, title: \" Cameroon: Nasako Besingi \", summary: \"Arrested in Buea.\", reason: \"Typo in the title\"",
            selection: "title summary country { code } reference version");
        Assert.Equal(("Cameroon: Nasako Besingi", "Arrested in Buea.", "CM", 2), (c.GetProperty("title").GetString(), c.GetProperty("summary").GetString(),
            c.GetProperty("country").GetProperty("code").GetString(), c.GetProperty("version").GetInt32()));

        // A country correction keeps the reference; the title and summary not given stay.
        c = await MutateAsync(platform.Admin(), "updateCase", $"caseId: \"{id}\", countryCode: \"TD\"", selection: "title summary country { code } reference version");
        Assert.Equal(("Cameroon: Nasako Besingi", "Arrested in Buea.", "TD", 3), (c.GetProperty("title").GetString(), c.GetProperty("summary").GetString(),
            c.GetProperty("country").GetProperty("code").GetString(), c.GetProperty("version").GetInt32()));
        Assert.Equal(opened.GetProperty("reference").GetString(), c.GetProperty("reference").GetString());
        Assert.StartsWith("CMR ", c.GetProperty("reference").GetString(), StringComparison.Ordinal);
        var chad = await platform.Admin().QueryAsync("query { cases(filter: { countries: [\"TD\"] }) { nodes { id } } }");
        Assert.Contains(chad.GetProperty("cases").GetProperty("nodes").EnumerateArray(), n => n.GetProperty("id").GetString() == id);

        // An empty summary removes it.
        c = await MutateAsync(platform.Admin(), "updateCase", $"caseId: \"{id}\", summary: \"\"", selection: "summary version");
        Assert.Equal(JsonValueKind.Null, c.GetProperty("summary").ValueKind);

        var stale = await staff.PostAsync($"mutation {{ updateCase(input: {{ caseId: \"{id}\", expectedVersion: 1, title: \"Late\" }}) {{ case {{ id }} }} }}");
        Assert.Equal("CONFLICT", stale.ErrorCode);
        var tooLong = await staff.PostAsync("mutation($id: ID!, $r: String) { updateCase(input: { caseId: $id, title: \"Long\", reason: $r }) { case { id } } }",
            new { id, r = new string('x', 2_001) });
        Assert.Equal(("VALIDATION", "reason"), (tooLong.ErrorCode, tooLong.ErrorField));
        var emptyTitle = await staff.PostAsync($"mutation {{ updateCase(input: {{ caseId: \"{id}\", title: \" \" }}) {{ case {{ id }} }} }}");
        Assert.Equal(("VALIDATION", "title"), (emptyTitle.ErrorCode, emptyTitle.ErrorField));

        var history = await CaseAsync(staff, id, History);
        Assert.Equal(["CASE_OPENED", "CASE_UPDATED", "CASE_UPDATED", "CASE_UPDATED"], Actions(history));
        var entries = Entries(history);
        Assert.Equal(4, history.GetProperty("history").GetProperty("totalCount").GetInt32());
        Assert.Equal([1, 2, 3, 4], entries.Select(e => e.GetProperty("version").GetInt32()));
        var first = entries[1];
        Assert.Equal("Typo in the title", first.GetProperty("reason").GetString());
        Assert.Contains("Cameroon: Nasako Besingi", first.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("TD", entries[2].GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, entries[2].GetProperty("reason").ValueKind);
        // Who: the caller ids the audit trail records — the STAFF key, then the admin's.
        var staffBy = first.GetProperty("by").GetString()!;
        var adminBy = entries[2].GetProperty("by").GetString()!;
        Assert.StartsWith("apikey:", staffBy, StringComparison.Ordinal);
        Assert.StartsWith("apikey:", adminBy, StringComparison.Ordinal);
        Assert.NotEqual(staffBy, adminBy);
        Assert.Equal(adminBy, entries[0].GetProperty("by").GetString());
        var at = DateTimeOffset.Parse(first.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(at, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));

        // Paging: oldest first, after a cursor.
        var page = (await platform.Admin().QueryAsync($"query($id: ID!) {{ case(id: $id) {{ history(first: 2) {{ nodes {{ version }} pageInfo {{ hasNextPage endCursor }} }} }} }}", new { id }))
            .GetProperty("case").GetProperty("history");
        Assert.True(page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var rest = (await platform.Admin().QueryAsync("query($id: ID!, $after: String) { case(id: $id) { history(after: $after) { nodes { version } } } }",
            new { id, after = page.GetProperty("pageInfo").GetProperty("endCursor").GetString() })).GetProperty("case").GetProperty("history");
        Assert.Equal([3, 4], rest.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("version").GetInt32()));

        // Callers below STAFF see the entries, not who made them.
        var anonymous = Entries(await CaseAsync(platform.GraphQL(), id, History));
        Assert.Equal(4, anonymous.Count);
        Assert.All(anonymous, e => Assert.Equal(JsonValueKind.Null, e.GetProperty("by").ValueKind));
    }

    [Fact]
    public async Task A_withdrawn_case_event_leaves_the_case_its_anniversaries_the_defenders_situation_and_the_export_shows_in_the_feed_and_stays_in_the_history()
    {
        const string Title = "Withdrawal Zanzibarland conviction";
        var defender = (await platform.Admin().QueryAsync(
                "mutation { registerDefender(input: { name: \"Withdrawn Person\", countryCode: \"CM\", consentToPublishName: true, confidentiality: PUBLIC }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        var id = await FeedKit.OpenCaseAsync(platform.Admin(), Title);
        var victim = await AddVictimAsync(platform.Admin(), id, $"defenderId: \"{defender}\"");
        var conviction = await RecordAsync(platform.Admin(), id, "CONVICTION", "2011-11-24", victim);
        var arrest = await RecordAsync(platform.Admin(), id, "ARREST", "2011-08-04", victim);
        const string Situation = "query($id: ID!) { defender(id: $id) { situation situationHistory { situation } } }";
        Assert.Equal("DETAINED", (await platform.Admin().QueryAsync(Situation, new { id = defender })).GetProperty("defender").GetProperty("situation").GetString());
        var anniversaries = "query($filter: CaseFilter) { anniversaries(from: \"2012-11-01\", to: \"2012-11-30\", filter: $filter) { caseEvent { id } } }";
        var filter = new { text = "Zanzibarland" };
        var before = (await platform.Admin().QueryAsync(anniversaries, new { filter })).GetProperty("anniversaries");
        Assert.Contains(before.EnumerateArray(), a => a.GetProperty("caseEvent").GetProperty("id").GetString() == conviction);
        var (_, cursor) = await FeedKit.DrainAsync(platform.Admin(), types: ["CASE"]);

        var c = await MutateAsync(platform.Admin(), "withdrawCaseEvent", $"caseId: \"{id}\", eventId: \"{arrest}\", reason: \"Recorded on the wrong case\"",
            selection: "events { id } version");
        Assert.Equal([conviction], c.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        // The situation the arrest reported is retracted with it.
        var situation = (await platform.Admin().QueryAsync(Situation, new { id = defender })).GetProperty("defender");
        Assert.NotEqual("DETAINED", situation.GetProperty("situation").GetString());
        Assert.Equal(0, situation.GetProperty("situationHistory").GetArrayLength());

        c = await MutateAsync(platform.Admin(), "withdrawCaseEvent", $"caseId: \"{id}\", eventId: \"{conviction}\", reason: \"Duplicate\"", selection: "events { id } version");
        Assert.Equal(0, c.GetProperty("events").GetArrayLength());
        var version = c.GetProperty("version").GetInt32();
        var again = await platform.Admin().PostAsync($"mutation {{ withdrawCaseEvent(input: {{ caseId: \"{id}\", eventId: \"{conviction}\" }}) {{ case {{ id }} }} }}");
        Assert.Equal("NOT_FOUND", again.ErrorCode);

        Assert.DoesNotContain((await platform.Admin().QueryAsync(anniversaries, new { filter })).GetProperty("anniversaries").EnumerateArray(),
            a => a.GetProperty("caseEvent").GetProperty("id").GetString() == conviction);
        var listed = await platform.Admin().QueryAsync("query { cases(filter: { eventTypes: [CONVICTION], text: \"Zanzibarland\" }) { nodes { id } } }");
        Assert.Equal(0, listed.GetProperty("cases").GetProperty("nodes").GetArrayLength());

        var (changes, _) = await FeedKit.DrainAsync(platform.Admin(), cursor, types: ["CASE"]);
        var change = changes.Last(ch => ch.EntityId == id);
        Assert.Equal(("UPDATED", version), (change.Kind, change.Version));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/export/cases");
        request.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        var export = await (await platform.CreateClient().SendAsync(request)).Content.ReadAsStringAsync();
        var row = export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(r => r.TryGetProperty("id", out var rid) && rid.GetString() == id);
        Assert.Equal(0, row.GetProperty("eventTypes").GetArrayLength());
        Assert.Equal(version, row.GetProperty("version").GetInt32());

        var entries = Entries(await CaseAsync(platform.Admin(), id, History));
        Assert.Equal(["CASE_OPENED", "VICTIM_ADDED", "CASE_EVENT_RECORDED", "CASE_EVENT_RECORDED", "CASE_EVENT_WITHDRAWN", "CASE_EVENT_WITHDRAWN"],
            entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(("Recorded on the wrong case", "Duplicate"), (entries[4].GetProperty("reason").GetString(), entries[5].GetProperty("reason").GetString()));
        Assert.Contains("ARREST on 2011-08-04", entries[4].GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_STAFF_caller_cannot_withdraw_a_RESTRICTED_event_and_the_history_hides_it_from_the_caller()
    {
        var id = await FeedKit.OpenCaseAsync(platform.Admin(), "Restricted withdrawal", "STAFF");
        var secret = await RecordAsync(platform.Admin(), id, "TORTURE", "2013-02", confidentiality: "RESTRICTED");
        var other = await FeedKit.OpenCaseAsync(platform.Admin(), "Another case");
        var elsewhere = await RecordAsync(platform.Admin(), other, "THREAT", "2013-02");
        var staff = platform.GraphQL(await FeedKit.KeyAsync(platform, "STAFF", "STAFF"));
        const string Withdraw = "mutation($id: ID!, $e: ID!) { withdrawCaseEvent(input: { caseId: $id, eventId: $e, reason: \"no\" }) { case { version } } }";

        var hidden = await staff.PostAsync(Withdraw, new { id, e = secret });
        var unknown = await staff.PostAsync(Withdraw, new { id, e = elsewhere });
        Assert.Equal(("NOT_FOUND", "NOT_FOUND"), (hidden.ErrorCode, unknown.ErrorCode));
        Assert.Equal(unknown.Errors[0].GetProperty("message").GetString(), hidden.Errors[0].GetProperty("message").GetString());
        Assert.Equal(2, (await CaseAsync(platform.Admin(), id, "version")).GetProperty("version").GetInt32());

        await MutateAsync(platform.Admin(), "withdrawCaseEvent", $"caseId: \"{id}\", eventId: \"{secret}\", reason: \"Secret reason\"");
        var seenByStaff = Entries(await CaseAsync(staff, id, History));
        Assert.Equal(["CASE_OPENED"], seenByStaff.Select(e => e.GetProperty("action").GetString()));
        Assert.DoesNotContain(seenByStaff, e => e.GetProperty("summary").GetString()!.Contains("TORTURE", StringComparison.Ordinal));
        Assert.Equal(["CASE_OPENED", "CASE_EVENT_RECORDED", "CASE_EVENT_WITHDRAWN"], Actions(await CaseAsync(platform.Admin(), id, History)));
    }

    [Fact]
    public async Task A_victim_named_by_a_live_event_cannot_be_withdrawn_until_the_event_is_and_a_hidden_one_is_NOT_FOUND()
    {
        var id = await FeedKit.OpenCaseAsync(platform.Admin(), "Victim withdrawal", "STAFF");
        var victim = await AddVictimAsync(platform.Admin(), id, "name: \"Jean Mistake\"");
        var threat = await RecordAsync(platform.Admin(), id, "THREAT", "2013-04", victim);
        var secretVictim = await AddVictimAsync(platform.Admin(), id, "name: \"Secret Person\"", "RESTRICTED");
        var staff = platform.GraphQL(await FeedKit.KeyAsync(platform, "STAFF", "STAFF"));
        const string Withdraw = "mutation($id: ID!, $v: ID!, $r: String) { withdrawVictim(input: { caseId: $id, victimId: $v, reason: $r }) { case { victims { id } version } } }";

        var named = await staff.PostAsync(Withdraw, new { id, v = victim, r = "Not a victim" });
        Assert.Equal(("VALIDATION", "victimId"), (named.ErrorCode, named.ErrorField));
        var hidden = await staff.PostAsync(Withdraw, new { id, v = secretVictim, r = "no" });
        Assert.Equal("NOT_FOUND", hidden.ErrorCode);

        await MutateAsync(staff, "withdrawCaseEvent", $"caseId: \"{id}\", eventId: \"{threat}\"");
        var c = (await staff.QueryAsync(Withdraw, new { id, v = victim, r = "Not a victim" })).GetProperty("withdrawVictim").GetProperty("case");
        Assert.Equal(0, c.GetProperty("victims").GetArrayLength());
        Assert.Equal([secretVictim], (await CaseAsync(platform.Admin(), id, "victims { id }")).GetProperty("victims").EnumerateArray().Select(v => v.GetProperty("id").GetString()));

        var entries = Entries(await CaseAsync(staff, id, History));
        Assert.Equal(["CASE_OPENED", "VICTIM_ADDED", "CASE_EVENT_RECORDED", "CASE_EVENT_WITHDRAWN", "VICTIM_WITHDRAWN"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("Not a victim", entries[^1].GetProperty("reason").GetString());
        Assert.Contains("Jean Mistake", entries[^1].GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(entries, e => e.GetProperty("summary").GetString()!.Contains("Secret Person", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CorrectIntervention_and_correctCaseEvent_keep_what_is_not_given_and_record_their_reason()
    {
        var id = await FeedKit.OpenCaseAsync(platform.Admin(), "Intervention correction");
        var c = await MutateAsync(platform.Admin(), "issueIntervention", $"caseId: \"{id}\", type: URGENT_APPEAL, issuedOn: \"2013-03-20\", addressees: [\"President\", \"Minister of Justice\"]",
            selection: "reference interventions { id reference issuedOn addressees }");
        var intervention = c.GetProperty("interventions")[0].GetProperty("id").GetString();
        c = await MutateAsync(platform.Admin(), "correctIntervention", $"caseId: \"{id}\", interventionId: \"{intervention}\", issuedOn: \"2013-03-21\", reason: \"Sent the next day\"",
            selection: "reference interventions { reference issuedOn addressees }");
        var corrected = c.GetProperty("interventions")[0];
        Assert.Equal(("2013-03-21", c.GetProperty("reference").GetString()), (corrected.GetProperty("issuedOn").GetString(), corrected.GetProperty("reference").GetString()));
        Assert.Equal(["President", "Minister of Justice"], corrected.GetProperty("addressees").EnumerateArray().Select(a => a.GetString()));
        var future = await platform.Admin().PostAsync($"mutation {{ correctIntervention(input: {{ caseId: \"{id}\", interventionId: \"{intervention}\", issuedOn: \"2999-01-01\" }}) {{ case {{ id }} }} }}");
        Assert.Equal(("VALIDATION", "issuedOn"), (future.ErrorCode, future.ErrorField));

        var threat = await RecordAsync(platform.Admin(), id, "THREAT", "2013-03");
        await MutateAsync(platform.Admin(), "correctCaseEvent", $"caseId: \"{id}\", eventId: \"{threat}\", type: INTIMIDATION, date: \"2013-03-02\", reason: \"Wrong type\"");

        var entries = Entries(await CaseAsync(platform.Admin(), id, History));
        Assert.Equal(["CASE_OPENED", "INTERVENTION_ISSUED", "INTERVENTION_CORRECTED", "CASE_EVENT_RECORDED", "CASE_EVENT_CORRECTED"],
            entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(("Sent the next day", "Wrong type"), (entries[2].GetProperty("reason").GetString(), entries[4].GetProperty("reason").GetString()));
        Assert.Contains("2013-03-21", entries[2].GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("INTIMIDATION", entries[4].GetProperty("summary").GetString(), StringComparison.Ordinal);
    }
}
