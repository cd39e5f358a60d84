using System.Text.Json;
using Omct.Platform.Api.Tests.Accounts;
using Microsoft.Playwright;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The console's dashboard in Debian's Chromium: every figure it renders (KPIs, the charts' and the map's data tables,
/// the latest changes) equals the API's answer for a key of the same clearance, for a STAFF and a NETWORK person, and a
/// STAFF case never reaches the NETWORK person's screen; axe-core in three languages, with screenshots.
/// </summary>
[Collection(TimedCollection.Name)]
public sealed class DashboardTests(ConsoleFixture fixture, ITestOutputHelper output) : IClassFixture<ConsoleFixture>, IAsyncLifetime
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Dictionary<ConsoleFixture, string> StaffCaseIds = [];

    /// <summary>A STAFF case, in a country of its own (Iceland), with an urgent appeal issued today.</summary>
    private string StaffCaseId => StaffCaseIds[fixture];

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (StaffCaseIds.ContainsKey(fixture))
            {
                return;
            }

            var admin = Client(PlatformFactory.AdminKey);
            var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
            // NETWORK cases (both people see them), opened this month and in earlier years, with events and interventions.
            var a = await OpenAsync(admin, "Kenya: arrest of a lawyer", "KE", "NETWORK", today);
            await RecordAsync(admin, a, "ARREST", "NETWORK");
            await IssueAsync(admin, a, today);
            var b = await OpenAsync(admin, "Kenya: threats against a journalist", "KE", "NETWORK", "2019-03-04");
            await RecordAsync(admin, b, "THREAT", "NETWORK");
            var c = await OpenAsync(admin, "Peru: raid on an NGO", "PE", "PUBLIC", "2021-06-01");
            await RecordAsync(admin, c, "RAID", "PUBLIC");
            await IssueAsync(admin, c, today);
            // The STAFF case: its country, year, event type (TORTURE), intervention and change must reach the STAFF person only.
            var s = await OpenAsync(admin, "Iceland: staff-only file", "IS", "STAFF", today);
            await RecordAsync(admin, s, "TORTURE", "STAFF");
            await IssueAsync(admin, s, today);
            StaffCaseIds[fixture] = s;
        }
        finally
        {
            Once.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("STAFF")]
    [InlineData("NETWORK")]
    public async Task The_figures_equal_the_APIs_for_the_persons_clearance(string clearance)
    {
        var person = await fixture.PersonAsync($"dashboard.{clearance.ToLowerInvariant()}@example.org", "STAFF", clearance);
        var key = await Client(PlatformFactory.AdminKey).QueryAsync(
            "mutation($c: Confidentiality!) { createApiKey(input: { name: \"dashboard test\", role: STAFF, clearance: $c }) { key } }", new { c = clearance });
        var api = Client(key.GetProperty("createApiKey").GetProperty("key").GetString()!);
        var (context, page, errors) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;
        await page.GotoAsync(fixture.Url("/"));
        await ConsolePages.SignInAsync(page, person);
        await Expect(page.GetByTestId("kpi-open")).ToBeVisibleAsync();
        await Expect(page.Locator("#chart-by-year-data tbody tr").First).ToBeAttachedAsync();
        await Expect(page.Locator("[data-testid=recent-changes] [data-case-id]").First).ToBeVisibleAsync();

        var now = DateTime.UtcNow;
        var month = new DateOnly(now.Year, now.Month, 1);
        var answer = await api.QueryAsync(
            "query($ms: Date!, $me: Date!, $ys: Date!, $ye: Date!) { caseCount open: cases(filter: { statuses: [OPEN] }) { totalCount } " +
            "month: cases(filter: { openedFrom: $ms, openedTo: $me }) { totalCount } im: interventionCount(issuedFrom: $ms, issuedTo: $me) " +
            "iy: interventionCount(issuedFrom: $ys, issuedTo: $ye) c: caseStatistics(groupBy: COUNTRY) { key count } " +
            "y: caseStatistics(groupBy: YEAR) { key count } e: caseStatistics(groupBy: EVENT_TYPE) { key count } recentlyUpdatedCases(first: 8) { id } }",
            new { ms = Iso(month), me = Iso(month.AddMonths(1).AddDays(-1)), ys = $"{now.Year}-01-01", ye = $"{now.Year}-12-31" });

        Assert.Equal(answer.GetProperty("caseCount").GetInt32(), await KpiAsync(page, "total"));
        Assert.Equal(answer.GetProperty("open").GetProperty("totalCount").GetInt32(), await KpiAsync(page, "open"));
        Assert.Equal(answer.GetProperty("month").GetProperty("totalCount").GetInt32(), await KpiAsync(page, "new-this-month"));
        Assert.Equal(answer.GetProperty("im").GetInt32(), await KpiAsync(page, "interventions-month"));
        Assert.Equal(answer.GetProperty("iy").GetInt32(), await KpiAsync(page, "interventions-year"));
        Assert.Equal(Buckets(answer, "c"), await TableAsync(page, "chart-by-country-data"));
        Assert.Equal(Buckets(answer, "c"), await TableAsync(page, "world-map-data"));
        Assert.Equal(Buckets(answer, "y"), await TableAsync(page, "chart-by-year-data"));
        Assert.Equal(Buckets(answer, "e"), await TableAsync(page, "chart-by-event-type-data"));
        var recent = answer.GetProperty("recentlyUpdatedCases").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.Equal(recent, await page.Locator("[data-testid=recent-changes] [data-case-id]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.caseId)"));

        // What the STAFF case adds: one case, one open case, one opened this month, one intervention this month, IS, TORTURE.
        var staff = clearance == "STAFF";
        var countries = await TableAsync(page, "chart-by-country-data");
        Assert.Equal(staff, countries.ContainsKey("IS"));
        Assert.Equal(staff, (await TableAsync(page, "world-map-data")).ContainsKey("IS"));
        await Expect(page.Locator("svg[data-map-ready]")).ToBeVisibleAsync();
        Assert.Equal(staff ? "1" : "0", await page.Locator("svg[data-map-ready] path[data-country=IS]").GetAttributeAsync("data-count"));
        Assert.Equal(staff, (await TableAsync(page, "chart-by-event-type-data")).ContainsKey("TORTURE"));
        Assert.Equal(staff, recent.Contains(StaffCaseId));
        Assert.Equal(staff ? 4 : 3, await KpiAsync(page, "total"));
        Assert.Equal(staff ? 3 : 2, await KpiAsync(page, "interventions-month"));
        Assert.Equal(staff ? 2 : 1, await KpiAsync(page, "new-this-month"));
        // The latest changes link to the case desk.
        await Expect(page.Locator("[data-testid=recent-changes] a").First).ToHaveAttributeAsync("href", $"/console/cases/{Uri.EscapeDataString(recent[0])}");
        Assert.Empty(errors);
        output.WriteLine($"{clearance}: {await KpiAsync(page, "total")} cases, countries {string.Join(",", countries.Keys)}");
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violation_on_the_dashboard_in_any_language()
    {
        var failures = new List<string>();
        foreach (var (language, title) in new[] { ("en", "Dashboard"), ("fr", "Tableau de bord"), ("es", "Panel") })
        {
            var person = await fixture.PersonAsync($"dashboard.axe.{language}@example.org");
            var (context, page, _) = await ConsolePages.NewPageAsync(fixture, language);
            await using var _context = context;
            await page.GotoAsync(fixture.Url("/"));
            await ConsolePages.PasswordAsync(page, person, Label(language, "email"), Label(language, "password"), Label(language, "submit"));
            await page.GetByLabel(Label(language, "code")).FillAsync(Totp.Code(person.AuthenticatorKey));
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = Label(language, "continue"), Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = title, Exact = true, Level = 1 })).ToBeVisibleAsync();
            // Charts drawn (ECharts' SVG), the map drawn, the lists answered: the whole screen is checked.
            await page.WaitForFunctionAsync("() => document.querySelectorAll('[data-chart-ready] svg').length === 3 && !!document.querySelector('[data-map-ready]')");
            await Expect(page.Locator("[data-testid=upcoming] .mantine-Skeleton-root")).ToHaveCountAsync(0);
            await ConsolePages.ScreenshotAsync(page, $"dashboard-{language}");

            failures.AddRange(await ConsolePages.AxeFailuresAsync(page, $"dashboard-{language}", output));
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>
    /// The throttled-load budget (1.6 Mbit/s down, 150 ms RTT through CDP): with the console's shell already in the
    /// browser's cache (the person used another screen first), the KPIs and the three charts are drawn within 3 s of
    /// navigating to the dashboard, timed by the page's own clock (performance.now() from the navigation). This class's
    /// data is small; the same measure on the 5,000 cases of the large demo is in the branch's report.
    /// </summary>
    [Fact]
    public async Task On_a_throttled_connection_the_KPIs_and_charts_are_drawn_within_3_seconds()
    {
        var person = await fixture.PersonAsync("dashboard.throttled@example.org");
        var (context, page, _) = await ConsolePages.NewPageAsync(fixture);
        await using var _context = context;
        await context.AddInitScriptAsync(
            "window.__marks = {}; new MutationObserver(() => { const m = window.__marks;" +
            " if (!m.kpis && document.querySelector('[data-testid=kpi-open]')) m.kpis = performance.now();" +
            " if (!m.charts && document.querySelectorAll('[data-chart-ready] svg').length === 3) m.charts = performance.now();" +
            " }).observe(document, { subtree: true, childList: true });");
        await page.GotoAsync(fixture.Url("/cases"));
        await ConsolePages.SignInAsync(page, person);

        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = 150,
            ["downloadThroughput"] = 1.6 * 1024 * 1024 / 8,
            ["uploadThroughput"] = 750 * 1024 / 8,
        });
        await page.GotoAsync(fixture.Url("/"));
        await page.WaitForFunctionAsync("() => window.__marks.kpis && window.__marks.charts", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        var kpis = await page.EvaluateAsync<double>("() => window.__marks.kpis");
        var charts = await page.EvaluateAsync<double>("() => window.__marks.charts");
        output.WriteLine($"throttled: KPIs at {kpis:0} ms, charts at {charts:0} ms after navigation");
        Assert.True(kpis <= 3000, $"The KPIs were drawn {kpis:0} ms after navigation (budget 3,000 ms).");
        Assert.True(charts <= 3000, $"The charts were drawn {charts:0} ms after navigation (budget 3,000 ms).");
    }

    private static string Label(string language, string what) => (language, what) switch
    {
        ("fr", "email") => "Adresse e-mail",
        ("fr", "password") => "Mot de passe",
        ("fr", "submit") => "Se connecter",
        ("fr", "code") => "Code de l'application d'authentification",
        ("fr", "continue") => "Continuer",
        ("es", "email") => "Correo electrónico",
        ("es", "password") => "Contraseña",
        ("es", "submit") => "Iniciar sesión",
        ("es", "code") => "Código de la aplicación de autenticación",
        ("es", "continue") => "Continuar",
        (_, "email") => "E-mail",
        (_, "password") => "Password",
        (_, "submit") => "Sign in",
        (_, "code") => "Code from your authenticator app",
        _ => "Continue",
    };

    /// <summary>A GraphQL client on the console's host (Kestrel) with an API key.</summary>
    private GraphQLClient Client(string apiKey) => new(new HttpClient { BaseAddress = fixture.BaseUrl }, apiKey);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd");

    private static async Task<int> KpiAsync(IPage page, string id) =>
        int.Parse(await page.Locator($"[data-kpi={id}]").GetAttributeAsync("data-value") ?? "-1");

    private static async Task<Dictionary<string, int>> TableAsync(IPage page, string id)
    {
        var rows = await page.Locator($"#{id} tbody tr").EvaluateAllAsync<string[][]>("rows => rows.map(r => [r.dataset.key, r.dataset.value])");
        return rows.ToDictionary(r => r[0], r => int.Parse(r[1]));
    }

    private static Dictionary<string, int> Buckets(JsonElement answer, string name) =>
        answer.GetProperty(name).EnumerateArray().ToDictionary(b => b.GetProperty("key").GetString()!, b => b.GetProperty("count").GetInt32());

    private static async Task<string> OpenAsync(GraphQLClient admin, string title, string country, string confidentiality, string openedOn)
    {
        var data = await admin.QueryAsync("mutation($input: OpenCaseInput!) { openCase(input: $input) { case { id } } }",
            new { input = new { title, countryCode = country, confidentiality, openedOn } });
        return data.GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
    }

    private static Task<JsonElement> RecordAsync(GraphQLClient admin, string caseId, string type, string confidentiality) =>
        admin.QueryAsync($"mutation($id: ID!) {{ recordCaseEvent(input: {{ caseId: $id, type: {type}, date: \"2019-02\", confidentiality: {confidentiality} }}) {{ case {{ id }} }} }}",
            new { id = caseId });

    private static Task<JsonElement> IssueAsync(GraphQLClient admin, string caseId, string issuedOn) =>
        admin.QueryAsync("mutation($id: ID!, $on: Date) { issueIntervention(input: { caseId: $id, type: URGENT_APPEAL, issuedOn: $on }) { case { id } } }",
            new { id = caseId, on = issuedOn });
}
