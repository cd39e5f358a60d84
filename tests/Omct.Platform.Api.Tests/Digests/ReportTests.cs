using System.Net;
using System.Text.Json;
using Npgsql;
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Digests.DigestKit;

namespace Omct.Platform.Api.Tests.Digests;

/// <summary>The monthly reports: made once per month by REPORT, listed by clearance, downloaded behind the API's credentials.</summary>
public sealed class ReportTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string Reports = "query { reports(first: 20) { totalCount nodes { id month clearance generatedAt csvUrl htmlUrl figures { table key subKey count } } } }";

    [Fact]
    public async Task A_report_is_made_once_per_month_at_the_configured_clearance_listed_and_downloaded_by_whom_may_see_it()
    {
        var admin = platform.Admin();
        // September 2026 in Benin: a public, a staff and a restricted case, an intervention issued in the month; a submission.
        foreach (var (title, level) in new[] { ("Benin: public", "PUBLIC"), ("Benin: staff", "STAFF"), ("Benin: restricted", "RESTRICTED") })
        {
            var id = (await admin.QueryAsync("mutation($title: String!, $level: Confidentiality) { openCase(input: { title: $title, countryCode: \"BJ\", openedOn: \"2026-09-10\", confidentiality: $level }) { case { id } } }",
                new { title, level })).GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
            await admin.QueryAsync("mutation($id: ID!) { issueIntervention(input: { caseId: $id, type: URGENT_APPEAL, issuedOn: \"2026-09-11\" }) { case { id } } }", new { id });
        }

        await admin.QueryAsync("mutation { planSubmission(input: { mechanism: UPR, countryCode: \"BJ\", title: \"Benin UPR\", dueOn: \"2027-01-15\", confidentiality: STAFF }) { submission { id } } }");

        await SetProgressAsync(new DateOnly(2026, 10, 14)); // the other test moves the job's progress too
        var run = await RunAsync(admin, "REPORT", new DateOnly(2026, 10, 15));
        Assert.Equal(1, run.GetProperty("items").GetInt32());
        var rows = await CountAsync();
        Assert.Equal(0, (await RunAsync(admin, "REPORT", new DateOnly(2026, 10, 15))).GetProperty("items").GetInt32());
        Assert.Equal(0, (await RunAsync(admin, "REPORT", new DateOnly(2026, 10, 20))).GetProperty("items").GetInt32()); // catching up October's days: September exists
        Assert.Equal(rows, await CountAsync());

        var staff = platform.GraphQL(await CreateKeyAsync(admin, "STAFF", "STAFF"));
        var report = (await staff.QueryAsync(Reports)).GetProperty("reports").GetProperty("nodes").EnumerateArray().Single(r => r.GetProperty("month").GetString() == "2026-09");
        Assert.Equal("STAFF", report.GetProperty("clearance").GetString());
        var figures = report.GetProperty("figures").EnumerateArray().ToList();
        long Figure(string table, string key) => figures.Where(f => f.GetProperty("table").GetString() == table && f.GetProperty("key").GetString() == key)
            .Sum(f => f.GetProperty("count").GetInt64());
        Assert.Equal(2, Figure("opened_in_month_by_country", "BJ")); // the restricted case is above the report's clearance
        Assert.Equal(2, Figure("interventions_issued_in_month_by_type", "URGENT_APPEAL"));
        Assert.Equal(2, Figure("cases_by_country", "BJ"));
        Assert.Equal(2, Figure("cases_by_year", "2026"));
        Assert.Contains(figures, f => f.GetProperty("table").GetString() == "submissions_by_mechanism_and_status"
                                      && f.GetProperty("key").GetString() == "UPR" && f.GetProperty("subKey").GetString() == "PLANNED" && f.GetProperty("count").GetInt64() == 1);

        // The files, with the same credentials as /graphql.
        var csvUrl = report.GetProperty("csvUrl").GetString()!;
        var htmlUrl = report.GetProperty("htmlUrl").GetString()!;
        var staffKey = await CreateKeyAsync(admin, "INTEGRATOR", "STAFF");
        using (var csv = await GetAsync(csvUrl, staffKey))
        {
            Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
            Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
            Assert.Equal("utf-8", csv.Content.Headers.ContentType?.CharSet);
            Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("omct-report-2026-09-staff.csv", csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("table,key,sub_key,count", lines[0]);
            Assert.Contains("opened_in_month_by_country,BJ,,2", lines);
            Assert.Contains("submissions_by_mechanism_and_status,UPR,PLANNED,1", lines);
        }

        using (var html = await GetAsync(htmlUrl, staffKey))
        {
            Assert.Equal(HttpStatusCode.OK, html.StatusCode);
            Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
            Assert.Equal("inline", html.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("omct-report-2026-09-staff.html", html.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            Assert.Contains("default-src 'none'", html.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            var page = await html.Content.ReadAsStringAsync();
            Assert.StartsWith("<!DOCTYPE html>", page, StringComparison.Ordinal);
            Assert.Contains("<table>", page, StringComparison.Ordinal);
            Assert.Contains("Benin (BJ)", page, StringComparison.Ordinal);
            // The report's charts (inline SVG) and its print stylesheet, in the file the job stored.
            Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" data-table=\"opened_in_month_by_country\"", page, StringComparison.Ordinal);
            Assert.Contains("@media print", page, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
        }

        // No credential, a wrong one: 401. A role that does not pull data: 403. Clearance below the report's: 404, as for an id that does not exist.
        using (var anonymous = await GetAsync(csvUrl, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var wrong = await GetAsync(csvUrl, "not-a-key-at-all-0000000000"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var organisation = (await admin.QueryAsync("mutation { registerOrganisation(input: { name: \"Report NGO\", countryCode: \"BJ\", networkMember: true }) { organisation { id } } }"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString();
        using (var member = await GetAsync(csvUrl, await CreateKeyAsync(admin, "NETWORK_MEMBER", "RESTRICTED", organisation)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, member.StatusCode);
        }

        var networkKey = await CreateKeyAsync(admin, "STAFF", "NETWORK");
        var unknown = "/reports/" + BuildingBlocks.Ids.GlobalId.Encode("Report", Guid.CreateVersion7()) + ".csv";
        using var hidden = await GetAsync(csvUrl, networkKey);
        using var missing = await GetAsync(unknown, networkKey);
        using var badName = await GetAsync(csvUrl.Replace(".csv", ".exe", StringComparison.Ordinal), staffKey);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (hidden.StatusCode, missing.StatusCode, badName.StatusCode));
        Assert.Equal(await missing.Content.ReadAsStringAsync(), await hidden.Content.ReadAsStringAsync());
        Assert.Equal(0, (await platform.GraphQL(networkKey).QueryAsync(Reports)).GetProperty("reports").GetProperty("totalCount").GetInt32());
        Assert.Equal("FORBIDDEN", (await platform.GraphQL(await CreateKeyAsync(admin, "NETWORK_MEMBER", "RESTRICTED", organisation)).PostAsync(Reports)).ErrorCode);
        Assert.Equal("UNAUTHENTICATED", (await platform.GraphQL().PostAsync(Reports)).ErrorCode);
    }

    [Fact]
    public async Task After_downtime_the_report_job_makes_each_missed_month_once()
    {
        var admin = platform.Admin();
        // The host was last up on 20 January 2025, and had made December's report on the 1st (the other test moves the job's progress too).
        await RunAsync(admin, "REPORT", new DateOnly(2025, 1, 1));
        await SetProgressAsync(new DateOnly(2025, 1, 20));
        var before = await MonthsAsync();
        // From 21 January to 5 April 2025: the days of February, March and April make January, February and March, each once.
        var run = await RunAsync(admin, "REPORT", new DateOnly(2025, 4, 5));
        var after = await MonthsAsync();
        Assert.Equal(["2025-01", "2025-02", "2025-03"], after.Except(before).Order(StringComparer.Ordinal));
        Assert.Equal(after.Count - before.Count, run.GetProperty("items").GetInt32());
        Assert.Equal(0, (await RunAsync(admin, "REPORT", new DateOnly(2025, 4, 5))).GetProperty("items").GetInt32());
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"")]
    [InlineData("+1 555", "'+1 555")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("Benin, Cotonou", "\"Benin, Cotonou\"")]
    [InlineData("plain", "plain")]
    public void A_CSV_cell_cannot_be_read_as_a_formula(string value, string expected) => Assert.Equal(expected, CsvText.Cell(value));

    private async Task<HttpResponseMessage> GetAsync(string url, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await platform.CreateClient().SendAsync(request);
    }

    private async Task SetProgressAsync(DateOnly lastCompleted)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "insert into omct.jobs_progress (job, last_completed_day) values ('REPORT', $1) on conflict (job) do update set last_completed_day = excluded.last_completed_day", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = lastCompleted });
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> MonthsAsync() =>
        (await platform.Admin().QueryAsync(Reports)).GetProperty("reports").GetProperty("nodes").EnumerateArray().Select(r => r.GetProperty("month").GetString()!).ToList();

    private async Task<long> CountAsync()
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) + coalesce((select last_value from omct.digests_report_seq), 0) from omct.digests_report", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
