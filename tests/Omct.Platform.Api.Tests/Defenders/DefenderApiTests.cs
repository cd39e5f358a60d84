using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Defenders;

/// <summary>Defender profiles and organisations through the GraphQL API, against PostgreSQL.</summary>
public sealed class DefenderApiTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string Fields = "id name pseudonym country { code } gender situation consentToPublishName riskLevel contact location family riskNotes erased version organisations { name } confidentiality";

    [Fact]
    public async Task Each_command_changes_the_profile_and_its_version()
    {
        var org = await RegisterOrganisationAsync("Viasna", "BY");
        var d = await RegisterAsync("Ales Bialiatski", "BY", consent: true, confidentiality: "PUBLIC", extra: ", contact: \"+375 17 000\", location: \"Minsk\", gender: MALE");
        // Registered with its details: two events.
        Assert.Equal(("Ales Bialiatski", 2), (d.GetProperty("name").GetString(), d.GetProperty("version").GetInt32()));
        Assert.Equal("+375 17 000", d.GetProperty("contact").GetString());
        var id = d.GetProperty("id").GetString();

        d = await MutateAsync("updateDefender", $"defenderId: \"{id}\", pseudonym: \"A.B.\", expectedVersion: 2");
        Assert.Equal("A.B.", d.GetProperty("pseudonym").GetString());
        d = await MutateAsync("recordConsent", $"defenderId: \"{id}\", toPublishName: true, toPublishPortrait: true, givenOn: \"2012-01-10\"");
        Assert.True(d.GetProperty("consentToPublishName").GetBoolean());
        d = await MutateAsync("setRiskLevel", $"defenderId: \"{id}\", level: HIGH");
        Assert.Equal("HIGH", d.GetProperty("riskLevel").GetString());
        d = await MutateAsync("setConfidentialDetails", $"defenderId: \"{id}\", contact: \"+375 29 111\", family: \"Wife: Natallia\"");
        Assert.Equal(("+375 29 111", (string?)null, "Wife: Natallia"), (d.GetProperty("contact").GetString(), d.GetProperty("location").GetString(), d.GetProperty("family").GetString()));
        d = await MutateAsync("affiliateDefender", $"defenderId: \"{id}\", organisationId: \"{org}\"");
        Assert.Equal(["Viasna"], d.GetProperty("organisations").EnumerateArray().Select(o => o.GetProperty("name").GetString()));

        var stale = await platform.Admin().PostAsync($"mutation {{ setRiskLevel(input: {{ defenderId: \"{id}\", level: LOW, expectedVersion: 1 }}) {{ defender {{ id }} }} }}");
        Assert.Equal("CONFLICT", stale.ErrorCode);
        var again = await platform.Admin().PostAsync($"mutation {{ affiliateDefender(input: {{ defenderId: \"{id}\", organisationId: \"{org}\" }}) {{ defender {{ id }} }} }}");
        Assert.Equal(("VALIDATION", "organisationId"), (again.ErrorCode, again.ErrorField));

        var membership = (await platform.Admin().QueryAsync($"mutation {{ setNetworkMembership(input: {{ organisationId: \"{org}\", member: false }}) {{ organisation {{ networkMember memberSince }} }} }}"))
            .GetProperty("setNetworkMembership").GetProperty("organisation");
        Assert.False(membership.GetProperty("networkMember").GetBoolean());
        var renamed = (await platform.Admin().QueryAsync($"mutation {{ updateOrganisation(input: {{ organisationId: \"{org}\", name: \"Human Rights Centre Viasna\" }}) {{ organisation {{ name version }} }} }}"))
            .GetProperty("updateOrganisation").GetProperty("organisation");
        Assert.Equal(("Human Rights Centre Viasna", 3), (renamed.GetProperty("name").GetString(), renamed.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task An_affiliation_ends_once_stays_in_the_history_and_follows_the_write_rules()
    {
        var org = await RegisterOrganisationAsync("Defenders Coalition", "KE");
        var hiddenOrg = await RegisterOrganisationAsync("Closed Circle", "KE", member: false, confidentiality: "RESTRICTED");
        var otherOrg = await RegisterOrganisationAsync("Never Joined", "KE");
        var id = (await RegisterAsync("Affiliated Person", "KE", consent: true, confidentiality: "PUBLIC")).GetProperty("id").GetString()!;
        await MutateAsync("affiliateDefender", $"defenderId: \"{id}\", organisationId: \"{org}\"");
        var version = (await MutateAsync("affiliateDefender", $"defenderId: \"{id}\", organisationId: \"{hiddenOrg}\"")).GetProperty("version").GetInt32();
        var staff = await CreateKeyAsync("STAFF", "STAFF");
        var member = await CreateKeyAsync("NETWORK_MEMBER", "STAFF");
        const string Selection = "defender { version organisations { name } affiliations { organisation { name } endedOn reason } }";
        string End(string defender, string organisation, string more = "") =>
            $"mutation {{ endAffiliation(input: {{ defenderId: \"{defender}\", organisationId: \"{organisation}\"{more} }}) {{ {Selection} clientMutationId }} }}";

        var forbidden = await platform.GraphQL(member).PostAsync(End(id, org));
        Assert.Equal("FORBIDDEN", forbidden.ErrorCode);
        // An organisation above the caller's clearance is answered word for word as one the defender never joined.
        var hidden = await platform.GraphQL(staff).PostAsync(End(id, hiddenOrg));
        var never = await platform.GraphQL(staff).PostAsync(End(id, otherOrg));
        Assert.Equal(("VALIDATION", "organisationId"), (hidden.ErrorCode, hidden.ErrorField));
        Assert.Equal(never.Errors[0].GetProperty("message").GetString(), hidden.Errors[0].GetProperty("message").GetString());
        var stale = await platform.GraphQL(staff).PostAsync(End(id, org, $", expectedVersion: {version - 1}"));
        Assert.Equal("CONFLICT", stale.ErrorCode);

        var ended = (await platform.GraphQL(staff).QueryAsync(
                End(id, org, $", expectedVersion: {version}, endedOn: \"2023-05-01\", reason: \"Left the board\", clientMutationId: \"end-1\"")))
            .GetProperty("endAffiliation");
        Assert.Equal("end-1", ended.GetProperty("clientMutationId").GetString());
        var defender = ended.GetProperty("defender");
        Assert.Equal(version + 1, defender.GetProperty("version").GetInt32());
        Assert.Empty(defender.GetProperty("organisations").EnumerateArray());
        var affiliation = Assert.Single(defender.GetProperty("affiliations").EnumerateArray());
        Assert.Equal(("Defenders Coalition", "2023-05-01", "Left the board"), (affiliation.GetProperty("organisation").GetProperty("name").GetString(),
            affiliation.GetProperty("endedOn").GetString(), affiliation.GetProperty("reason").GetString()));

        // The same clientMutationId again: the first result, nothing written.
        var repeated = (await platform.GraphQL(staff).QueryAsync(End(id, org, ", clientMutationId: \"end-1\""))).GetProperty("endAffiliation").GetProperty("defender");
        Assert.Equal(version + 1, repeated.GetProperty("version").GetInt32());
        var again = await platform.GraphQL(staff).PostAsync(End(id, org));
        Assert.Equal(("VALIDATION", "organisationId"), (again.ErrorCode, again.ErrorField));
        Assert.NotEqual(never.Errors[0].GetProperty("message").GetString(), again.Errors[0].GetProperty("message").GetString());

        // The admin sees the current RESTRICTED affiliation first; the public sees the ended one without its reason.
        var seen = (await platform.Admin().QueryAsync($"{{ defender(id: \"{id}\") {{ affiliations {{ organisation {{ name }} endedOn }} }} }}")).GetProperty("defender");
        Assert.Equal(["Closed Circle", "Defenders Coalition"], seen.GetProperty("affiliations").EnumerateArray().Select(a => a.GetProperty("organisation").GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("affiliations")[0].GetProperty("endedOn").ValueKind);
        var anonymous = Assert.Single((await platform.GraphQL().QueryAsync($"{{ defender(id: \"{id}\") {{ affiliations {{ endedOn reason }} }} }}"))
            .GetProperty("defender").GetProperty("affiliations").EnumerateArray());
        Assert.Equal(("2023-05-01", JsonValueKind.Null), (anonymous.GetProperty("endedOn").GetString(), anonymous.GetProperty("reason").ValueKind));

        // A profile the caller may not find is NOT_FOUND, as an unknown one.
        var restricted = (await RegisterAsync("Restricted Person", "KE", consent: false, confidentiality: "RESTRICTED")).GetProperty("id").GetString()!;
        await MutateAsync("affiliateDefender", $"defenderId: \"{restricted}\", organisationId: \"{org}\"");
        Assert.Equal("NOT_FOUND", (await platform.GraphQL(staff).PostAsync(End(restricted, org))).ErrorCode);
        Assert.Equal("NOT_FOUND", (await platform.GraphQL(staff).PostAsync(End(GlobalId.Encode("Defender", Guid.NewGuid()), org))).ErrorCode);
    }

    [Theory]
    [InlineData("{ name: \"\", countryCode: \"BY\" }", "name")]
    [InlineData("{ name: \"X\", countryCode: \"ZZ\" }", "countryCode")]
    public async Task Invalid_registrations_are_refused_naming_the_field(string input, string field)
    {
        var response = await platform.Admin().PostAsync($"mutation {{ registerDefender(input: {input}) {{ defender {{ id }} }} }}");
        Assert.Equal(("VALIDATION", field), (response.ErrorCode, response.ErrorField));
    }

    [Fact]
    public async Task The_situation_follows_the_cases_events_the_caller_may_see()
    {
        var id = (await RegisterAsync("Situation Person", "TR", consent: true, confidentiality: "PUBLIC")).GetProperty("id").GetString()!;
        var caseId = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Turkey: arrest\", countryCode: \"TR\", confidentiality: PUBLIC }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        var victim = (await platform.Admin().QueryAsync($"mutation {{ addVictim(input: {{ caseId: \"{caseId}\", defenderId: \"{id}\", confidentiality: PUBLIC }}) {{ case {{ victims {{ id }} }} }} }}"))
            .GetProperty("addVictim").GetProperty("case").GetProperty("victims")[0].GetProperty("id").GetString();
        Assert.Equal("UNKNOWN", await SituationAsync(id, anonymous: true));

        await Record(caseId!, victim!, "ARREST", "2014-02-01", "PUBLIC");
        Assert.Equal("DETAINED", await SituationAsync(id, anonymous: true));

        // A release known only to staff: the public still sees the detention.
        await Record(caseId!, victim!, "RELEASE", "2014-03-01", "STAFF");
        Assert.Equal("DETAINED", await SituationAsync(id, anonymous: true));
        Assert.Equal("AT_LIBERTY", await SituationAsync(id, anonymous: false));

        var detained = await platform.GraphQL().QueryAsync("{ defenders(filter: { countries: [\"TR\"], situations: [DETAINED] }) { totalCount } }");
        Assert.Equal(1, detained.GetProperty("defenders").GetProperty("totalCount").GetInt32());
        var free = await platform.Admin().QueryAsync("{ defenders(filter: { countries: [\"TR\"], situations: [AT_LIBERTY] }) { totalCount } }");
        Assert.Equal(1, free.GetProperty("defenders").GetProperty("totalCount").GetInt32());

        var cases = await platform.GraphQL().QueryAsync($"{{ defender(id: \"{id}\") {{ cases {{ id }} }} }}");
        Assert.Equal(caseId, cases.GetProperty("defender").GetProperty("cases")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_situation_staff_record_outside_any_case_counts_latest_by_date_within_clearance()
    {
        var id = (await RegisterAsync("Hiding Person", "SD", consent: true, confidentiality: "PUBLIC")).GetProperty("id").GetString()!;
        var inHiding = await platform.Admin().QueryAsync(
            $"mutation {{ recordDefenderSituation(input: {{ defenderId: \"{id}\", situation: IN_HIDING, date: \"2014-04-02\", confidentiality: RESTRICTED, expectedVersion: 1 }}) {{ defender {{ situation version }} }} }}");
        Assert.Equal("IN_HIDING", inHiding.GetProperty("recordDefenderSituation").GetProperty("defender").GetProperty("situation").GetString());
        Assert.Equal("UNKNOWN", await SituationAsync(id, anonymous: true)); // a place of hiding is RESTRICTED
        var hiding = await platform.Admin().QueryAsync("{ defenders(filter: { countries: [\"SD\"], situations: [IN_HIDING] }) { totalCount } }");
        Assert.Equal(1, hiding.GetProperty("defenders").GetProperty("totalCount").GetInt32());
        var publicHiding = await platform.GraphQL().QueryAsync("{ defenders(filter: { countries: [\"SD\"], situations: [IN_HIDING] }) { totalCount } }");
        Assert.Equal(0, publicHiding.GetProperty("defenders").GetProperty("totalCount").GetInt32());

        // A later arrest recorded on a case wins; an earlier one would not.
        var caseId = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Sudan: arrest\", countryCode: \"SD\", confidentiality: PUBLIC }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        var victim = (await platform.Admin().QueryAsync($"mutation {{ addVictim(input: {{ caseId: \"{caseId}\", defenderId: \"{id}\", confidentiality: PUBLIC }}) {{ case {{ victims {{ id }} }} }} }}"))
            .GetProperty("addVictim").GetProperty("case").GetProperty("victims")[0].GetProperty("id").GetString();
        await Record(caseId!, victim!, "ARREST", "2014-03-01", "PUBLIC");
        Assert.Equal("IN_HIDING", await SituationAsync(id, anonymous: false));
        Assert.Equal("DETAINED", await SituationAsync(id, anonymous: true));
        await Record(caseId!, victim!, "ARREST", "2014-05-01", "PUBLIC");
        Assert.Equal("DETAINED", await SituationAsync(id, anonymous: false));

        foreach (var (input, field) in new[] { ("situation: UNKNOWN, date: \"2014\"", "situation"), ("situation: AT_LIBERTY, date: \"2999-01\"", "date"), ("situation: AT_LIBERTY, date: \"spring\"", "date") })
        {
            var refused = await platform.Admin().PostAsync($"mutation {{ recordDefenderSituation(input: {{ defenderId: \"{id}\", {input} }}) {{ defender {{ id }} }} }}");
            Assert.Equal(("VALIDATION", field), (refused.ErrorCode, refused.ErrorField));
        }
    }

    [Fact]
    public async Task A_name_without_consent_is_never_public_on_any_path()
    {
        var withPseudonym = (await RegisterAsync("Hidden Name One", "GT", consent: false, confidentiality: "PUBLIC", extra: ", pseudonym: \"Guatemala defender\"")).GetProperty("id").GetString()!;
        var without = (await RegisterAsync("Hidden Name Two", "GT", consent: false, confidentiality: "PUBLIC")).GetProperty("id").GetString()!;
        var caseId = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Guatemala: threats\", countryCode: \"GT\", confidentiality: PUBLIC }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        foreach (var d in new[] { withPseudonym, without })
        {
            await platform.Admin().QueryAsync($"mutation {{ addVictim(input: {{ caseId: \"{caseId}\", defenderId: \"{d}\", confidentiality: PUBLIC }}) {{ case {{ id }} }} }}");
        }

        var response = await platform.GraphQL().PostAsync(
            $"{{ defenders(filter: {{ countries: [\"GT\"] }}) {{ totalCount nodes {{ name pseudonym }} }} one: defender(id: \"{withPseudonym}\") {{ name pseudonym }} " +
            $"two: defender(id: \"{without}\") {{ id }} node(id: \"{without}\") {{ id }} shown: node(id: \"{withPseudonym}\") {{ ... on Defender {{ name pseudonym }} }} " +
            $"byName: defenders(filter: {{ text: \"Hidden Name\" }}) {{ totalCount }} case(id: \"{caseId}\") {{ victims {{ defender {{ name pseudonym }} }} }} }}");
        // The one shown to nobody public is NOT_FOUND by id, and the only error.
        Assert.Equal(["two:NOT_FOUND"], response.ByPath());
        var anonymous = response.Data;
        var list = anonymous.GetProperty("defenders");
        Assert.Equal(1, list.GetProperty("totalCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("nodes")[0].GetProperty("name").ValueKind);
        Assert.Equal("Guatemala defender", anonymous.GetProperty("one").GetProperty("pseudonym").GetString());
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("one").GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("two").ValueKind);
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("node").ValueKind);
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("shown").GetProperty("name").ValueKind);
        Assert.Equal(0, anonymous.GetProperty("byName").GetProperty("totalCount").GetInt32());
        var victims = anonymous.GetProperty("case").GetProperty("victims").EnumerateArray().Select(v => v.GetProperty("defender")).ToList();
        Assert.Equal(1, victims.Count(v => v.ValueKind == JsonValueKind.Object));
        Assert.All(victims.Where(v => v.ValueKind == JsonValueKind.Object), v => Assert.Equal(JsonValueKind.Null, v.GetProperty("name").ValueKind));
        Assert.DoesNotContain("Hidden Name", anonymous.ToString(), StringComparison.Ordinal);

        var network = await CreateKeyAsync("NETWORK_MEMBER", "NETWORK");
        var member = await platform.GraphQL(network).QueryAsync("{ defenders(filter: { text: \"Hidden Name\" }) { totalCount nodes { name contact riskLevel } } }");
        Assert.Equal(2, member.GetProperty("defenders").GetProperty("totalCount").GetInt32());
        Assert.All(member.GetProperty("defenders").GetProperty("nodes").EnumerateArray(), n =>
        {
            Assert.StartsWith("Hidden Name", n.GetProperty("name").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Null, n.GetProperty("contact").ValueKind);
            Assert.Equal(JsonValueKind.Null, n.GetProperty("riskLevel").ValueKind);
        });
        var riskFilter = await platform.GraphQL(network).PostAsync("{ defenders(filter: { riskLevels: [HIGH] }) { totalCount } }");
        Assert.Equal(("VALIDATION", "filter.riskLevels"), (riskFilter.ErrorCode, riskFilter.ErrorField));
    }

    [Fact]
    public async Task Restricted_details_are_null_below_restricted_and_each_read_is_audited()
    {
        var id = (await RegisterAsync("Details Person", "NP", consent: true, confidentiality: "PUBLIC", extra: ", contact: \"secret phone\", location: \"safe house\"")).GetProperty("id").GetString()!;
        var staff = await CreateKeyAsync("STAFF", "STAFF");
        var seen = await platform.GraphQL(staff).QueryAsync($"{{ defender(id: \"{id}\") {{ name contact location }} }}");
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("defender").GetProperty("contact").ValueKind);
        Assert.DoesNotContain("secret", seen.ToString(), StringComparison.Ordinal);

        // The registration's payload was read by the admin (4 details), then this read (2); the staff key's read recorded nothing.
        await platform.Admin().QueryAsync($"{{ defender(id: \"{id}\") {{ contact location }} }}");
        await platform.RestrictedReadsWrittenAsync();
        var reads = (await platform.Admin().QueryAsync($"{{ auditTrail(entityId: \"{id}\") {{ kind action by }} }}")).GetProperty("auditTrail").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "RESTRICTED_READ").ToList();
        Assert.Equal(6, reads.Count);
        Assert.All(reads, r => Assert.Equal("apikey:bootstrap", r.GetProperty("by").GetString()));
        Assert.Equal(2, reads.Count(r => r.GetProperty("action").GetString() == "Defender.contact"));
    }

    [Fact]
    public async Task Merging_redirects_the_duplicate_and_its_cases_follow()
    {
        var target = (await RegisterAsync("Merge Target", "KE", consent: true, confidentiality: "PUBLIC")).GetProperty("id").GetString()!;
        var source = (await RegisterAsync("Merge Source", "KE", consent: true, confidentiality: "PUBLIC")).GetProperty("id").GetString()!;
        var caseId = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Kenya: duplicate\", countryCode: \"KE\", confidentiality: PUBLIC }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        var victim = (await platform.Admin().QueryAsync($"mutation {{ addVictim(input: {{ caseId: \"{caseId}\", defenderId: \"{source}\", confidentiality: PUBLIC }}) {{ case {{ victims {{ id }} }} }} }}"))
            .GetProperty("addVictim").GetProperty("case").GetProperty("victims")[0].GetProperty("id").GetString();
        await Record(caseId!, victim!, "DETENTION", "2015-05-05", "PUBLIC");

        var merged = (await platform.Admin().QueryAsync($"mutation {{ mergeDefenders(input: {{ sourceId: \"{source}\", targetId: \"{target}\" }}) {{ defender {{ id situation cases {{ id }} }} }} }}"))
            .GetProperty("mergeDefenders").GetProperty("defender");
        Assert.Equal(target, merged.GetProperty("id").GetString());
        Assert.Equal("DETAINED", merged.GetProperty("situation").GetString());
        Assert.Equal([caseId], merged.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("id").GetString()));

        var viaSource = await platform.GraphQL().QueryAsync($"{{ defender(id: \"{source}\") {{ id }} case(id: \"{caseId}\") {{ victims {{ defender {{ id }} }} }} defenders(filter: {{ countries: [\"KE\"] }}) {{ totalCount }} " +
            $"byTarget: cases(filter: {{ victimId: \"{target}\" }}) {{ totalCount }} }}");
        Assert.Equal(1, viaSource.GetProperty("byTarget").GetProperty("totalCount").GetInt32());
        Assert.Equal(target, viaSource.GetProperty("defender").GetProperty("id").GetString());
        Assert.Equal(target, viaSource.GetProperty("case").GetProperty("victims")[0].GetProperty("defender").GetProperty("id").GetString());
        Assert.Equal(1, viaSource.GetProperty("defenders").GetProperty("totalCount").GetInt32());

        var twice = await platform.Admin().PostAsync($"mutation {{ mergeDefenders(input: {{ sourceId: \"{source}\", targetId: \"{target}\" }}) {{ defender {{ id }} }} }}");
        Assert.Equal("VALIDATION", twice.ErrorCode);
    }

    [Fact]
    public async Task After_erasure_no_path_and_no_rebuild_shows_the_personal_data()
    {
        var id = (await RegisterAsync("Erasable Person", "EG", consent: true, confidentiality: "PUBLIC", extra: ", contact: \"erasable phone\", location: \"erasable place\"")).GetProperty("id").GetString()!;
        await MutateAsync("updateDefender", $"defenderId: \"{id}\", name: \"Erasable Person Renamed\"");

        var staff = await CreateKeyAsync("STAFF", "RESTRICTED");
        var refused = await platform.GraphQL(staff).PostAsync($"mutation {{ eraseDefenderPersonalData(input: {{ defenderId: \"{id}\" }}) {{ defender {{ id }} }} }}");
        Assert.Equal("FORBIDDEN", refused.ErrorCode);

        var erased = (await platform.Admin().QueryAsync($"mutation {{ eraseDefenderPersonalData(input: {{ defenderId: \"{id}\" }}) {{ defender {{ {Fields} }} }} }}"))
            .GetProperty("eraseDefenderPersonalData").GetProperty("defender");
        Assert.True(erased.GetProperty("erased").GetBoolean());
        await AssertNothingPersonalAsync(id);

        // Rebuild the read model from the events, one stream and then the whole projection: the events hold only ciphertext.
        GlobalId.TryDecode(id, "Defender", out var guid);
        var store = platform.Services.GetRequiredService<IDocumentStore>();
        await store.Advanced.RebuildSingleStreamAsync<Omct.Platform.Defenders.Profiles.Defender>(guid);
        await AssertNothingPersonalAsync(id);
        using (var daemon = await store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync<Omct.Platform.Defenders.Profiles.DefenderProjection>(CancellationToken.None);
        }

        await AssertNothingPersonalAsync(id);
        Assert.Equal(0, await CountInDatabaseAsync("erasable"));
    }

    [Fact]
    public async Task Nested_relations_take_one_query_per_page_not_one_per_row()
    {
        await SeedCasesWithDefendersAsync("UG", 3);
        await SeedCasesWithDefendersAsync("TZ", 12);
        const string query = "query($c: [CountryCode!]) { cases(filter: { countries: $c }, first: 20) { nodes { reference victims { name defender { name situation organisations { name } cases { reference } } } } } }";

        await platform.Admin().QueryAsync(query, new { c = new[] { "UG" } }); // first use of each document type in the process checks its table
        var (fewResponse, few) = await RequestCommands.RunAsync(platform, PlatformFactory.AdminKey, query, new { c = new[] { "UG" } });
        var (manyResponse, many) = await RequestCommands.RunAsync(platform, PlatformFactory.AdminKey, query, new { c = new[] { "TZ" } });
        Assert.False(fewResponse.HasErrors || manyResponse.HasErrors, $"{fewResponse}\n{manyResponse}");
        Assert.Equal([3, 12], new[] { fewResponse, manyResponse }.Select(r => r.Data.GetProperty("cases").GetProperty("nodes").GetArrayLength()));
        Assert.True(few.Count == many.Count, $"3 rows: {string.Join("\n", few)}\n---\n12 rows: {string.Join("\n", many)}");
        // The page, then one query per relation: victims' defenders, their situations, organisations and cases.
        Assert.Equal(5, many.Count);
    }

    private async Task SeedCasesWithDefendersAsync(string country, int count)
    {
        var org = await RegisterOrganisationAsync($"Loader NGO {country}", country);
        for (var i = 0; i < count; i++)
        {
            // Nothing RESTRICTED is selected: seeding leaves no audit record to be written while the test measures.
            var d = (await platform.Admin().QueryAsync(
                    $"mutation {{ registerDefender(input: {{ name: \"Loader {country} {i}\", countryCode: \"{country}\", consentToPublishName: true, confidentiality: PUBLIC, organisationIds: [\"{org}\"] }}) {{ defender {{ id }} }} }}"))
                .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString();
            var c = (await platform.Admin().QueryAsync($"mutation {{ openCase(input: {{ title: \"Loader {i}\", countryCode: \"{country}\", confidentiality: PUBLIC }}) {{ case {{ id }} }} }}"))
                .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
            var v = (await platform.Admin().QueryAsync($"mutation {{ addVictim(input: {{ caseId: \"{c}\", defenderId: \"{d}\", confidentiality: PUBLIC }}) {{ case {{ victims {{ id }} }} }} }}"))
                .GetProperty("addVictim").GetProperty("case").GetProperty("victims")[0].GetProperty("id").GetString();
            await Record(c!, v!, "ARREST", "2016-01-01", "PUBLIC");
        }
    }

    [Fact]
    public async Task A_profile_above_the_callers_clearance_is_absent_on_every_path()
    {
        var member = await CreateKeyAsync("NETWORK_MEMBER", "NETWORK");
        var memberCount = await DefenderCountAsync(platform.GraphQL(member));
        var adminCount = await DefenderCountAsync(platform.Admin());
        var org = await RegisterOrganisationAsync("Libyan Lawyers Network", "LY");
        var hidden = (await RegisterAsync("Staff Level Person", "LY", consent: true, confidentiality: "STAFF",
            extra: $", pseudonym: \"LY staff-level\", organisationIds: [\"{org}\"]")).GetProperty("id").GetString()!;
        var caseId = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Libya: detention of a lawyer\", countryCode: \"LY\", confidentiality: PUBLIC }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        await platform.Admin().QueryAsync($"mutation {{ addVictim(input: {{ caseId: \"{caseId}\", defenderId: \"{hidden}\", confidentiality: PUBLIC }}) {{ case {{ id }} }} }}");

        var query = $"{{ list: defenders(filter: {{ countries: [\"LY\"] }}) {{ totalCount nodes {{ id }} }} byName: defenders(filter: {{ text: \"Staff Level\" }}) {{ totalCount }} " +
                    $"byPseudonym: defenders(filter: {{ text: \"LY staff-level\" }}) {{ totalCount }} byOrganisation: defenders(filter: {{ organisationIds: [\"{org}\"] }}) {{ totalCount }} " +
                    $"byId: defender(id: \"{hidden}\") {{ id }} node(id: \"{hidden}\") {{ id }} defenderCount case(id: \"{caseId}\") {{ victims {{ name defenderId defender {{ id }} }} }} }}";
        var asMember = await platform.GraphQL(member).PostAsync(query);
        Assert.Equal(["byId:NOT_FOUND"], asMember.ByPath());
        var seen = asMember.Data;
        Assert.Equal((0, 0), (seen.GetProperty("list").GetProperty("totalCount").GetInt32(), seen.GetProperty("list").GetProperty("nodes").GetArrayLength()));
        Assert.Equal([0, 0, 0], new[] { "byName", "byPseudonym", "byOrganisation" }.Select(f => seen.GetProperty(f).GetProperty("totalCount").GetInt32()));
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("byId").ValueKind);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("node").ValueKind);
        Assert.Equal(memberCount, seen.GetProperty("defenderCount").GetInt32());
        var victim = Assert.Single(seen.GetProperty("case").GetProperty("victims").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, victim.GetProperty("defender").ValueKind);
        Assert.Equal(JsonValueKind.Null, victim.GetProperty("defenderId").ValueKind);
        Assert.DoesNotContain(hidden, asMember.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Staff Level", asMember.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("staff-level", asMember.Raw, StringComparison.Ordinal);

        // The same paths at STAFF clearance find it: what the member missed exists.
        var staff = await platform.GraphQL(await CreateKeyAsync("STAFF", "STAFF")).QueryAsync(query);
        Assert.Equal([1, 1, 1, 1], new[] { "list", "byName", "byPseudonym", "byOrganisation" }.Select(f => staff.GetProperty(f).GetProperty("totalCount").GetInt32()));
        Assert.Equal(hidden, staff.GetProperty("byId").GetProperty("id").GetString());
        Assert.Equal(hidden, staff.GetProperty("node").GetProperty("id").GetString());
        Assert.Equal(hidden, staff.GetProperty("case").GetProperty("victims")[0].GetProperty("defender").GetProperty("id").GetString());
        Assert.Equal(hidden, staff.GetProperty("case").GetProperty("victims")[0].GetProperty("defenderId").GetString());
        Assert.Equal(adminCount + 1, await DefenderCountAsync(platform.Admin()));
    }

    [Fact]
    public async Task By_id_an_unknown_a_hidden_and_a_malformed_id_are_the_same_NOT_FOUND()
    {
        var hidden = (await RegisterAsync("Not For The Public", "TN", consent: true, confidentiality: "NETWORK")).GetProperty("id").GetString()!;
        var organisation = await RegisterOrganisationAsync("Tunisian League", "TN");
        var response = await platform.GraphQL().PostAsync(
            $"{{ hidden: defender(id: \"{hidden}\") {{ id }} unknown: defender(id: \"{GlobalId.Encode("Defender", Guid.NewGuid())}\") {{ id }} " +
            $"malformed: defender(id: \"not-an-id\") {{ id }} otherType: defender(id: \"{organisation}\") {{ id }} node(id: \"{hidden}\") {{ id }} }}");
        Assert.Equal(["hidden:NOT_FOUND", "malformed:NOT_FOUND", "otherType:NOT_FOUND", "unknown:NOT_FOUND"], response.ByPath());
        Assert.Single(response.Messages().Distinct());
        Assert.All(new[] { "hidden", "unknown", "malformed", "otherType", "node" }, f => Assert.Equal(JsonValueKind.Null, response.Data.GetProperty(f).ValueKind));
    }

    [Fact]
    public async Task Filters_by_organisation_and_gender_return_exactly_the_matching_profiles()
    {
        var first = await RegisterOrganisationAsync("Armenian Helsinki Committee", "AM");
        var second = await RegisterOrganisationAsync("Armenian Women's Resource Centre", "AM");
        var hiddenOrganisation = await RegisterOrganisationAsync("Armenian Confidential Shelter", "AM", confidentiality: "STAFF");
        await RegisterAsync("Filter Anahit", "AM", consent: true, confidentiality: "PUBLIC", extra: $", gender: FEMALE, organisationIds: [\"{first}\"]");
        await RegisterAsync("Filter Aram", "AM", consent: true, confidentiality: "PUBLIC", extra: $", gender: MALE, organisationIds: [\"{first}\"]");
        await RegisterAsync("Filter Lusine", "AM", consent: true, confidentiality: "PUBLIC", extra: $", gender: FEMALE, organisationIds: [\"{second}\"]");
        await RegisterAsync("Filter Ani", "AM", consent: true, confidentiality: "PUBLIC", extra: ", gender: NON_BINARY");
        await RegisterAsync("Filter Davit", "AM", consent: true, confidentiality: "PUBLIC", extra: $", gender: MALE, organisationIds: [\"{hiddenOrganisation}\"]");

        async Task<List<string>> NamesAsync(GraphQLClient client, string filter) =>
            (await client.QueryAsync($"{{ defenders(filter: {{ {filter} }}, first: 100) {{ nodes {{ name }} }} }}"))
            .GetProperty("defenders").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["Filter Anahit", "Filter Aram"], await NamesAsync(platform.Admin(), $"organisationIds: [\"{first}\"]"));
        Assert.Equal(["Filter Anahit", "Filter Lusine"], await NamesAsync(platform.Admin(), $"organisationIds: [\"{first}\", \"{second}\"], genders: [FEMALE]"));
        Assert.Equal(["Filter Ani"], await NamesAsync(platform.Admin(), "countries: [\"AM\"], genders: [NON_BINARY]"));
        Assert.Equal(["Filter Anahit", "Filter Aram", "Filter Davit", "Filter Lusine"], await NamesAsync(platform.Admin(), "countries: [\"AM\"], genders: [MALE, FEMALE]"));
        Assert.Equal(["Filter Davit"], await NamesAsync(platform.Admin(), $"organisationIds: [\"{hiddenOrganisation}\"]"));
        // An organisation the caller may not see matches nothing (the filter must not tell who belongs to it).
        var anonymous = platform.GraphQL();
        Assert.Empty(await NamesAsync(anonymous, $"organisationIds: [\"{hiddenOrganisation}\"]"));
        Assert.Equal(["Filter Aram"], await NamesAsync(anonymous, $"organisationIds: [\"{hiddenOrganisation}\", \"{first}\"], genders: [MALE]"));

        var malformed = await platform.Admin().PostAsync("{ defenders(filter: { organisationIds: [\"nope\"] }) { totalCount } }");
        Assert.Equal(("VALIDATION", "filter.organisationIds[0]"), (malformed.ErrorCode, malformed.ErrorField));
    }

    [Fact]
    public async Task Organisations_are_filtered_and_those_above_the_callers_clearance_are_absent()
    {
        await RegisterOrganisationAsync("Bolivian Members Network", "BO");
        await RegisterOrganisationAsync("Bolivian Observatory", "BO", member: false);
        var hidden = await RegisterOrganisationAsync("Bolivian Staff-Only Contacts", "BO", confidentiality: "STAFF");
        await RegisterOrganisationAsync("Peruvian Members Network", "PE");

        async Task<List<string>> NamesAsync(GraphQLClient client, string filter)
        {
            var page = (await client.QueryAsync($"{{ organisations(filter: {{ {filter} }}, first: 100) {{ totalCount nodes {{ name }} }} }}")).GetProperty("organisations");
            var names = page.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(names.Count, page.GetProperty("totalCount").GetInt32());
            return names;
        }

        Assert.Equal(["Bolivian Members Network", "Bolivian Observatory", "Bolivian Staff-Only Contacts"], await NamesAsync(platform.Admin(), "countries: [\"BO\"]"));
        Assert.Equal(["Bolivian Members Network", "Bolivian Staff-Only Contacts"], await NamesAsync(platform.Admin(), "countries: [\"BO\"], networkMember: true"));
        Assert.Equal(["Bolivian Observatory"], await NamesAsync(platform.Admin(), "countries: [\"BO\"], networkMember: false"));
        Assert.Equal(["Bolivian Members Network", "Peruvian Members Network"], await NamesAsync(platform.Admin(), "countries: [\"BO\", \"PE\"], text: \"members network\""));

        var member = platform.GraphQL(await CreateKeyAsync("NETWORK_MEMBER", "NETWORK"));
        Assert.Equal(["Bolivian Members Network", "Bolivian Observatory"], await NamesAsync(member, "countries: [\"BO\"]"));
        Assert.Empty(await NamesAsync(member, "text: \"Staff-Only\""));
        Assert.Equal(["Bolivian Members Network", "Bolivian Observatory"], await NamesAsync(platform.GraphQL(), "countries: [\"BO\"]"));
        var node = await member.QueryAsync($"{{ node(id: \"{hidden}\") {{ id }} }}");
        Assert.Equal(JsonValueKind.Null, node.GetProperty("node").ValueKind);
    }

    [Fact]
    public async Task Consent_says_what_when_and_by_whom_from_staff_clearance()
    {
        var id = (await RegisterAsync("Consent Person", "SV", consent: false, confidentiality: "PUBLIC", extra: ", pseudonym: \"SV defender\"")).GetProperty("id").GetString()!;
        const string fields = "consentToPublishName consentGivenOn consent { toPublishName toPublishPortrait givenOn recordedBy }";
        var staff = platform.GraphQL(await CreateKeyAsync("STAFF", "STAFF"));
        var before = (await staff.QueryAsync($"{{ defender(id: \"{id}\") {{ {fields} }} }}")).GetProperty("defender").GetProperty("consent");
        Assert.Equal((false, false, JsonValueKind.Null, JsonValueKind.Null), (before.GetProperty("toPublishName").GetBoolean(), before.GetProperty("toPublishPortrait").GetBoolean(),
            before.GetProperty("givenOn").ValueKind, before.GetProperty("recordedBy").ValueKind));

        await MutateAsync("recordConsent", $"defenderId: \"{id}\", toPublishName: true, toPublishPortrait: false, givenOn: \"2013-05-02\"");
        var seen = (await staff.QueryAsync($"{{ defender(id: \"{id}\") {{ {fields} }} }}")).GetProperty("defender");
        var consent = seen.GetProperty("consent");
        Assert.Equal((true, false, "2013-05-02", "apikey:bootstrap"), (consent.GetProperty("toPublishName").GetBoolean(), consent.GetProperty("toPublishPortrait").GetBoolean(),
            consent.GetProperty("givenOn").GetString(), consent.GetProperty("recordedBy").GetString()));
        Assert.Equal("2013-05-02", seen.GetProperty("consentGivenOn").GetString());

        // Below STAFF: that consent exists, not when or by whom.
        foreach (var client in new[] { platform.GraphQL(await CreateKeyAsync("NETWORK_MEMBER", "NETWORK")), platform.GraphQL() })
        {
            var below = (await client.QueryAsync($"{{ defender(id: \"{id}\") {{ {fields} }} }}")).GetProperty("defender");
            Assert.True(below.GetProperty("consentToPublishName").GetBoolean());
            Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (below.GetProperty("consent").ValueKind, below.GetProperty("consentGivenOn").ValueKind));
        }
    }

    [Fact]
    public async Task Erasure_with_a_stale_expectedVersion_is_a_conflict_and_erases_nothing()
    {
        var d = await RegisterAsync("Versioned Erasure", "ZM", consent: true, confidentiality: "PUBLIC", extra: ", contact: \"versioned phone\"");
        var id = d.GetProperty("id").GetString()!;
        Assert.Equal(2, d.GetProperty("version").GetInt32());

        var stale = await platform.Admin().PostAsync($"mutation {{ eraseDefenderPersonalData(input: {{ defenderId: \"{id}\", expectedVersion: 1 }}) {{ defender {{ id }} }} }}");
        Assert.Equal("CONFLICT", stale.ErrorCode);
        // Nothing erased, and the person's key is still there: a new name can still be encrypted and read.
        var renamed = await MutateAsync("updateDefender", $"defenderId: \"{id}\", name: \"Versioned Erasure Renamed\", expectedVersion: 2");
        Assert.Equal(("Versioned Erasure Renamed", "versioned phone", false, 3),
            (renamed.GetProperty("name").GetString(), renamed.GetProperty("contact").GetString(), renamed.GetProperty("erased").GetBoolean(), renamed.GetProperty("version").GetInt32()));

        var erased = (await platform.Admin().QueryAsync($"mutation {{ eraseDefenderPersonalData(input: {{ defenderId: \"{id}\", expectedVersion: 3 }}) {{ defender {{ {Fields} }} }} }}"))
            .GetProperty("eraseDefenderPersonalData").GetProperty("defender");
        Assert.Equal((true, JsonValueKind.Null, JsonValueKind.Null), (erased.GetProperty("erased").GetBoolean(), erased.GetProperty("name").ValueKind, erased.GetProperty("contact").ValueKind));
        var afterwards = await platform.Admin().PostAsync($"mutation {{ updateDefender(input: {{ defenderId: \"{id}\", name: \"Back again\" }}) {{ defender {{ id }} }} }}");
        Assert.Equal(("VALIDATION", "name"), (afterwards.ErrorCode, afterwards.ErrorField));
    }

    [Fact]
    public async Task Merging_takes_the_targets_expectedVersion_and_a_stale_one_writes_nothing()
    {
        var target = (await RegisterAsync("Merge Version Target", "UG", consent: true, confidentiality: "PUBLIC")).GetProperty("id").GetString()!;
        var source = (await RegisterAsync("Merge Version Source", "UG", consent: true, confidentiality: "PUBLIC")).GetProperty("id").GetString()!;
        await MutateAsync("updateDefender", $"defenderId: \"{target}\", pseudonym: \"MVT\"");

        var stale = await platform.Admin().PostAsync($"mutation {{ mergeDefenders(input: {{ sourceId: \"{source}\", targetId: \"{target}\", expectedVersion: 1 }}) {{ defender {{ id }} }} }}");
        Assert.Equal("CONFLICT", stale.ErrorCode);
        var untouched = await platform.Admin().QueryAsync($"{{ defender(id: \"{source}\") {{ id version }} }}");
        Assert.Equal((source, 1), (untouched.GetProperty("defender").GetProperty("id").GetString(), untouched.GetProperty("defender").GetProperty("version").GetInt32()));

        var merged = (await platform.Admin().QueryAsync($"mutation {{ mergeDefenders(input: {{ sourceId: \"{source}\", targetId: \"{target}\", expectedVersion: 2 }}) {{ defender {{ id version }} }} }}"))
            .GetProperty("mergeDefenders").GetProperty("defender");
        Assert.Equal((target, 3), (merged.GetProperty("id").GetString(), merged.GetProperty("version").GetInt32()));

        // A target the caller may not see is NOT_FOUND, whatever version it is given.
        var hiddenTarget = (await RegisterAsync("Merge Hidden Target", "UG", consent: true, confidentiality: "STAFF")).GetProperty("id").GetString()!;
        var other = (await RegisterAsync("Merge Other Source", "UG", consent: true, confidentiality: "PUBLIC")).GetProperty("id").GetString()!;
        var networkStaff = platform.GraphQL(await CreateKeyAsync("STAFF", "NETWORK"));
        var hidden = await networkStaff.PostAsync($"mutation {{ mergeDefenders(input: {{ sourceId: \"{other}\", targetId: \"{hiddenTarget}\", expectedVersion: 7 }}) {{ defender {{ id }} }} }}");
        Assert.Equal("NOT_FOUND", hidden.ErrorCode);
    }

    private static async Task<int> DefenderCountAsync(GraphQLClient client) =>
        (await client.QueryAsync("{ defenderCount }")).GetProperty("defenderCount").GetInt32();

    private async Task AssertNothingPersonalAsync(string id)
    {
        var read = (await platform.Admin().QueryAsync($"{{ defender(id: \"{id}\") {{ {Fields} }} byName: defenders(filter: {{ text: \"Erasable\" }}) {{ totalCount }} }}"));
        var d = read.GetProperty("defender");
        foreach (var field in new[] { "name", "contact", "location" })
        {
            Assert.Equal(JsonValueKind.Null, d.GetProperty(field).ValueKind);
        }

        Assert.Equal(0, read.GetProperty("byName").GetProperty("totalCount").GetInt32());
        Assert.DoesNotContain("rasable", read.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Rows of the whole database (events and documents) whose text contains <paramref name="text"/>.</summary>
    private async Task<long> CountInDatabaseAsync(string text)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select (select count(*) from omct.mt_events e where e.data::text ilike $1) + (select count(*) from omct.mt_doc_defenders_defender d where d.data::text ilike $1)",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = $"%{text}%" });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<JsonElement> RegisterAsync(string name, string country, bool consent, string confidentiality, string extra = "")
    {
        var data = await platform.Admin().QueryAsync(
            $"mutation {{ registerDefender(input: {{ name: \"{name}\", countryCode: \"{country}\", consentToPublishName: {(consent ? "true" : "false")}, confidentiality: {confidentiality}{extra} }}) {{ defender {{ {Fields} }} }} }}");
        return data.GetProperty("registerDefender").GetProperty("defender");
    }

    private async Task<string> RegisterOrganisationAsync(string name, string country, bool member = true, string confidentiality = "PUBLIC")
    {
        var membership = member ? "networkMember: true, memberSince: \"2004-01-01\"" : "networkMember: false";
        var data = await platform.Admin().QueryAsync(
            $"mutation {{ registerOrganisation(input: {{ name: \"{name}\", countryCode: \"{country}\", {membership}, confidentiality: {confidentiality} }}) {{ organisation {{ id }} }} }}");
        return data.GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> MutateAsync(string mutation, string input) =>
        (await platform.Admin().QueryAsync($"mutation {{ {mutation}(input: {{ {input} }}) {{ defender {{ {Fields} }} }} }}")).GetProperty(mutation).GetProperty("defender");

    private Task<JsonElement> Record(string caseId, string victimId, string type, string date, string confidentiality) =>
        platform.Admin().QueryAsync($"mutation {{ recordCaseEvent(input: {{ caseId: \"{caseId}\", type: {type}, date: \"{date}\", victimIds: [\"{victimId}\"], confidentiality: {confidentiality} }}) {{ case {{ id }} }} }}");

    private async Task<string> SituationAsync(string id, bool anonymous)
    {
        var client = anonymous ? platform.GraphQL() : platform.Admin();
        return (await client.QueryAsync($"{{ defender(id: \"{id}\") {{ situation }} }}")).GetProperty("defender").GetProperty("situation").GetString()!;
    }

    private async Task<string> CreateKeyAsync(string role, string clearance)
    {
        var data = await platform.Admin().QueryAsync($"mutation {{ createApiKey(input: {{ name: \"test\", role: {role}, clearance: {clearance} }}) {{ key }} }}");
        return data.GetProperty("createApiKey").GetProperty("key").GetString()!;
    }
}
