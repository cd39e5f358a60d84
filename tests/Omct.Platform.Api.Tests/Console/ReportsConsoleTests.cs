using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Digests;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The console's digests and reports in Debian's Chromium: a monthly report opened with its charts (every figure equal
/// to the API's), its CSV and HTML downloaded by a signed-in person with the session alone, the HTML printed to PDF;
/// a NETWORK person gets no report above its clearance, neither listed nor downloaded; a digest subscription created
/// (a VALIDATION on its field first) and paused; a stored digest opened; axe and screenshots in EN/FR/ES.
/// </summary>
public sealed class ReportsConsoleTests(ConsoleFixture fixture, ITestOutputHelper output) : IClassFixture<ConsoleFixture>, IAsyncLifetime
{
    private const string Month = "2023-02";
    private const string ReportsQuery = "query { reports(first: 100) { nodes { id month clearance csvUrl htmlUrl figures { table key subKey count } } } }";

    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly HashSet<ConsoleFixture> Ready = [];

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (!Ready.Add(fixture))
            {
                return;
            }

            var admin = Admin();
            // February 2023: two cases in Guatemala (NETWORK, STAFF) and one in Honduras (STAFF), an urgent appeal each; a submission.
            foreach (var (title, country, level) in new[] { ("Guatemala: arrest of a land defender", "GT", "NETWORK"), ("Guatemala: raid", "GT", "STAFF"), ("Honduras: threats", "HN", "STAFF") })
            {
                var id = (await admin.QueryAsync(
                    "mutation($title: String!, $country: CountryCode!, $level: Confidentiality) { openCase(input: { title: $title, countryCode: $country, openedOn: \"2023-02-10\", confidentiality: $level }) { case { id } } }",
                    new { title, country, level })).GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
                await admin.QueryAsync("mutation($id: ID!) { issueIntervention(input: { caseId: $id, type: URGENT_APPEAL, issuedOn: \"2023-02-11\" }) { case { id } } }", new { id });
            }

            await admin.QueryAsync("mutation { planSubmission(input: { mechanism: UPR, countryCode: \"GT\", title: \"Guatemala UPR\", dueOn: \"2027-03-15\", confidentiality: STAFF }) { submission { id } } }");
            await DigestKit.RunAsync(admin, "REPORT", new DateOnly(2023, 3, 1));

            // A daily subscription and the digest of yesterday, made by the DIGEST job.
            await DigestKit.SubscribeAsync(admin, new { name = "Central America desk", period = "DAILY", audience = "STAFF", emailRecipients = new[] { "ca-desk@example.org" }, clientMutationId = "reports-console-daily" });
            await DigestKit.RunAsync(admin, "DIGEST", DigestKit.TodayInGeneva());
        }
        finally
        {
            Once.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_report_opens_with_charts_equal_to_the_APIs_figures_and_downloads_as_CSV_and_HTML_with_the_session()
    {
        var report = await ApiReportAsync(await KeyAsync("STAFF", "STAFF"));
        var page = await ConsolePages.SignedInPageAsync(fixture, "reports.staff@example.org");
        await page.GotoAsync(fixture.Url("/reports"));
        var row = page.Locator($"[data-testid=report-list] tr[data-month='{Month}']");
        await Expect(row).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Open the report of February 2023", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("report-title")).ToHaveTextAsync("Monthly report: February 2023");
        await Expect(page.Locator("[data-testid^=chart-] svg").First).ToBeVisibleAsync();

        // Every table of the page holds exactly the API's figures; every chart draws the largest 15 of them, largest first.
        var figures = report.GetProperty("figures").EnumerateArray()
            .Select(f => (Table: f.GetProperty("table").GetString()!, Key: f.GetProperty("key").GetString()!,
                SubKey: f.GetProperty("subKey").ValueKind == JsonValueKind.String ? f.GetProperty("subKey").GetString()! : "", Count: f.GetProperty("count").GetInt64()))
            .ToList();
        Assert.Contains(figures, f => f is { Table: "opened_in_month_by_country", Key: "GT", Count: 2 });
        Assert.Contains(figures, f => f is { Table: "opened_in_month_by_country", Key: "HN", Count: 1 });
        Assert.Contains(figures, f => f is { Table: "submissions_by_mechanism_and_status", Key: "UPR", SubKey: "PLANNED", Count: 1 });
        var tables = figures.Select(f => f.Table).Distinct().ToList();
        Assert.True(tables.Count >= 5, string.Join(", ", tables));
        foreach (var table in tables)
        {
            var expected = figures.Where(f => f.Table == table).Select(f => $"{f.Key}|{f.SubKey}|{f.Count}").Order(StringComparer.Ordinal).ToList();
            var shown = await page.Locator($"[data-testid='table-{table}'] tbody tr").EvaluateAllAsync<string[]>(
                "rows => rows.map(r => `${r.dataset.key}|${r.dataset.subKey}|${r.dataset.count}`)");
            Assert.Equal(expected, shown.Order(StringComparer.Ordinal).ToList());
            var chart = page.GetByTestId($"chart-{table}");
            var drawn = figures.Where(f => f.Table == table).Select(f => f.Count).OrderDescending().Take(15).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(string.Join(",", drawn), await chart.GetAttributeAsync("data-values"));
            // ECharts has drawn one bar (a path) per value at least, as SVG.
            Assert.True(await chart.Locator("svg path").CountAsync() >= drawn.Count(), table);
        }

        await Expect(page.Locator("[data-testid='table-opened_in_month_by_country'] tbody tr[data-key=GT] th")).ToHaveTextAsync("Guatemala");
        await ConsolePages.AssertAccessibleAsync(page, "report page (en)", output);

        // The CSV, downloaded by the button (the session cookie, no API key, no antiforgery header): the API key's file.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-csv").ClickAsync());
        Assert.Equal($"omct-report-{Month}-staff.csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        var integratorKey = await KeyAsync("INTEGRATOR", "STAFF");
        Assert.Equal(await FileWithKeyAsync(report.GetProperty("csvUrl").GetString()!, integratorKey), csv);
        Assert.Contains("opened_in_month_by_country,GT,,2", csv.Split("\r\n"));

        // The HTML, opened in a new tab by the button: its charts, its print stylesheet; printed to PDF by Chromium.
        var html = await page.Context.RunAndWaitForPageAsync(() => page.GetByTestId("open-html").ClickAsync());
        await html.WaitForLoadStateAsync();
        Assert.Equal("OMCT monthly report, 2023-02", await html.TitleAsync());
        Assert.True(await html.Locator("svg.chart[role=img]").CountAsync() >= 5);
        Assert.Equal(0, await html.Locator("script").CountAsync());
        Assert.Equal(2, await html.Locator("svg[data-table=opened_in_month_by_country] rect.bar").CountAsync());
        var bySession = await html.Context.APIRequest.GetAsync(fixture.BaseUrl.ToString().TrimEnd('/') + report.GetProperty("htmlUrl").GetString());
        Assert.Equal(await FileWithKeyAsync(report.GetProperty("htmlUrl").GetString()!, integratorKey), await bySession.TextAsync());
        await ConsolePages.AssertAccessibleAsync(html, "HTML report (en)", output);
        await html.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.Equal("none", await html.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('nav')).display"));
        Assert.Equal("page", await html.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('section.group-start')).breakBefore"));
        Assert.Equal("table-header-group", await html.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('thead')).display"));
        var pdf = await html.PdfAsync(new PagePdfOptions { Format = "A4", PreferCSSPageSize = true });
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
        var pages = Regex.Count(Encoding.Latin1.GetString(pdf), @"/Type\s*/Page\b");
        output.WriteLine($"PDF: {pdf.Length} bytes, {pages} page(s)");
        Assert.True(pages >= 3, $"the month, the totals and the submissions start a page each: {pages} page(s)");
        await File.WriteAllBytesAsync(Path.Combine(ConsolePages.ScreenshotFolder, "report-print.pdf"), pdf);
        await html.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });
        await ConsolePages.ScreenshotAsync(html, "report-html-en");
    }

    [Fact]
    public async Task The_report_files_take_the_signed_in_session_and_never_give_more_than_its_clearance()
    {
        var report = await ApiReportAsync(await KeyAsync("STAFF", "STAFF"));
        var csvUrl = fixture.BaseUrl.ToString().TrimEnd('/') + report.GetProperty("csvUrl").GetString();
        var htmlUrl = fixture.BaseUrl.ToString().TrimEnd('/') + report.GetProperty("htmlUrl").GetString();

        // A STAFF person's session: the files, with no antiforgery header (a plain link); from another site: refused.
        var staff = await ConsolePages.SignedInPageAsync(fixture, "reports.files@example.org");
        var csv = await staff.Context.APIRequest.GetAsync(csvUrl);
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("table,key,sub_key,count", await csv.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(200, (await staff.Context.APIRequest.GetAsync(htmlUrl)).Status);
        var crossSite = await staff.Context.APIRequest.GetAsync(csvUrl, new APIRequestContextOptions { Headers = new Dictionary<string, string> { ["Sec-Fetch-Site"] = "cross-site" } });
        Assert.Equal(403, crossSite.Status);
        // Only reading is let through: the same session's POST to /graphql without the header is still refused.
        var post = await staff.Context.APIRequest.PostAsync(fixture.BaseUrl + "graphql", new APIRequestContextOptions
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            Data = "{\"query\":\"{ reports(first: 1) { totalCount } }\"}",
        });
        Assert.Equal(403, post.Status);

        // A NETWORK person (a STAFF role with the NETWORK clearance): no report listed, none downloaded (404 as an unknown one), none opened.
        var network = await ConsolePages.SignedInPageAsync(fixture, "reports.network@example.org", "STAFF", "NETWORK");
        await network.GotoAsync(fixture.Url("/reports"));
        await Expect(network.GetByTestId("report-count")).ToHaveTextAsync("0 reports");
        await Expect(network.GetByText("No report your clearance reaches yet.")).ToBeVisibleAsync();
        var unknownUrl = fixture.BaseUrl + "reports/" + BuildingBlocks.Ids.GlobalId.Encode("Report", Guid.CreateVersion7()) + ".csv";
        var hidden = await network.Context.APIRequest.GetAsync(csvUrl);
        var unknown = await network.Context.APIRequest.GetAsync(unknownUrl);
        Assert.Equal((404, 404), (hidden.Status, unknown.Status));
        Assert.Equal(await unknown.TextAsync(), await hidden.TextAsync());
        Assert.Equal(404, (await network.Context.APIRequest.GetAsync(htmlUrl)).Status);
        await network.GotoAsync(fixture.Url("/reports/" + Uri.EscapeDataString(report.GetProperty("id").GetString()!)));
        await Expect(network.GetByTestId("report-not-found")).ToBeVisibleAsync();
        Assert.DoesNotContain("Guatemala", await network.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await ConsolePages.AssertAccessibleAsync(network, "report not found (NETWORK)", output);
    }

    [Fact]
    public async Task A_digest_subscription_is_created_and_paused_and_a_stored_digest_opens()
    {
        var page = await ConsolePages.SignedInPageAsync(fixture, "reports.digests@example.org");
        await page.GotoAsync(fixture.Url("/digests"));
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Digests", Level = 1 })).ToBeVisibleAsync();
        await page.GetByTestId("create-subscription").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("Andes desk");
        await ConsolePages.ChooseAsync(page, dialog.GetByLabel("Audience (clearance)"), "Network");
        await dialog.GetByLabel("E-mail recipients, one per line").FillAsync("andes@example.org");
        // The API's VALIDATION lands on its field: a webhook that is not https.
        await dialog.GetByLabel("Webhook URL (https)").FillAsync("ftp://crm.example.org/digests");
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save" }).ClickAsync();
        await Expect(dialog.GetByLabel("Webhook URL (https)")).ToHaveAttributeAsync("aria-invalid", "true");
        await ConsolePages.AssertAccessibleAsync(page, "subscription form with an error (en)", output);
        await dialog.GetByLabel("Webhook URL (https)").FillAsync("https://crm.example.org/omct/digests");
        await dialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save" }).ClickAsync();
        // The webhook's secret, once.
        var secret = page.GetByTestId("webhook-secret");
        await Expect(secret).ToBeVisibleAsync();
        Assert.True((await secret.InnerTextAsync()).Trim().Length >= 16);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "I have stored it" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        var row = page.Locator("[data-testid=subscription-list] tr[data-subscription='Andes desk']");
        await Expect(row.GetByTestId("subscription-state")).ToHaveTextAsync("Active");
        var api = Admin();
        var created = await SubscriptionAsync(api, "Andes desk");
        Assert.Equal(("NETWORK", "WEEKLY", "MONDAY", false), (created.GetProperty("audience").GetString(), created.GetProperty("period").GetString(), created.GetProperty("weekday").GetString(), created.GetProperty("paused").GetBoolean()));
        Assert.Equal(["andes@example.org"], created.GetProperty("emailRecipients").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("https://crm.example.org/omct/digests", created.GetProperty("webhookUrl").GetString());

        // Paused, with the version the page read.
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Pause the subscription Andes desk" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("No digest is made for it until it is resumed");
        await ConsolePages.AssertAccessibleAsync(page, "pause dialog (en)", output);
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Save" }).ClickAsync();
        await Expect(row.GetByTestId("subscription-state")).ToHaveTextAsync("Paused");
        var paused = await SubscriptionAsync(api, "Andes desk");
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal(created.GetProperty("version").GetInt32() + 1, paused.GetProperty("version").GetInt32());
        await Expect(row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Resume the subscription Andes desk" })).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "digests (en)", output);

        // The stored digest of the daily subscription opens with its sections and deliveries.
        var digests = (await api.QueryAsync("query { digests(first: 50) { nodes { id subscriptionName sections { kind } deliveries { target } } } }"))
            .GetProperty("digests").GetProperty("nodes").EnumerateArray().ToList();
        var digest = digests.First(d => d.GetProperty("subscriptionName").GetString() == "Central America desk");
        var link = page.Locator($"[data-testid=digest-list] tr[data-digest-id='{digest.GetProperty("id").GetString()}'] a");
        await link.ClickAsync();
        await Expect(page.GetByTestId("digest-title")).ToHaveTextAsync("Digest of Central America desk");
        foreach (var section in digest.GetProperty("sections").EnumerateArray())
        {
            await Expect(page.GetByTestId("digest-section-" + section.GetProperty("kind").GetString())).ToBeVisibleAsync();
        }

        await Expect(page.GetByText("ca-desk@example.org")).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "digest page (en)", output);
    }

    [Theory]
    [InlineData("en", "Monthly reports", "Digests", "New digest subscription")]
    [InlineData("fr", "Rapports mensuels", "Synthèses", "Nouvel abonnement aux synthèses")]
    [InlineData("es", "Informes mensuales", "Resúmenes", "Nueva suscripción a los resúmenes")]
    public async Task Every_screen_is_translated_accessible_and_photographed(string language, string reportsTitle, string digestsTitle, string formTitle)
    {
        var page = await ConsolePages.SignedInPageAsync(fixture, $"reports.{language}@example.org", language: language);
        await page.GotoAsync(fixture.Url("/reports"));
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = reportsTitle, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-testid=report-list] tr[data-month='{Month}']")).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, $"reports ({language})", output);
        await ConsolePages.ScreenshotAsync(page, $"reports-{language}");

        await page.Locator($"[data-testid=report-list] tr[data-month='{Month}'] a").First.ClickAsync();
        await Expect(page.Locator("[data-testid^=chart-] svg").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await ConsolePages.AssertAccessibleAsync(page, $"report page ({language})", output);
        await ConsolePages.ScreenshotAsync(page, $"report-{language}");

        await page.GotoAsync(fixture.Url("/digests"));
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = digestsTitle, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("digest-list")).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, $"digests ({language})", output);
        await ConsolePages.ScreenshotAsync(page, $"digests-{language}");

        await page.GetByTestId("create-subscription").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog, new PageGetByRoleOptions { Name = formTitle })).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, $"subscription form ({language})", output);
        await ConsolePages.ScreenshotAsync(page, $"digest-subscription-form-{language}");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeHiddenAsync();

        await page.Locator("[data-testid=digest-list] tbody tr a").First.ClickAsync();
        await page.WaitForURLAsync(new Regex("/console/digests/.+"));
        try
        {
            await Expect(page.GetByTestId("digest-title")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });
        }
        catch
        {
            await ConsolePages.ScreenshotAsync(page, $"debug-digest-{language}");
            output.WriteLine(page.Url);
            throw;
        }
        await ConsolePages.AssertAccessibleAsync(page, $"digest page ({language})", output);
        await ConsolePages.ScreenshotAsync(page, $"digest-{language}");
        if (language != "en")
        {
            Assert.DoesNotContain("Digest of", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        }
    }

    private GraphQLClient Admin() => new(new HttpClient { BaseAddress = fixture.BaseUrl }, PlatformFactory.AdminKey);

    private async Task<string> KeyAsync(string role, string clearance) => await DigestKit.CreateKeyAsync(Admin(), role, clearance);

    private async Task<JsonElement> ApiReportAsync(string key) =>
        (await new GraphQLClient(new HttpClient { BaseAddress = fixture.BaseUrl }, key).QueryAsync(ReportsQuery))
        .GetProperty("reports").GetProperty("nodes").EnumerateArray().Single(r => r.GetProperty("month").GetString() == Month);

    private async Task<string> FileWithKeyAsync(string url, string key)
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Api-Key", key);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<JsonElement> SubscriptionAsync(GraphQLClient api, string name) =>
        (await api.QueryAsync("query { digestSubscriptions(first: 100) { nodes { id name period weekday audience emailRecipients webhookUrl paused version } } }"))
        .GetProperty("digestSubscriptions").GetProperty("nodes").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
}
