using System.Net;
using System.Text;
using System.Text.Json;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Import;

/// <summary>
/// The export round trip: a platform populated through GraphQL, exported (<c>/export/organisations</c>,
/// <c>/export/defenders</c>, <c>/export/cases</c>) and imported into an empty platform with mappings that map each
/// column to the field of its name, gives the same records — compared through GraphQL, record by record — and importing
/// the same export again writes nothing. A STAFF caller's export brings back what that caller sees, and nothing more.
/// </summary>
public sealed class RoundTripTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string OrganisationFields = "name country { code } networkMember memberSince confidentiality";
    private const string DefenderFields = "name pseudonym country { code } gender consentToPublishName confidentiality thematicAreas riskLevel organisations { name }";
    private const string Details = "contact location family riskNotes";
    private const string CaseFields =
        "reference title country { code } status confidentiality summary openedOn victims { name confidentiality } " +
        "events { type date description perpetratorType source confidentiality victims { name } } interventions { type number reference issuedOn addressees }";

    /// <summary>Each kind's mapping: every column the importer has a field for, mapped to that field; the export's id is the import key.</summary>
    private static readonly Dictionary<string, string[]> Mappings = new()
    {
        ["ORGANISATION"] = ["name", "countryCode", "networkMember", "memberSince", "confidentiality"],
        ["DEFENDER"] = ["name", "pseudonym", "countryCode", "gender", "consentToPublishName", "confidentiality", "thematicAreas", "contact", "location",
            "family", "riskNotes", "riskLevel", "organisations"],
        ["CASE"] = ["reference", "title", "countryCode", "summary", "confidentiality", "openedOn", "status", "victimNames"],
    };

    private static readonly (string Kind, string Export)[] Kinds = [("ORGANISATION", "organisations"), ("DEFENDER", "defenders"), ("CASE", "cases")];

    [Fact]
    public async Task An_admins_ndjson_export_imports_into_an_empty_platform_as_the_same_records_and_again_writes_nothing_and_its_csv_is_the_same_rows()
    {
        await PopulateAsync("Trip");
        var admin = platform.Admin();
        var exports = new Dictionary<string, byte[]>();
        foreach (var (_, export) in Kinds)
        {
            exports[export] = await ExportAsync(PlatformFactory.AdminKey, export, "ndjson");
        }

        // The nested parts are named and shaped as the CASE importer's.
        var minsk = Encoding.UTF8.GetString(exports["cases"]).Split('\n').Single(l => l.Contains("Trip: Minsk", StringComparison.Ordinal));
        using (var line = JsonDocument.Parse(minsk))
        {
            var row = line.RootElement;
            Assert.Equal("[{\"name\":\"Trip Ales B.\",\"confidentiality\":\"RESTRICTED\"}]", row.GetProperty("victims").GetRawText());
            Assert.Equal("{\"type\":\"TORTURE\",\"date\":\"2011-08\",\"description\":\"In the basement of the KGB.\",\"perpetratorType\":\"STATE_SECURITY_FORCES\"," +
                "\"source\":null,\"confidentiality\":\"RESTRICTED\",\"victims\":[\"Trip Ales B.\"]}", row.GetProperty("events")[0].GetRawText());
            Assert.Equal("{\"type\":\"URGENT_APPEAL\",\"issuedOn\":\"2011-08-05\",\"addressees\":[\"President of Belarus\"]}", row.GetProperty("interventions")[0].GetRawText());
            Assert.False(row.TryGetProperty("victimNames", out _)); // CSV's flat stand-in
        }

        var (empty, kit) = await ImportedIntoEmptyAsync(exports);
        try
        {
            var target = empty.Admin();
            Assert.Equal(await OrganisationsAsync(admin), await OrganisationsAsync(target));
            Assert.Equal(await DefendersAsync(admin, Details), await DefendersAsync(target, Details));
            Assert.Equal(await CasesAsync(admin), await CasesAsync(target));
            var cases = await CasesAsync(target);
            Assert.Contains(cases, c => c.Contains("CMR 004 / 0510 / OBS 011.1", StringComparison.Ordinal)); // the follow-up's reference
            Assert.Contains(cases, c => c.Contains("\"date\":\"2010-05\"", StringComparison.Ordinal)); // a partial date stays partial

            // The same export again writes nothing: every row UNCHANGED.
            var written = await kit.WrittenAsync();
            foreach (var (kind, export) in Kinds)
            {
                var again = await ImportAsync(kit, exports[export], $"{export}.ndjson", kind);
                Assert.Equal((0L, 0L, 0L, Rows(exports[export])),
                    (again.GetProperty("created").GetInt64(), again.GetProperty("changed").GetInt64(), again.GetProperty("changedNotApplied").GetInt64(),
                        again.GetProperty("unchanged").GetInt64()));
            }

            // The CSV export of the flat kinds is the same rows: imported under the same mappings, nothing changes.
            foreach (var export in new[] { "organisations", "defenders" })
            {
                var csv = await ExportAsync(PlatformFactory.AdminKey, export, "csv");
                Assert.DoesNotContain("feedCursor", Encoding.UTF8.GetString(csv), StringComparison.Ordinal);
                var kind = Kinds.Single(k => k.Export == export).Kind;
                var again = await ImportAsync(kit, csv, $"{export}.csv", kind);
                Assert.Equal((0L, 0L, Rows(exports[export])), (again.GetProperty("created").GetInt64(), again.GetProperty("changed").GetInt64(), again.GetProperty("unchanged").GetInt64()));
            }

            Assert.Equal(written, await kit.WrittenAsync());
        }
        finally
        {
            await ((IAsyncLifetime)empty).DisposeAsync();
        }
    }

    [Fact]
    public async Task A_staff_callers_export_brings_back_what_staff_sees_and_nothing_it_does_not()
    {
        await PopulateAsync("Staffcopy");
        var staffKey = await ImportKit.InMemory(platform).KeyAsync("STAFF", "STAFF");
        var staff = platform.GraphQL(staffKey);
        var exports = new Dictionary<string, byte[]>();
        foreach (var (_, export) in Kinds)
        {
            exports[export] = await ExportAsync(staffKey, export, "ndjson");
        }

        // What STAFF may not see is not in the files at all: RESTRICTED records, events and victims, the confidential details.
        var text = string.Concat(exports.Values.Select(Encoding.UTF8.GetString));
        foreach (var secret in new[] { "Minsk", "Hidden circle", "Secret Sasha", "Marie Ekane", "In a cell without light", "Calle 5", "Two children", "Followed since May", "1234 5678" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        var (empty, _) = await ImportedIntoEmptyAsync(exports);
        try
        {
            // The empty platform's ADMIN (RESTRICTED clearance) sees exactly what the STAFF caller saw: what the export left out did not come back.
            var target = empty.Admin();
            Assert.Equal(await OrganisationsAsync(staff), await OrganisationsAsync(target));
            Assert.Equal(await DefendersAsync(staff, ""), await DefendersAsync(target, ""));
            Assert.Equal(await CasesAsync(staff), await CasesAsync(target));

            var all = string.Join("\n", (await DefendersAsync(target, Details)).Concat(await CasesAsync(target)).Concat(await OrganisationsAsync(target)));
            Assert.DoesNotContain("RESTRICTED", all, StringComparison.Ordinal);
            var details = (await target.QueryAsync($"{{ defenders(first: 20) {{ nodes {{ {Details} }} }} }}")).GetProperty("defenders").GetProperty("nodes").EnumerateArray()
                .SelectMany(d => d.EnumerateObject()).ToList();
            Assert.NotEmpty(details);
            Assert.All(details, field => Assert.Equal(JsonValueKind.Null, field.Value.ValueKind));
            // Yet what STAFF sees came back whole: the STAFF case's STAFF event, its STAFF victim, the risk level.
            Assert.Contains("Staffcopy Paul Nkeng", all, StringComparison.Ordinal);
            Assert.Contains("HIGH", (await target.QueryAsync("{ defenders(first: 20) { nodes { riskLevel } } }")).ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)empty).DisposeAsync();
        }
    }

    /// <summary>
    /// Organisations, defenders with affiliations, risk levels and confidential details, and cases with victims, events of
    /// several types and levels, interventions, statuses and an original reference — each written as staff would, through GraphQL.
    /// </summary>
    private async Task PopulateAsync(string p)
    {
        var admin = platform.Admin();
        async Task<string> Id(string mutation, object variables, string payload, string field)
        {
            var data = await admin.QueryAsync(mutation, variables);
            return data.GetProperty(payload).GetProperty(field).GetProperty("id").GetString()!;
        }

        Task<string> Organisation(string name, string country, bool member, string? since, string level) =>
            Id("mutation($n: String!, $c: CountryCode!, $m: Boolean, $s: Date, $l: Confidentiality) { registerOrganisation(input: { name: $n, countryCode: $c, networkMember: $m, memberSince: $s, confidentiality: $l }) { organisation { id } } }",
                new { n = name, c = country, m = member, s = since, l = level }, "registerOrganisation", "organisation");
        var league = await Organisation($"{p}: Ligue des droits", "CM", true, "2009-04-01", "PUBLIC");
        var observatory = await Organisation($"{p}: Observatoire", "TN", false, null, "STAFF");
        var hidden = await Organisation($"{p}: Hidden circle", "CO", false, null, "RESTRICTED");

        Task<string> Defender(string name, string? pseudonym, string country, string gender, bool consent, string level, string[] areas) =>
            Id("mutation($n: String!, $p: String, $c: CountryCode!, $g: Gender, $k: Boolean, $l: Confidentiality, $a: [String!]) { registerDefender(input: { name: $n, pseudonym: $p, countryCode: $c, gender: $g, consentToPublishName: $k, confidentiality: $l, thematicAreas: $a }) { defender { id } } }",
                new { n = name, p = pseudonym, c = country, g = gender, k = consent, l = level, a = areas }, "registerDefender", "defender");
        var ana = await Defender($"{p} Ana Ruiz", $"{p} A.R.", "CO", "FEMALE", true, "PUBLIC", ["land rights", "journalism"]);
        var karim = await Defender($"{p} Karim B.", null, "TN", "MALE", false, "STAFF", []);
        var sasha = await Defender($"Secret Sasha {p}", null, "BY", "NON_BINARY", false, "RESTRICTED", ["LGBTI"]);
        foreach (var (defender, organisation) in new[] { (ana, league), (ana, hidden), (karim, observatory), (sasha, hidden) })
        {
            await admin.QueryAsync("mutation($d: ID!, $o: ID!) { affiliateDefender(input: { defenderId: $d, organisationId: $o }) { defender { id } } }", new { d = defender, o = organisation });
        }

        await admin.QueryAsync("mutation($d: ID!) { setRiskLevel(input: { defenderId: $d, level: HIGH }) { defender { id } } }", new { d = ana });
        await admin.QueryAsync("mutation($d: ID!) { setRiskLevel(input: { defenderId: $d, level: CRITICAL }) { defender { id } } }", new { d = sasha });
        await admin.QueryAsync(
            "mutation($d: ID!) { setConfidentialDetails(input: { defenderId: $d, contact: \"57 1 1234 5678\", location: \"Calle 5, Bogotá\", family: \"Two children\", riskNotes: \"Followed since May\" }) { defender { id } } }",
            new { d = ana });

        async Task<string> Case(string title, string country, string opened, string level, string? reference = null, string? summary = null) =>
            await Id("mutation($t: String!, $c: CountryCode!, $o: Date!, $l: Confidentiality!, $r: String, $s: String) { openCase(input: { title: $t, countryCode: $c, openedOn: $o, confidentiality: $l, reference: $r, summary: $s }) { case { id } } }",
                new { t = title, c = country, o = opened, l = level, r = reference, s = summary }, "openCase", "case");
        async Task<string> Victim(string caseId, string name, string level) =>
            (await admin.QueryAsync("mutation($c: ID!, $n: String!, $l: Confidentiality) { addVictim(input: { caseId: $c, name: $n, confidentiality: $l }) { case { victims { id name } } } }",
                new { c = caseId, n = name, l = level }))
            .GetProperty("addVictim").GetProperty("case").GetProperty("victims").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
        Task Event(string caseId, string type, string date, string level, string? description = null, string? perpetrator = null, string? source = null, params string[] victims) =>
            admin.QueryAsync("mutation($c: ID!, $t: CaseEventType!, $d: PartialDate!, $l: Confidentiality, $x: String, $p: PerpetratorType, $s: String, $v: [ID!]) { recordCaseEvent(input: { caseId: $c, type: $t, date: $d, confidentiality: $l, description: $x, perpetratorType: $p, source: $s, victimIds: $v }) { case { id } } }",
                new { c = caseId, t = type, d = date, l = level, x = description, p = perpetrator, s = source, v = victims });
        Task Intervention(string caseId, string type, string issuedOn, params string[] addressees) =>
            admin.QueryAsync("mutation($c: ID!, $t: InterventionType!, $d: Date, $a: [String!]) { issueIntervention(input: { caseId: $c, type: $t, issuedOn: $d, addressees: $a }) { case { id } } }",
                new { c = caseId, t = type, d = issuedOn, a = addressees });
        Task Status(string caseId, string status) =>
            admin.QueryAsync("mutation($c: ID!, $s: CaseStatus!) { changeCaseStatus(input: { caseId: $c, status: $s }) { case { id } } }", new { c = caseId, s = status });

        // Cameroon, with its original reference (the admin test only: a reference is unique).
        var yaounde = await Case($"{p}: Yaoundé lawyers", "CM", "2010-05-03", "STAFF", p == "Trip" ? "CMR 004 / 0510 / OBS 011" : null, "Lawyers arrested at the court.");
        var paul = await Victim(yaounde, $"{p} Paul Nkeng", "STAFF");
        var marie = await Victim(yaounde, $"{p} Marie Ekane", "RESTRICTED");
        await Event(yaounde, "ARREST", "2010-05", "STAFF", "Arrested at the Court of Appeal.", "POLICE", "A colleague", paul);
        await Event(yaounde, "DETENTION", "2010-05-03", "RESTRICTED", "In a cell without light.", "STATE_SECURITY_FORCES", null, marie, paul);
        await Event(yaounde, "RELEASE", "2011", "STAFF");
        await Intervention(yaounde, "URGENT_APPEAL", "2010-05-04", "President of Cameroon", "Minister of Justice");
        await Intervention(yaounde, "FOLLOW_UP", "2010-06-01", "Minister of Justice");
        await Status(yaounde, "MONITORING");

        var minsk = await Case($"{p}: Minsk", "BY", "2011-08-04", "RESTRICTED");
        var ales = await Victim(minsk, $"{p} Ales B.", "RESTRICTED");
        await Event(minsk, "TORTURE", "2011-08", "RESTRICTED", "In the basement of the KGB.", "STATE_SECURITY_FORCES", null, ales);
        await Intervention(minsk, "URGENT_APPEAL", "2011-08-05", "President of Belarus");
        await Intervention(minsk, "CLOSING", "2012-01-10");
        await Status(minsk, "CLOSED");

        var bogota = await Case($"{p}: Bogotá, \"quoted\"; with a semicolon", "CO", "2015-02-28", "PUBLIC", summary: "Line one,\nline two.");
        var luis = await Victim(bogota, $"{p} Luis Pérez", "PUBLIC");
        await Event(bogota, "THREAT", "2015", "NETWORK", "Leaflets at his door.", "NON_STATE_ACTOR", "Press", luis);
        await Event(bogota, "JUDICIAL_HARASSMENT", "2015-03-02", "PUBLIC", victims: luis);
    }

    /// <summary>
    /// A new, empty platform with <paramref name="exports"/> imported into it, each kind under its mapping and every row
    /// created; the caller disposes it.
    /// </summary>
    private static async Task<(PlatformFactory Platform, ImportKit Kit)> ImportedIntoEmptyAsync(Dictionary<string, byte[]> exports)
    {
        var empty = new PlatformFactory();
        try
        {
            await ((IAsyncLifetime)empty).InitializeAsync();
            var kit = ImportKit.InMemory(empty);
            foreach (var (kind, export) in Kinds)
            {
                await SaveMappingAsync(kit, kind);
                var run = await ImportAsync(kit, exports[export], $"{export}.ndjson", kind);
                Assert.Equal((Rows(exports[export]), 0L), (run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));
            }

            return (empty, kit);
        }
        catch
        {
            await ((IAsyncLifetime)empty).DisposeAsync();
            throw;
        }
    }

    private async Task<byte[]> ExportAsync(string key, string name, string format)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/export/{name}?format={format}");
        request.Headers.Add("X-Api-Key", key);
        using var response = await platform.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static Task SaveMappingAsync(ImportKit kit, string kind) =>
        kit.SaveMappingAsync($"round-trip-{kind.ToLowerInvariant()}", kind, "id", Mappings[kind].ToDictionary(c => c, c => c));

    private static async Task<JsonElement> ImportAsync(ImportKit kit, byte[] file, string fileName, string kind)
    {
        var run = await kit.ImportAsync(file, fileName, $"round-trip-{kind.ToLowerInvariant()}", dryRun: false);
        Assert.True(run.GetProperty("status").GetString() == "SUCCEEDED" && run.GetProperty("errorRows").GetInt64() == 0,
            $"{fileName}: {run}\n" + string.Join("\n", (await kit.ErrorsAsync(run.GetProperty("id").GetString()!)).Select(e => e.ToString())));
        return run;
    }

    /// <summary>The records of an NDJSON export (its last line is the feed cursor).</summary>
    private static long Rows(byte[] ndjson) =>
        Encoding.UTF8.GetString(ndjson).Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => !l.StartsWith("{\"feedCursor\"", StringComparison.Ordinal));

    private static Task<List<string>> OrganisationsAsync(GraphQLClient client) => NodesAsync(client, "organisations", OrganisationFields);

    private static Task<List<string>> DefendersAsync(GraphQLClient client, string details) => NodesAsync(client, "defenders", $"{DefenderFields} {details}");

    private static Task<List<string>> CasesAsync(GraphQLClient client) => NodesAsync(client, "cases", CaseFields);

    private static async Task<List<string>> NodesAsync(GraphQLClient client, string list, string fields)
    {
        var nodes = (await client.QueryAsync($"{{ {list}(first: 20) {{ nodes {{ {fields} }} }} }}")).GetProperty(list).GetProperty("nodes").EnumerateArray()
            .Select(n => n.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(nodes);
        return nodes;
    }
}
