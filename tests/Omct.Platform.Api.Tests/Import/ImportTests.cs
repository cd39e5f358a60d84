using System.Net;
using System.Text;
using System.Text.Json;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Import;

/// <summary>
/// Import end to end through GraphQL (tus upload, createImport, saveImportMapping, startImport, importRun) against
/// PostgreSQL, with the scheduler off (the host runs the run itself): dry runs, idempotency, corrections, the three
/// formats, clearance per row, progress and the error report.
/// </summary>
public sealed class ImportTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private readonly ImportKit _kit = ImportKit.InMemory(platform);

    private static readonly Dictionary<string, string> OrganisationColumns = new()
    {
        ["org name"] = "name", ["country"] = "countryCode", ["member"] = "networkMember", ["level"] = "confidentiality",
    };

    private static byte[] Organisations(int count, string prefix, Func<int, string[], string[]>? change = null) =>
        ImportKit.Csv(new[] { new[] { "ref", "org name", "country", "member", "level" } }
            .Concat(Enumerable.Range(0, count).Select(i => change?.Invoke(i, Row(i)) ?? Row(i))));

    private static string[] Row(int i) => [$"R{i:D5}", $"Org {i:D5}", i % 2 == 0 ? "CM" : "TN", i % 3 == 0 ? "yes" : "no", ""];

    [Fact]
    public async Task A_dry_run_of_1000_rows_with_5_bad_rows_names_each_error_by_line_column_and_message_and_writes_nothing()
    {
        await _kit.SaveMappingAsync("dry-orgs", "ORGANISATION", "ref", OrganisationColumns);
        var file = Organisations(1000, "dry", (i, row) => i switch
        {
            100 => [row[0], row[1], "XX", row[3], row[4]],
            250 => [row[0], "", row[2], row[3], row[4]],
            500 => [row[0], row[1], row[2], row[3], "SECRET"],
            750 => [row[0], row[1], row[2], "maybe", row[4]],
            900 => ["", row[1], row[2], row[3], row[4]],
            _ => row,
        });
        var before = await _kit.WrittenAsync();

        var run = await _kit.ImportAsync(file, "organisations.csv", "dry-orgs", dryRun: true);

        Assert.Equal("SUCCEEDED", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("dryRun").GetBoolean());
        Assert.Equal(1000, run.GetProperty("rowsTotal").GetInt64());
        Assert.Equal(1000, run.GetProperty("rowsDone").GetInt64());
        Assert.Equal(995, run.GetProperty("created").GetInt64()); // would be created
        Assert.Equal(5, run.GetProperty("errorRows").GetInt64());
        var errors = await _kit.ErrorsAsync(run.GetProperty("id").GetString()!);
        Assert.Equal(
            [(102L, "country"), (252L, "org name"), (502L, "level"), (752L, "member"), (902L, "ref")],
            errors.Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("column").GetString()!)).ToList());
        Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString())));
        Assert.Contains("PUBLIC", errors[2].GetProperty("message").GetString(), StringComparison.Ordinal); // "Not one of PUBLIC, NETWORK …"

        // Per row, what would happen.
        var rows = (await _kit.Client(null).QueryAsync("query($id: ID!) { importRun(id: $id) { rows(first: 3) { totalCount nodes { line key outcome recordId } } } }",
            new { id = run.GetProperty("id").GetString() })).GetProperty("importRun").GetProperty("rows");
        Assert.Equal(1000, rows.GetProperty("totalCount").GetInt32());
        Assert.Equal("CREATED", rows.GetProperty("nodes")[0].GetProperty("outcome").GetString());
        Assert.Equal("R00000", rows.GetProperty("nodes")[0].GetProperty("key").GetString());

        // No event, stream, organisation or import key was written.
        Assert.Equal(before, await _kit.WrittenAsync());
        Assert.Equal(0, (await _kit.Client(null).QueryAsync("{ organisations(filter: { text: \"Org 00\" }) { totalCount } }")).GetProperty("organisations").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task The_same_file_imported_twice_writes_once_and_a_corrected_row_updates_its_record()
    {
        await _kit.SaveMappingAsync("twice-orgs", "ORGANISATION", "ref", OrganisationColumns);
        var file = ImportKit.Csv([["ref", "org name", "country", "member", "level"], ["T1", "Twice One", "CM", "yes", ""], ["T2", "Twice Two", "TN", "no", "NETWORK"], ["T3", "Twice Three", "KE", "", ""]]);

        var first = await _kit.ImportAsync(file, "twice.csv", "twice-orgs", dryRun: false);
        Assert.Equal("SUCCEEDED", first.GetProperty("status").GetString());
        Assert.Equal(3, first.GetProperty("created").GetInt64());
        var written = await _kit.WrittenAsync();

        var second = await _kit.ImportAsync(file, "twice.csv", "twice-orgs", dryRun: false);
        Assert.Equal(0, second.GetProperty("created").GetInt64());
        Assert.Equal(3, second.GetProperty("unchanged").GetInt64());
        Assert.Equal(written, await _kit.WrittenAsync());

        var organisations = await OrganisationsAsync("Twice");
        Assert.Equal(3, organisations.Count);
        Assert.Equal("STAFF", organisations["Twice One"].GetProperty("confidentiality").GetString()); // STAFF unless the file says otherwise
        Assert.Equal("NETWORK", organisations["Twice Two"].GetProperty("confidentiality").GetString());

        // A dry run of the corrected file says what would change, and changes nothing.
        var corrected = ImportKit.Csv([["ref", "org name", "country", "member", "level"], ["T1", "Twice One", "CM", "yes", ""], ["T2", "Twice Two (renamed)", "TN", "no", "NETWORK"], ["T3", "Twice Three", "KE", "", ""]]);
        var dry = await _kit.ImportAsync(corrected, "twice.csv", "twice-orgs", dryRun: true);
        Assert.Equal((0L, 1L, 2L), (dry.GetProperty("created").GetInt64(), dry.GetProperty("changed").GetInt64(), dry.GetProperty("unchanged").GetInt64()));
        Assert.Equal(written, await _kit.WrittenAsync());

        var third = await _kit.ImportAsync(corrected, "twice.csv", "twice-orgs", dryRun: false);
        Assert.Equal((0L, 1L, 2L), (third.GetProperty("created").GetInt64(), third.GetProperty("changed").GetInt64(), third.GetProperty("unchanged").GetInt64()));
        var after = await OrganisationsAsync("Twice");
        Assert.Equal(3, after.Count);
        Assert.Equal(organisations["Twice Two"].GetProperty("id").GetString(), after["Twice Two (renamed)"].GetProperty("id").GetString());
        Assert.Equal(2, after["Twice Two (renamed)"].GetProperty("version").GetInt32());

        // The corrected file once more: nothing.
        var fourth = await _kit.ImportAsync(corrected, "twice.csv", "twice-orgs", dryRun: false);
        Assert.Equal(3, fourth.GetProperty("unchanged").GetInt64());
    }

    [Fact]
    public async Task An_xlsx_file_of_defenders_imports()
    {
        await _kit.SaveMappingAsync("xlsx-defenders", "DEFENDER", "Number",
            new Dictionary<string, string> { ["Full name"] = "name", ["Country"] = "countryCode", ["Gender"] = "gender" },
            new Dictionary<string, string> { ["confidentiality"] = "NETWORK" });
        var workbook = ImportKit.Xlsx([["Number", "Full name", "Country", "Gender"], [1, "Xlsx Amara", "CM", "female"], [2, "Xlsx Bilal", "TN", "MALE"], [3, "Xlsx Chen", "ZZ", "MALE"]]);

        var file = await _kit.CreateFileAsync(workbook, "defenders.xlsx");
        Assert.Equal("XLSX", file.GetProperty("format").GetString());
        Assert.Equal(new[] { "Number", "Full name", "Country", "Gender" }, file.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray());
        var preview = (await _kit.Client(null).QueryAsync("query($id: ID!) { importFile(id: $id) { preview(first: 2) { line cells } } }", new { id = file.GetProperty("id").GetString() }))
            .GetProperty("importFile").GetProperty("preview");
        Assert.Equal(2, preview.GetArrayLength());
        Assert.Equal(new[] { "1", "Xlsx Amara", "CM", "female" }, preview[0].GetProperty("cells").EnumerateArray().Select(c => c.GetString()!).ToArray());

        var run = await _kit.FinishedAsync(await _kit.StartAsync(file.GetProperty("id").GetString()!, "xlsx-defenders", dryRun: false));
        Assert.Equal((2L, 1L), (run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));
        var error = Assert.Single(await _kit.ErrorsAsync(run.GetProperty("id").GetString()!));
        Assert.Equal((4L, "Country"), (error.GetProperty("line").GetInt64(), error.GetProperty("column").GetString()));

        var defenders = (await _kit.Client(null).QueryAsync("{ defenders(filter: { text: \"Xlsx\" }) { nodes { name gender confidentiality country { code } } } }"))
            .GetProperty("defenders").GetProperty("nodes").EnumerateArray().ToDictionary(d => d.GetProperty("name").GetString()!);
        Assert.Equal(["Xlsx Amara", "Xlsx Bilal"], defenders.Keys.Order().ToArray());
        Assert.Equal(("FEMALE", "NETWORK", "CM"), (defenders["Xlsx Amara"].GetProperty("gender").GetString(), defenders["Xlsx Amara"].GetProperty("confidentiality").GetString(),
            defenders["Xlsx Amara"].GetProperty("country").GetProperty("code").GetString()));

        // The import file is gone once the real run is done, and its upload cannot be attached.
        var gone = (await _kit.Client(null).QueryAsync("query($id: ID!) { importFile(id: $id) { deletedAt preview { line } } }", new { id = file.GetProperty("id").GetString() }))
            .GetProperty("importFile");
        Assert.NotEqual(JsonValueKind.Null, gone.GetProperty("deletedAt").ValueKind);
        Assert.Equal(0, gone.GetProperty("preview").GetArrayLength());
    }

    [Fact]
    public async Task An_ndjson_file_of_cases_with_victims_events_and_interventions_imports()
    {
        await _kit.SaveMappingAsync("ndjson-cases", "CASE", "id",
            new Dictionary<string, string> { ["title"] = "title", ["country"] = "countryCode", ["opened"] = "openedOn", ["summary"] = "summary" });
        var lines = new[]
        {
            """{"id":"C-1","title":"Ndjson: Yaoundé lawyers","country":"CM","opened":"2013-03-04","victims":[{"name":"Ndjson Paul"},{"name":"Ndjson Marie"}],"events":[{"type":"ARREST","date":"2013-03-02","victims":["Ndjson Paul"]},{"type":"RELEASE","date":"2013-04","victims":"Ndjson Paul;Ndjson Marie"}],"interventions":[{"type":"URGENT_APPEAL","issuedOn":"2013-03-04","addressees":["President"]}]}""",
            "",
            """{"id":"C-2","title":"Ndjson: bad event","country":"TN","events":[{"type":"PICNIC","date":"2014"}]}""",
            """{"id":"C-3","title":"Ndjson: Tunis","country":"TN","summary":"Plain."}""",
        };
        var run = await _kit.ImportAsync(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"), "cases.ndjson", "ndjson-cases", dryRun: false);

        Assert.Equal(("SUCCEEDED", 3L, 2L, 1L), (run.GetProperty("status").GetString(), run.GetProperty("rowsTotal").GetInt64(), run.GetProperty("created").GetInt64(),
            run.GetProperty("errorRows").GetInt64()));
        var error = Assert.Single(await _kit.ErrorsAsync(run.GetProperty("id").GetString()!));
        Assert.Equal((3L, "events[0].type"), (error.GetProperty("line").GetInt64(), error.GetProperty("column").GetString()));

        var cases = (await _kit.Client(null).QueryAsync("{ cases(filter: { text: \"Ndjson\" }) { nodes { id title openedOn confidentiality victims { name } events { type date victims { name } } interventions { type } } } }"))
            .GetProperty("cases").GetProperty("nodes").EnumerateArray().ToDictionary(c => c.GetProperty("title").GetString()!);
        Assert.Equal(["Ndjson: Tunis", "Ndjson: Yaoundé lawyers"], cases.Keys.Order().ToArray());
        var yaounde = cases["Ndjson: Yaoundé lawyers"];
        Assert.Equal(("2013-03-04", "STAFF"), (yaounde.GetProperty("openedOn").GetString(), yaounde.GetProperty("confidentiality").GetString()));
        Assert.Equal(2, yaounde.GetProperty("victims").GetArrayLength());
        Assert.Equal(2, yaounde.GetProperty("events").GetArrayLength());
        var release = yaounde.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "RELEASE");
        Assert.Equal(2, release.GetProperty("victims").GetArrayLength());
        Assert.Equal("URGENT_APPEAL", Assert.Single(yaounde.GetProperty("interventions").EnumerateArray()).GetProperty("type").GetString());
        // The row is one stream start, in one transaction: its 6 events (opened, 2 victims, 2 events, the appeal) share the transaction's timestamp.
        Assert.True(GlobalId.TryDecode(yaounde.GetProperty("id").GetString(), out _, out var yaoundeId));
        Assert.Equal(6, await _kit.ScalarAsync($"select count(*) from omct.mt_events where stream_id = '{yaoundeId}'"));
        Assert.Equal(1, await _kit.ScalarAsync($"select count(distinct timestamp) from omct.mt_events where stream_id = '{yaoundeId}'"));

        // The same file again writes nothing.
        var written = await _kit.WrittenAsync();
        var same = await _kit.ImportAsync(Encoding.UTF8.GetBytes(string.Join("\n", lines)), "cases.ndjson", "ndjson-cases", dryRun: false);
        Assert.Equal((0L, 2L, 0L), (same.GetProperty("created").GetInt64(), same.GetProperty("unchanged").GetInt64(), same.GetProperty("changed").GetInt64()));
        Assert.Equal(written, await _kit.WrittenAsync());

        // A corrected summary corrects the case (updateCase, in its history); a changed event alone is CHANGED_NOT_APPLIED.
        lines[3] = """{"id":"C-3","title":"Ndjson: Tunis","country":"TN","summary":"Corrected."}""";
        lines[0] = lines[0].Replace("\"2013-04\"", "\"2013-05\"", StringComparison.Ordinal);
        var again = await _kit.ImportAsync(Encoding.UTF8.GetBytes(string.Join("\n", lines)), "cases.ndjson", "ndjson-cases", dryRun: false);
        Assert.Equal((0L, 1L, 1L), (again.GetProperty("created").GetInt64(), again.GetProperty("changed").GetInt64(), again.GetProperty("changedNotApplied").GetInt64()));
        var tunis = (await _kit.Client(null).QueryAsync("{ cases(filter: { text: \"Ndjson: Tunis\" }) { nodes { summary history(first: 10) { nodes { action reason } } } } }"))
            .GetProperty("cases").GetProperty("nodes")[0];
        Assert.Equal("Corrected.", tunis.GetProperty("summary").GetString());
        var update = tunis.GetProperty("history").GetProperty("nodes").EnumerateArray().Last();
        Assert.Equal(("CASE_UPDATED", "Corrected by an import."), (update.GetProperty("action").GetString(), update.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_case_imported_with_reference_CMR_001_0312_OBS_021_is_followed_by_a_new_case_in_Cameroon_with_the_next_free_number()
    {
        await _kit.SaveMappingAsync("archive-cases", "CASE", "key",
            new Dictionary<string, string> { ["title"] = "title", ["country"] = "countryCode", ["opened"] = "openedOn", ["ref"] = "reference" });
        var file = ImportKit.Csv([["key", "title", "country", "opened", "ref"],
            ["A1", "Archive 2012: Nasako Besingi", "CM", "2012-03-15", "CMR 001 / 0312 / OBS 021"],
            ["A2", "Archive 2012: wrong month", "CM", "2012-04-15", "CMR 002 / 0312 / OBS 022"],
            ["A3", "Archive 2012: the same reference again", "CM", "2012-03-20", "CMR 001 / 0312 / OBS 021"]]);

        // The dry run refuses the reference taken by an earlier row of the file, as the real run does (which finds it written).
        var dry = await _kit.ImportAsync(file, "archive.csv", "archive-cases", dryRun: true);
        Assert.Equal((1L, 2L), (dry.GetProperty("created").GetInt64(), dry.GetProperty("errorRows").GetInt64()));
        var run = await _kit.ImportAsync(file, "archive.csv", "archive-cases", dryRun: false);
        Assert.Equal((1L, 2L), (run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));
        static List<(long, string, string)> Errors(List<JsonElement> errors) =>
            errors.Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("column").GetString()!, e.GetProperty("message").GetString()!)).Order().ToList();
        var errors = Errors(await _kit.ErrorsAsync(run.GetProperty("id").GetString()!));
        Assert.Equal([(3L, "ref"), (4L, "ref")], errors.Select(e => (e.Item1, e.Item2)).ToList());
        Assert.Equal((4L, "ref", "A case already has this reference."), errors[1]);
        Assert.Equal(errors, Errors(await _kit.ErrorsAsync(dry.GetProperty("id").GetString()!)));

        // A dry run after it finds the reference taken in the database.
        var dryAfter = await _kit.ImportAsync(file, "archive.csv", "archive-cases", dryRun: true);
        Assert.Equal((1L, 2L), (dryAfter.GetProperty("unchanged").GetInt64(), dryAfter.GetProperty("errorRows").GetInt64()));
        Assert.Equal(errors, Errors(await _kit.ErrorsAsync(dryAfter.GetProperty("id").GetString()!)));

        var imported = (await _kit.Client(null).QueryAsync("{ caseByReference(reference: \"CMR 001 / 0312 / OBS 021\") { title openedOn } }")).GetProperty("caseByReference");
        Assert.Equal(("Archive 2012: Nasako Besingi", "2012-03-15"), (imported.GetProperty("title").GetString(), imported.GetProperty("openedOn").GetString()));
        var next = (await _kit.Client(null).QueryAsync("mutation { openCase(input: { title: \"Cameroon 2012: a new case\", countryCode: \"CM\", openedOn: \"2012-06-02\" }) { case { reference } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("reference").GetString();
        Assert.Equal("CMR 002 / 0612 / OBS 022", next);
    }

    [Fact]
    public async Task The_platforms_own_case_export_imports_into_an_empty_database_with_the_same_references_dates_and_levels()
    {
        var admin = _kit.Client(null);
        async Task<string> OpenAsync(string title, string country, string opened, string level, string? reference = null, string? summary = null, string? status = null)
        {
            var id = (await admin.QueryAsync(
                    "mutation($t: String!, $c: CountryCode!, $o: Date!, $l: Confidentiality!, $r: String, $s: String) { openCase(input: { title: $t, countryCode: $c, openedOn: $o, confidentiality: $l, reference: $r, summary: $s }) { case { id } } }",
                    new { t = title, c = country, o = opened, l = level, r = reference, s = summary }))
                .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
            if (status is not null)
            {
                await admin.QueryAsync("mutation($id: ID!, $s: CaseStatus!) { changeCaseStatus(input: { caseId: $id, status: $s }) { case { id } } }", new { id, s = status });
            }

            return id;
        }

        await OpenAsync("Round trip: Yaoundé lawyers", "CM", "2010-05-03", "STAFF", "CMR 004 / 0510 / OBS 011", "Lawyers arrested at the court.");
        await OpenAsync("Round trip: Minsk", "BY", "2011-08-04", "RESTRICTED", status: "MONITORING");
        await OpenAsync("Round trip: Bogotá, \"quoted\"; with a semicolon", "CO", "2015-02-28", "PUBLIC", summary: "Line one,\nline two.");
        await OpenAsync("Round trip: Tunis", "TN", "2019-12-31", "NETWORK", status: "CLOSED");
        // Exported with a leading ' (formulas defused), read back without it.
        await OpenAsync("=HYPERLINK(\"https://example.org\") Round trip: a formula", "KE", "2020-01-02", "PUBLIC", summary: "+254 first, a plus.");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/export/cases?format=csv");
        request.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        using var response = await platform.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var export = await response.Content.ReadAsByteArrayAsync();

        await using var empty = new PlatformFactory();
        await ((IAsyncLifetime)empty).InitializeAsync();
        try
        {
            var kit = ImportKit.InMemory(empty);
            await kit.SaveMappingAsync("round-trip-cases", "CASE", "id", new Dictionary<string, string>
            {
                ["reference"] = "reference", ["title"] = "title", ["countryCode"] = "countryCode", ["status"] = "status",
                ["confidentiality"] = "confidentiality", ["summary"] = "summary", ["openedOn"] = "openedOn",
            });
            var run = await kit.ImportAsync(export, "cases.csv", "round-trip-cases", dryRun: false);
            Assert.True(run.GetProperty("errorRows").GetInt64() == 0, string.Join("\n", (await kit.ErrorsAsync(run.GetProperty("id").GetString()!)).Select(e => e.ToString())));

            var before = await CasesAsync(admin);
            Assert.Contains(before, c => c.Contains("CMR 004 / 0510 / OBS 011", StringComparison.Ordinal));
            Assert.Equal(before.Count, run.GetProperty("created").GetInt64());
            Assert.Equal(before, await CasesAsync(empty.Admin()));
        }
        finally
        {
            await ((IAsyncLifetime)empty).DisposeAsync();
        }

        static async Task<List<string>> CasesAsync(GraphQLClient client) =>
            (await client.QueryAsync("{ cases(first: 100) { nodes { reference title country { code } status confidentiality summary openedOn } } }"))
            .GetProperty("cases").GetProperty("nodes").EnumerateArray().Select(c => c.ToString()).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task A_csv_file_of_defenders_imports_and_a_staff_importers_restricted_row_is_refused()
    {
        var staff = await _kit.KeyAsync("STAFF", "STAFF");
        await _kit.SaveMappingAsync("staff-defenders", "DEFENDER", "key",
            new Dictionary<string, string> { ["key"] = "pseudonym", ["name"] = "name", ["country"] = "countryCode", ["level"] = "confidentiality", ["phone"] = "contact" }, key: staff);
        var file = ImportKit.Csv([["key", "name", "country", "level", "phone"], ["S1", "Staffimport Ana", "CO", "", ""], ["S2", "Staffimport Beto", "CO", "RESTRICTED", ""],
            ["S3", "Staffimport Caro", "CO", "STAFF", "+57 1"], ["S4", "Staffimport Dan", "CO", "PUBLIC", ""]]);

        var run = await _kit.ImportAsync(file, "defenders.csv", "staff-defenders", dryRun: false, key: staff);

        Assert.Equal((2L, 2L), (run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));
        var errors = await _kit.ErrorsAsync(run.GetProperty("id").GetString()!, staff);
        Assert.Equal([(3L, "level"), (4L, "phone")], errors.Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("column").GetString()!)).ToList());
        var names = (await _kit.Client(null).QueryAsync("{ defenders(filter: { text: \"Staffimport\" }) { nodes { name confidentiality } } }"))
            .GetProperty("defenders").GetProperty("nodes").EnumerateArray().Select(d => (d.GetProperty("name").GetString(), d.GetProperty("confidentiality").GetString())).Order().ToList();
        Assert.Equal([("Staffimport Ana", "STAFF"), ("Staffimport Dan", "PUBLIC")], names);

        // Another STAFF caller does not see the run; an ADMIN with RESTRICTED clearance does.
        var other = await _kit.KeyAsync("STAFF", "RESTRICTED");
        Assert.Equal(JsonValueKind.Null, (await _kit.Client(other).QueryAsync("query($id: ID!) { importRun(id: $id) { id } }", new { id = run.GetProperty("id").GetString() }))
            .GetProperty("importRun").ValueKind);
        Assert.Equal(run.GetProperty("id").GetString(), (await _kit.RunAsync(run.GetProperty("id").GetString()!)).GetProperty("id").GetString());
        // The lists say the same: the ADMIN's lists the STAFF importer's run, the other STAFF caller's does not.
        static List<string> Ids(JsonElement data) =>
            data.GetProperty("importRuns").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();
        Assert.Contains(run.GetProperty("id").GetString()!, Ids(await _kit.Client(null).QueryAsync("{ importRuns(first: 100) { nodes { id } } }")));
        Assert.DoesNotContain(run.GetProperty("id").GetString()!, Ids(await _kit.Client(other).QueryAsync("{ importRuns(first: 100) { nodes { id } } }")));
    }

    [Fact]
    public async Task The_error_report_is_csv_formula_safe_and_only_for_who_may_see_the_run()
    {
        await _kit.SaveMappingAsync("report-orgs", "ORGANISATION", "ref", new Dictionary<string, string> { ["=name"] = "name", ["country"] = "countryCode" });
        var run = await _kit.ImportAsync(ImportKit.Csv([["ref", "=name", "country"], ["E1", "", "CM"], ["E2", "Report, Two", "??"]]), "report.csv", "report-orgs", dryRun: true);
        var url = run.GetProperty("errorReportUrl").GetString()!;

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        using var response = await platform.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/csv", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,column,message", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("2,'=name,", lines[1], StringComparison.Ordinal); // a column a spreadsheet would run as a formula is quoted out
        Assert.StartsWith("3,country,", lines[2], StringComparison.Ordinal);

        var stranger = await _kit.KeyAsync("STAFF", "RESTRICTED");
        using var hidden = new HttpRequestMessage(HttpMethod.Get, url);
        hidden.Headers.Add("X-Api-Key", stranger);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.CreateClient().SendAsync(hidden)).StatusCode);
    }

    [Fact]
    public async Task Progress_figures_move_while_a_run_goes_on()
    {
        await _kit.SaveMappingAsync("progress-orgs", "ORGANISATION", "ref", OrganisationColumns);
        var file = await _kit.CreateFileAsync(Organisations(400, "progress", (i, row) => [$"P{i:D5}", $"Progress {i:D5}", row[2], row[3], row[4]]), "progress.csv");
        var seen = new List<JsonElement>();

        var run = await _kit.FinishedAsync(await _kit.StartAsync(file.GetProperty("id").GetString()!, "progress-orgs", dryRun: false), seen: seen);

        Assert.Equal(400, run.GetProperty("created").GetInt64());
        var midway = seen.Where(r => r.GetProperty("status").GetString() == "RUNNING" && r.GetProperty("rowsDone").GetInt64() is > 0 and < 400).ToList();
        Assert.True(midway.Select(r => r.GetProperty("rowsDone").GetInt64()).Distinct().Count() >= 2, $"Progress seen: {string.Join(", ", seen.Select(r => r.GetProperty("rowsDone")))}");
        Assert.All(midway, r =>
        {
            Assert.Equal(400, r.GetProperty("rowsTotal").GetInt64());
            Assert.True(r.GetProperty("rate").GetDouble() > 0);
            Assert.True(r.GetProperty("secondsLeft").GetDouble() >= 0);
        });
        Assert.True(run.GetProperty("rate").GetDouble() > 0);
        Assert.Equal(0, run.GetProperty("secondsLeft").GetDouble());
    }

    private async Task<Dictionary<string, JsonElement>> OrganisationsAsync(string text) =>
        (await _kit.Client(null).QueryAsync("query($t: String) { organisations(filter: { text: $t }, first: 100) { nodes { id name confidentiality version } } }", new { t = text }))
        .GetProperty("organisations").GetProperty("nodes").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
}
