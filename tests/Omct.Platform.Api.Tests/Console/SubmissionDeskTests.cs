using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The console's submissions and calls for input (/console/submissions, /console/submissions/calls) in Debian's
/// Chromium against the real host: the live word count against the UPR limit the API gives, the API's refusal on the
/// text field, the joint limit, co-signatories and the outcome, a call's inputs and who has not answered, a member
/// organisation's person seeing only what the API gives it, keyboard, axe and screenshots in EN/FR/ES.
/// </summary>
public sealed class SubmissionDeskTests(ConsoleFixture console, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    private GraphQLClient Admin => new(new HttpClient { BaseAddress = console.BaseUrl }, PlatformFactory.AdminKey);

    private string Base => console.BaseUrl.ToString().TrimEnd('/');

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Words(int count, string word = "word") => string.Join(' ', Enumerable.Repeat(word, count));

    [Fact]
    public async Task A_upr_submission_over_its_word_limit_is_counted_live_and_refused_on_the_text_field()
    {
        var id = await PlanAsync("UPR", "BY", "Belarus UPR: torture in detention", confidentiality: "STAFF");
        var page = await ConsolePages.SignedInPageAsync(console, "upr.editor@example.org");
        await page.GotoAsync($"{Base}/console/submissions/{Uri.EscapeDataString(id)}");
        await Assertions.Expect(page.GetByTestId("word-rule")).ToContainTextAsync("UPR limit for one organisation: 2,815 words.");

        var editor = page.GetByLabel("Text of the submission");
        var count = page.GetByTestId("word-count");
        await editor.FillAsync(Words(2_815));
        await Assertions.Expect(count).ToHaveTextAsync("2,815 words of 2,815");
        await Assertions.Expect(count).ToHaveAttributeAsync("data-state", "near");

        // One more word typed: the count goes over the limit at once, before anything is sent.
        await editor.PressAsync("End");
        await page.Keyboard.TypeAsync(" more");
        await Assertions.Expect(count).ToHaveTextAsync("2,816 words of 2,815 — 1 over the limit");
        await Assertions.Expect(count).ToHaveAttributeAsync("data-state", "over");
        await page.Keyboard.TypeAsync(" and\u00A0more\u0085words\uFEFFjoined");
        // .NET's white space: no-break space and NEL separate words; U+FEFF does not. 2,816 + and, more, words﻿joined.
        await Assertions.Expect(count).ToHaveAttributeAsync("data-words", "2819");
        await ConsolePages.ScreenshotAsync(page, "submission-over-limit-en.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save the text" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("submission-version")).ToHaveTextAsync("Version 2");
        var saved = await SubmissionAsync(id, "wordCount text status");
        Assert.Equal(2_819, saved.GetProperty("wordCount").GetInt32()); // the API counted what the console counted
        Assert.Equal("DRAFTING", saved.GetProperty("status").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Mark submitted" }).ClickAsync();
        await Assertions.Expect(editor).ToHaveAttributeAsync("aria-invalid", "true");
        var error = page.Locator(string.Join(",", (await editor.GetAttributeAsync("aria-describedby"))!.Split(' ').Select(i => $"[id='{i}']")));
        await Assertions.Expect(error.Last).ToContainTextAsync("the saved text has 2,819 words and the limit is 2,815");
        await ConsolePages.ScreenshotAsync(page, "submission-refused-en.png");
        Assert.Equal("DRAFTING", (await SubmissionAsync(id, "status")).GetProperty("status").GetString());

        // Shortened within the limit, it is submitted.
        await editor.FillAsync(Words(2_000));
        await Assertions.Expect(count).ToHaveTextAsync("2,000 words of 2,815");
        await Assertions.Expect(editor).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the text" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("submission-version")).ToHaveTextAsync("Version 3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark submitted" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("submission-stage")).ToHaveTextAsync("Submitted");
        Assert.Equal("SUBMITTED", (await SubmissionAsync(id, "status")).GetProperty("status").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_joint_submission_has_the_higher_limit_and_its_outcome_is_linked_to_a_case()
    {
        var partner = await OrganisationAsync("Viasna Partner Coalition", "LT");
        var caseId = await FeedKit.OpenCaseAsync(Admin, "Belarus: detention of Ales Bialiatski", "STAFF", "BY");
        var id = await PlanAsync("UPR", "BY", "Belarus UPR: joint submission");
        var page = await ConsolePages.SignedInPageAsync(console, "joint.editor@example.org");
        await page.GotoAsync($"{Base}/console/submissions/{Uri.EscapeDataString(id)}");
        var editor = page.GetByLabel("Text of the submission");
        var count = page.GetByTestId("word-count");
        await editor.FillAsync(Words(3_000));
        await Assertions.Expect(count).ToHaveTextAsync("3,000 words of 2,815 — 185 over the limit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the text" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("submission-version")).ToHaveTextAsync("Version 2");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a co-signatory" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await ConsolePages.ChooseAsync(page, dialog.GetByLabel(new System.Text.RegularExpressions.Regex("^Organisation")), "Viasna Partner Coalition (Lithuania)");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("submission-cosignatories")).ToContainTextAsync("Viasna Partner Coalition");

        // The API's joint limit (5,630) replaces the single one at once: the same text is now within it.
        await Assertions.Expect(page.GetByTestId("word-rule")).ToContainTextAsync("UPR limit for a joint submission: 5,630 words.");
        await Assertions.Expect(count).ToHaveTextAsync("3,000 words of 5,630");
        await ConsolePages.ScreenshotAsync(page, "submission-joint-en.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mark submitted" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("submission-stage")).ToHaveTextAsync("Submitted");

        await page.GetByRole(AriaRole.Button, new() { Name = "Record the outcome" }).ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Recommendation 1").FillAsync("Release all human rights defenders detained for their work.");
        await dialog.GetByLabel("Accepted by the State (otherwise noted)").CheckAsync();
        var reference = (await Admin.QueryAsync("query($id: ID!) { case(id: $id) { reference title } }", new { id = caseId })).GetProperty("case");
        await ConsolePages.ChooseAsync(page, dialog.GetByLabel("Linked cases"),
            $"{reference.GetProperty("reference").GetString()} — {reference.GetProperty("title").GetString()}");
        await ConsolePages.ScreenshotAsync(page, "submission-outcome-form-en.png");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var outcome = page.GetByTestId("submission-outcome");
        await Assertions.Expect(outcome).ToContainTextAsync("Release all human rights defenders");
        await Assertions.Expect(outcome.GetByRole(AriaRole.Link, new() { Name = reference.GetProperty("reference").GetString()! })).ToBeVisibleAsync();

        var fromApi = await SubmissionAsync(id, "status wordLimit coSignatories { name } recommendations { accepted cases { id } }");
        Assert.Equal("OUTCOME_RECORDED", fromApi.GetProperty("status").GetString());
        Assert.Equal(5_630, fromApi.GetProperty("wordLimit").GetInt32());
        Assert.Equal(partner, (await Admin.QueryAsync("query($id: ID!) { node(id: $id) { ... on Submission { coSignatories { id } } } }", new { id }))
            .GetProperty("node").GetProperty("coSignatories")[0].GetProperty("id").GetString());
        Assert.True(fromApi.GetProperty("recommendations")[0].GetProperty("accepted").GetBoolean());
        Assert.Equal(caseId, fromApi.GetProperty("recommendations")[0].GetProperty("cases")[0].GetProperty("id").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_call_for_input_shows_an_input_received_and_the_organisations_that_have_not_answered()
    {
        var (nairobi, mombasa, kampala) = (await OrganisationAsync("Nairobi Defenders Network", "KE", member: true),
            await OrganisationAsync("Mombasa Rights Centre", "KE", member: true), await OrganisationAsync("Kampala Legal Aid", "UG", member: true));
        var page = await ConsolePages.SignedInPageAsync(console, "calls.officer@example.org");
        await page.GotoAsync($"{Base}/console/submissions/calls");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open a call for input" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Title").FillAsync("East Africa: detention conditions 2026");
        await dialog.GetByLabel("Question").FillAsync("What have you documented about detention conditions this year?");
        await ConsolePages.ChooseAsync(page, dialog.GetByRole(AriaRole.Combobox, new() { Name = "Countries addressed" }), "Kenya");
        await ConsolePages.ChooseAsync(page, dialog.GetByRole(AriaRole.Combobox, new() { Name = "Countries addressed" }), "Uganda");
        await FillDateAsync(dialog, "Deadline", Today.AddDays(20));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "East Africa: detention conditions 2026" })).ToBeVisibleAsync();
        var callId = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath.Split('/').Last());
        await Assertions.Expect(page.GetByTestId("call-audience")).ToContainTextAsync("Kenya, Uganda");

        // Before any input: every member organisation of the audience has not answered.
        var notAnswered = page.GetByTestId("call-not-answered");
        await Assertions.Expect(notAnswered).ToContainTextAsync("3 organisations have not answered");

        await page.GetByRole(AriaRole.Button, new() { Name = "Record an input" }).ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog);
        await ConsolePages.ChooseAsync(page, dialog.GetByLabel(new System.Text.RegularExpressions.Regex("^Organisation")), "Nairobi Defenders Network (Kenya)");
        await dialog.GetByLabel("Input").FillAsync("Overcrowding at Industrial Area Remand Prison.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("call-inputs")).ToContainTextAsync("Overcrowding at Industrial Area Remand Prison.");
        await Assertions.Expect(page.GetByTestId("call-inputs")).ToContainTextAsync("Nairobi Defenders Network");
        await Assertions.Expect(notAnswered).ToContainTextAsync("2 organisations have not answered");
        await Assertions.Expect(notAnswered.Locator($"[data-organisation-id='{mombasa}']")).ToContainTextAsync("Mombasa Rights Centre (Kenya)");
        await Assertions.Expect(notAnswered.Locator($"[data-organisation-id='{kampala}']")).ToContainTextAsync("Kampala Legal Aid (Uganda)");
        await Assertions.Expect(notAnswered.Locator($"[data-organisation-id='{nairobi}']")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Extend the deadline" }).ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog);
        var later = Today.AddDays(35);
        await FillDateAsync(dialog, "New deadline", later);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("call-version")).ToContainTextAsync("Version 3");
        await ConsolePages.ScreenshotAsync(page, "call-page-en.png");

        var call = (await Admin.QueryAsync("query($id: ID!) { node(id: $id) { ... on CallForInput { deadline version inputs { organisation { id } } notAnswered { id } } } }", new { id = callId }))
            .GetProperty("node");
        Assert.Equal(later.ToString("yyyy-MM-dd"), call.GetProperty("deadline").GetString());
        Assert.Equal(nairobi, call.GetProperty("inputs")[0].GetProperty("organisation").GetProperty("id").GetString());
        Assert.Equal(new[] { kampala, mombasa }.Order(StringComparer.Ordinal),
            call.GetProperty("notAnswered").EnumerateArray().Select(o => o.GetProperty("id").GetString()!).Where(o => o == kampala || o == mombasa || o == nairobi).Order(StringComparer.Ordinal));

        // The list shows the call with its count of inputs.
        await page.GotoAsync($"{Base}/console/submissions/calls");
        await Assertions.Expect(page.Locator($"[data-call-id='{callId}']")).ToContainTextAsync("East Africa: detention conditions 2026");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_member_organisation_sees_only_what_the_api_gives_it_and_answers_for_itself()
    {
        var (lima, cusco) = (await OrganisationAsync("Lima Human Rights Bureau", "PE", member: true), await OrganisationAsync("Cusco Defenders Collective", "PE", member: true));
        var addressed = await OpenCallAsync("Peru: protest policing", "[\"PE\"]");
        var elsewhere = await OpenCallAsync("Chile: not addressed to Peru", "[\"CL\"]");
        await ReceiveAsync(addressed, cusco, "Cusco: unshared input", share: false);
        await PlanAsync("UPR", "PE", "Peru UPR: shared with the network", confidentiality: "NETWORK");
        await PlanAsync("UPR", "PE", "Peru UPR: staff only draft", confidentiality: "STAFF");

        var page = await MemberPageAsync("member.lima@example.org", lima);
        await page.GotoAsync($"{Base}/console/submissions?country=PE");
        var table = page.GetByTestId("submissions-table");
        await Assertions.Expect(table).ToContainTextAsync("Peru UPR: shared with the network");
        await Assertions.Expect(table).Not.ToContainTextAsync("Peru UPR: staff only draft");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Plan a submission" })).ToHaveCountAsync(0);
        await ConsolePages.AssertAccessibleAsync(page, "member: submissions", output);

        await page.GotoAsync($"{Base}/console/submissions/calls");
        var calls = page.GetByTestId("calls-table");
        await Assertions.Expect(calls).ToContainTextAsync("Peru: protest policing");
        await Assertions.Expect(calls).Not.ToContainTextAsync("Chile: not addressed to Peru");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Open a call for input" })).ToHaveCountAsync(0);

        await page.GotoAsync($"{Base}/console/submissions/calls/{Uri.EscapeDataString(addressed)}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Peru: protest policing" })).ToBeVisibleAsync();
        // The API gives a member neither the other organisation's unshared input nor who has not answered.
        await Assertions.Expect(page.GetByTestId("call-inputs")).Not.ToContainTextAsync("Cusco: unshared input");
        await Assertions.Expect(page.GetByTestId("call-not-answered")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Extend the deadline" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Answer this call" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByLabel(new System.Text.RegularExpressions.Regex("^Organisation"))).ToHaveCountAsync(0); // it answers for its own organisation
        await dialog.GetByLabel("Input").FillAsync("Lima: arbitrary detentions during the protests.");
        await dialog.GetByLabel("Share it with the other member organisations addressed").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("call-inputs")).ToContainTextAsync("Lima: arbitrary detentions during the protests.");
        await Assertions.Expect(page.GetByTestId("call-inputs")).Not.ToContainTextAsync("Cusco: unshared input");
        await ConsolePages.AssertAccessibleAsync(page, "member: call page", output);
        await ConsolePages.ScreenshotAsync(page, "call-page-member-en.png");

        // A call not addressed to it: NOT_FOUND, shown as such.
        await page.GotoAsync($"{Base}/console/submissions/calls/{Uri.EscapeDataString(elsewhere)}");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not exist, or you may not see it");

        var inputs = (await Admin.QueryAsync("query($id: ID!) { node(id: $id) { ... on CallForInput { inputs { organisation { id } sharedWithNetwork } } } }", new { id = addressed }))
            .GetProperty("node").GetProperty("inputs").EnumerateArray().ToList();
        Assert.Contains(inputs, i => i.GetProperty("organisation").GetProperty("id").GetString() == lima && i.GetProperty("sharedWithNetwork").GetBoolean());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_validation_error_of_the_api_lands_on_its_field()
    {
        await OrganisationAsync("Quito Rights Observatory", "EC", member: true);
        var call = await OpenCallAsync("Colombia only: prison visits", "[\"CO\"]");
        var page = await ConsolePages.SignedInPageAsync(console, "validation.calls@example.org");
        await page.GotoAsync($"{Base}/console/submissions/calls/{Uri.EscapeDataString(call)}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Record an input" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        // Only the API knows the call is not addressed to Ecuador.
        var organisation = dialog.GetByLabel(new System.Text.RegularExpressions.Regex("^Organisation"));
        await ConsolePages.ChooseAsync(page, organisation, "Quito Rights Observatory (Ecuador)");
        await dialog.GetByLabel("Input").FillAsync("From Quito.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(organisation).ToHaveAttributeAsync("aria-invalid", "true");
        var error = dialog.Locator(string.Join(",", (await organisation.GetAttributeAsync("aria-describedby"))!.Split(' ').Select(i => $"[id='{i}']")));
        await Assertions.Expect(error.Last).ToContainTextAsync("not addressed to this organisation's country");
        await ConsolePages.ScreenshotAsync(page, "call-validation-en.png");
        Assert.Equal(0, (await Admin.QueryAsync("query($id: ID!) { node(id: $id) { ... on CallForInput { inputs { text } } } }", new { id = call }))
            .GetProperty("node").GetProperty("inputs").GetArrayLength());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_text_is_edited_saved_and_submitted_with_the_keyboard_alone()
    {
        var id = await PlanAsync("UPR", "AZ", "Azerbaijan UPR: keyboard submission");
        var page = await ConsolePages.SignedInPageAsync(console, "keyboard.upr@example.org");
        await page.GotoAsync($"{Base}/console/submissions?country=AZ");
        await Assertions.Expect(page.GetByTestId("submissions-table")).ToContainTextAsync("Azerbaijan UPR: keyboard submission");

        Assert.True(await ConsolePages.TabToAsync(page, "e => e.tagName === 'A' && e.textContent === 'Azerbaijan UPR: keyboard submission'", 80),
            "Tab never reached the submission's link");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Azerbaijan UPR: keyboard submission" })).ToBeVisibleAsync();
        Assert.True(await ConsolePages.TabToAsync(page, "e => e.tagName === 'TEXTAREA'"), "Tab never reached the text");
        await page.Keyboard.TypeAsync("Arbitrary detention of journalists and defenders.");
        await Assertions.Expect(page.GetByTestId("word-count")).ToHaveTextAsync("6 words of 2,815");
        Assert.True(await ConsolePages.TabToAsync(page, "e => e.tagName === 'BUTTON' && e.textContent === 'Save the text'"), "Tab never reached Save");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("submission-version")).ToHaveTextAsync("Version 2");
        Assert.True(await ConsolePages.TabToAsync(page, "e => e.tagName === 'BUTTON' && e.textContent === 'Mark submitted'", 40, "Shift+Tab")
                    || await ConsolePages.TabToAsync(page, "e => e.tagName === 'BUTTON' && e.textContent === 'Mark submitted'"), "Tab never reached Mark submitted");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("submission-stage")).ToHaveTextAsync("Submitted");
        var fromApi = await SubmissionAsync(id, "status wordCount text");
        Assert.Equal("SUBMITTED", fromApi.GetProperty("status").GetString());
        Assert.Equal(6, fromApi.GetProperty("wordCount").GetInt32());
        Assert.Equal("Arbitrary detention of journalists and defenders.", fromApi.GetProperty("text").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Every_screen_is_axe_clean_and_photographed_in_three_languages()
    {
        var organisation = await OrganisationAsync("Baku Human Rights Club", "AZ", member: true);
        await OrganisationAsync("Ganja Monitors", "AZ", member: true);
        var submission = await PlanAsync("UPR", "AZ", "Azerbaijan UPR: screens", extra: $", coSignatoryIds: [\"{organisation}\"], session: \"4th cycle, 44th session\"");
        await PlanAsync("CAT", "AZ", "Azerbaijan CAT: list of issues", extra: ", catStage: LIST_OF_ISSUES");
        var call = await OpenCallAsync("Caucasus: prison monitoring", "[\"AZ\"]");
        await ReceiveAsync(call, organisation, "Baku: visits refused since March.", share: true);
        var labels = new Dictionary<string, (string Plan, string OpenCall, string Over, string Text)>
        {
            ["en"] = ("Plan a submission", "Open a call for input", "over the limit", "Text of the submission"),
            ["fr"] = ("Prévoir une soumission", "Ouvrir un appel à contributions", "au-delà de la limite", "Texte de la soumission"),
            ["es"] = ("Prever una presentación", "Abrir una convocatoria de aportes", "por encima del límite", "Texto de la presentación"),
        };

        foreach (var (language, label) in labels)
        {
            var page = await ConsolePages.SignedInPageAsync(console, $"submission.screens.{language}@example.org", language: language);
            await page.GotoAsync($"{Base}/console/submissions?country=AZ");
            await Assertions.Expect(page.GetByTestId("submissions-table")).ToContainTextAsync("Azerbaijan CAT: list of issues");
            await Check(page, $"submissions-list-{language}");

            await page.GetByRole(AriaRole.Button, new() { Name = label.Plan }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
            await Check(page, $"submission-plan-form-{language}");
            await page.Keyboard.PressAsync("Escape");

            await page.GotoAsync($"{Base}/console/submissions/{Uri.EscapeDataString(submission)}");
            await page.GetByLabel(label.Text).FillAsync(Words(5_700, "mot"));
            await Assertions.Expect(page.GetByTestId("word-count")).ToContainTextAsync(label.Over);
            await Check(page, $"submission-page-{language}");

            await page.GotoAsync($"{Base}/console/submissions/calls");
            await Assertions.Expect(page.GetByTestId("calls-table")).ToContainTextAsync("Caucasus: prison monitoring");
            await Check(page, $"calls-list-{language}");

            await page.GetByRole(AriaRole.Button, new() { Name = label.OpenCall }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
            await Check(page, $"call-open-form-{language}");
            await page.Keyboard.PressAsync("Escape");

            await page.GotoAsync($"{Base}/console/submissions/calls/{Uri.EscapeDataString(call)}");
            await Assertions.Expect(page.GetByTestId("call-inputs")).ToContainTextAsync("Baku: visits refused since March.");
            await Assertions.Expect(page.GetByTestId("call-not-answered")).ToContainTextAsync("Ganja Monitors");
            await Check(page, $"call-page-{language}");
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Types a date into a Mantine DateInput (its label starts with <paramref name="label"/>: a required one ends in " *"), then clicks the dialog's title so that its calendar closes.</summary>
    private static async Task FillDateAsync(ILocator dialog, string label, DateOnly value)
    {
        await dialog.GetByLabel(new System.Text.RegularExpressions.Regex("^" + label)).FillAsync(value.ToString("yyyy-MM-dd"));
        await dialog.GetByRole(AriaRole.Heading).First.ClickAsync();
    }

    private async Task Check(IPage page, string screen)
    {
        await ConsolePages.AssertAccessibleAsync(page, screen, output);
        await ConsolePages.ScreenshotAsync(page, screen + ".png");
    }

    /// <summary>A member organisation's person (NETWORK_MEMBER, NETWORK, with its organisation) signed in through the console.</summary>
    private Task<IPage> MemberPageAsync(string email, string organisationId) =>
        ConsolePages.SignedInPageAsync(console, email, "NETWORK_MEMBER", "NETWORK", organisationId: organisationId);

    private async Task<string> PlanAsync(string mechanism, string country, string title, string confidentiality = "NETWORK", string extra = "") =>
        (await Admin.QueryAsync(
            $"mutation {{ planSubmission(input: {{ mechanism: {mechanism}, countryCode: \"{country}\", title: \"{title}\", dueOn: \"{Today.AddDays(60):yyyy-MM-dd}\", confidentiality: {confidentiality}{extra} }}) {{ submission {{ id }} }} }}"))
        .GetProperty("planSubmission").GetProperty("submission").GetProperty("id").GetString()!;

    private async Task<JsonElement> SubmissionAsync(string id, string fields) =>
        (await Admin.QueryAsync($"query($id: ID!) {{ node(id: $id) {{ ... on Submission {{ {fields} }} }} }}", new { id })).GetProperty("node");

    private async Task<string> OrganisationAsync(string name, string country, bool member = false) =>
        (await Admin.QueryAsync(
            $"mutation {{ registerOrganisation(input: {{ name: \"{name}\", countryCode: \"{country}\", networkMember: {(member ? "true" : "false")}, confidentiality: PUBLIC }}) {{ organisation {{ id }} }} }}"))
        .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;

    private async Task<string> OpenCallAsync(string title, string audience) =>
        (await Admin.QueryAsync(
            $"mutation {{ openCallForInput(input: {{ title: \"{title}\", question: \"What have you documented?\", deadline: \"{Today.AddDays(30):yyyy-MM-dd}\", audienceCountryCodes: {audience}, confidentiality: NETWORK }}) {{ callForInput {{ id }} }} }}"))
        .GetProperty("openCallForInput").GetProperty("callForInput").GetProperty("id").GetString()!;

    private async Task ReceiveAsync(string call, string organisation, string text, bool share) =>
        await Admin.QueryAsync(
            "mutation($c: ID!, $o: ID!, $t: String!, $s: Boolean) { receiveInput(input: { callId: $c, organisationId: $o, text: $t, shareWithNetwork: $s }) { callForInput { id } } }",
            new { c = call, o = organisation, t = text, s = share });
}
