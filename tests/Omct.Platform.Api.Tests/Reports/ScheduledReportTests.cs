using System.Net;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Reports.ReportKit;

namespace Omct.Platform.Api.Tests.Reports;

/// <summary>A host on a shared database whose platform clock the test sets; the scheduler does not fire by itself (runJob does).</summary>
public sealed class ClockedReportNode(string connectionString, FakeTimeProvider clock) : PlatformFactory(connectionString)
{
    public FakeTimeProvider Clock => clock;

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(clock);
}

/// <summary>Issue 24: report definitions run on their schedule once across hosts, with relative dates resolved in their time zone.</summary>
public sealed class ScheduledReportTests : IAsyncLifetime
{
    private const string RunJob = "mutation { runJob(input: { name: SCHEDULED_REPORTS }) { run { items outcome error } } }";

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_weekly_definition_runs_on_its_weekday_once_across_two_hosts_with_last_7_days_in_Geneva_time()
    {
        // Wednesday 25 November 2026: both hosts' clocks.
        var wednesday = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        await using var first = new ClockedReportNode(_database.ConnectionString, new FakeTimeProvider(wednesday));
        await first.InitializeAsync();
        await using var second = new ClockedReportNode(_database.ConnectionString, new FakeTimeProvider(wednesday));
        await second.InitializeAsync();
        var admin = first.Admin();

        // Monday 30 November, 00:30 in Geneva is Sunday 29 November, 23:30 UTC: the last 7 days in Geneva are 23–29 November (in UTC they would be 22–28).
        await OpenCaseAsync(admin, "Before the window", "2026-11-22");
        var inWindow = await OpenCaseAsync(admin, "=HYPERLINK(\"http://evil.example\")", "2026-11-23");
        var lastDay = await OpenCaseAsync(admin, "Last day of the window", "2026-11-24");
        await OpenCaseAsync(admin, "Above the report's level", "2026-11-24", "RESTRICTED");
        var id = await CreateAsync(admin, new
        {
            name = "Uruguay: cases of the week",
            query = CasesInWindow,
            dateVariables = new[] { new { window = "LAST_7_DAYS", fromVariable = "from", toVariable = "to" } },
            listPath = "cases.nodes",
            columns = ReportColumns,
            language = "FR",
            cron = "0 30 0 ? * MON",
            timeZone = "Europe/Zurich",
            formats = new[] { "CSV", "XLSX", "HTML" },
            confidentiality = "STAFF",
        });

        // A minute before the fire, nothing is due; at 23:31 UTC both hosts run the job at once, and one of them runs the fire.
        Set(first, second, new DateTimeOffset(2026, 11, 29, 23, 29, 0, TimeSpan.Zero));
        Assert.Equal(0, await ItemsAsync(first, second));
        Set(first, second, new DateTimeOffset(2026, 11, 29, 23, 31, 0, TimeSpan.Zero));
        Assert.Equal(1, await ItemsAsync(first, second));
        Assert.Equal(0, await ItemsAsync(first, second));
        Set(first, second, new DateTimeOffset(2026, 12, 1, 5, 0, 0, TimeSpan.Zero)); // Tuesday (before the monthly statistics' fire at 07:00 in Geneva): the next fire is next Monday
        Assert.Equal(0, await ItemsAsync(first, second));

        var run = Assert.Single(await RunsAsync(second.Admin(), id));
        Assert.Equal(("SUCCEEDED", "SCHEDULE", "2026-11-30", "2026-11-23", "2026-11-29"), (run.GetProperty("status").GetString(), run.GetProperty("trigger").GetString(),
            run.GetProperty("forDay").GetString(), run.GetProperty("windowFrom").GetString(), run.GetProperty("windowTo").GetString()));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 23, 30, 0, TimeSpan.Zero), run.GetProperty("scheduledFor").GetDateTimeOffset());
        Assert.Equal(2, run.GetProperty("rows").GetInt32());
        Assert.Equal(3, run.GetProperty("files").GetArrayLength());

        // The spreadsheet, opened and read back: French headings, the two visible cases of the window, read page by page.
        using (var xlsx = await GetAsync(first.CreateClient(), FileUrl(run, ".xlsx"), PlatformFactory.AdminKey))
        {
            Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
            var rows = ReadSheet(await xlsx.Content.ReadAsByteArrayAsync());
            Assert.Equal(["Référence", "Titre", "Ouvert le", "Pays"], rows[0]);
            Assert.Equal(
                new[] { new[] { inWindow, "=HYPERLINK(\"http://evil.example\")", "2026-11-23", "UY" }, new[] { lastDay, "Last day of the window", "2026-11-24", "UY" } }
                    .OrderBy(r => r[0], StringComparer.Ordinal),
                rows.Skip(1).OrderBy(r => r[0], StringComparer.Ordinal));
        }

        // The CSV: a title a spreadsheet would take for a formula is defused.
        using (var csv = await GetAsync(first.CreateClient(), FileUrl(run, ".csv"), PlatformFactory.AdminKey))
        {
            Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
            var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("Référence,Titre,Ouvert le,Pays", lines[0]);
            Assert.Contains($"{inWindow},\"'=HYPERLINK(\"\"http://evil.example\"\")\",2026-11-23,UY", lines);
            Assert.Equal(3, lines.Length);
        }

        using (var html = await GetAsync(second.CreateClient(), FileUrl(run, ".html"), PlatformFactory.AdminKey))
        {
            var page = await html.Content.ReadAsStringAsync();
            Assert.Contains("@media print", page, StringComparison.Ordinal);
            Assert.Contains($"<td>{lastDay}</td>", page, StringComparison.Ordinal);
            Assert.DoesNotContain("Above the report", page, StringComparison.Ordinal);
        }
    }

    private static void Set(ClockedReportNode first, ClockedReportNode second, DateTimeOffset now)
    {
        first.Clock.SetUtcNow(now);
        second.Clock.SetUtcNow(now);
    }

    private static async Task<int> ItemsAsync(ClockedReportNode first, ClockedReportNode second)
    {
        var runs = await Task.WhenAll(first.Admin().QueryAsync(RunJob), second.Admin().QueryAsync(RunJob));
        Assert.All(runs, r => Assert.Equal("SUCCEEDED", r.GetProperty("runJob").GetProperty("run").GetProperty("outcome").GetString()));
        return runs.Sum(r => r.GetProperty("runJob").GetProperty("run").GetProperty("items").GetInt32());
    }

    /// <summary>The first sheet's rows, each cell as its text (the console's download test reads the file it got the same way).</summary>
    internal static List<string[]> ReadSheet(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single();
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
        return part.Worksheet.GetFirstChild<SheetData>()!.Elements<Row>()
            .Select(r => r.Elements<Cell>().Select(c => c.DataType?.Value == CellValues.InlineString ? c.InlineString!.Text!.Text : c.CellValue?.Text ?? "").ToArray())
            .ToList();
    }
}
