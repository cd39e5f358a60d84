using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The console's defenders desk (/console/defenders) in Debian's Chromium against the real host (see
/// <see cref="ConsoleFixture"/>): people sign in through the console; the API is asked through the bootstrap admin key
/// to set up and to check. Screenshots go to .local/screenshots/console/.
/// </summary>
public sealed class DefenderDeskTests(ConsoleFixture console, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    /// <summary>The machine running the tests is shared: a first load may take longer than Playwright's 5 s.</summary>
    private static readonly LocatorAssertionsToContainTextOptions Loaded = new() { Timeout = 20_000 };

    private static readonly LocatorAssertionsToHaveTextOptions Named = new() { Timeout = 20_000 };

    private GraphQLClient Admin => new(new HttpClient { BaseAddress = console.BaseUrl }, PlatformFactory.AdminKey);

    [Fact]
    public async Task A_defender_registered_and_consented_in_the_console_is_shown_by_pseudonym_where_the_clearance_requires_it()
    {
        var staff = await ConsolePages.SignedInPageAsync(console, "protection.officer@example.org");
        await staff.GotoAsync(console.Url("/defenders"));
        await staff.GetByRole(AriaRole.Button, new() { Name = "Register a defender" }).ClickAsync();
        var dialog = staff.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel(new Regex("^Name")).FillAsync("Narges Mohammadi-Test");
        await dialog.GetByLabel("Pseudonym").FillAsync("N.M.");
        await ConsolePages.ChooseAsync(staff, dialog.GetByLabel("Country"), "Iran");
        await ConsolePages.ChooseAsync(staff, dialog.GetByLabel("Who may see it"), "Public");
        await ConsolePages.ScreenshotAsync(staff, "defender-form-register-en.png");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).DblClickAsync();

        await Assertions.Expect(staff).ToHaveURLAsync(new Regex("/console/defenders/[^/?]+$"));
        await Assertions.Expect(staff.GetByTestId("defender-name")).ToHaveTextAsync("Narges Mohammadi-Test", Named);
        var id = Uri.UnescapeDataString(new Uri(staff.Url).AbsolutePath.Split('/').Last());

        // Consent to a portrait, not to the name (given today, the default): what, when and by whom are shown.
        await staff.GetByRole(AriaRole.Button, new() { Name = "Record consent" }).ClickAsync();
        dialog = staff.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Consents to publishing a portrait").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var consent = staff.GetByTestId("defender-consent");
        await Assertions.Expect(consent).ToContainTextAsync("To publish a portrait: Yes", Loaded);
        await Assertions.Expect(consent).ToContainTextAsync("To publish the name: No", Loaded);
        await Assertions.Expect(consent).ToContainTextAsync("Given on", Loaded);
        await Assertions.Expect(consent).ToContainTextAsync("Recorded by user:", Loaded);

        var fromApi = (await Admin.QueryAsync("query($id: ID!) { defender(id: $id) { name consent { toPublishName toPublishPortrait givenOn recordedBy } } }", new { id }))
            .GetProperty("defender");
        Assert.Equal(1, (await Admin.QueryAsync("{ defenders(filter: { text: \"Narges Mohammadi-Test\" }) { totalCount } }")).GetProperty("defenders").GetProperty("totalCount").GetInt32());
        Assert.False(fromApi.GetProperty("consent").GetProperty("toPublishName").GetBoolean());
        Assert.True(fromApi.GetProperty("consent").GetProperty("toPublishPortrait").GetBoolean());
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), fromApi.GetProperty("consent").GetProperty("givenOn").GetString());
        Assert.StartsWith("user:", fromApi.GetProperty("consent").GetProperty("recordedBy").GetString());

        // A member organisation's person whose clearance is below the name's level (a name without consent is at
        // least NETWORK): the API sends the pseudonym only, and the console shows nothing else.
        var member = await ConsolePages.SignedInPageAsync(console, "member.public@example.org", "NETWORK_MEMBER", "PUBLIC");
        await member.GotoAsync(console.Url("/defenders?country=IR"));
        var table = member.GetByTestId("defenders-table");
        await Assertions.Expect(table).ToContainTextAsync("N.M. (pseudonym)", Loaded);
        await Assertions.Expect(table).Not.ToContainTextAsync("Narges", Loaded);
        await ConsolePages.ScreenshotAsync(member, "defenders-list-pseudonym-en.png");
        await table.GetByRole(AriaRole.Link, new() { Name = "N.M." }).ClickAsync();
        await Assertions.Expect(member.GetByTestId("defender-name")).ToHaveTextAsync("N.M. (pseudonym)", Named);
        Assert.DoesNotContain("Narges", await member.ContentAsync(), StringComparison.Ordinal);
        // Below STAFF the consent's details are not sent: the booleans only.
        await Assertions.Expect(member.GetByTestId("defender-consent")).Not.ToContainTextAsync("Recorded by", Loaded);
        await ConsolePages.ScreenshotAsync(member, "defender-profile-pseudonym-en.png");

        // The staff person sees the name in the list.
        await staff.GotoAsync(console.Url("/defenders?country=IR"));
        await Assertions.Expect(staff.GetByTestId("defenders-table")).ToContainTextAsync("Narges Mohammadi-Test", Loaded);

        // Once the person consents to the name, the API sends it to the member too.
        await staff.GotoAsync(console.Url($"/defenders/{Uri.EscapeDataString(id)}"));
        await staff.GetByRole(AriaRole.Button, new() { Name = "Record consent" }).ClickAsync();
        dialog = staff.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Consents to publishing the name").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(staff.GetByTestId("defender-consent")).ToContainTextAsync("To publish the name: Yes", Loaded);
        await member.ReloadAsync();
        await Assertions.Expect(member.GetByTestId("defender-name")).ToHaveTextAsync("Narges Mohammadi-Test", Named);
        await staff.Context.CloseAsync();
        await member.Context.CloseAsync();
    }

    [Fact]
    public async Task The_restricted_details_are_read_only_when_revealed_each_reveal_is_in_the_audit_trail_and_staff_have_no_reveal()
    {
        var id = await RegisterAsync("Ales Restricted-Test", "BY", "STAFF", ", contact: \"+375 29 555 0101\", location: \"Minsk, Hrodna street\"");

        var restricted = await ConsolePages.SignedInPageAsync(console, "restricted.officer@example.org", "STAFF", "RESTRICTED");
        var sent = OperationsSent(restricted);
        await restricted.GotoAsync(console.Url($"/defenders/{Uri.EscapeDataString(id)}"));
        await Assertions.Expect(restricted.GetByTestId("defender-name")).ToHaveTextAsync("Ales Restricted-Test", Named);
        var reveal = restricted.GetByRole(AriaRole.Button, new() { Name = "Reveal the confidential details" });
        await Assertions.Expect(reveal).ToBeVisibleAsync();
        // Nothing confidential was asked for before the click: not by the page, not in the audit trail.
        Assert.DoesNotContain("DefenderConfidentialDetails", Snapshot(sent));
        Assert.DoesNotContain("+375 29 555 0101", await restricted.ContentAsync(), StringComparison.Ordinal);
        // (The audit trail then holds exactly the reveal's 4 reads: a read before the click would make more.)

        await reveal.ClickAsync();
        var details = restricted.GetByTestId("confidential-details");
        await Assertions.Expect(details).ToContainTextAsync("+375 29 555 0101", Loaded);
        await Assertions.Expect(details).ToContainTextAsync("Minsk, Hrodna street", Loaded);
        Assert.Single(Snapshot(sent), o => o == "DefenderConfidentialDetails");
        await ConsolePages.ScreenshotAsync(restricted, "defender-profile-revealed-en.png");
        var reads = await WaitForRestrictedReadsAsync(id, 4);
        Assert.Equal(["Defender.contact", "Defender.family", "Defender.location", "Defender.riskNotes"], reads.Select(r => r.Action).Order());
        Assert.All(reads, r => Assert.StartsWith("user:", r.By));

        // Hidden and revealed again: a second read, recorded again.
        await restricted.GetByRole(AriaRole.Button, new() { Name = "Hide them" }).ClickAsync();
        await Assertions.Expect(details).ToHaveCountAsync(0);
        await restricted.GetByRole(AriaRole.Button, new() { Name = "Reveal the confidential details" }).ClickAsync();
        await Assertions.Expect(details).ToContainTextAsync("+375 29 555 0101", Loaded);
        Assert.Equal(2, Snapshot(sent).Count(o => o == "DefenderConfidentialDetails"));
        await WaitForRestrictedReadsAsync(id, 8);

        // A STAFF person: no reveal, no section, nothing read.
        var staff = await ConsolePages.SignedInPageAsync(console, "staff.no.reveal@example.org");
        var staffSent = OperationsSent(staff);
        await staff.GotoAsync(console.Url($"/defenders/{Uri.EscapeDataString(id)}"));
        await Assertions.Expect(staff.GetByTestId("defender-name")).ToHaveTextAsync("Ales Restricted-Test", Named);
        await Assertions.Expect(staff.GetByTestId("defender-situations")).ToBeVisibleAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Reveal the confidential details" })).ToHaveCountAsync(0);
        await Assertions.Expect(staff.GetByTestId("defender-confidential")).ToHaveCountAsync(0);
        Assert.DoesNotContain("DefenderConfidentialDetails", Snapshot(staffSent));
        // A barrier rather than a wait: one more reveal by the RESTRICTED person gives exactly 12 reads, in order, so the
        // STAFF person's visit, written before it if at all, read nothing.
        await restricted.GetByRole(AriaRole.Button, new() { Name = "Hide them" }).ClickAsync();
        await restricted.GetByRole(AriaRole.Button, new() { Name = "Reveal the confidential details" }).ClickAsync();
        await Assertions.Expect(details).ToContainTextAsync("+375 29 555 0101", Loaded);
        await WaitForRestrictedReadsAsync(id, 12);
        await restricted.Context.CloseAsync();
        await staff.Context.CloseAsync();
    }

    [Fact]
    public async Task Two_profiles_are_merged_side_by_side_choosing_the_one_that_remains()
    {
        var kept = await RegisterAsync("Igor Kalyapin-Test", "RU", "STAFF");
        var duplicate = await RegisterAsync("I. Kalyapin-Test", "RU", "STAFF");
        var caseId = (await Admin.QueryAsync("mutation { openCase(input: { title: \"Russia: torture complaint\", countryCode: \"RU\" }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        await Admin.QueryAsync("mutation($c: ID!, $d: ID!) { addVictim(input: { caseId: $c, defenderId: $d }) { case { id } } }", new { c = caseId, d = duplicate });

        var page = await ConsolePages.SignedInPageAsync(console, "merger@example.org");
        await page.GotoAsync(console.Url($"/defenders/{Uri.EscapeDataString(duplicate)}"));
        await Assertions.Expect(page.GetByTestId("defender-cases")).ToContainTextAsync("Russia: torture complaint", Loaded);
        await page.GetByRole(AriaRole.Button, new() { Name = "Merge with another profile" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await ConsolePages.ChooseAsync(page, dialog.GetByLabel(new Regex("^The other profile")), "Igor Kalyapin-Test");
        await Assertions.Expect(dialog.GetByTestId("merge-this")).ToContainTextAsync("I. Kalyapin-Test", Loaded);
        await Assertions.Expect(dialog.GetByTestId("merge-this")).ToContainTextAsync("1 case", Loaded);
        await Assertions.Expect(dialog.GetByTestId("merge-other")).ToContainTextAsync("Igor Kalyapin-Test", Loaded);
        await Assertions.Expect(dialog.GetByTestId("merge-other")).ToContainTextAsync("0 cases", Loaded);
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "Keep the other profile" }).CheckAsync();
        await ConsolePages.ScreenshotAsync(page, "defender-form-merge-en.png");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(Uri.EscapeDataString(kept)) + "$"));
        await Assertions.Expect(page.GetByTestId("defender-name")).ToHaveTextAsync("Igor Kalyapin-Test", Named);
        await Assertions.Expect(page.GetByTestId("defender-cases")).ToContainTextAsync("Russia: torture complaint", Loaded);
        var redirected = (await Admin.QueryAsync("query($id: ID!) { defender(id: $id) { id name } }", new { id = duplicate })).GetProperty("defender");
        Assert.Equal(kept, redirected.GetProperty("id").GetString());
        Assert.Equal("Igor Kalyapin-Test", redirected.GetProperty("name").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_erases_personal_data_only_after_typing_the_name_and_staff_are_not_offered_it()
    {
        var id = await RegisterAsync("Erasable Person-Test", "KE", "STAFF", ", pseudonym: \"E.P.\"");
        // Staff typed the name into a case's title: the erasure redacts it, and the profile lists the case for the admin.
        var opened = (await Admin.QueryAsync("mutation { openCase(input: { title: \"Kenya: Erasable Person-Test detained\", countryCode: \"KE\", confidentiality: STAFF }) { case { id reference } } }"))
            .GetProperty("openCase").GetProperty("case");
        var staff = await ConsolePages.SignedInPageAsync(console, "staff.no.erase@example.org");
        await staff.GotoAsync(console.Url($"/defenders/{Uri.EscapeDataString(id)}"));
        await Assertions.Expect(staff.GetByTestId("defender-name")).ToHaveTextAsync("Erasable Person-Test", Named);
        await Assertions.Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Merge with another profile" })).ToBeVisibleAsync();
        await Assertions.Expect(staff.GetByRole(AriaRole.Button, new() { Name = "Erase personal data" })).ToHaveCountAsync(0);

        var admin = await ConsolePages.SignedInPageAsync(console, "admin.eraser@example.org", "ADMIN", "RESTRICTED");
        await admin.GotoAsync(console.Url($"/defenders/{Uri.EscapeDataString(id)}"));
        await admin.GetByRole(AriaRole.Button, new() { Name = "Erase personal data" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        var confirmation = dialog.GetByLabel("Type Erasable Person-Test to confirm");
        await confirmation.FillAsync("Erasable Person");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(confirmation).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(dialog).ToContainTextAsync("Type exactly the name shown above", Loaded);
        Assert.Equal("Erasable Person-Test", await NameAsync(id));
        await ConsolePages.ScreenshotAsync(admin, "defender-form-erase-en.png");

        await confirmation.FillAsync("Erasable Person-Test");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(admin.GetByText("This person's personal data was erased.")).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByTestId("defender-name")).ToHaveTextAsync("E.P. (pseudonym)", Named); // the pseudonym is not personal data
        var after = (await Admin.QueryAsync("query($id: ID!) { defender(id: $id) { name pseudonym erased } }", new { id })).GetProperty("defender");
        Assert.Equal(JsonValueKind.Null, after.GetProperty("name").ValueKind);
        Assert.Equal("E.P.", after.GetProperty("pseudonym").GetString());
        Assert.True(after.GetProperty("erased").GetBoolean());
        var redactions = admin.GetByTestId("defender-redactions");
        await Assertions.Expect(redactions.GetByRole(AriaRole.Heading, new() { Name = "What the erasure redacted" })).ToBeVisibleAsync();
        var link = redactions.GetByRole(AriaRole.Link, new() { Name = $"Case: {opened.GetProperty("reference").GetString()}" });
        await Assertions.Expect(link).ToHaveAttributeAsync("href", $"/console/cases/{Uri.EscapeDataString(opened.GetProperty("id").GetString()!)}");
        await Assertions.Expect(redactions.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("title");
        await ConsolePages.ScreenshotAsync(admin, "defender-erasure-redactions-en.png");
        // An erased person takes no new file: no upload form, and the page says why.
        await Assertions.Expect(admin.GetByTestId("defender-files")).ToContainTextAsync("No file attaches to a person whose personal data was erased.");
        await Assertions.Expect(admin.GetByTestId("defender-files").GetByRole(AriaRole.Button, new() { Name = "Upload" })).ToHaveCountAsync(0);
        Assert.DoesNotContain("Erasable", await admin.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal("Kenya: E.P. detained", (await Admin.QueryAsync("query($id: ID!) { node(id: $id) { ... on Case { title } } }", new { id = opened.GetProperty("id").GetString() }))
            .GetProperty("node").GetProperty("title").GetString());
        await staff.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task A_validation_error_is_shown_on_its_field()
    {
        var id = await RegisterAsync("Validation Person-Test", "SD", "STAFF");
        var page = await ConsolePages.SignedInPageAsync(console, "defender.validation@example.org");
        await page.GotoAsync(console.Url($"/defenders/{Uri.EscapeDataString(id)}"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Record a situation" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await ConsolePages.ChooseAsync(page, dialog.GetByLabel(new Regex("^Situation")), "In hiding");
        var date = dialog.GetByLabel("Date");
        await date.FillAsync("2999-01"); // well formed: only the API refuses it (in the future)
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(date).ToHaveAttributeAsync("aria-invalid", "true");
        var describedBy = await date.GetAttributeAsync("aria-describedby");
        Assert.NotNull(describedBy);
        var error = dialog.Locator(string.Join(",", describedBy!.Split(' ').Select(i => $"[id='{i}']")));
        await Assertions.Expect(error.Last).ToContainTextAsync("future", Loaded);
        var history = (await Admin.QueryAsync("query($id: ID!) { defender(id: $id) { version situationHistory { situation } } }", new { id })).GetProperty("defender");
        Assert.Equal(0, history.GetProperty("situationHistory").GetArrayLength());

        // Corrected, it is written once and shows in the history.
        await date.FillAsync("2019-04");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("defender-situations")).ToContainTextAsync("April 2019", Loaded);
        await Assertions.Expect(page.GetByTestId("defender-situation")).ToHaveTextAsync("In hiding", Named);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_stale_form_gets_the_conflict_with_who_changed_the_profile_and_reapplies()
    {
        var id = await RegisterAsync("Conflict Person-Test", "HN", "STAFF");
        var page = await ConsolePages.SignedInPageAsync(console, "defender.conflict@example.org");
        await page.GotoAsync(console.Url($"/defenders/{Uri.EscapeDataString(id)}"));
        await Assertions.Expect(page.GetByTestId("defender-version")).ToContainTextAsync("Version 1", Loaded);
        await Admin.QueryAsync("mutation($id: ID!) { setRiskLevel(input: { defenderId: $id, level: HIGH }) { defender { id } } }", new { id });

        await page.GetByRole(AriaRole.Button, new() { Name = "Update the profile" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Pseudonym").FillAsync("C.P.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var conflict = dialog.GetByTestId("conflict");
        await Assertions.Expect(conflict).ToContainTextAsync("Someone else changed this profile", Loaded);
        await Assertions.Expect(conflict).ToContainTextAsync("version 2", Loaded);
        // Who changed it, by the name the API gives (changedByName: here the bootstrap admin key's), not an id.
        await Assertions.Expect(conflict).ToContainTextAsync("bootstrap admin", Loaded);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reload and re-apply" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("defender-risk")).ToContainTextAsync("High", Loaded);
        var after = (await Admin.QueryAsync("query($id: ID!) { defender(id: $id) { pseudonym version } }", new { id })).GetProperty("defender");
        Assert.Equal(("C.P.", 3), (after.GetProperty("pseudonym").GetString(), after.GetProperty("version").GetInt32()));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Filters_live_in_the_url_and_a_profile_opens_from_the_list_with_the_keyboard_alone()
    {
        var org = (await Admin.QueryAsync("mutation { registerOrganisation(input: { name: \"Keyboard Watch-Test\", countryCode: \"KZ\", networkMember: true, confidentiality: PUBLIC }) { organisation { id } } }"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;
        await RegisterAsync("Keyboard Person-Test", "KZ", "STAFF", $", organisationIds: [\"{org}\"]");
        await RegisterAsync("Other Kazakh-Test", "KZ", "STAFF");
        var page = await ConsolePages.SignedInPageAsync(console, "defender.keyboard@example.org");
        await page.GotoAsync(console.Url("/defenders?country=KZ"));
        await Assertions.Expect(page.GetByTestId("defenders-table")).ToContainTextAsync("Other Kazakh-Test", Loaded);
        await ConsolePages.ChooseAsync(page, page.GetByRole(AriaRole.Combobox, new() { Name = "Organisations" }), "Keyboard Watch-Test (Kazakhstan)");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("country=KZ&org="));
        await Assertions.Expect(page.GetByTestId("defenders-table")).Not.ToContainTextAsync("Other Kazakh-Test", Loaded);
        await page.ReloadAsync();
        var link = page.GetByTestId("defenders-table").GetByRole(AriaRole.Link, new() { Name = "Keyboard Person-Test" });
        await Assertions.Expect(link).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("defenders-table").GetByRole(AriaRole.Row)).ToHaveCountAsync(2); // header + one

        Assert.True(await ConsolePages.TabToAsync(page, "e => e.tagName === 'A' && e.textContent === 'Keyboard Person-Test'", 80),
            "Tab never reached the profile's link");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("defender-name")).ToHaveTextAsync("Keyboard Person-Test", Named);
        await Assertions.Expect(page.GetByTestId("defender-organisations")).ToContainTextAsync("Keyboard Watch-Test", Loaded);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task No_serious_or_critical_axe_violation_on_the_lists_the_profile_and_each_form()
    {
        var org = (await Admin.QueryAsync("mutation { registerOrganisation(input: { name: \"Axe Centre-Test\", countryCode: \"BI\", networkMember: true, memberSince: \"2010-01-01\" }) { organisation { id } } }"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;
        var id = await RegisterAsync("Axe Person-Test", "BI", "STAFF", $", organisationIds: [\"{org}\"], contact: \"+257 1\"");
        await Admin.QueryAsync("mutation($id: ID!) { setRiskLevel(input: { defenderId: $id, level: CRITICAL }) { defender { id } } }", new { id });
        await Admin.QueryAsync("mutation($id: ID!) { recordDefenderSituation(input: { defenderId: $id, situation: DETAINED, date: \"2023-02\" }) { defender { id } } }", new { id });
        var page = await ConsolePages.SignedInPageAsync(console, "defender.axe@example.org", "ADMIN", "RESTRICTED");

        await page.GotoAsync(console.Url("/defenders"));
        await Assertions.Expect(page.GetByTestId("defenders-table")).ToContainTextAsync("Axe Person-Test", Loaded);
        await ConsolePages.AssertAccessibleAsync(page, "defenders list", output);
        await FormAsync(page, "Register a defender");

        await page.GotoAsync(console.Url("/defenders/organisations"));
        await Assertions.Expect(page.GetByTestId("organisations-table")).ToContainTextAsync("Axe Centre-Test", Loaded);
        await ConsolePages.AssertAccessibleAsync(page, "organisations list", output);
        await FormAsync(page, "Register an organisation");
        await FormAsync(page, "Update Axe Centre-Test");
        await FormAsync(page, "Change the network membership of Axe Centre-Test");

        await page.GotoAsync(console.Url($"/defenders/{Uri.EscapeDataString(id)}"));
        await Assertions.Expect(page.GetByTestId("defender-situations")).ToContainTextAsync("February 2023", Loaded);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reveal the confidential details" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("confidential-details")).ToContainTextAsync("+257 1", Loaded);
        await ConsolePages.AssertAccessibleAsync(page, "profile", output);
        foreach (var form in new[]
                 {
                     "Update the profile", "Record consent", "Record a situation", "Affiliate with an organisation", "Set the risk level",
                     "Set the confidential details", "Merge with another profile", "Erase personal data", "End the affiliation with Axe Centre-Test",
                 })
        {
            await FormAsync(page, form);
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Screenshots_of_every_screen_in_three_languages()
    {
        var org = (await Admin.QueryAsync("mutation { registerOrganisation(input: { name: \"Viasna-Test\", countryCode: \"BY\", networkMember: true, memberSince: \"2004-01-01\" }) { organisation { id } } }"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;
        var id = await RegisterAsync("Ales Bialiatski-Test", "BY", "STAFF", $", pseudonym: \"A.B.\", organisationIds: [\"{org}\"], gender: MALE, contact: \"+375 17 000\", location: \"Minsk\"");
        await Admin.QueryAsync("mutation($id: ID!) { recordConsent(input: { defenderId: $id, toPublishName: true, toPublishPortrait: true, givenOn: \"2012-01-10\" }) { defender { id } } }", new { id });
        await Admin.QueryAsync("mutation($id: ID!) { setRiskLevel(input: { defenderId: $id, level: HIGH }) { defender { id } } }", new { id });
        await Admin.QueryAsync("mutation($id: ID!) { recordDefenderSituation(input: { defenderId: $id, situation: DETAINED, date: \"2021-07-14\" }) { defender { id } } }", new { id });
        var caseId = (await Admin.QueryAsync("mutation { openCase(input: { title: \"Belarus: detention of Viasna members\", countryCode: \"BY\" }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        await Admin.QueryAsync("mutation($c: ID!, $d: ID!) { addVictim(input: { caseId: $c, defenderId: $d }) { case { id } } }", new { c = caseId, d = id });

        foreach (var (language, month, reveal, forms) in new[]
                 {
                     ("en", "July 2021", "Reveal the confidential details", new[] { "Register a defender", "Record consent", "Merge with another profile", "Erase personal data", "Register an organisation" }),
                     ("fr", "juil. 2021", "Afficher les informations confidentielles", new[] { "Enregistrer un·e défenseur·e", "Enregistrer le consentement", "Fusionner avec un autre profil", "Effacer les données personnelles", "Enregistrer une organisation" }),
                     ("es", "jul 2021", "Mostrar los datos confidenciales", new[] { "Registrar a un defensor", "Registrar el consentimiento", "Fusionar con otro perfil", "Borrar los datos personales", "Registrar una organización" }),
                 })
        {
            var page = await ConsolePages.SignedInPageAsync(console, $"defender.screens.{language}@example.org", "ADMIN", "RESTRICTED", language);
            await page.GotoAsync(console.Url("/defenders"));
            await Assertions.Expect(page.GetByTestId("defenders-table")).ToContainTextAsync("Ales Bialiatski-Test", Loaded);
            await ConsolePages.ScreenshotAsync(page, $"defenders-list-{language}.png");
            await ScreenshotFormAsync(page, forms[0], $"defender-form-register-{language}");

            await page.GotoAsync(console.Url($"/defenders/{Uri.EscapeDataString(id)}"));
            await Assertions.Expect(page.GetByTestId("defender-situations")).ToContainTextAsync("2021", Loaded);
            output.WriteLine($"{language}: {await page.GetByTestId("defender-situations").InnerTextAsync()}");
            await page.GetByRole(AriaRole.Button, new() { Name = reveal }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("confidential-details")).ToContainTextAsync("Minsk", Loaded);
            await ConsolePages.ScreenshotAsync(page, $"defender-profile-{language}.png");
            await ScreenshotFormAsync(page, forms[1], $"defender-form-consent-{language}");
            await ScreenshotFormAsync(page, forms[2], $"defender-form-merge-{language}");
            await ScreenshotFormAsync(page, forms[3], $"defender-form-erase-{language}");

            await page.GotoAsync(console.Url("/defenders/organisations"));
            await Assertions.Expect(page.GetByTestId("organisations-table")).ToContainTextAsync("Viasna-Test", Loaded);
            await ConsolePages.ScreenshotAsync(page, $"organisations-list-{language}.png");
            await ScreenshotFormAsync(page, forms[4], $"organisation-form-register-{language}");
            Assert.Empty(await MissingTranslationsAsync(page, language));
            await page.Context.CloseAsync();
        }

        foreach (var name in new[] { "defenders-list-en.png", "defender-profile-fr.png", "organisations-list-es.png", "defender-form-merge-es.png" })
        {
            Assert.True(new FileInfo(Path.Combine(ConsolePages.ScreenshotFolder, name)).Length > 10_000, $"{name} is too small");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /// <summary>Opens a form by its button, runs axe on it and closes it.</summary>
    private async Task FormAsync(IPage page, string button)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, $"form {button}", output);
        await CloseDialogAsync(page);
    }

    private static async Task ScreenshotFormAsync(IPage page, string button, string name)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await ConsolePages.SettledAsync(page); // the modal's transition
        await ConsolePages.ScreenshotAsync(page, name);
        await CloseDialogAsync(page);
    }

    /// <summary>
    /// Escape closes an open dropdown first, then the dialog: after each press, waits for what it closed to go (one dialog,
    /// listbox or expanded field fewer; at most 1.5 s, then Escape again) rather than for a fixed time.
    /// </summary>
    private static async Task CloseDialogAsync(IPage page)
    {
        const string Open = "() => ['[role=\"dialog\"]', '[role=\"listbox\"]', '[aria-expanded=\"true\"]'].map(s => document.querySelectorAll(s).length)";
        for (var i = 0; i < 3 && await page.GetByRole(AriaRole.Dialog).CountAsync() > 0; i++)
        {
            var before = await page.EvaluateAsync<int[]>(Open);
            await page.Keyboard.PressAsync("Escape");
            try
            {
                await page.WaitForFunctionAsync($"before => ({Open})().some((n, i) => n < before[i])", before, new() { Timeout = 1_500 });
            }
            catch (TimeoutException)
            {
                // Nothing this page counts closed (yet): the loop presses Escape again, as a fixed pause would have.
            }
        }

        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
    }

    /// <summary>Labels left as i18n keys (defenderDesk.…) in the page: a label missing in this language.</summary>
    private static async Task<IReadOnlyList<string>> MissingTranslationsAsync(IPage page, string language)
    {
        var text = await page.InnerTextAsync("body");
        return Regex.Matches(text, @"defenderDesk\.[\w.]+").Select(m => $"{language}: {m.Value}").ToList();
    }

    /// <summary>The operation names the page sends to /graphql (persisted operations carry their name).</summary>
    private static List<string> OperationsSent(IPage page)
    {
        var names = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/graphql", StringComparison.Ordinal) && request.PostData is { } body)
            {
                try
                {
                    using var json = JsonDocument.Parse(body);
                    if (json.RootElement.TryGetProperty("operationName", out var name) && name.GetString() is { } value)
                    {
                        lock (names)
                        {
                            names.Add(value);
                        }
                    }
                }
                catch (JsonException)
                {
                    // not a GraphQL request body
                }
            }
        };
        return names;
    }

    private static List<string> Snapshot(List<string> names)
    {
        lock (names)
        {
            return [.. names];
        }
    }

    private async Task<string> RegisterAsync(string name, string country, string confidentiality, string extra = "")
    {
        var data = await Admin.QueryAsync(
            $"mutation {{ registerDefender(input: {{ name: \"{name}\", countryCode: \"{country}\", confidentiality: {confidentiality}{extra} }}) {{ defender {{ id }} }} }}");
        return data.GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
    }

    private async Task<string?> NameAsync(string id) =>
        (await Admin.QueryAsync("query($id: ID!) { defender(id: $id) { name } }", new { id })).GetProperty("defender").GetProperty("name").GetString();

    private sealed record Read(string Action, string By);

    private async Task<List<Read>> RestrictedReadsAsync(string id)
    {
        var trail = await Admin.QueryAsync("query($id: ID!) { auditTrail(entityId: $id) { kind action by } }", new { id });
        return trail.GetProperty("auditTrail").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "RESTRICTED_READ")
            .Select(e => new Read(e.GetProperty("action").GetString()!, e.GetProperty("by").GetString() ?? ""))
            .ToList();
    }

    /// <summary>The restricted reads of the record once every read made so far is written (the writer works in the background).</summary>
    private async Task<List<Read>> WaitForRestrictedReadsAsync(string id, int count)
    {
        await console.Host.RestrictedReadsWrittenAsync();
        var reads = await RestrictedReadsAsync(id);
        Assert.Equal(count, reads.Count);
        return reads;
    }
}
