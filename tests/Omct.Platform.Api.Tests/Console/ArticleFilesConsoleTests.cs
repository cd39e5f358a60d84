using System.Security.Cryptography;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Files;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The files panel on the article page (the console's shared FilesPanel), in Debian's Chromium against the real host: an
/// editor uploads a report's PDF on an article and sees it listed (then the article search finds the article through the
/// PDF's text), in English, French and Spanish, axe clean; a STAFF person who is not an editor sees the article's files
/// without the upload form.
/// </summary>
public sealed class ArticleFilesConsoleTests(ConsoleFixture console, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    private GraphQLClient Admin => new(new HttpClient { BaseAddress = console.BaseUrl }, PlatformFactory.AdminKey);

    private string Base => console.BaseUrl.ToString().TrimEnd('/');

    [Fact]
    public async Task An_editor_uploads_a_PDF_on_an_article_and_sees_it_listed_in_three_languages()
    {
        var id = await DraftAsync("FR", "Mission au Burundi : le rapport");
        var content = EvidenceKit.Pdf("Rapport de mission", "Les tribunaux militaires jugent des civils.");
        var page = await ConsolePages.SignedInPageAsync(console, "article.files.editor@example.org", "EDITOR", "STAFF");

        await page.GotoAsync($"{Base}/console/news/{Uri.EscapeDataString(id)}");
        var panel = page.GetByTestId("article-files-panel");
        await Assertions.Expect(panel).ToContainTextAsync("Images and documents of the article");
        await Assertions.Expect(panel).ToContainTextAsync("No file you may see.");
        await ConsolePages.AssertAccessibleAsync(page, "article files (empty)", output);
        await panel.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "rapport mission.pdf", MimeType = "application/pdf", Buffer = content });
        await panel.GetByLabel("Description").FillAsync("Le rapport complet");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true }).ClickAsync();

        var row = panel.GetByTestId("file-row");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.GetByTestId("file-name")).ToHaveTextAsync("rapport mission.pdf");
        await Assertions.Expect(row).ToContainTextAsync("application/pdf");
        await Assertions.Expect(row.GetByTestId("file-level")).ToHaveTextAsync("Staff");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), await row.GetAttributeAsync("data-sha256"));
        // The pointer left where "Upload" was now hovers the new row's buttons: moved away, as a person reading the page.
        await page.Mouse.MoveAsync(0, 0);
        await ConsolePages.AssertAccessibleAsync(page, "article files", output);
        await ConsolePages.ScreenshotAsync(page, "article-files-en.png");

        // The API has it on the article, and the article search finds the article through the PDF's text (french stemming).
        var files = (await Admin.QueryAsync("query($id: ID!) { node(id: $id) { ... on Article { files { fileName sha256 description } } } }", new { id }))
            .GetProperty("node").GetProperty("files");
        Assert.Equal("Le rapport complet", files.EnumerateArray().Single().GetProperty("description").GetString());
        var found = (await Admin.QueryAsync("{ articles(filter: { text: \"tribunal\", language: FR }) { nodes { id } } }"))
            .GetProperty("articles").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString());
        Assert.Contains(id, found);

        foreach (var (language, title, upload) in new[]
                 {
                     ("fr", "Images et documents de l'article", "Téléverser"),
                     ("es", "Imágenes y documentos del artículo", "Subir"),
                 })
        {
            await page.EvaluateAsync($"() => localStorage.setItem('omct.console.language', '{language}')");
            await page.ReloadAsync();
            panel = page.GetByTestId("article-files-panel");
            await Assertions.Expect(panel).ToContainTextAsync(title);
            await Assertions.Expect(panel.GetByRole(AriaRole.Button, new() { Name = upload, Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(panel.GetByTestId("file-row")).ToHaveCountAsync(1);
            await ConsolePages.AssertAccessibleAsync(page, $"article files ({language})", output);
            await ConsolePages.ScreenshotAsync(page, $"article-files-{language}.png");
        }

        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_staff_person_who_is_not_an_editor_sees_the_articles_files_without_the_upload_form()
    {
        var id = await DraftAsync("EN", "Statement with an illustration");
        await Admin.QueryAsync("mutation($id: ID!) { publishArticle(input: { articleId: $id }) { article { id } } }", new { id });
        var upload = await new TusKit(console.Host, PlatformFactory.AdminKey).UploadAsync(EvidenceKit.Pdf("Annex"), "annex.pdf");
        await Admin.QueryAsync("mutation($r: ID!, $u: ID!) { attachFile(input: { recordId: $r, uploadId: $u, confidentiality: PUBLIC }) { file { id } } }", new { r = id, u = upload });

        var page = await ConsolePages.SignedInPageAsync(console, "article.files.reader@example.org", "STAFF", "RESTRICTED");
        await page.GotoAsync($"{Base}/console/news/{Uri.EscapeDataString(id)}");
        var panel = page.GetByTestId("article-files-panel");
        await Assertions.Expect(panel.GetByTestId("file-name")).ToHaveTextAsync("annex.pdf");
        await Assertions.Expect(panel.Locator("input[type=file]")).ToHaveCountAsync(0);
        await Assertions.Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Change the level of annex.pdf" })).ToHaveCountAsync(0);
        await ConsolePages.AssertAccessibleAsync(page, "article files (reader)", output);
        await page.Context.CloseAsync();
    }

    private async Task<string> DraftAsync(string language, string title) =>
        (await Admin.QueryAsync(
            "mutation($lang: Language!, $title: String!) { draftArticle(input: { kind: REPORT, language: $lang, title: $title, body: \"Le texte.\", confidentiality: PUBLIC }) { article { id } } }",
            new { lang = language, title }))
        .GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString()!;
}
