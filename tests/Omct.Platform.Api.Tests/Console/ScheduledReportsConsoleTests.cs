using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Api.Tests.Reports;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// Issue 24 in the console (Debian's Chromium against the real host): a STAFF person filters the cases list by a
/// country, schedules that view as a weekly XLSX report (the next runs previewed as the cron is typed, a bad cron shown
/// on its field in the API's words), saves it, sees its next runs, runs it now and downloads the file with the session —
/// the spreadsheet holds the country's cases the person may see and only those; the definition checked through GraphQL;
/// another person's session gets 404 for the file; the definition deleted after a confirmation, with its runs' files. From the dashboard in
/// EN/FR/ES: a statistic scheduled, run and listed; axe and screenshots of the list, the editor and the runs.
/// </summary>
public sealed class ScheduledReportsConsoleTests(ConsoleFixture fixture, ITestOutputHelper output) : IClassFixture<ConsoleFixture>, IAsyncLifetime
{
    private const string DefinitionQuery =
        "query($id: ID!) { reportDefinition(id: $id) { name cron timeZone formats variables listPath language confidentiality ownerId nextRuns " +
        "columns { path headingEn headingFr headingEs } } }";

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly HashSet<ConsoleFixture> Ready = [];

    /// <summary>Paraguay's cases a STAFF person may see (the RESTRICTED one is not among them), by title.</summary>
    private static readonly string[] VisibleInParaguay = ["Paraguay: arrest of a land defender", "Paraguay: raid on a community radio", "Paraguay: threats against a lawyer", "Paraguay: public statement"];

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (!Ready.Add(fixture))
            {
                return;
            }

