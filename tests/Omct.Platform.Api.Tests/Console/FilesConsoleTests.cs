using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Files;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The console's files panel on the case page, in Debian's Chromium against the real host on Kestrel: an upload through
/// tus-js-client with the person's session (cookie + antiforgery header), its progress, the row that appears, the
/// preview, the download (bytes checked against the SHA-256), the chain of custody, a resumed upload after a dropped
/// connection, and what a STAFF person does not see. One signed-in page per test.
/// </summary>
public sealed class FilesConsoleTests(ConsoleFixture console, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    private GraphQLClient Admin => new(new HttpClient { BaseAddress = console.BaseUrl }, PlatformFactory.AdminKey);

    private string Base => console.BaseUrl.ToString().TrimEnd('/');

    private const string AttachMutation =
        "mutation($r: ID!, $u: ID!, $l: Confidentiality) { attachFile(input: { recordId: $r, uploadId: $u, confidentiality: $l }) { file { id } } }";

    [Fact]
    public async Task A_file_is_uploaded_on_a_case_with_its_progress_previewed_downloaded_and_its_custody_shows_the_upload_and_the_download()
    {
        var caseId = await FeedKit.OpenCaseAsync(Admin, "Tunisia: torture in pre-trial detention", "STAFF", "TN");
        var content = TusKit.Pdf(300_000, seed: 21);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var page = await ConsolePages.SignedInPageAsync(console, "files.uploader@example.org");

        // attachFile is held until the page has shown the upload complete: every byte sent and stored, not yet attached.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var patches = 0;
        await page.RouteAsync("**/files/uploads/*", async route =>
        {
            if (route.Request.Method == "PATCH")
            {
                Interlocked.Increment(ref patches);
            }

            await route.ContinueAsync();
        });
        await page.RouteAsync("**/graphql", async route =>
        {
            if (route.Request.PostData?.Contains("\"AttachFile\"", StringComparison.Ordinal) == true)
            {
                await release.Task;
            }

            await route.ContinueAsync();
        });

        await page.GotoAsync($"{Base}/console/cases/{Uri.EscapeDataString(caseId)}");
        var panel = page.GetByTestId("case-files-panel");
        await Assertions.Expect(panel).ToContainTextAsync("No file you may see.");
        await panel.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "medical report.pdf", MimeType = "application/pdf", Buffer = content });
        await panel.GetByLabel("Description").FillAsync("Forensic examination, 3 March");
        await Assertions.Expect(panel.GetByLabel("Who may see it", new() { Exact = true })).ToHaveValueAsync("Staff");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();

        var status = panel.GetByTestId("upload-status");
        await Assertions.Expect(status).ToHaveTextAsync(new Regex(@"^100 % — 300 kB of 300 kB: uploaded"));
        await Assertions.Expect(panel.GetByRole(AriaRole.Progressbar, new() { Name = "Upload progress" })).ToHaveAttributeAsync("aria-valuenow", "100");
        await ConsolePages.ScreenshotAsync(page, "files-upload-progress-en.png");
        release.SetResult();

        var row = panel.GetByTestId("file-row");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(panel.GetByTestId("upload-progress")).ToHaveCountAsync(0);
        await Assertions.Expect(row.GetByTestId("file-name")).ToHaveTextAsync("medical report.pdf");
        await Assertions.Expect(row).ToContainTextAsync("application/pdf");
        await Assertions.Expect(row).ToContainTextAsync("Forensic examination, 3 March");
        await Assertions.Expect(row.GetByTestId("file-size")).ToHaveTextAsync("300 kB");
        await Assertions.Expect(row.GetByTestId("file-level")).ToHaveTextAsync("Staff");
        Assert.Equal(sha256, await row.GetAttributeAsync("data-sha256"));
        Assert.Equal(1, patches);

        // What the API holds: the file on the case, the person's upload, its SHA-256.
        var fromApi = (await Admin.QueryAsync("query($id: ID!) { case(id: $id) { files { fileName sha256 confidentiality description custody { kind by } } } }", new { id = caseId }))
            .GetProperty("case").GetProperty("files");
        var stored = Assert.Single(fromApi.EnumerateArray());
        Assert.Equal(sha256, stored.GetProperty("sha256").GetString());
        Assert.Equal("STAFF", stored.GetProperty("confidentiality").GetString());
        Assert.StartsWith("user:", stored.GetProperty("custody")[0].GetProperty("by").GetString());

        // The preview: the type's icon until a thumbnail exists, and the details with the SHA-256.
        await row.GetByRole(AriaRole.Button, new() { Name = "Preview medical report.pdf" }).ClickAsync();
        var preview = page.GetByRole(AriaRole.Dialog).GetByTestId("file-preview");
        await Assertions.Expect(preview.GetByTestId("file-sha256")).ToHaveTextAsync(sha256);
        await Assertions.Expect(preview.GetByTestId("file-uploaded")).ToContainTextAsync("by you");
        await Assertions.Expect(preview.GetByRole(AriaRole.Img, new() { Name = "PDF document" }).Or(preview.GetByTestId("file-thumbnail"))).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "file preview", output);
        await ConsolePages.ScreenshotAsync(page, "files-preview-en.png");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        // The download: the browser's download, its bytes those uploaded.
        var download = await page.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Link, new() { Name = "Download medical report.pdf" }).ClickAsync());
        Assert.Equal("medical report.pdf", download.SuggestedFilename);
        var path = await download.PathAsync();
        var downloaded = await File.ReadAllBytesAsync(path);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(downloaded)));
        Assert.Equal(content, downloaded);

        // The chain of custody, read again when it opens: uploaded, attached, downloaded — by this person.
        await row.GetByRole(AriaRole.Button, new() { Name = "Chain of custody of medical report.pdf" }).ClickAsync();
        var custody = page.GetByRole(AriaRole.Dialog).GetByTestId("file-custody");
        await Assertions.Expect(custody).ToHaveAttributeAsync("data-fresh", "true");
        var kinds = custody.GetByTestId("custody-entry");
        await Assertions.Expect(kinds).ToHaveCountAsync(3);
        Assert.Equal(["UPLOADED", "ATTACHED", "DOWNLOADED"], await kinds.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.kind)"));
        await Assertions.Expect(kinds.Nth(0)).ToContainTextAsync("Uploaded");
        await Assertions.Expect(kinds.Nth(2)).ToContainTextAsync("Downloaded");
        await Assertions.Expect(kinds.Nth(2)).ToContainTextAsync("you");
        await ConsolePages.AssertAccessibleAsync(page, "file custody", output);
        await ConsolePages.ScreenshotAsync(page, "files-custody-en.png");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await ConsolePages.AssertAccessibleAsync(page, "case files panel", output);
        await ConsolePages.ScreenshotAsync(page, "files-panel-en.png");

        // The same panel in French and Spanish: every label translated, sizes and dates per locale.
        foreach (var (language, title, upload, custodyLabel, uploadedKind) in new[]
                 {
                     ("fr", "Fichiers du dossier", "Téléverser", "Chaîne de traçabilité de medical report.pdf", "Téléversé"),
                     ("es", "Archivos del caso", "Subir", "Cadena de custodia de medical report.pdf", "Subido"),
                 })
        {
            await page.EvaluateAsync($"() => localStorage.setItem('omct.console.language', '{language}')");
            await page.ReloadAsync();
            panel = page.GetByTestId("case-files-panel");
            await Assertions.Expect(panel).ToContainTextAsync(title);
            await Assertions.Expect(panel.GetByRole(AriaRole.Button, new() { Name = upload, Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(panel.GetByTestId("file-size")).ToHaveTextAsync(new Regex(@"^300\s?k[Bo]$"));
            await ConsolePages.AssertAccessibleAsync(page, $"case files panel ({language})", output);
            await ConsolePages.ScreenshotAsync(page, $"files-panel-{language}.png");
            await panel.GetByRole(AriaRole.Button, new() { Name = custodyLabel }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog).GetByTestId("custody-entry").First).ToContainTextAsync(uploadedKind);
            await ConsolePages.ScreenshotAsync(page, $"files-custody-{language}.png");
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        }

        // Nothing of the panel's own was blocked: no connection, image or script outside 'self' (a nonce-less style element
        // that Mantine's shared bundle inserts on this page is reported apart, see the branch's report).
        Assert.DoesNotContain(await ConsolePages.CspViolationsAsync(page), v => !v.StartsWith("style-src-elem inline", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_upload_whose_connection_drops_resumes_from_the_servers_offset_and_completes()
    {
        var caseId = await FeedKit.OpenCaseAsync(Admin, "Egypt: enforced disappearance of a lawyer", "STAFF", "EG");
        var content = TusKit.Pdf(200_000, seed: 22);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var page = await ConsolePages.SignedInPageAsync(console, "files.resumer@example.org");

        // The first PATCH reaches the server (every byte is stored) but its answer never reaches the browser, as when a
        // connection drops: tus-js-client asks HEAD where the upload is and goes on from there — here, done.
        var methods = new List<string>();
        var dropped = 0;
        await page.RouteAsync("**/files/uploads**", async route =>
        {
            lock (methods)
            {
                methods.Add(route.Request.Method);
            }

            if (route.Request.Method == "PATCH" && Interlocked.Increment(ref dropped) == 1)
            {
                var response = await route.FetchAsync();
                lock (methods)
                {
                    methods.Add($"(dropped {response.Status})");
                }

                await route.AbortAsync("connectionreset");
                return;
            }

            await route.ContinueAsync();
        });

        await page.GotoAsync($"{Base}/console/cases/{Uri.EscapeDataString(caseId)}");
        var panel = page.GetByTestId("case-files-panel");
        await panel.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "testimony.pdf", MimeType = "application/pdf", Buffer = content });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();

        var row = panel.GetByTestId("file-row");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        Assert.Equal(sha256, await row.GetAttributeAsync("data-sha256"));
        output.WriteLine(string.Join(", ", methods));
        lock (methods)
        {
            // Created once, the dropped PATCH, then HEAD: the upload resumed from the server's offset rather than starting again.
            Assert.Equal(1, methods.Count(m => m == "POST"));
            var patch = methods.IndexOf("PATCH");
            Assert.True(patch >= 0 && methods[patch + 1] == "(dropped 204)" && methods.IndexOf("HEAD", patch) > patch, string.Join(", ", methods));
        }

        var stored = (await Admin.QueryAsync("query($id: ID!) { case(id: $id) { files { sha256 size } } }", new { id = caseId }))
            .GetProperty("case").GetProperty("files");
        Assert.Equal(sha256, Assert.Single(stored.EnumerateArray()).GetProperty("sha256").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_STAFF_person_does_not_see_a_RESTRICTED_file_nor_the_files_of_a_RESTRICTED_event_and_a_forbidden_type_is_refused_in_words()
    {
        var caseId = await FeedKit.OpenCaseAsync(Admin, "Belarus: detention of a human rights monitor", "STAFF", "BY");
        var restrictedEvent = (await Admin.QueryAsync(
                "mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: THREAT, date: \"2024-02\", confidentiality: RESTRICTED }) { case { events { id } } } }",
                new { id = caseId }))
            .GetProperty("recordCaseEvent").GetProperty("case").GetProperty("events")[0].GetProperty("id").GetString()!;
        var tus = new TusKit(console.Host, PlatformFactory.AdminKey);
        await Admin.QueryAsync(AttachMutation, new { r = caseId, u = await tus.UploadAsync(TusKit.Pdf(5_000, 1), "visible.pdf"), l = "STAFF" });
        await Admin.QueryAsync(AttachMutation, new { r = caseId, u = await tus.UploadAsync(TusKit.Pdf(5_000, 2), "source identity.pdf"), l = "RESTRICTED" });
        await Admin.QueryAsync(AttachMutation, new { r = restrictedEvent, u = await tus.UploadAsync(TusKit.Pdf(5_000, 3), "safe house.pdf"), l = "STAFF" });
        // The API holds all three (the admin sees them)…
        var all = (await Admin.QueryAsync("query($id: ID!) { case(id: $id) { files { fileName } events { files { fileName } } } }", new { id = caseId })).GetProperty("case");
        Assert.Equal(2, all.GetProperty("files").GetArrayLength());
        Assert.Equal("safe house.pdf", all.GetProperty("events")[0].GetProperty("files")[0].GetProperty("fileName").GetString());

        // …a STAFF person's case page shows the STAFF file only.
        var page = await ConsolePages.SignedInPageAsync(console, "files.staff@example.org");
        await page.GotoAsync($"{Base}/console/cases/{Uri.EscapeDataString(caseId)}");
        var panel = page.GetByTestId("case-files-panel");
        await Assertions.Expect(panel.GetByTestId("file-row")).ToHaveCountAsync(1);
        await Assertions.Expect(panel.GetByTestId("file-name")).ToHaveTextAsync("visible.pdf");
        await Assertions.Expect(page.GetByTestId("event-files")).ToHaveCountAsync(0);
        var text = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("source identity", text);
        Assert.DoesNotContain("safe house", text);
        // The level offered for an upload stops at the person's clearance.
        await panel.GetByLabel("Who may see it", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "Staff" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "Restricted" })).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Escape");

        // A forbidden type (HTML named .pdf): the server's refusal, in words, and nothing attached.
        await panel.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "report.pdf",
            MimeType = "application/pdf",
            Buffer = "<!doctype html><html><script>alert(1)</script></html>"u8.ToArray(),
        });
        await panel.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        await Assertions.Expect(panel.GetByTestId("upload-error")).ToContainTextAsync("This type of file is not accepted");
        await Assertions.Expect(panel.GetByTestId("file-row")).ToHaveCountAsync(1);
        await ConsolePages.AssertAccessibleAsync(page, "upload refused", output);
        await ConsolePages.ScreenshotAsync(page, "files-upload-refused-en.png");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_portrait_is_uploaded_on_a_defender_page_shown_as_its_picture_and_Public_is_offered_only_with_consent()
    {
        var withConsent = await RegisterDefenderAsync("Portrait Consented-Test", portraitConsent: true);
        var withoutConsent = await RegisterDefenderAsync("Portrait Unconsented-Test", portraitConsent: false);
        var page = await ConsolePages.SignedInPageAsync(console, "files.portraits@example.org", "ADMIN", "RESTRICTED");

        // Without consent to a portrait, Public is not among the levels offered.
        await page.GotoAsync($"{Base}/console/defenders/{Uri.EscapeDataString(withoutConsent)}");
        var panel = page.GetByTestId("defender-portrait-panel");
        await Assertions.Expect(page.GetByTestId("defender-portrait")).ToContainTextAsync("No consent to publish a portrait");
        await panel.GetByLabel("Who may see it", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "Staff" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "Public" })).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Escape");

        // With it: a portrait uploaded as Public is the profile's picture, drawn from its thumbnail.
        await page.GotoAsync($"{Base}/console/defenders/{Uri.EscapeDataString(withConsent)}");
        await Assertions.Expect(page.GetByTestId("defender-portrait")).ToContainTextAsync("No portrait you may see.");
        await panel.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "portrait.png", MimeType = "image/png", Buffer = AttachKit.Png(1200, "consented") });
        await ConsolePages.ChooseAsync(page, panel.GetByLabel("Who may see it", new() { Exact = true }), "Public");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();
        var picture = page.GetByTestId("defender-portrait").GetByTestId("file-thumbnail");
        await Assertions.Expect(picture).ToBeVisibleAsync();
        await Assertions.Expect(picture).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await picture.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the thumbnail did not load");
        var portrait = (await Admin.QueryAsync("query($id: ID!) { defender(id: $id) { portrait { confidentiality purpose fileName } } }", new { id = withConsent }))
            .GetProperty("defender").GetProperty("portrait");
        Assert.Equal(("PUBLIC", "PORTRAIT", "portrait.png"),
            (portrait.GetProperty("confidentiality").GetString(), portrait.GetProperty("purpose").GetString(), portrait.GetProperty("fileName").GetString()));
        await ConsolePages.AssertAccessibleAsync(page, "defender portrait", output);
        await ConsolePages.ScreenshotAsync(page, "files-defender-portrait-en.png");
        await page.Context.CloseAsync();
    }

    private async Task<string> RegisterDefenderAsync(string name, bool portraitConsent)
    {
        var id = (await Admin.QueryAsync("mutation($n: String!) { registerDefender(input: { name: $n, countryCode: \"BY\", confidentiality: STAFF }) { defender { id } } }",
            new { n = name })).GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        await Admin.QueryAsync("mutation($id: ID!, $p: Boolean!) { recordConsent(input: { defenderId: $id, toPublishName: false, toPublishPortrait: $p, givenOn: \"2024-01-10\" }) { defender { id } } }",
            new { id, p = portraitConsent });
        return id;
    }
}
