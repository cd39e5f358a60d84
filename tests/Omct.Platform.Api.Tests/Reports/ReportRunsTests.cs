using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Reports.ReportKit;

namespace Omct.Platform.Api.Tests.Reports;

/// <summary>
/// Issue 24, runs: a saved query is held to the limits of a request; a failing run is retried with backoff and then
/// left FAILED; old files are purged while their run stays; a week of downtime gives one run for the latest fire; a run
/// left RUNNING by a host that died is taken over once across hosts.
/// </summary>
public sealed class ReportRunsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Valid, but the connection refuses more than 100 a page: every run of it fails.</summary>
    private const string Failing = "query { cases(filter: { countries: [\"UY\"] }, first: 101) { nodes { reference } } }";

    private const string Uruguay = "query { cases(filter: { countries: [\"UY\"] }, first: 100) { nodes { reference title } } }";

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_saved_query_over_the_limits_of_a_request_is_refused_with_the_limit_s_message()
    {
        await using var node = await NodeAsync();
        var admin = node.Admin();
        var aliasBomb = "query { " + string.Join(' ', Enumerable.Range(0, 60).Select(i => $"a{i}: cases(first: 1) {{ nodes {{ reference }} }}")) + " }";
        var tooDeep = "query { __schema { types { fields { type { " + string.Concat(Enumerable.Repeat("ofType { ", 16)) + "name" + new string('}', 16) + " } } } } }";
        foreach (var query in new[] { aliasBomb, tooDeep })
        {
            // The message a request over HTTP gets for the same document.
            var overHttp = await admin.PostAsync(query);
            Assert.Equal("LIMIT_EXCEEDED", overHttp.ErrorCode);
            var message = overHttp.Errors[0].GetProperty("message").GetString();

            var refused = await admin.PostAsync(Create, new { input = Input("Over the limits", query) });
            Assert.Equal(("VALIDATION", "query"), (refused.ErrorCode, refused.ErrorField));
            Assert.Equal(message, refused.Errors[0].GetProperty("message").GetString());
        }

        Assert.Contains("aliases", (await admin.PostAsync(Create, new { input = Input("Aliases", aliasBomb) })).Errors[0].GetProperty("message").GetString(),
            StringComparison.Ordinal);

        // An update is held to them as well; the definition stays as it was.
        var id = await CreateAsync(admin, Input("Within the limits", Uruguay));
        var update = await admin.PostAsync("mutation($id: ID!, $query: String) { updateReportDefinition(input: { reportDefinitionId: $id, query: $query }) { reportDefinition { version } } }",
            new { id, query = tooDeep });
        Assert.Equal(("VALIDATION", "query"), (update.ErrorCode, update.ErrorField));
        var kept = await admin.QueryAsync("query($id: ID!) { reportDefinition(id: $id) { query version } }", new { id });
        Assert.Equal((Uruguay, 1), (kept.GetProperty("reportDefinition").GetProperty("query").GetString(), kept.GetProperty("reportDefinition").GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task A_definition_s_query_is_kept_as_a_persisted_operation_its_runs_execute_and_requests_cannot_send_until_an_admin_registers_it()
    {
        await using var node = await NodeAsync();
        var admin = node.Admin();
        await OpenCaseAsync(admin, "Read by the stored operation", "2026-11-20");
        var created = (await admin.QueryAsync(Create, new { input = Input("Kept", Uruguay) })).GetProperty("createReportDefinition").GetProperty("reportDefinition");
        var hash = created.GetProperty("queryHash").GetString()!;
        var kept = Assert.Single((await admin.QueryAsync("query { persistedOperations { sha256Hash name document registeredBy reportsOnly } }"))
            .GetProperty("persistedOperations").EnumerateArray(), o => o.GetProperty("sha256Hash").GetString() == hash);
        Assert.Equal(("Report: Kept", Uruguay, true), (kept.GetProperty("name").GetString(), kept.GetProperty("document").GetString(), kept.GetProperty("reportsOnly").GetBoolean()));
        Assert.StartsWith("apikey:", kept.GetProperty("registeredBy").GetString(), StringComparison.Ordinal);

        var run = (await admin.QueryAsync(RunNow, new { id = created.GetProperty("id").GetString() })).GetProperty("runReportNow").GetProperty("reportRun");
        Assert.Equal(("SUCCEEDED", 1), (run.GetProperty("status").GetString(), run.GetProperty("rows").GetInt32()));

        // A request cannot send it by its hash (a key restricted to persisted operations runs only what an admin registered) …
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", (await admin.PostBodyAsync(new { documentId = $"sha256:{hash}" })).ErrorCode);

        // … until an admin registers the same document.
        var registered = await admin.QueryAsync("mutation($document: String!) { registerPersistedOperation(input: { name: \"Uruguay\", document: $document }) { persistedOperation { reportsOnly } } }",
            new { document = Uruguay });
        Assert.False(registered.GetProperty("registerPersistedOperation").GetProperty("persistedOperation").GetProperty("reportsOnly").GetBoolean());
        var sent = await admin.PostBodyAsync(new { documentId = $"sha256:{hash}" });
        Assert.False(sent.HasErrors, sent.Raw);
        Assert.Contains("Read by the stored operation", sent.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_query_is_retried_after_5_then_25_minutes_then_left_FAILED_with_its_message()
    {
        await using var node = await NodeAsync();
        var admin = node.Admin();
        var id = await CreateAsync(admin, Input("Always failing", Failing));
        var first = (await admin.QueryAsync(RunNow, new { id })).GetProperty("runReportNow").GetProperty("reportRun");
        Assert.Equal(("RETRYING", 1), (first.GetProperty("status").GetString(), first.GetProperty("attempts").GetInt32()));
        Assert.Equal("The query failed: first may be at most 100.", first.GetProperty("error").GetString());

        // Not before 5 minutes; at 5 minutes the second attempt, then not before 25 more; the third is the last.
        Assert.Equal(0, await ItemsAsync(node, Start.AddMinutes(5).AddSeconds(-1)));
        Assert.Equal(("RETRYING", 1, Start.AddMinutes(5)), await StateAsync(admin, id));
        Assert.Equal(1, await ItemsAsync(node, Start.AddMinutes(5)));
        Assert.Equal(("RETRYING", 2, Start.AddMinutes(30)), await StateAsync(admin, id));
        Assert.Equal(0, await ItemsAsync(node, Start.AddMinutes(30).AddSeconds(-1)));
        Assert.Equal(1, await ItemsAsync(node, Start.AddMinutes(30)));
        Assert.Equal(("FAILED", 3, (DateTimeOffset?)null), await StateAsync(admin, id));
        Assert.Equal(0, await ItemsAsync(node, Start.AddDays(1)));

        var failed = Assert.Single(await RunsAsync(admin, id));
        Assert.Equal("The query failed: first may be at most 100.", failed.GetProperty("error").GetString());
        Assert.Equal(0, failed.GetProperty("files").GetArrayLength());
    }

    [Fact]
    public async Task Files_older_than_RunFileDays_are_deleted_and_their_run_stays()
    {
        await using var node = await NodeAsync();
        var admin = node.Admin();
        await OpenCaseAsync(admin, "Kept for 90 days", "2026-11-20");
        var id = await CreateAsync(admin, Input("Uruguay", Uruguay));
        var run = (await admin.QueryAsync(RunNow, new { id })).GetProperty("runReportNow").GetProperty("reportRun");
        var url = FileUrl(run, ".csv");

        // Omct:Reports:RunFileDays is 90 by default: on day 89 the file is there, on day 91 it is gone.
        await ItemsAsync(node, Start.AddDays(89));
        using (var kept = await GetAsync(node.CreateClient(), url, PlatformFactory.AdminKey))
        {
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
            Assert.Contains("Kept for 90 days", await kept.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await ItemsAsync(node, Start.AddDays(91));
        using (var gone = await GetAsync(node.CreateClient(), url, PlatformFactory.AdminKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        var stays = Assert.Single(await RunsAsync(admin, id));
        Assert.Equal((run.GetProperty("id").GetString(), "SUCCEEDED", 1, 0),
            (stays.GetProperty("id").GetString(), stays.GetProperty("status").GetString(), stays.GetProperty("rows").GetInt32(), stays.GetProperty("files").GetArrayLength()));
    }

    [Fact]
    public async Task A_week_of_downtime_gives_a_daily_report_one_run_for_its_latest_fire()
    {
        await using var node = await NodeAsync();
        var admin = node.Admin();
        var id = await CreateAsync(admin, new
        {
            name = "Daily", query = Uruguay, listPath = "cases.nodes", columns = ReportColumns.Take(2), cron = "0 0 6 * * ?", timeZone = "Europe/Zurich",
            formats = new[] { "CSV" }, confidentiality = "STAFF",
        });

        // No host ran from Wednesday 25 November to Wednesday 2 December: seven fires missed, the latest (06:00 in Geneva) runs once
        // (with the monthly statistics' fire of 1 December, the other definition whose fire was missed).
        Assert.Equal(2, await ItemsAsync(node, new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero)));
        Assert.Equal(0, await ItemsAsync(node, new DateTimeOffset(2026, 12, 2, 10, 1, 0, TimeSpan.Zero)));
        var run = Assert.Single(await RunsAsync(admin, id));
        Assert.Equal(("SUCCEEDED", "SCHEDULE", "2026-12-02"), (run.GetProperty("status").GetString(), run.GetProperty("trigger").GetString(), run.GetProperty("forDay").GetString()));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero), run.GetProperty("scheduledFor").GetDateTimeOffset());

        // The next day's fire runs as usual.
        Assert.Equal(1, await ItemsAsync(node, new DateTimeOffset(2026, 12, 3, 5, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task A_run_left_RUNNING_by_a_host_that_died_is_taken_over_once_across_hosts_and_succeeds()
    {
        await using var first = await NodeAsync();
        await using var second = await NodeAsync();
        var admin = first.Admin();
        await OpenCaseAsync(admin, "Counted after the takeover", "2026-11-20");
        var id = await CreateAsync(admin, Input("Uruguay", Uruguay));
        await admin.QueryAsync(RunNow, new { id });

        // What a host that died mid-run leaves: the run RUNNING, no files, its lease (renewed while it paged) running out in a minute.
        await using (var connection = new NpgsqlConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var died = new NpgsqlCommand("update omct.digests_report_runs set status = 'Running', rows = null, duration_ms = null, lease_until = $1", connection);
            died.Parameters.Add(new NpgsqlParameter { Value = Start.AddMinutes(1).UtcDateTime });
            Assert.Equal(1, await died.ExecuteNonQueryAsync());
            await using var noFiles = new NpgsqlCommand("delete from omct.digests_report_files", connection);
            Assert.Equal(1, await noFiles.ExecuteNonQueryAsync());
        }

        // A lease still running is not taken over.
        Assert.Equal(0, await ItemsAsync(first, Start));
        Assert.Equal("RUNNING", Assert.Single(await RunsAsync(admin, id)).GetProperty("status").GetString());

        // Once it ran out, both hosts see it at once: one takes it over as the second attempt.
        first.Clock.SetUtcNow(Start.AddMinutes(2));
        second.Clock.SetUtcNow(Start.AddMinutes(2));
        var jobs = await Task.WhenAll(first.Admin().QueryAsync(RunJob), second.Admin().QueryAsync(RunJob));
        Assert.Equal(1, jobs.Sum(j => j.GetProperty("runJob").GetProperty("run").GetProperty("items").GetInt32()));
        Assert.Equal(0, await ItemsAsync(second, Start.AddMinutes(30)));

        var run = Assert.Single(await RunsAsync(second.Admin(), id));
        Assert.Equal(("SUCCEEDED", 2, 1, 1), (run.GetProperty("status").GetString(), run.GetProperty("attempts").GetInt32(), run.GetProperty("rows").GetInt32(),
            run.GetProperty("files").GetArrayLength()));
        using var csv = await GetAsync(second.CreateClient(), FileUrl(run, ".csv"), PlatformFactory.AdminKey);
        Assert.Contains("Counted after the takeover", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_monthly_report_is_one_default_definition_made_once_by_two_hosts_and_its_run_has_the_report_s_figures()
    {
        await using var first = await NodeAsync();
        await using var second = await NodeAsync();
        var admin = first.Admin();
        var monthly = Assert.Single((await admin.QueryAsync("query { reportDefinitions(first: 100) { nodes { id name query cron timeZone formats confidentiality ownerId } } }"))
            .GetProperty("reportDefinitions").GetProperty("nodes").EnumerateArray(), d => d.GetProperty("name").GetString() == "Monthly statistics");
        Assert.Equal(("0 0 7 1 * ?", "Europe/Zurich", "STAFF", "system:reports"), (monthly.GetProperty("cron").GetString(), monthly.GetProperty("timeZone").GetString(),
            monthly.GetProperty("confidentiality").GetString(), monthly.GetProperty("ownerId").GetString()));
        Assert.Contains("monthlyStatistics(month: $month)", monthly.GetProperty("query").GetString(), StringComparison.Ordinal);
        var id = monthly.GetProperty("id").GetString()!;

        await OpenCaseAsync(admin, "Opened in November", "2026-11-20");
        await OpenCaseAsync(admin, "Above the report's clearance", "2026-11-21", "RESTRICTED");

        // 1 December, 07:00 in Geneva: the definition's fire, on one host; the REPORT job's day, on the other.
        var fire = new DateTimeOffset(2026, 12, 1, 6, 0, 30, TimeSpan.Zero);
        Assert.Equal(1, await ItemsAsync(first, fire));
        second.Clock.SetUtcNow(fire);
        await second.Admin().QueryAsync("mutation { runJob(input: { name: REPORT, asOf: \"2026-12-01\" }) { run { outcome } } }");

        var run = Assert.Single(await RunsAsync(admin, id));
        Assert.Equal(("SUCCEEDED", "2026-11-01", "2026-11-30"), (run.GetProperty("status").GetString(), run.GetProperty("windowFrom").GetString(), run.GetProperty("windowTo").GetString()));
        var report = (await admin.QueryAsync("query { reports(first: 1) { nodes { month csvUrl } } }")).GetProperty("reports").GetProperty("nodes")[0];
        Assert.Equal("2026-11", report.GetProperty("month").GetString());
        var fromDefinition = await LinesAsync(first, FileUrl(run, ".csv"));
        var fromReport = await LinesAsync(first, report.GetProperty("csvUrl").GetString()!);
        Assert.Equal("table,key,sub_key,count", fromDefinition[0]);
        Assert.Equal(fromReport[0], fromDefinition[0]);
        Assert.Equal(fromReport.Skip(1).Order(StringComparer.Ordinal), fromDefinition.Skip(1).Order(StringComparer.Ordinal));
        Assert.Contains("opened_in_month_by_country,UY,,1", fromDefinition);
        Assert.Equal(2, run.GetProperty("files").GetArrayLength());
    }

    private static async Task<string[]> LinesAsync(ClockedReportNode node, string url)
    {
        using var response = await GetAsync(node.CreateClient(), url, PlatformFactory.AdminKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    }

    private async Task<ClockedReportNode> NodeAsync()
    {
        var node = new ClockedReportNode(_database.ConnectionString, new FakeTimeProvider(Start));
        await node.InitializeAsync();
        return node;
    }

    private static object Input(string name, string query) => new
    {
        name, query, listPath = "cases.nodes", columns = ReportColumns.Take(2), formats = new[] { "CSV" }, confidentiality = "STAFF",
    };

    /// <summary>Sets the node's clock and runs SCHEDULED_REPORTS there: the runs it ran.</summary>
    private static async Task<int> ItemsAsync(ClockedReportNode node, DateTimeOffset now)
    {
        node.Clock.SetUtcNow(now);
        var run = (await node.Admin().QueryAsync(RunJob)).GetProperty("runJob").GetProperty("run");
        Assert.Equal("SUCCEEDED", run.GetProperty("outcome").GetString());
        return run.GetProperty("items").GetInt32();
    }

    private static async Task<(string?, int, DateTimeOffset?)> StateAsync(GraphQLClient client, string id)
    {
        var run = (await client.QueryAsync("query($id: ID!) { reportRuns(definitionId: $id, first: 1) { nodes { status attempts nextAttemptAt } } }", new { id }))
            .GetProperty("reportRuns").GetProperty("nodes")[0];
        return (run.GetProperty("status").GetString(), run.GetProperty("attempts").GetInt32(),
            run.GetProperty("nextAttemptAt").ValueKind == JsonValueKind.Null ? null : run.GetProperty("nextAttemptAt").GetDateTimeOffset());
    }
}
