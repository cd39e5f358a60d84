using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Privacy;

/// <summary>
/// A defender's confidential details are at rest only encrypted (under the person's key, itself wrapped by a master key
/// that is not in the database): a dump of the database and the host's log hold none of them, while a RESTRICTED
/// caller still reads them. A host without a master key does not start.
/// </summary>
public sealed class PrivacyAtRestTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omct-privacy-").FullName;
    private TestDatabase? _database;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database!.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Confidential_details_written_through_GraphQL_are_in_neither_a_pg_dump_nor_the_hosts_log()
    {
        // The master key from a key file this time (mode 600), as build/run.sh and docker-compose.yml give it.
        var keyFile = Path.Combine(_dir, "master-key");
        await File.WriteAllTextAsync(keyFile, "# the current key first\n" + PlatformFactory.MasterKey + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        await using var host = await HostProcess.StartAsync(_database!.ConnectionString, new Dictionary<string, string>
        {
            ["Omct__Privacy__MasterKey"] = "", ["Omct__Privacy__MasterKeyFile"] = keyFile,
        });
        var marker = Guid.NewGuid().ToString("N")[..12];
        var secrets = new Dictionary<string, string>
        {
            ["contact"] = $"contact-{marker} +375 29 555 01 01, signal only",
            ["location"] = $"location-{marker} a flat on Kalvaryjskaja street",
            ["family"] = $"family-{marker} two daughters at school in Hrodna",
            ["riskNotes"] = $"risk-{marker} followed since the March raid",
        };

        var admin = host.Admin();
        // The contact and location in the document's text at registration, all four in variables afterwards.
        var id = (await admin.QueryAsync(
                $"mutation {{ registerDefender(input: {{ name: \"Dump Test Person\", countryCode: \"BY\", confidentiality: STAFF, contact: \"{secrets["contact"]}\", " +
                $"location: \"{secrets["location"]}\", clientMutationId: \"dump-register\" }}) {{ defender {{ id }} }} }}"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        await admin.QueryAsync(
            "mutation($id: ID!, $contact: String, $location: String, $family: String, $riskNotes: String) { setConfidentialDetails(input: { defenderId: $id, " +
            "contact: $contact, location: $location, family: $family, riskNotes: $riskNotes, clientMutationId: \"dump-details\" }) { defender { id contact riskNotes } } }",
            new { id, contact = secrets["contact"], location = secrets["location"], family = secrets["family"], riskNotes = secrets["riskNotes"] });
        // A write refused for its length: the refusal must not echo the value either.
        var refused = await admin.PostAsync("mutation($id: ID!, $family: String) { setConfidentialDetails(input: { defenderId: $id, family: $family }) { defender { id } } }",
            new { id, family = $"family-{marker} " + new string('x', 6_000) });
        Assert.Equal("VALIDATION", refused.ErrorCode);
        Assert.DoesNotContain(marker, refused.Raw, StringComparison.Ordinal);

        const string Details = "query($id: ID!) { defender(id: $id) { name contact location family riskNotes } }";
        var restricted = (await host.GraphQL(await admin.CreateApiKeyAsync("STAFF", "RESTRICTED")).QueryAsync(Details, new { id })).GetProperty("defender");
        foreach (var (field, value) in secrets)
        {
            Assert.Equal(value, restricted.GetProperty(field).GetString());
        }

        var staff = (await host.GraphQL(await admin.CreateApiKeyAsync("STAFF", "STAFF")).QueryAsync(Details, new { id })).GetProperty("defender");
        Assert.Equal("Dump Test Person", staff.GetProperty("name").GetString());
        Assert.All(secrets.Keys, field => Assert.Equal(JsonValueKind.Null, staff.GetProperty(field).ValueKind));

        var dump = await PgDump.TextAsync(_database.ConnectionString);
        Assert.Contains("Dump Test Person", dump, StringComparison.Ordinal); // the dump is the right one (names are not covered)
        Assert.Contains("\"encryptedContact\": \"pd1:", dump, StringComparison.Ordinal); // the read model holds the ciphertext
        var keys = PgDump.Rows(dump, "mt_doc_privacy_personal_data_key");
        Assert.Contains("\"masterKeyId\": \"mk-", keys, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\": \"", keys, StringComparison.Ordinal); // no data key in clear
        Assert.DoesNotContain(PlatformFactory.MasterKey, dump, StringComparison.Ordinal);
        foreach (var value in secrets.Values.Append(marker))
        {
            Assert.DoesNotContain(value, dump, StringComparison.Ordinal);
        }

        var log = host.Output;
        Assert.Contains("/graphql", log, StringComparison.Ordinal); // the requests were logged
        Assert.DoesNotContain(marker, log, StringComparison.Ordinal);
        Assert.DoesNotContain(PlatformFactory.MasterKey, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_profile_whose_read_model_holds_the_details_in_clear_is_rebuilt_encrypted_at_start_up()
    {
        string id;
        await using (var before = new KeyedNode(_database!.ConnectionString, PlatformFactory.MasterKey))
        {
            await before.InitializeAsync();
            id = (await before.Admin().QueryAsync("mutation { registerDefender(input: { name: \"Old Shape\", countryCode: \"BY\", contact: \"old shape contact\" }) { defender { id } } }"))
                .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        }

        // The document as it was before: the detail in clear.
        BuildingBlocks.Ids.GlobalId.TryDecode(id, "Defender", out var guid);
        Assert.Equal(1, await ExecuteAsync(
            "update omct.mt_doc_defenders_defender set data = (data - 'encryptedContact') || jsonb_build_object('contact', 'old shape contact') where id = $1", guid));

        await using var after = new KeyedNode(_database.ConnectionString, PlatformFactory.MasterKey);
        await after.InitializeAsync();
        Assert.Equal(0, await ExecuteAsync("update omct.mt_doc_defenders_defender set mt_last_modified = mt_last_modified where data ? 'contact' or data::text like '%old shape contact%'", guid));
        var read = await after.GraphQL(await after.Admin().CreateApiKeyAsync("STAFF", "RESTRICTED")).QueryAsync("query($id: ID!) { defender(id: $id) { contact } }", new { id });
        Assert.Equal("old shape contact", read.GetProperty("defender").GetProperty("contact").GetString());
    }

    private async Task<int> ExecuteAsync(string sql, Guid id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = id });
        return await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_host_without_a_master_key_does_not_start_and_names_the_setting()
    {
        var (code, output) = await HostProcess.RunUntilExitAsync(_database!.ConnectionString,
            new Dictionary<string, string> { ["Omct__Privacy__MasterKey"] = "", ["ASPNETCORE_ENVIRONMENT"] = "Production" }, TimeSpan.FromSeconds(120));

        Assert.True(code != 0, output);
        Assert.Contains("Omct:Privacy:MasterKey", output, StringComparison.Ordinal);
        Assert.Contains("Omct__Privacy__MasterKey", output, StringComparison.Ordinal);
        Assert.Contains("Omct:Privacy:MasterKeyFile", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Application started", output, StringComparison.Ordinal);

        // A key that is not 32 bytes is refused too, without being echoed.
        var (badCode, badOutput) = await HostProcess.RunUntilExitAsync(_database.ConnectionString,
            new Dictionary<string, string> { ["Omct__Privacy__MasterKey"] = "c2hvcnQta2V5LW5vdC0zMg==" }, TimeSpan.FromSeconds(120));
        Assert.True(badCode != 0, badOutput);
        Assert.Contains("Omct:Privacy:MasterKey (Omct__Privacy__MasterKey) is not base64 of 32 bytes", badOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("c2hvcnQta2V5LW5vdC0zMg==", badOutput, StringComparison.Ordinal);
    }
}
