using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using IcalCalendar = Ical.Net.Calendar;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The console's calendar (/console/calendar) in Debian's Chromium over the demo data — loaded as build/run.sh loads it
/// (Omct__SeedDemoData: the modules' demo seeders in order, under the demo-data system caller) — plus one STAFF case:
/// Ales Bialiatski's conviction on its first anniversary (2012-11-24) and its reminder (2012-11-10), month navigation,
/// filters by country and kind in the URL, the keyboard, axe and screenshots of month, week and agenda in three
/// languages, and the person's iCalendar feed created, read by Ical.Net and revoked.
/// </summary>
public sealed class CalendarTests(ConsoleFixture console, ITestOutputHelper output) : IClassFixture<ConsoleFixture>, IAsyncLifetime
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly HashSet<ConsoleFixture> Seeded = [];
    private const string Conviction = "1 year since the conviction: Belarus: Sentencing of Mr. Ales Bialiatski";
    private const string StaffCase = "Iceland: staff-only calendar case";

    private GraphQLClient Admin => new(new HttpClient { BaseAddress = console.BaseUrl }, PlatformFactory.AdminKey);

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (!Seeded.Add(console))
            {
                return;
            }

            // What StartupWork does with Omct__SeedDemoData=true (build/run.sh), on this fixture's host.
            await using (var scope = console.Host.Services.CreateAsyncScope())
            {
                scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System("demo-data"));
                foreach (var seeder in scope.ServiceProvider.GetServices<IDemoDataSeeder>().OrderBy(s => s.Order))
                {
                    await seeder.SeedAsync(CancellationToken.None);
                }
            }

            // A STAFF case whose torture (2011-11-20) has its first anniversary in the same month.
            var id = (await Admin.QueryAsync(
                    "mutation { openCase(input: { title: \"" + StaffCase + "\", countryCode: \"IS\", confidentiality: STAFF, openedOn: \"2011-11-21\" }) { case { id } } }"))
                .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
            await Admin.QueryAsync("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: TORTURE, date: \"2011-11-20\", confidentiality: STAFF }) { case { id } } }",
                new { id });
        }
        finally
        {
            Once.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static ILocator Day(IPage page, string day) => page.Locator($"td[data-date='{day}']");

    [Fact]
    public async Task The_month_of_November_2012_shows_the_anniversary_of_Ales_Bialiatskis_conviction_on_the_24th_and_its_reminder_on_the_10th()
    {
        var anniversary = (await Admin.QueryAsync("{ anniversaries(from: \"2012-11-24\", to: \"2012-11-24\", filter: { countries: [\"BY\"] }) { kind caseEvent { type } case { id } } }"))
            .GetProperty("anniversaries").EnumerateArray().Single(a => a.GetProperty("caseEvent").GetProperty("type").GetString() == "CONVICTION");
        var caseId = anniversary.GetProperty("case").GetProperty("id").GetString()!;

        var page = await ConsolePages.SignedInPageAsync(console, "calendar.month@example.org");
        await page.GetByRole(AriaRole.Link, new() { Name = "Calendar" }).ClickAsync();
        await Expect(page.GetByTestId("calendar-month")).ToBeVisibleAsync();
        await page.GotoAsync(console.Url("/calendar?view=month&date=2012-10-15"));
        await Expect(page.GetByTestId("calendar-period")).ToHaveTextAsync("October 2012");
        // October's grid (1 October 2012 to 4 November) has no anniversary of the conviction.
        await Expect(page.GetByTestId("calendar-month").Locator("a[data-kind=YEARLY]", new() { HasText = Conviction })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Next month" }).ClickAsync();
        await Expect(page.GetByTestId("calendar-period")).ToHaveTextAsync("November 2012");
        await Expect(page).ToHaveURLAsync(new Regex("view=month&date=2012-11-"));
        var item = Day(page, "2012-11-24").Locator("a[data-kind=YEARLY]", new() { HasText = Conviction });
        await Expect(item).ToBeVisibleAsync();
        await Expect(item).ToHaveAttributeAsync("href", "/console/cases/" + Uri.EscapeDataString(caseId));
        var reminder = Day(page, "2012-11-10").Locator("a[data-kind=REMINDER]", new() { HasText = "In 14 days – " + Conviction });
        await Expect(reminder).ToBeVisibleAsync();
        await Expect(reminder).ToHaveAttributeAsync("href", "/console/cases/" + Uri.EscapeDataString(caseId));
        // The 500 days of detention fall on 2012-12-16 (outside the grid), their reminder on 2012-12-02 (its last day).
        await Expect(Day(page, "2012-12-02").Locator("a[data-kind=REMINDER]", new() { HasText = "In 14 days – 500 days in detention" })).ToBeVisibleAsync();
        await ConsolePages.ScreenshotAsync(page, "calendar-month-en");

        await item.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/cases/" + Regex.Escape(Uri.EscapeDataString(caseId)) + "$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Belarus: Sentencing of Mr. Ales Bialiatski", Exact = false })).ToBeVisibleAsync();
        await page.GoBackAsync();
        await Expect(page.GetByTestId("calendar-period")).ToHaveTextAsync("November 2012");
        Assert.Empty(await ConsolePages.CspViolationsAsync(page));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Filters_by_country_and_kind_are_kept_in_the_URL_and_a_NETWORK_person_never_sees_a_STAFF_item()
    {
        var page = await ConsolePages.SignedInPageAsync(console, "calendar.filters@example.org");
        await page.GotoAsync(console.Url("/calendar?view=month&date=2012-11-01"));
        var calendar = page.GetByTestId("calendar-month");
        await Expect(Day(page, "2012-11-20")).ToContainTextAsync(StaffCase);
        await Expect(Day(page, "2012-11-24")).ToContainTextAsync(Conviction);

        await ConsolePages.ChooseAsync(page, page.GetByRole(AriaRole.Combobox, new() { Name = "Countries" }), "Belarus");
        await Expect(page).ToHaveURLAsync(new Regex("country=BY"));
        await Expect(calendar).Not.ToContainTextAsync(StaffCase);
        await Expect(Day(page, "2012-11-24")).ToContainTextAsync(Conviction);

        await page.Keyboard.PressAsync("Escape");
        await ConsolePages.ChooseAsync(page, page.GetByRole(AriaRole.Combobox, new() { Name = "Kinds" }), "Reminder");
        await Expect(page).ToHaveURLAsync(new Regex("country=BY&kind=REMINDER"));
        await Expect(Day(page, "2012-11-24").Locator("a")).ToHaveCountAsync(0);
        await Expect(Day(page, "2012-11-10").Locator("a[data-kind=REMINDER]")).ToHaveCountAsync(2); // conviction and sentencing
        Assert.Equal(0, await calendar.Locator("a:not([data-kind=REMINDER])").CountAsync());

        // A reload (or a shared link) shows the same view.
        await page.ReloadAsync();
        await Expect(Day(page, "2012-11-10").Locator("a[data-kind=REMINDER]")).ToHaveCountAsync(2);
        await Expect(Day(page, "2012-11-24").Locator("a")).ToHaveCountAsync(0);
        // The chosen country is shown as the filter's pill (outside the input that carries the test id).
        await Expect(page).ToHaveURLAsync(new Regex("country=BY&kind=REMINDER"));
        await Expect(page.Locator(".mantine-MultiSelect-pill", new() { HasText = "Belarus" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();

        // The NETWORK person: the public anniversaries, never the STAFF case nor reminders (staff only).
        var network = await ConsolePages.SignedInPageAsync(console, "calendar.network@example.org", "NETWORK_MEMBER", "NETWORK");
        await network.GotoAsync(console.Url("/calendar?view=month&date=2012-11-01"));
        await Expect(Day(network, "2012-11-24")).ToContainTextAsync(Conviction);
        await Expect(network.GetByTestId("calendar-month")).Not.ToContainTextAsync(StaffCase);
        Assert.Equal(0, await network.Locator("a[data-kind=REMINDER]").CountAsync());
        // Nowhere in the calendar (the country filter lists every country, Iceland among them).
        Assert.DoesNotContain("Iceland", await network.GetByTestId("calendar").InnerTextAsync(), StringComparison.Ordinal);
        await network.Context.CloseAsync();
    }

    [Fact]
    public async Task With_the_keyboard_alone_the_months_are_turned_and_an_anniversary_opened()
    {
        var page = await ConsolePages.SignedInPageAsync(console, "calendar.keyboard@example.org");
        await page.GotoAsync(console.Url("/calendar?view=month&date=2012-10-01"));
        await Expect(page.GetByTestId("calendar-period")).ToHaveTextAsync("October 2012");

        Assert.True(await ConsolePages.TabToAsync(page, "e => e.dataset.testid === 'calendar-next'"), "Tab never reached Next month");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("calendar-period")).ToHaveTextAsync("November 2012");
        await page.Keyboard.PressAsync("PageDown");
        await Expect(page.GetByTestId("calendar-period")).ToHaveTextAsync("December 2012");
        await page.Keyboard.PressAsync("PageUp");
        await Expect(page.GetByTestId("calendar-period")).ToHaveTextAsync("November 2012");

        Assert.True(await ConsolePages.TabToAsync(page, "e => e.dataset.kind === 'YEARLY' && e.dataset.day === '2012-11-24' && e.textContent.includes('conviction')", 120),
            "Tab never reached the conviction's anniversary");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/console/cases/"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Belarus: Sentencing of Mr. Ales Bialiatski", Exact = false })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("en", "November 2012", "Week", "Agenda")]
    [InlineData("fr", "novembre 2012", "Semaine", "Agenda")]
    [InlineData("es", "noviembre de 2012", "Semana", "Agenda")]
    public async Task Month_week_and_agenda_have_no_serious_axe_violation_nor_CSP_violation_with_screenshots(string language, string month, string week, string agenda)
    {
        var page = await ConsolePages.SignedInPageAsync(console, $"calendar.axe.{language}@example.org", language: language);
        await page.GotoAsync(console.Url("/calendar?view=month&date=2012-11-24"));
        await Expect(page.GetByTestId("calendar-period")).ToHaveTextAsync(month);
        await Expect(Day(page, "2012-11-24").Locator("a[data-kind=YEARLY]")).ToHaveCountAsync(2);
        await ConsolePages.AssertAccessibleAsync(page, $"calendar month {language}", output);
        await ConsolePages.ScreenshotAsync(page, $"calendar-month-{language}");

        await page.GetByText(week, new() { Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("view=week"));
        var grid = page.GetByTestId("calendar-week");
        await Expect(grid.Locator("td[data-date]")).ToHaveCountAsync(7);
        await Expect(Day(page, "2012-11-19")).ToBeVisibleAsync(); // the Monday of the week of the 24th
        await Expect(Day(page, "2012-11-24").Locator("a[data-kind=YEARLY]")).ToHaveCountAsync(2);
        await Expect(Day(page, "2012-11-20").Locator("a[data-kind=YEARLY]")).ToHaveCountAsync(1); // the STAFF case, for a STAFF person
        await ConsolePages.AssertAccessibleAsync(page, $"calendar week {language}", output);
        await ConsolePages.ScreenshotAsync(page, $"calendar-week-{language}");

        await page.GetByText(agenda, new() { Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("view=agenda"));
        await Expect(page.Locator("section[data-date='2012-11-24'] a[data-kind=YEARLY]")).ToHaveCountAsync(2);
        await Expect(page.Locator("section[data-date='2012-11-10'] a[data-kind=REMINDER]")).ToHaveCountAsync(2);
        await ConsolePages.AssertAccessibleAsync(page, $"calendar agenda {language}", output);
        await ConsolePages.ScreenshotAsync(page, $"calendar-agenda-{language}");

        Assert.Empty(await ConsolePages.CspViolationsAsync(page));
        // No label left in English in French or Spanish.
        if (language != "en")
        {
            var text = await page.GetByRole(AriaRole.Main).InnerTextAsync();
            foreach (var english in new[] { "Previous month", "Next month", "Filters", "Countries", "Kinds", "Today", "Your calendar feed", "Create my feed", "since the" })
            {
                Assert.DoesNotContain(english, text, StringComparison.Ordinal);
            }
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_feed_is_created_shown_once_read_by_Ical_Net_and_revoked_from_the_console()
    {
        var page = await ConsolePages.SignedInPageAsync(console, "calendar.feed@example.org");
        await page.GotoAsync(console.Url("/calendar?view=agenda&date=2012-11-01"));
        await Expect(page.GetByTestId("calendar-feed-none")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create my feed" }).ClickAsync();
        var field = page.GetByTestId("calendar-feed-url");
        await Expect(field).ToHaveValueAsync(new Regex("^" + Regex.Escape(console.BaseUrl.ToString()) + "calendar/ical_[A-Za-z0-9_-]{43}\\.ics$"));
        var url = await field.InputValueAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "calendar feed created", output);
        await ConsolePages.ScreenshotAsync(page, "calendar-feed-en");

        // A calendar application: no cookie, no key.
        using var http = new HttpClient();
        var text = await http.GetStringAsync(url + "?from=2012-11-01");
        var calendar = IcalCalendar.Load(text)!;
        var conviction = Assert.Single(calendar.Events, e => e.Summary!.StartsWith("1 year since the conviction", StringComparison.Ordinal));
        Assert.Equal(new DateOnly(2012, 11, 24), DateOnly.FromDateTime(conviction.DtStart!.Value));
        Assert.Equal("-P14D", Assert.Single(conviction.Alarms).Trigger!.Duration.ToString());
        Assert.Contains(calendar.Events, e => e.Summary!.Contains(StaffCase, StringComparison.Ordinal));

        // Shown once: after a reload only its beginning and date.
        await page.ReloadAsync();
        await Expect(page.GetByTestId("calendar-feed-active")).ToContainTextAsync(url[(url.LastIndexOf('/') + 1)..][..11]);
        Assert.DoesNotContain(url, await page.ContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke my feed" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("revoked");
        await Expect(page.GetByTestId("calendar-feed-none")).ToBeVisibleAsync();
        using var gone = await http.GetAsync(url + "?from=2012-11-01");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.DoesNotContain("VCALENDAR", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
