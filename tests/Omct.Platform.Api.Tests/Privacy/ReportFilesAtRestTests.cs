using System.Net;
using Npgsql;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Reports.ReportKit;

namespace Omct.Platform.Api.Tests.Privacy;

/// <summary>
/// Issue 26: a scheduled report run at RESTRICTED may hold a defender's contact; its stored files are sealed under a key of
/// their own (wrapped by the master key), so a dump of the database does not read it, while the download does. The
/// file's key goes with the file when the definition is deleted.
/// </summary>
public sealed class ReportFilesAtRestTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task A_restricted_reports_file_is_sealed_in_the_database_and_readable_through_its_download()
    {
        var admin = platform.Admin();
        var contact = $"report-contact-{Guid.NewGuid():N}";
        await admin.QueryAsync(
            "mutation($contact: String!) { registerDefender(input: { name: \"Report Sealed Person\", countryCode: \"BY\", confidentiality: STAFF, contact: $contact }) { defender { id } } }",
            new { contact });
        var id = await CreateAsync(admin, new
        {
            name = "Contacts (restricted)",
            query = "query($after: String) { defenders(first: 50, after: $after) { pageInfo { hasNextPage endCursor } nodes { name contact } } }",
            listPath = "defenders.nodes",
            columns = new[] { new { path = "name", headingEn = "Name" }, new { path = "contact", headingEn = "Contact" } },
            formats = new[] { "CSV", "XLSX", "HTML" },
            confidentiality = "RESTRICTED",
        });
        var run = (await admin.QueryAsync(RunNow, new { id })).GetProperty("runReportNow").GetProperty("reportRun");
        Assert.Equal("SUCCEEDED", run.GetProperty("status").GetString());

        // Downloaded: the contact, opened with the file's key; the size is the content's.
        using (var csv = await GetAsync(platform.CreateClient(), FileUrl(run, ".csv"), PlatformFactory.AdminKey))
        {
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            var text = await csv.Content.ReadAsStringAsync();
            Assert.Contains($"Report Sealed Person,{contact}", text, StringComparison.Ordinal);
            var listed = run.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString()!.EndsWith(".csv", StringComparison.Ordinal));
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(text), listed.GetProperty("size").GetInt64());
        }

        // At rest: three files, each under a key of its own, and not the contact anywhere in a dump.
        Assert.Equal(3, await ScalarAsync("select count(distinct key_id) from omct.digests_report_files where key_id is not null and key_id in (select id from omct.mt_doc_privacy_personal_data_key)"));
        // (A dump writes bytea in hex, so the files' bytes are searched in the database itself.)
        Assert.Equal(0, await ScalarAsync($"select count(*) from omct.digests_report_files where position(convert_to('{contact}', 'UTF8') in content) > 0"));
        Assert.Equal(0, await ScalarAsync($"select count(*) from omct.digests_report_files where position(convert_to('Report Sealed Person', 'UTF8') in content) > 0"));
        Assert.DoesNotContain(contact, await PgDump.TextAsync(platform.ConnectionString), StringComparison.Ordinal);

        // Deleting the definition deletes its files and their keys.
        await admin.QueryAsync("mutation($id: ID!) { deleteReportDefinition(input: { reportDefinitionId: $id }) { reportDefinition { id } } }", new { id });
        Assert.Equal(0, await ScalarAsync("select count(*) from omct.digests_report_files"));
        Assert.Equal(1, await ScalarAsync("select count(*) from omct.mt_doc_privacy_personal_data_key")); // the defender's own
    }

    [Fact]
    public async Task An_erasure_removes_the_files_of_the_report_runs_that_name_the_person()
    {
        var admin = platform.Admin();
        var defender = (await admin.QueryAsync(
                "mutation { registerDefender(input: { name: \"Omar Reportname\", pseudonym: \"O.R.\", countryCode: \"LY\", confidentiality: STAFF }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        await admin.QueryAsync("mutation { openCase(input: { title: \"Libya: Omar Reportname detained\", countryCode: \"LY\", confidentiality: STAFF }) { case { id } } }");
        await admin.QueryAsync("mutation { openCase(input: { title: \"Tunisia: a lawyer threatened\", countryCode: \"TN\", confidentiality: STAFF }) { case { id } } }");
        // The spreadsheet alone (its sheets are searched as XML), and a CSV of another country that names nobody.
        var (named, other) = (await RunAsync(admin, "LY", "XLSX"), await RunAsync(admin, "TN", "CSV"));

        var listing = (await admin.QueryAsync(
                "mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { erasureRedactions { recordId recordType fields } } } }", new { id = defender }))
            .GetProperty("eraseDefenderPersonalData").GetProperty("defender").GetProperty("erasureRedactions").EnumerateArray().ToList();
        var entry = Assert.Single(listing, r => r.GetProperty("recordType").GetString() == "ReportRun");
        Assert.Equal(named.GetProperty("id").GetString(), entry.GetProperty("recordId").GetString());

        // The named run keeps no file (its link answers NOT_FOUND); the other keeps its own.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(platform.CreateClient(), FileUrl(named, ".xlsx"), PlatformFactory.AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(platform.CreateClient(), FileUrl(other, ".csv"), PlatformFactory.AdminKey)).StatusCode);
        Assert.Equal(0, await ScalarAsync($"select count(*) from omct.digests_report_files where run_id = '{Uuid(named)}'"));
        Assert.Equal(1, await ScalarAsync($"select count(*) from omct.digests_report_files where run_id = '{Uuid(other)}'"));
    }

    private static async Task<System.Text.Json.JsonElement> RunAsync(GraphQLClient admin, string country, string format)
    {
        var id = await CreateAsync(admin, new
        {
            name = $"Cases of {country}",
            query = "query($after: String) { cases(filter: { countries: [\"" + country + "\"] }, first: 50, after: $after) { pageInfo { hasNextPage endCursor } nodes { reference title } } }",
            listPath = "cases.nodes",
            columns = new[] { new { path = "reference", headingEn = "Reference" }, new { path = "title", headingEn = "Title" } },
            formats = new[] { format },
            confidentiality = "STAFF",
        });
        var run = (await admin.QueryAsync(RunNow, new { id })).GetProperty("runReportNow").GetProperty("reportRun");
        Assert.Equal(("SUCCEEDED", 1), (run.GetProperty("status").GetString(), run.GetProperty("rows").GetInt32()));
        return run;
    }

    private static Guid Uuid(System.Text.Json.JsonElement run)
    {
        Omct.Platform.BuildingBlocks.Ids.GlobalId.TryDecode(run.GetProperty("id").GetString(), out _, out var id);
        return id;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
