using System.Net;
using System.Security.Cryptography;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Files;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The files panel (src/files/FilesPanel, reused) on the submission page and, per input, on a call for input's page, in
/// Debian's Chromium against the real host: staff attach the submitted document; a member organisation attaches its
/// document to its own input and sees no other organisation's unshared input. Axe clean; screenshots in EN, FR and ES.
/// </summary>
public sealed class SubmissionFilesConsoleTests(ConsoleFixture console, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    private GraphQLClient Admin => new(new HttpClient { BaseAddress = console.BaseUrl }, PlatformFactory.AdminKey);

    private string Base => console.BaseUrl.ToString().TrimEnd('/');

    [Fact]
    public async Task Staff_attach_a_file_to_a_submission_and_see_it_listed()
    {
        var id = (await Admin.QueryAsync(
                "mutation { planSubmission(input: { mechanism: CAT, countryCode: \"TN\", title: \"Tunisia: CAT list of issues\", dueOn: \"2099-01-15\", confidentiality: STAFF }) { submission { id } } }"))
            .GetProperty("planSubmission").GetProperty("submission").GetProperty("id").GetString()!;
        var content = TusKit.Pdf(120_000, seed: 41);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var page = await ConsolePages.SignedInPageAsync(console, "submission.files@example.org");
        await page.GotoAsync($"{Base}/console/submissions/{Uri.EscapeDataString(id)}");

        var panel = page.GetByTestId("submission-files-panel");
        await Assertions.Expect(panel).ToContainTextAsync("No file you may see.");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Files of the submission" })).ToBeVisibleAsync();
        await panel.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "cat-report.pdf", MimeType = "application/pdf", Buffer = content });
        await panel.GetByLabel("Description").FillAsync("As submitted to the Committee");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();

        var row = panel.GetByTestId("file-row");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.GetByTestId("file-name")).ToHaveTextAsync("cat-report.pdf");
        await Assertions.Expect(row.GetByTestId("file-level")).ToHaveTextAsync("Staff");
        Assert.Equal(sha256, await row.GetAttributeAsync("data-sha256"));
        // The pointer away from the row that appeared under it (a hovered button is not what axe should judge).
        await page.Mouse.MoveAsync(0, 0);
        await ConsolePages.AssertAccessibleAsync(page, "submission files", output);
        await ConsolePages.ScreenshotAsync(page, "submission-files-en.png");

        // What the API holds: the file on the submission, with the SHA-256 of what was sent.
        var files = (await Admin.QueryAsync("query($id: ID!) { node(id: $id) { ... on Submission { files { fileName sha256 description } } } }", new { id }))
            .GetProperty("node").GetProperty("files");
        var stored = Assert.Single(files.EnumerateArray());
        Assert.Equal(sha256, stored.GetProperty("sha256").GetString());
        Assert.Equal("As submitted to the Committee", stored.GetProperty("description").GetString());

        // The same page in French and Spanish: the panel's labels translated, the file listed.
        foreach (var (language, heading) in new[] { ("fr", "Fichiers de la soumission"), ("es", "Archivos de la presentación") })
        {
            var translated = await ConsolePages.SignedInPageAsync(console, $"submission.files.{language}@example.org", language: language);
            await translated.GotoAsync($"{Base}/console/submissions/{Uri.EscapeDataString(id)}");
            await Assertions.Expect(translated.GetByRole(AriaRole.Heading, new() { Name = heading })).ToBeVisibleAsync();
            await Assertions.Expect(translated.GetByTestId("submission-files-panel").GetByTestId("file-name")).ToHaveTextAsync("cat-report.pdf");
            await ConsolePages.AssertAccessibleAsync(translated, $"submission files ({language})", output);
            await ConsolePages.ScreenshotAsync(translated, $"submission-files-{language}.png");
        }
    }

    [Fact]
    public async Task A_member_organisation_attaches_its_document_to_its_own_input()
    {
        var (tunis, sfax) = (await OrganisationAsync("Tunis Rights League", "TN"), await OrganisationAsync("Sfax Defenders", "TN"));
        var call = (await Admin.QueryAsync(
                "mutation { openCallForInput(input: { title: \"Detention in North Africa\", question: \"What have you documented?\", deadline: \"2099-01-01\", audienceCountryCodes: [\"TN\"], confidentiality: NETWORK }) { callForInput { id } } }"))
            .GetProperty("openCallForInput").GetProperty("callForInput").GetProperty("id").GetString()!;
        await ReceiveAsync(call, tunis, "Our findings are in the attached report.");
        await ReceiveAsync(call, sfax, "Not shared with the network.");

        var page = await MemberPageAsync("member.tunis@example.org", tunis);
        await page.GotoAsync($"{Base}/console/submissions/calls/{Uri.EscapeDataString(call)}");
        var inputs = page.GetByTestId("input-files");
        // Only its own input: the other organisation's is not shared, so the API does not give it.
        await Assertions.Expect(inputs).ToHaveCountAsync(1);
        await Assertions.Expect(inputs).ToHaveAttributeAsync("data-organisation-id", tunis);
        var panel = page.GetByTestId("input-files-panel");
        await panel.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "findings.pdf", MimeType = "application/pdf", Buffer = TusKit.Pdf(20_000, seed: 42) });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(panel.GetByTestId("file-name")).ToHaveTextAsync("findings.pdf");
        await Assertions.Expect(panel.GetByTestId("file-level")).ToHaveTextAsync("Network");
        await page.Mouse.MoveAsync(0, 0);
        await ConsolePages.AssertAccessibleAsync(page, "member: input files", output);
        await ConsolePages.ScreenshotAsync(page, "call-input-files-member-en.png");

        // The API has it on the organisation's input, and the other organisation may not download it.
        var input = (await Admin.QueryAsync("query($id: ID!) { node(id: $id) { ... on CallForInput { inputs { organisation { id } files { downloadUrl } } } } }", new { id = call }))
            .GetProperty("node").GetProperty("inputs").EnumerateArray().Single(i => i.GetProperty("organisation").GetProperty("id").GetString() == tunis);
        var url = Assert.Single(input.GetProperty("files").EnumerateArray()).GetProperty("downloadUrl").GetString()!;
        var sfaxKey = (await Admin.QueryAsync("mutation($o: ID!) { createApiKey(input: { name: \"sfax\", role: NETWORK_MEMBER, clearance: NETWORK, organisationId: $o }) { key } }", new { o = sfax }))
            .GetProperty("createApiKey").GetProperty("key").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(console.BaseUrl, url));
        request.Headers.Add("X-Api-Key", sfaxKey);
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(request)).StatusCode);
    }

    /// <summary>A member organisation's person (NETWORK_MEMBER, NETWORK, with its organisation) signed in through the console.</summary>
    private Task<IPage> MemberPageAsync(string email, string organisationId) =>
        ConsolePages.SignedInPageAsync(console, email, "NETWORK_MEMBER", "NETWORK", organisationId: organisationId);

    private async Task<string> OrganisationAsync(string name, string country) =>
        (await Admin.QueryAsync(
            $"mutation {{ registerOrganisation(input: {{ name: \"{name}\", countryCode: \"{country}\", networkMember: true, confidentiality: PUBLIC }}) {{ organisation {{ id }} }} }}"))
        .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;

    private async Task ReceiveAsync(string call, string organisation, string text) =>
        await Admin.QueryAsync(
            "mutation($c: ID!, $o: ID!, $t: String!) { receiveInput(input: { callId: $c, organisationId: $o, text: $t }) { callForInput { id } } }",
            new { c = call, o = organisation, t = text });
}
