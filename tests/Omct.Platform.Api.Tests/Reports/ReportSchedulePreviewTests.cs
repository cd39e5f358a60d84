using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Reports.ReportKit;

namespace Omct.Platform.Api.Tests.Reports;

/// <summary>
/// Issue 24 (the console's editor): the next fires of a schedule — <c>reportSchedulePreview</c> before a definition is
/// saved, checked in the words a save uses, and a definition's <c>nextRuns</c> and <c>lastRun</c> — on a host whose clock
/// the test sets.
/// </summary>
public sealed class ReportSchedulePreviewTests : IAsyncLifetime
{
    private const string Preview = "query($cron: String!, $zone: String!, $count: Int) { reportSchedulePreview(cron: $cron, timeZone: $zone, count: $count) }";
    private const string Definition = "query($id: ID!) { reportDefinition(id: $id) { nextRuns next5: nextRuns(count: 5) lastRun { id status } } }";

    // Wednesday 25 November 2026, 10:00 UTC.
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private TestDatabase _database = null!;
    private ClockedReportNode _host = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _host = new ClockedReportNode(_database.ConnectionString, new FakeTimeProvider(Now));
        await _host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_preview_gives_the_next_fires_in_the_zone_and_refuses_what_a_save_refuses_in_the_same_words()
    {
        var admin = _host.Admin();

        // Mondays at 08:00 in Geneva (UTC+1 in winter); three by default.
        Assert.Equal(
            [At("2026-11-30T07:00:00Z"), At("2026-12-07T07:00:00Z"), At("2026-12-14T07:00:00Z")],
            Fires((await admin.PostAsync(Preview, new { cron = "0 0 8 ? * MON", zone = "Europe/Zurich" })).Data.GetProperty("reportSchedulePreview")));
        // On demand (a blank cron): none.
        Assert.Empty(Fires((await admin.PostAsync(Preview, new { cron = " ", zone = "Europe/Zurich" })).Data.GetProperty("reportSchedulePreview")));

        // What a save refuses, the preview refuses on the same field with the same message.
        foreach (var (cron, zone, field) in new[] { ("0 0 8 ? * FUNDAY", "Europe/Zurich", "cron"), ("0 * * * * ?", "Europe/Zurich", "cron"), ("0 0 8 ? * MON", "Mars/Olympus_Mons", "timeZone") })
        {
            var preview = await admin.PostAsync(Preview, new { cron, zone });
            var save = await admin.PostAsync(Create, new { input = new { name = "refused", query = "query { cases(first: 1) { nodes { reference } } }", listPath = "cases.nodes", columns = ReportColumns, cron, timeZone = zone } });
            Assert.Equal(("VALIDATION", field), (preview.ErrorCode, preview.ErrorField));
            Assert.Equal((save.ErrorCode, save.ErrorField, Message(save)), (preview.ErrorCode, preview.ErrorField, Message(preview)));
        }

        foreach (var count in new[] { 0, 21 })
        {
            var wrong = await admin.PostAsync(Preview, new { cron = "0 0 8 ? * MON", zone = "Europe/Zurich", count });
            Assert.Equal(("VALIDATION", "count"), (wrong.ErrorCode, wrong.ErrorField));
        }

        Assert.Equal(20, (await admin.PostAsync(Preview, new { cron = "0 0 8 ? * MON", zone = "Europe/Zurich", count = 20 })).Data.GetProperty("reportSchedulePreview").GetArrayLength());

        // Every day at 08:00 across the change to summer time (Sunday 28 March 2027): 07:00 UTC, then 06:00 UTC.
        _host.Clock.SetUtcNow(new DateTimeOffset(2027, 3, 26, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(
            [At("2027-03-27T07:00:00Z"), At("2027-03-28T06:00:00Z"), At("2027-03-29T06:00:00Z"), At("2027-03-30T06:00:00Z")],
            Fires((await admin.PostAsync(Preview, new { cron = "0 0 8 * * ?", zone = "Europe/Geneva", count = 4 })).Data.GetProperty("reportSchedulePreview")));
    }

    [Fact]
    public async Task A_definition_tells_its_next_runs_in_its_zone_and_its_last_run()
    {
        var admin = _host.Admin();
        var weekly = await CreateAsync(admin, new { name = "New York desk", query = "query { cases(first: 1) { nodes { reference } } }", listPath = "cases.nodes", columns = ReportColumns, cron = "0 30 8 ? * MON", timeZone = "America/New_York" });
        var onDemand = await CreateAsync(admin, new { name = "On demand", query = "query { cases(first: 1) { nodes { reference } } }", listPath = "cases.nodes", columns = ReportColumns });

        // 08:30 in New York (UTC-5 in winter) on Mondays.
        var found = (await admin.QueryAsync(Definition, new { id = weekly })).GetProperty("reportDefinition");
        Assert.Equal([At("2026-11-30T13:30:00Z"), At("2026-12-07T13:30:00Z"), At("2026-12-14T13:30:00Z")], Fires(found.GetProperty("nextRuns")));
        Assert.Equal(5, found.GetProperty("next5").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, found.GetProperty("lastRun").ValueKind);

        var idle = (await admin.QueryAsync(Definition, new { id = onDemand })).GetProperty("reportDefinition");
        Assert.Empty(Fires(idle.GetProperty("nextRuns")));

        // A run now is its last run, in the definition and in the list (one query for the page).
        var first = (await admin.QueryAsync(RunNow, new { id = onDemand })).GetProperty("runReportNow").GetProperty("reportRun").GetProperty("id").GetString();
        var second = (await admin.QueryAsync(RunNow, new { id = onDemand })).GetProperty("runReportNow").GetProperty("reportRun").GetProperty("id").GetString();
        Assert.NotEqual(first, second);
        Assert.Equal(second, (await admin.QueryAsync(Definition, new { id = onDemand })).GetProperty("reportDefinition").GetProperty("lastRun").GetProperty("id").GetString());
        var listed = (await admin.QueryAsync("query { reportDefinitions(first: 10) { nodes { id lastRun { id status } } } }"))
            .GetProperty("reportDefinitions").GetProperty("nodes").EnumerateArray().ToDictionary(d => d.GetProperty("id").GetString()!, d => d.GetProperty("lastRun"));
        Assert.Equal((second, "SUCCEEDED"), (listed[onDemand].GetProperty("id").GetString(), listed[onDemand].GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, listed[weekly].ValueKind);

        var wrong = await admin.PostAsync("query($id: ID!) { reportDefinition(id: $id) { nextRuns(count: 50) } }", new { id = weekly });
        Assert.Equal(("VALIDATION", "count"), (wrong.ErrorCode, wrong.ErrorField));
    }

    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static List<DateTimeOffset> Fires(JsonElement list) => list.EnumerateArray().Select(f => At(f.GetString()!)).ToList();

    private static string? Message(GraphQLResponse response) => response.Errors[0].GetProperty("message").GetString();
}