            foreach (var (title, level, country) in new[]
                     {
                         (VisibleInParaguay[0], "STAFF", "PY"), (VisibleInParaguay[1], "STAFF", "PY"), (VisibleInParaguay[2], "NETWORK", "PY"), (VisibleInParaguay[3], "PUBLIC", "PY"),
                         ("Paraguay: restricted witness", "RESTRICTED", "PY"), ("Bolivia: detention of a journalist", "STAFF", "BO"), ("Bolivia: raid", "STAFF", "BO"),
                     })
            {
                await FeedKit.OpenCaseAsync(Admin(), title, level, country);
            }
        }
        finally
        {
            Once.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_filtered_cases_view_is_scheduled_as_a_weekly_XLSX_report_run_now_and_downloaded_with_only_its_cases()
    {
        var page = await ConsolePages.SignedInPageAsync(fixture, "scheduler@example.org");
        await page.GotoAsync(fixture.Url("/cases"));
        await ConsolePages.ChooseAsync(page, page.GetByRole(AriaRole.Combobox, new() { Name = "Countries" }), "Paraguay");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page).ToHaveURLAsync(new Regex("country=PY"));
        await Expect(page.Locator("[data-testid=cases-table] tbody tr")).ToHaveCountAsync(VisibleInParaguay.Length);

        // "Schedule this view", by keyboard: back from the filter to the button, Enter.
        Assert.True(await ConsolePages.TabToAsync(page, "e => e.dataset.testid === 'schedule-view'", key: "Shift+Tab"), "the button is reached by keyboard");
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog, new PageGetByRoleOptions { Name = "New scheduled report" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/reports/definitions/new$"));
        await Expect(dialog.GetByLabel("Name")).ToHaveValueAsync("Cases: Paraguay");
        await Expect(dialog.GetByTestId("definition-query")).ToHaveValueAsync(new Regex(@"\$after: String"));
        await Expect(dialog.GetByTestId("definition-variables")).ToHaveValueAsync(new Regex(@"""countries"": \[\s*""PY""\s*\]"));
        await Expect(dialog.GetByLabel("XLSX (spreadsheet)")).ToBeCheckedAsync();
        await Expect(dialog.GetByLabel("CSV", new LocatorGetByLabelOptions { Exact = true })).Not.ToBeCheckedAsync();
        await Expect(dialog.GetByLabel("PDF (for printing)")).Not.ToBeCheckedAsync();
        await Expect(dialog.GetByLabel("Heading in French: reference")).ToHaveValueAsync("Référence");
        var cron = dialog.GetByLabel("Schedule (Quartz cron)");
        await Expect(cron).ToHaveValueAsync("0 0 8 ? * MON");
        var preview = dialog.GetByTestId("preview-runs").Locator("li");
        await Expect(preview).ToHaveCountAsync(3);
        await Expect(dialog.GetByTestId("schedule-preview")).ToContainTextAsync("Every Monday at 08:00 · Europe/Zurich");
        foreach (var fire in await preview.AllInnerTextsAsync())
        {
            Assert.Contains("Monday", fire, StringComparison.Ordinal);
        }

        // A cron the API refuses: its words on the field, as the save would say them; then the weekly one again.
        await cron.FillAsync("0 0 8 ? * FUNDAY");
        await Expect(cron).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(dialog).ToContainTextAsync("Not a Quartz cron expression");
        await ConsolePages.AssertAccessibleAsync(page, "editor with a refused cron (en)", output);
        await cron.FillAsync("0 0 8 ? * MON");
        await Expect(cron).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(preview).ToHaveCountAsync(3);
        await ConsolePages.AssertAccessibleAsync(page, "editor (en)", output);
        await WholeDialogScreenshotAsync(page, "scheduled-report-editor-cases-en");

        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/reports/definitions/(?!new)[^/]+$"));
        await Expect(page.GetByTestId("definition-title")).ToHaveTextAsync("Cases: Paraguay");
        await Expect(page.GetByTestId("definition-schedule")).ToHaveTextAsync("Every Monday at 08:00 · Europe/Zurich");
        var id = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath.Split('/')[^1]);

        // The definition as the API has it: the list's filter and order as variables, a run pages with $after, weekly on
        // Monday 08:00 in Geneva's zone, XLSX; its next runs are the page's.
        var definition = (await Admin().QueryAsync(DefinitionQuery, new { id })).GetProperty("reportDefinition");
        Assert.Equal(("0 0 8 ? * MON", "Europe/Zurich", "cases.nodes", "EN", "STAFF"), (definition.GetProperty("cron").GetString(), definition.GetProperty("timeZone").GetString(),
            definition.GetProperty("listPath").GetString(), definition.GetProperty("language").GetString(), definition.GetProperty("confidentiality").GetString()));
        Assert.Equal(["XLSX"], definition.GetProperty("formats").EnumerateArray().Select(f => f.GetString()));
        using (var variables = JsonDocument.Parse(definition.GetProperty("variables").GetString()!))
        {
            Assert.Equal(["PY"], variables.RootElement.GetProperty("filter").GetProperty("countries").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal("OPENED_ON_DESC", variables.RootElement.GetProperty("orderBy").GetString());
        }

        Assert.Equal(
            [("reference", "Reference", "Référence", "Referencia"), ("title", "Title", "Titre", "Título"), ("country.code", "Country", "Pays", "País"), ("status", "Status", "Statut", "Estado"),
             ("confidentiality", "Confidentiality", "Confidentialité", "Confidencialidad"), ("openedOn", "Opened", "Ouvert le", "Abierto el")],
            definition.GetProperty("columns").EnumerateArray().Select(c => (c.GetProperty("path").GetString(), c.GetProperty("headingEn").GetString(), c.GetProperty("headingFr").GetString(), c.GetProperty("headingEs").GetString())));
        var nextRuns = definition.GetProperty("nextRuns").EnumerateArray().Select(f => DateTimeOffset.Parse(f.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, nextRuns.Count);
        var zurich = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");
        Assert.All(nextRuns, f => Assert.Equal((DayOfWeek.Monday, 8, 0), (TimeZoneInfo.ConvertTime(f, zurich).DayOfWeek, TimeZoneInfo.ConvertTime(f, zurich).Hour, TimeZoneInfo.ConvertTime(f, zurich).Minute)));
        Assert.Equal(nextRuns, (await page.GetByTestId("next-runs").Locator("li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.fire)"))
            .Select(f => DateTimeOffset.Parse(f, System.Globalization.CultureInfo.InvariantCulture)));

        // Run now: one run, succeeded, with the four cases; the XLSX downloaded by its link with the session alone.
        await page.GetByTestId("run-now").ClickAsync();
        var run = page.Locator("[data-testid=run-list] tbody tr");
        await Expect(run).ToHaveCountAsync(1);
        await Expect(run.GetByTestId("run-status")).ToHaveTextAsync("Succeeded");
        await Expect(run.GetByTestId("run-rows")).ToHaveTextAsync(VisibleInParaguay.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var link = run.Locator("a[data-file$='.xlsx']");
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        var sheet = ScheduledReportTests.ReadSheet(await File.ReadAllBytesAsync((await download.PathAsync())!));
        Assert.Equal(["Reference", "Title", "Country", "Status", "Confidentiality", "Opened"], sheet[0]);
        Assert.Equal(VisibleInParaguay.Order(StringComparer.Ordinal), sheet.Skip(1).Select(r => r[1]).Order(StringComparer.Ordinal));
        Assert.All(sheet.Skip(1), r => Assert.Equal(("PY", "OPEN"), (r[2], r[3])));
        Assert.Equal(await ReferencesAsync(VisibleInParaguay), sheet.Skip(1).Select(r => r[0]).Order(StringComparer.Ordinal));
        await ConsolePages.AssertAccessibleAsync(page, "report definition with its runs (en)", output);
        await PageScreenshotAsync(page, "scheduled-report-runs-cases-en");

        // The same address for another STAFF person (neither owner nor recipient): 404, as for a file that does not exist.
        var fileUrl = fixture.BaseUrl.ToString().TrimEnd('/') + await link.GetAttributeAsync("href");
        var other = await ConsolePages.SignedInPageAsync(fixture, "other.scheduler@example.org");
        var refused = await other.Context.APIRequest.GetAsync(fileUrl);
        var unknown = await other.Context.APIRequest.GetAsync(fileUrl.Replace(".xlsx", ".csv", StringComparison.Ordinal));
        Assert.Equal((404, 404), (refused.Status, unknown.Status));
        Assert.Equal(await unknown.TextAsync(), await refused.TextAsync());
        Assert.Equal(200, (await page.Context.APIRequest.GetAsync(fileUrl)).Status);

        // The list: name, schedule in words and zone, files, last run.
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "All scheduled reports" }).ClickAsync();
        var row = page.Locator("[data-testid=definition-list] tr[data-name='Cases: Paraguay']");
        await Expect(row.GetByTestId("definition-schedule")).ToHaveTextAsync("Every Monday at 08:00 · Europe/Zurich");
        await Expect(row.GetByTestId("definition-last-run")).ToContainTextAsync("Succeeded");
        await Expect(row).ToContainTextAsync("XLSX");
        await ConsolePages.AssertAccessibleAsync(page, "scheduled reports (en)", output);
        await ConsolePages.ScreenshotAsync(page, "scheduled-reports-cases-en");

        // Deleted after a confirmation: gone from the list and from the API.
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await page.GetByTestId("delete-definition").ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new PageGetByRoleOptions { Name = "Delete the report “Cases: Paraguay”" });
        await Expect(confirm).ToContainTextAsync("This cannot be undone");
        await ConsolePages.AssertAccessibleAsync(page, "delete confirmation (en)", output);
        await confirm.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Delete" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/reports/definitions$"));
        await Expect(page.GetByTestId("definition-count")).ToHaveTextAsync("0 report definitions");
        Assert.Equal(JsonValueKind.Null, (await Admin().QueryAsync(DefinitionQuery, new { id })).GetProperty("reportDefinition").ValueKind);
        // Its runs and their files went with it.
        Assert.Equal(404, (await page.Context.APIRequest.GetAsync(fileUrl)).Status);
    }

    [Theory]
    [InlineData("en", "Schedule this view", "Cases by country, weekly", "New scheduled report", "Save", "Succeeded")]
    [InlineData("fr", "Programmer cette vue", "Dossiers par pays, chaque semaine", "Nouveau rapport programmé", "Enregistrer", "Réussie")]
    [InlineData("es", "Programar esta vista", "Casos por país, cada semana", "Nuevo informe programado", "Guardar", "Correcta")]
    public async Task A_dashboard_statistic_is_scheduled_run_and_listed_in_each_language(string language, string schedule, string byCountry, string formTitle, string save, string succeeded)
    {
        var page = await ConsolePages.SignedInPageAsync(fixture, $"scheduler.{language}@example.org", language: language);
        await page.GotoAsync(fixture.Url("/"));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = schedule }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new PageGetByRoleOptions { Name = byCountry }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new PageGetByRoleOptions { Name = formTitle });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByTestId("preview-runs").Locator("li")).ToHaveCountAsync(3);
        await ConsolePages.AssertAccessibleAsync(page, $"editor ({language})", output);
        await WholeDialogScreenshotAsync(page, $"scheduled-report-editor-{language}");
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = save }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/reports/definitions/(?!new)[^/]+$"));

        // Cases by country: Paraguay and Bolivia, one row each.
        await page.GetByTestId("run-now").ClickAsync();
        var run = page.Locator("[data-testid=run-list] tbody tr");
        await Expect(run.GetByTestId("run-status")).ToHaveTextAsync(succeeded);
        await Expect(run.GetByTestId("run-rows")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("next-runs").Locator("li")).ToHaveCountAsync(3);
        await ConsolePages.AssertAccessibleAsync(page, $"report definition with its runs ({language})", output);
        await PageScreenshotAsync(page, $"scheduled-report-runs-{language}");
        var shown = await page.Locator("main").InnerTextAsync();

        await page.GotoAsync(fixture.Url("/reports/definitions"));
        await Expect(page.Locator("[data-testid=definition-list] tbody tr")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("definition-last-run")).ToContainTextAsync(succeeded);
        await ConsolePages.AssertAccessibleAsync(page, $"scheduled reports ({language})", output);
        await ConsolePages.ScreenshotAsync(page, $"scheduled-reports-{language}");
        if (language != "en")
        {
            shown += await page.Locator("main").InnerTextAsync();
            foreach (var english in new[] { "Every Monday", "Run now", "Next runs", "Succeeded", "Scheduled reports", "Not run yet" })
            {
                Assert.DoesNotContain(english, shown, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The page from its top (the shell's fixed header is drawn where the page was scrolled to otherwise), without the notifications of what was done.</summary>
    private static async Task PageScreenshotAsync(IPage page, string name)
    {
        foreach (var close in await page.Locator(".mantine-Notification-root button").AllAsync())
        {
            await close.ClickAsync();
        }

        await Expect(page.Locator(".mantine-Notification-root")).ToHaveCountAsync(0);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await ConsolePages.ScreenshotAsync(page, name);
    }

    /// <summary>The editor is taller than the window: photographed in a window tall enough for all of it.</summary>
    private static async Task WholeDialogScreenshotAsync(IPage page, string name)
    {
        await page.SetViewportSizeAsync(1280, 2000);
        await ConsolePages.SettledAsync(page);
        await ConsolePages.ScreenshotAsync(page, name);
        await page.SetViewportSizeAsync(1280, 800);
    }

    private GraphQLClient Admin() => new(new HttpClient { BaseAddress = fixture.BaseUrl }, PlatformFactory.AdminKey);

    private async Task<IEnumerable<string>> ReferencesAsync(IEnumerable<string> titles) =>
        (await Admin().QueryAsync("query { cases(filter: { countries: [\"PY\"] }, first: 50) { nodes { reference title } } }"))
        .GetProperty("cases").GetProperty("nodes").EnumerateArray().Where(c => titles.Contains(c.GetProperty("title").GetString()!)).Select(c => c.GetProperty("reference").GetString()!)
        .Order(StringComparer.Ordinal);
}
