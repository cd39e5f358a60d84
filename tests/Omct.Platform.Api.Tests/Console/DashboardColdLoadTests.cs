using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The dashboard on a throttled connection (1.6 Mbit/s down, 150 ms RTT, through CDP) with the large demo data (5,003
/// cases over 15 years and 30 countries), on a <b>cold</b> browser cache — a browser that has never loaded the console
/// (a new context: its own empty cache) and holds only the person's session cookie. Timed by the page's own clock from
/// the navigation (performance.now()), with the waterfall in the test's output.
/// The design card's budget: the dashboard usable — its key figures (KPIs) drawn — within 3 s. What makes it: the
/// console's first script is small and starts the session check, the dashboard's chunk and its figures at once, while
/// the rest of the console (React, Mantine, the shell) arrives; each area's GraphQL documents are in that area's chunk,
/// not in the initial JavaScript; the charts (ECharts) and the map are asked for once the figures and the console's own
/// chunk are there, so that they do not take the bandwidth from the KPIs. The charts and the map are guarded at twice the
/// budget and their times printed; the warm-shell budget of 3 s is asserted in <see cref="DashboardTests"/>.
/// </summary>
[Collection(TimedCollection.Name)]
public sealed class DashboardColdLoadTests(LargeDemoConsoleFixture fixture, ITestOutputHelper output) : IClassFixture<LargeDemoConsoleFixture>
{
    /// <summary>The design card's budget: the key figures drawn (the dashboard usable).</summary>
    private const double Budget = 3_000;

    /// <summary>Twice the budget, for the charts and the map, which come after the key figures: a regression guard.</summary>
    private const double ChartsGuard = 6_000;

    [Fact]
    public async Task On_a_throttled_connection_with_a_cold_cache_the_dashboard_over_the_large_demo_is_usable_within_3_seconds()
    {
        // Signed in elsewhere (another browser context): the cold one takes only its cookies, not its cache.
        var signedIn = await ConsolePages.SignedInPageAsync(fixture, "dashboard.cold@example.org");
        var cookies = await signedIn.Context.StorageStateAsync();
        await signedIn.Context.CloseAsync();

        // Twice, each time in a new context (a cold cache each time): the better of two keeps a machine's hiccup out.
        var runs = new List<(double Kpis, double Charts, double Map)>();
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                StorageState = cookies,
                Locale = "en-GB",
                ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            });
            await context.AddInitScriptAsync(
                "window.__marks = {}; new MutationObserver(() => { const m = window.__marks; const now = performance.now();" +
                " if (!m.kpis && document.querySelector('[data-testid=kpi-open]')) m.kpis = now;" +
                " if (!m.charts && document.querySelectorAll('[data-chart-ready] svg').length === 3) m.charts = now;" +
                " if (!m.map && document.querySelector('[data-map-ready]')) m.map = now;" +
                " }).observe(document, { subtree: true, childList: true, attributes: true });");
            var page = await context.NewPageAsync();
            var cdp = await context.NewCDPSessionAsync(page);
            await cdp.SendAsync("Network.enable");
            await cdp.SendAsync("Network.setCacheDisabled", new Dictionary<string, object> { ["cacheDisabled"] = true });
            await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
            {
                ["offline"] = false,
                ["latency"] = 150,
                ["downloadThroughput"] = 1.6 * 1024 * 1024 / 8,
                ["uploadThroughput"] = 750 * 1024 / 8,
            });

            await page.GotoAsync(fixture.Url("/"));
            await page.WaitForFunctionAsync("() => window.__marks.kpis && window.__marks.charts && window.__marks.map", null,
                new PageWaitForFunctionOptions { Timeout = 30_000 });
            var kpis = await page.EvaluateAsync<double>("() => window.__marks.kpis");
            var charts = await page.EvaluateAsync<double>("() => window.__marks.charts");
            var map = await page.EvaluateAsync<double>("() => window.__marks.map");
            output.WriteLine($"cold, throttled, attempt {attempt}: KPIs at {kpis:0} ms, charts at {charts:0} ms, map at {map:0} ms after navigation");
            output.WriteLine(await WaterfallAsync(page));
            // The large demo is what was drawn (the small demo has 3 cases).
            var total = int.Parse(await page.Locator("[data-kpi=total]").GetAttributeAsync("data-value") ?? "-1", CultureInfo.InvariantCulture);
            Assert.InRange(total, 4_000, 5_003);
            runs.Add((kpis, charts, map));
            if (attempt == 1)
            {
                await ConsolePages.ScreenshotAsync(page, "dashboard-cold-large-en");
            }
        }

        // The dashboard is usable when its key figures are drawn: the better of the two runs within the budget.
        var bestKpis = runs.Min(r => r.Kpis);
        Assert.True(bestKpis <= Budget, $"The KPIs were drawn {bestKpis:0} ms after navigation (budget {Budget:0} ms).");
        var best = runs.MinBy(r => Math.Max(r.Charts, r.Map));
        Assert.True(best.Charts <= ChartsGuard, $"The charts were drawn {best.Charts:0} ms after navigation (guard {ChartsGuard:0} ms).");
        Assert.True(best.Map <= ChartsGuard, $"The map was drawn {best.Map:0} ms after navigation (guard {ChartsGuard:0} ms).");
    }

    /// <summary>What the page fetched and when (ms from the navigation), for the test's output: where the time goes.</summary>
    private static async Task<string> WaterfallAsync(IPage page)
    {
        var entries = await page.EvaluateAsync<string[][]>(
            "() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))" +
            ".map(e => [e.name.replace(location.origin, ''), Math.round(e.startTime) + '', Math.round(e.responseEnd) + '', (e.encodedBodySize || 0) + ''])");
        var text = new StringBuilder();
        foreach (var e in entries)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {e[1],6} → {e[2],6} ms {e[3],8} B  {e[0]}");
        }

        return text.ToString();
    }
}
