using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Import;

/// <summary>
/// A spreadsheet archive of cases as such archives are kept: a sheet of cases, a sheet of their events and one of their
/// interventions, the parts naming their case by its OMCT reference (CASE, CASE_EVENT, INTERVENTION), through GraphQL
/// against PostgreSQL.
/// </summary>
public sealed class CasePartImportTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private readonly ImportKit _kit = ImportKit.InMemory(platform);

    private const string Besingi = "CMR 001 / 0313 / OBS 021";
    private const string Nyamsi = "CMR 002 / 0313 / OBS 022";

    private async Task<JsonElement> CaseAsync(string reference, string? key = null) =>
        (await _kit.Client(key).QueryAsync(
            "query($r: String!) { caseByReference(reference: $r) { id events { id type date description confidentiality victims { name } } " +
            "interventions { id type issuedOn addressees } history(first: 50) { nodes { action reason } } } }", new { r = reference }))
        .GetProperty("caseByReference");

    [Fact]
    public async Task Events_and_interventions_from_their_own_sheets_join_their_cases_by_reference_once_and_a_corrected_row_corrects_them()
    {
        await _kit.SaveMappingAsync("parts-cases", "CASE", "ref",
            new Dictionary<string, string> { ["ref"] = "reference", ["title"] = "title", ["country"] = "countryCode", ["opened"] = "openedOn", ["victims"] = "victimNames" });
        var cases = await _kit.ImportAsync(ImportKit.Csv([
            ["ref", "title", "country", "opened", "victims"],
            [Besingi, "Parts: Nasako Besingi", "CM", "2013-03-04", "Nasako Besingi"],
            [Nyamsi, "Parts: Yaoundé lawyers", "CM", "2013-03-20", "Paul Nyamsi;Marie Nyamsi"]]), "cases.csv", "parts-cases", dryRun: false);
        Assert.Equal(2L, cases.GetProperty("created").GetInt64());

        await _kit.SaveMappingAsync("parts-events", "CASE_EVENT", "event",
            new Dictionary<string, string>
            {
                ["case"] = "caseReference", ["what"] = "type", ["when"] = "date", ["text"] = "description", ["who"] = "victims", ["by"] = "perpetratorType",
            });
        object[] header = ["event", "case", "what", "when", "text", "who", "by"];
        object[][] events =
        [
            header,
            ["E1", Besingi, "ARREST", "2013-03-02", "Arrested in Mundemba.", "Nasako Besingi", "POLICE"],
            ["E2", Besingi, "DETENTION", "2013-03", "Held at the gendarmerie.", "Nasako Besingi", ""],
            ["E3", Nyamsi, "THREAT", "2013", "Threats by telephone.", "Paul Nyamsi;Marie Nyamsi", ""],
            ["E4", Nyamsi, "ARREST", "2013-03-19", "Names a stranger.", "Jean Inconnu", ""],
            ["E5", "CMR 099 / 0313 / OBS 099", "ARREST", "2013-03-19", "No such case.", "", ""],
            ["E6", Besingi, "PICNIC", "2013", "", "", ""],
        ];

        // A dry run reports each row's fate and writes nothing.
        var before = await _kit.WrittenAsync();
        var dry = await _kit.ImportAsync(ImportKit.Xlsx(events), "events.xlsx", "parts-events", dryRun: true);
        var dryErrors = await _kit.ErrorsAsync(dry.GetProperty("id").GetString()!);
        Assert.True(dry.GetProperty("created").GetInt64() == 3 && dry.GetProperty("errorRows").GetInt64() == 3, string.Join("\n", dryErrors));
        Assert.Equal(before, await _kit.WrittenAsync());

        var run = await _kit.ImportAsync(ImportKit.Xlsx(events), "events.xlsx", "parts-events", dryRun: false);
        Assert.Equal(("SUCCEEDED", 3L, 3L), (run.GetProperty("status").GetString(), run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));
        var errors = await _kit.ErrorsAsync(run.GetProperty("id").GetString()!);
        Assert.Equal([(5L, "who"), (6L, "case"), (7L, "what")], errors.Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("column").GetString()!)).ToList());
        Assert.Contains("Jean Inconnu", errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("No case you may see has this reference.", errors[1].GetProperty("message").GetString());

        var besingi = await CaseAsync(Besingi);
        // Compared by type: the timeline puts March 2013 (a month) before 2 March 2013.
        var timeline = besingi.GetProperty("events").EnumerateArray().OrderBy(e => e.GetProperty("type").GetString(), StringComparer.Ordinal).ToList();
        Assert.Equal([("ARREST", "2013-03-02", "Arrested in Mundemba."), ("DETENTION", "2013-03", "Held at the gendarmerie.")],
            timeline.Select(e => (e.GetProperty("type").GetString()!, e.GetProperty("date").GetString()!, e.GetProperty("description").GetString()!)).ToList());
        Assert.All(timeline, e => Assert.Equal("Nasako Besingi", Assert.Single(e.GetProperty("victims").EnumerateArray()).GetProperty("name").GetString()));
        var threats = Assert.Single((await CaseAsync(Nyamsi)).GetProperty("events").EnumerateArray());
        Assert.Equal(2, threats.GetProperty("victims").GetArrayLength());

        // Each row's record is the event it made.
        var rows = (await _kit.Client(null).QueryAsync("query($id: ID!) { importRun(id: $id) { rows(first: 10) { nodes { key outcome recordId } } } }",
                new { id = run.GetProperty("id").GetString() }))
            .GetProperty("importRun").GetProperty("rows").GetProperty("nodes").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal(timeline[0].GetProperty("id").GetString(), rows["E1"].GetProperty("recordId").GetString());

        // The same sheet again writes nothing.
        var written = await _kit.WrittenAsync();
        var same = await _kit.ImportAsync(ImportKit.Xlsx(events), "events.xlsx", "parts-events", dryRun: false);
        Assert.Equal((0L, 3L), (same.GetProperty("created").GetInt64(), same.GetProperty("unchanged").GetInt64()));
        Assert.Equal(written, await _kit.WrittenAsync());

        // A corrected row corrects its event (correctCaseEvent, with the import's reason), and only it.
        events[2] = ["E2", Besingi, "DETENTION", "2013-03-05", "Held at the Mundemba gendarmerie.", "Nasako Besingi", ""];
        var corrected = await _kit.ImportAsync(ImportKit.Xlsx(events), "events.xlsx", "parts-events", dryRun: false);
        Assert.Equal((0L, 1L, 2L), (corrected.GetProperty("created").GetInt64(), corrected.GetProperty("changed").GetInt64(), corrected.GetProperty("unchanged").GetInt64()));
        besingi = await CaseAsync(Besingi);
        var detention = besingi.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "DETENTION");
        Assert.Equal(("2013-03-05", "Held at the Mundemba gendarmerie."), (detention.GetProperty("date").GetString(), detention.GetProperty("description").GetString()));
        Assert.Equal(timeline[1].GetProperty("id").GetString(), detention.GetProperty("id").GetString());
        var last = besingi.GetProperty("history").GetProperty("nodes").EnumerateArray().Last();
        Assert.Equal(("CASE_EVENT_CORRECTED", "Corrected by an import."), (last.GetProperty("action").GetString(), last.GetProperty("reason").GetString()));

        // Interventions: a sheet of its own, a corrected date corrects the intervention.
        await _kit.SaveMappingAsync("parts-interventions", "INTERVENTION", "id",
            new Dictionary<string, string> { ["case"] = "caseReference", ["type"] = "type", ["on"] = "issuedOn", ["to"] = "addressees" });
        string[][] interventions = [["id", "case", "type", "on", "to"], ["I1", Besingi, "URGENT_APPEAL", "2013-03-04", "President Paul Biya;Minister of Justice"]];
        var issued = await _kit.ImportAsync(ImportKit.Csv(interventions), "interventions.csv", "parts-interventions", dryRun: false);
        Assert.Equal(1L, issued.GetProperty("created").GetInt64());
        interventions[1][3] = "2013-03-05";
        var reissued = await _kit.ImportAsync(ImportKit.Csv(interventions), "interventions.csv", "parts-interventions", dryRun: false);
        Assert.Equal(1L, reissued.GetProperty("changed").GetInt64());
        var appeal = Assert.Single((await CaseAsync(Besingi)).GetProperty("interventions").EnumerateArray());
        Assert.Equal(("URGENT_APPEAL", "2013-03-05"), (appeal.GetProperty("type").GetString(), appeal.GetProperty("issuedOn").GetString()));
        Assert.Equal(["President Paul Biya", "Minister of Justice"], appeal.GetProperty("addressees").EnumerateArray().Select(a => a.GetString()));

        // Closed in the archive: the cases' sheet again, now with its statuses, closes the case once its events are in
        // (a row without a status is left as it was), and a closed case takes no new event, as through the API.
        await _kit.SaveMappingAsync("parts-cases", "CASE", "ref",
            new Dictionary<string, string>
            {
                ["ref"] = "reference", ["title"] = "title", ["country"] = "countryCode", ["opened"] = "openedOn", ["victims"] = "victimNames", ["status"] = "status",
            });
        var closing = await _kit.ImportAsync(ImportKit.Csv([
            ["ref", "title", "country", "opened", "victims", "status"],
            [Besingi, "Parts: Nasako Besingi", "CM", "2013-03-04", "Nasako Besingi", "CLOSED"],
            [Nyamsi, "Parts: Yaoundé lawyers", "CM", "2013-03-20", "Paul Nyamsi;Marie Nyamsi", ""]]), "cases.csv", "parts-cases", dryRun: false);
        Assert.Equal((1L, 1L, 0L), (closing.GetProperty("changed").GetInt64(), closing.GetProperty("unchanged").GetInt64(), closing.GetProperty("errorRows").GetInt64()));
        var closed = (await _kit.Client(null).QueryAsync("query($r: String!) { caseByReference(reference: $r) { status history(first: 50) { nodes { action reason } } } }",
            new { r = Besingi })).GetProperty("caseByReference");
        Assert.Equal("CLOSED", closed.GetProperty("status").GetString());
        Assert.Equal("CASE_STATUS_CHANGED", closed.GetProperty("history").GetProperty("nodes").EnumerateArray().Last().GetProperty("action").GetString());
        events = [header, ["E7", Besingi, "RELEASE", "2013-06", "Released.", "Nasako Besingi", ""]];
        var late = await _kit.ImportAsync(ImportKit.Xlsx(events), "late.xlsx", "parts-events", dryRun: false);
        Assert.Equal((0L, 1L), (late.GetProperty("created").GetInt64(), late.GetProperty("errorRows").GetInt64()));
    }

    [Fact]
    public async Task A_staff_importer_cannot_reach_a_restricted_case_and_is_told_exactly_what_an_unknown_reference_gets()
    {
        var restricted = (await _kit.Client(null).QueryAsync(
                "mutation { openCase(input: { title: \"Parts: restricted\", countryCode: \"TN\", openedOn: \"2014-05-02\", confidentiality: RESTRICTED }) { case { reference } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("reference").GetString()!;
        var staff = await _kit.KeyAsync("STAFF", "STAFF");
        await _kit.SaveMappingAsync("parts-staff", "CASE_EVENT", "k",
            new Dictionary<string, string> { ["case"] = "caseReference", ["type"] = "type", ["date"] = "date" }, key: staff);
        var before = await _kit.WrittenAsync();

        var run = await _kit.ImportAsync(ImportKit.Csv([["k", "case", "type", "date"], ["1", restricted, "ARREST", "2014-05-01"], ["2", "TUN 099 / 0514 / OBS 099", "ARREST", "2014-05-01"]]),
            "events.csv", "parts-staff", dryRun: false, key: staff);

        Assert.Equal((0L, 2L), (run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));
        var errors = await _kit.ErrorsAsync(run.GetProperty("id").GetString()!, staff);
        Assert.Equal(errors[0].GetProperty("message").GetString(), errors[1].GetProperty("message").GetString());
        Assert.Equal(before, await _kit.WrittenAsync());
        Assert.Empty((await CaseAsync(restricted)).GetProperty("events").EnumerateArray());
    }
}
