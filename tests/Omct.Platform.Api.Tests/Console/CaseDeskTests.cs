using System.Text.Json;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The console's case desk in Debian's Chromium (Microsoft.Playwright with /usr/bin/chromium, no browser download),
/// against the real host on Kestrel (localhost) with the console built by build/console.sh: people sign in through
/// the console's own sign-in page (password + TOTP). Screenshots go to .local/screenshots/console/.
/// </summary>
public sealed class CaseDeskTests(ConsoleFixture console, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    private GraphQLClient Admin => new(new HttpClient { BaseAddress = console.BaseUrl }, PlatformFactory.AdminKey);

    [Fact]
    public async Task A_case_is_opened_through_the_form_and_an_event_recorded_once_despite_a_double_click()
    {
        var page = await ConsolePages.SignedInPageAsync(console, "opener@example.org");
        await page.GotoAsync($"{Base}/console/cases");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open a case" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Title").FillAsync("Cameroon: arrest of a land rights defender");
        await ConsolePages.ChooseAsync(page, dialog.GetByLabel("Country"), "Cameroon");
        await dialog.GetByLabel("Summary").FillAsync("Arrested at dawn in Douala.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/cases/[^/?]+$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cameroon: arrest of a land rights defender" })).ToBeVisibleAsync();
        var caseId = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath.Split('/').Last());
        await Assertions.Expect(page.GetByTestId("case-version")).ToContainTextAsync("Version 1");

        await page.GetByRole(AriaRole.Button, new() { Name = "Record an event" }).ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog);
        await ConsolePages.ChooseAsync(page, dialog.GetByLabel("Type"), "Arrest");
        await dialog.GetByLabel("Date").FillAsync("2024-03");
        await dialog.GetByLabel("Description").FillAsync("Taken to the gendarmerie.");
        await ConsolePages.ScreenshotAsync(page, "case-form-record-event-en.png");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).DblClickAsync();

        // The timeline shows the month as recorded — never an invented day.
        var timeline = page.GetByTestId("case-timeline");
        await Assertions.Expect(timeline).ToContainTextAsync("March 2024");
        await Assertions.Expect(timeline).ToContainTextAsync("Arrest");
        await Assertions.Expect(page.GetByTestId("case-version")).ToContainTextAsync("Version 2");

        var fromApi = await Admin.QueryAsync("query($id: ID!) { case(id: $id) { version events { type date description } } }", new { id = caseId });
        var events = fromApi.GetProperty("case").GetProperty("events");
        Assert.Equal(1, events.GetArrayLength());
        Assert.Equal("2024-03", events[0].GetProperty("date").GetString());
        Assert.Equal(2, fromApi.GetProperty("case").GetProperty("version").GetInt32());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_victim_is_chosen_among_the_registered_defenders_by_typing_part_of_the_name()
    {
        var defender = (await Admin.QueryAsync(
                "mutation { registerDefender(input: { name: \"Nasrin Sotoudeh\", countryCode: \"IR\", consentToPublishName: true }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        var id = await FeedKit.OpenCaseAsync(Admin, "Iran: sentencing of a human rights lawyer", "STAFF", "IR");
        var page = await ConsolePages.SignedInPageAsync(console, "picker@example.org");
        await page.GotoAsync($"{Base}/console/cases/{Uri.EscapeDataString(id)}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a victim" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var picker = dialog.GetByRole(AriaRole.Combobox, new() { Name = "Registered defender" });
        await picker.FillAsync("Sotou");
        await page.GetByRole(AriaRole.Option, new() { Name = "Nasrin Sotoudeh (Iran)" }).ClickAsync();
        await Assertions.Expect(picker).ToHaveValueAsync("Nasrin Sotoudeh (Iran)");
        await ConsolePages.ScreenshotAsync(page, "case-form-add-victim-en.png");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("case-version")).ToContainTextAsync("Version 2");

        var victims = (await Admin.QueryAsync("query($id: ID!) { case(id: $id) { victims { defenderId name } } }", new { id }))
            .GetProperty("case").GetProperty("victims");
        Assert.Equal(defender, Assert.Single(victims.EnumerateArray()).GetProperty("defenderId").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Two_browsers_editing_one_case_the_second_gets_the_conflict_reloads_and_reapplies()
    {
        var id = await FeedKit.OpenCaseAsync(Admin, "Honduras: threats against a land defender", "STAFF", "HN");
        var first = await ConsolePages.SignedInPageAsync(console, "first.editor@example.org");
        var second = await ConsolePages.SignedInPageAsync(console, "second.editor@example.org");
        await first.GotoAsync($"{Base}/console/cases/{Uri.EscapeDataString(id)}");
        await second.GotoAsync($"{Base}/console/cases/{Uri.EscapeDataString(id)}");
        await Assertions.Expect(second.GetByTestId("case-version")).ToContainTextAsync("Version 1");

        await first.GetByRole(AriaRole.Button, new() { Name = "Change the status" }).ClickAsync();
        await ConsolePages.ChooseAsync(first, first.GetByRole(AriaRole.Dialog).GetByLabel("New status"), "Monitoring");
        await first.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(first.GetByTestId("case-status")).ToHaveTextAsync("Monitoring");

        // The second still shows version 1: its change is refused, and it is told who changed the case.
        await second.GetByRole(AriaRole.Button, new() { Name = "Add a victim" }).ClickAsync();
        var dialog = second.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("Berta Flores");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var conflict = dialog.GetByTestId("conflict");
        await Assertions.Expect(conflict).ToContainTextAsync("Someone else changed this case");
        output.WriteLine(await conflict.InnerTextAsync());
        await Assertions.Expect(conflict).ToContainTextAsync("version 2");
        // Who changed it, by name (the API's changedByName), not by an account id.
        await Assertions.Expect(conflict).ToContainTextAsync("Person first.editor@example.org");
        await Assertions.Expect(conflict).Not.ToContainTextAsync("user:");
        await ConsolePages.ScreenshotAsync(second, "case-conflict-en.png");
        await ConsolePages.AssertAccessibleAsync(second, "conflict alert", output);
        Assert.Equal(0, await VictimCountAsync(id));

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reload and re-apply" }).ClickAsync();
        await Assertions.Expect(second.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Assertions.Expect(second.GetByTestId("case-victims")).ToContainTextAsync("Berta Flores");
        await Assertions.Expect(second.GetByTestId("case-status")).ToHaveTextAsync("Monitoring");

        var after = (await Admin.QueryAsync("query($id: ID!) { case(id: $id) { version status victims { name } } }", new { id })).GetProperty("case");
        Assert.Equal(3, after.GetProperty("version").GetInt32());
        Assert.Equal("MONITORING", after.GetProperty("status").GetString());
        Assert.Equal("Berta Flores", after.GetProperty("victims")[0].GetProperty("name").GetString());
        await first.Context.CloseAsync();
        await second.Context.CloseAsync();
    }

    [Fact]
    public async Task A_validation_error_is_shown_on_its_field()
    {
        var id = await FeedKit.OpenCaseAsync(Admin, "Nicaragua: judicial harassment", "STAFF", "NI");
        var page = await ConsolePages.SignedInPageAsync(console, "validation@example.org");
        await page.GotoAsync($"{Base}/console/cases/{Uri.EscapeDataString(id)}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record an event" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await ConsolePages.ChooseAsync(page, dialog.GetByLabel("Type"), "Threat");
        var date = dialog.GetByLabel("Date");
        await date.FillAsync("2999-01"); // well formed, so only the API refuses it: a date in the future
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(date).ToHaveAttributeAsync("aria-invalid", "true");
        var describedBy = await date.GetAttributeAsync("aria-describedby");
        Assert.NotNull(describedBy);
        var error = dialog.Locator(string.Join(",", describedBy!.Split(' ').Select(i => $"[id='{i}']")));
        await Assertions.Expect(error.Last).ToContainTextAsync("future");
        Assert.Equal(0, (await Admin.QueryAsync("query($id: ID!) { case(id: $id) { events { id } } }", new { id }))
            .GetProperty("case").GetProperty("events").GetArrayLength());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Filters_live_in_the_url_and_survive_a_reload_and_a_shared_link()
    {
        await FeedKit.OpenCaseAsync(Admin, "Guatemala: filtered case", "STAFF", "GT");
        await FeedKit.OpenCaseAsync(Admin, "Peru: another case", "STAFF", "PE");
        var page = await ConsolePages.SignedInPageAsync(console, "filters@example.org");
        await page.GotoAsync($"{Base}/console/cases");
        await Assertions.Expect(page.GetByTestId("cases-table")).ToContainTextAsync("Peru: another case");

        await ConsolePages.ChooseAsync(page, page.GetByRole(AriaRole.Combobox, new() { Name = "Countries" }), "Guatemala");
        await page.GetByLabel("Search in title and summary").FillAsync("filtered");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("country=GT.*q=filtered"));
        await Assertions.Expect(page.GetByTestId("cases-table")).Not.ToContainTextAsync("Peru: another case");
        await Assertions.Expect(page.GetByTestId("cases-table")).ToContainTextAsync("Guatemala: filtered case");

        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("cases-table")).ToContainTextAsync("Guatemala: filtered case");
        await Assertions.Expect(page.GetByTestId("cases-table")).Not.ToContainTextAsync("Peru: another case");
        await Assertions.Expect(page.GetByLabel("Search in title and summary")).ToHaveValueAsync("filtered");

        var shared = page.Url;
        var colleague = await ConsolePages.SignedInPageAsync(console, "colleague@example.org");
        await colleague.GotoAsync(shared);
        await Assertions.Expect(colleague.GetByTestId("cases-table")).ToContainTextAsync("Guatemala: filtered case");
        await Assertions.Expect(colleague.GetByTestId("cases-table").GetByRole(AriaRole.Row)).ToHaveCountAsync(2); // header + one case
        await page.Context.CloseAsync();
        await colleague.Context.CloseAsync();
    }

    [Fact]
    public async Task A_case_is_opened_from_the_list_with_the_keyboard_alone()
    {
        await FeedKit.OpenCaseAsync(Admin, "Kazakhstan: keyboard case", "STAFF", "KZ");
        var page = await ConsolePages.SignedInPageAsync(console, "keyboard@example.org");
        await page.GotoAsync($"{Base}/console/cases?q=keyboard");
        var link = page.GetByTestId("cases-table").GetByRole(AriaRole.Link).First;
        await Assertions.Expect(link).ToBeVisibleAsync();
        var reference = await link.InnerTextAsync();

        var reached = false;
        for (var i = 0; i < 60 && !reached; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<bool>("ref => document.activeElement?.tagName === 'A' && document.activeElement.textContent === ref", reference);
        }

        Assert.True(reached, "Tab never reached the case's link");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Kazakhstan: keyboard case" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("case-reference")).ToHaveTextAsync(reference);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task No_serious_or_critical_axe_violation_on_the_list_the_case_page_and_an_open_form()
    {
        var id = await FeedKit.OpenCaseAsync(Admin, "Burundi: accessibility case", "STAFF", "BI");
        await Admin.QueryAsync(
            "mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: DETENTION, date: \"2023\" }) { case { id } } }", new { id });
        var page = await ConsolePages.SignedInPageAsync(console, "axe@example.org");

        await page.GotoAsync($"{Base}/console/cases");
        await Assertions.Expect(page.GetByTestId("cases-table")).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "list", output);

        await page.GotoAsync($"{Base}/console/cases/{Uri.EscapeDataString(id)}");
        await Assertions.Expect(page.GetByTestId("case-timeline")).ToContainTextAsync("2023");
        await ConsolePages.AssertAccessibleAsync(page, "case page", output);

        await page.GetByRole(AriaRole.Button, new() { Name = "Record an event" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "record an event form", output);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_network_person_does_not_see_a_staff_case_in_the_list()
    {
        await FeedKit.OpenCaseAsync(Admin, "Sudan: network case", "NETWORK", "SD");
        await FeedKit.OpenCaseAsync(Admin, "Sudan: staff-only case", "STAFF", "SD");
        var network = await ConsolePages.SignedInPageAsync(console, "member@example.org", "NETWORK_MEMBER", "NETWORK");
        await network.GotoAsync($"{Base}/console/cases?country=SD");
        var table = network.GetByTestId("cases-table");
        await Assertions.Expect(table).ToContainTextAsync("Sudan: network case");
        await Assertions.Expect(table).Not.ToContainTextAsync("Sudan: staff-only case");
        await Assertions.Expect(network.GetByText("1 case", new() { Exact = true })).ToBeVisibleAsync();

        var staff = await ConsolePages.SignedInPageAsync(console, "staff.sudan@example.org");
        await staff.GotoAsync($"{Base}/console/cases?country=SD");
        await Assertions.Expect(staff.GetByTestId("cases-table")).ToContainTextAsync("Sudan: staff-only case");
        await network.Context.CloseAsync();
        await staff.Context.CloseAsync();
    }

    [Fact]
    public async Task Screenshots_of_the_list_the_case_page_and_a_form_in_three_languages()
    {
        var id = await FeedKit.OpenCaseAsync(Admin, "Colombia: intimidation of CIJP members", "STAFF", "CO");
        await Admin.QueryAsync("mutation($id: ID!) { addVictim(input: { caseId: $id, name: \"Danilo Rueda\" }) { case { id } } }", new { id });
        await Admin.QueryAsync(
            "mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: THREAT, date: \"2024-03\", description: \"Death threats by phone.\" }) { case { id } } }", new { id });
        await Admin.QueryAsync(
            "mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: SURVEILLANCE, date: \"2024\" }) { case { id } } }", new { id });
        await Admin.QueryAsync(
            "mutation($id: ID!) { issueIntervention(input: { caseId: $id, type: URGENT_APPEAL, addressees: [\"President of the Republic\"] }) { case { id } } }", new { id });

        foreach (var (language, month, recordLabel) in new[] { ("en", "March 2024", "Record an event"), ("fr", "mars 2024", "Enregistrer un événement"), ("es", "marzo de 2024", "Registrar un hecho") })
        {
            var page = await ConsolePages.SignedInPageAsync(console, $"screens.{language}@example.org", language: language);
            await page.GotoAsync($"{Base}/console/cases");
            await Assertions.Expect(page.GetByTestId("cases-table")).ToBeVisibleAsync();
            await ConsolePages.ScreenshotAsync(page, $"cases-list-{language}.png");

            await page.GotoAsync($"{Base}/console/cases/{Uri.EscapeDataString(id)}");
            var timeline = page.GetByTestId("case-timeline");
            await Assertions.Expect(timeline).ToContainTextAsync(month);
            await Assertions.Expect(timeline).ToContainTextAsync("2024");
            await ConsolePages.ScreenshotAsync(page, $"case-page-{language}.png");

            await page.GetByRole(AriaRole.Button, new() { Name = recordLabel }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
            await ConsolePages.ScreenshotAsync(page, $"case-form-{language}.png");
            await page.Context.CloseAsync();
        }

        foreach (var name in new[] { "cases-list-en.png", "case-page-fr.png", "case-form-es.png" })
        {
            Assert.True(new FileInfo(Path.Combine(ConsolePages.ScreenshotFolder, name)).Length > 10_000, $"{name} is too small");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    private string Base => console.BaseUrl.ToString().TrimEnd('/');

    private async Task<int> VictimCountAsync(string id) =>
        (await Admin.QueryAsync("query($id: ID!) { case(id: $id) { victims { id } } }", new { id })).GetProperty("case").GetProperty("victims").GetArrayLength();
}
