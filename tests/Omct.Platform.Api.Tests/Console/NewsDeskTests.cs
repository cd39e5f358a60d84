using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The console's news desk (/console/news) in Debian's Chromium against the real host on Kestrel, with the console
/// built by build/console.sh; people sign in through the console's own sign-in page. The scheduler is off in tests:
/// the job that publishes scheduled articles is run as an administrator runs it (runJob), as JobOperationsTests does.
/// Screenshots go to .local/screenshots/console/.
/// </summary>
public sealed class NewsDeskTests(ConsoleFixture console, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    private static readonly TimeZoneInfo Geneva = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");

    static NewsDeskTests() =>
        // The area's lazy chunk and its first query on a machine shared by several builds: more than the default 5 s.
        SetDefaultExpectTimeout(20_000);

    private GraphQLClient Admin => new(new HttpClient { BaseAddress = console.BaseUrl }, PlatformFactory.AdminKey);

    private string Base => console.BaseUrl.ToString().TrimEnd('/');

    [Fact]
    public async Task An_article_is_drafted_translated_scheduled_in_Geneva_time_and_published_by_the_job()
    {
        var page = await ConsolePages.SignedInPageAsync(console, "editor.schedule@example.org", "EDITOR", "STAFF");
        // The browser is in Los Angeles: the time typed is still Geneva's.
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Emulation.setTimezoneOverride", new Dictionary<string, object> { ["timezoneId"] = "America/Los_Angeles" });

        await page.GotoAsync($"{Base}/console/news");
        await page.GetByRole(AriaRole.Link, new() { Name = "New article" }).ClickAsync();
        await page.GetByLabel("Title").FillAsync("Belarus: Ales Bialiatski still behind bars");
        await page.GetByLabel("Summary").FillAsync("The Viasna founder has spent years in prison.");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Text (Markdown)" }).FillAsync(
            "The **Nobel laureate** remains detained.\n\n<script>window.__pwned = 1</script>\n\n[Viasna](https://spring96.org)");

        // The preview is the API's sanitised HTML: the bold is rendered, the script is text and never runs.
        var preview = page.GetByTestId("article-preview");
        await Expect(preview.Locator("strong")).ToHaveTextAsync("Nobel laureate");
        await Expect(preview.Locator("a[href='https://spring96.org']")).ToHaveTextAsync("Viasna");
        await Expect(preview).ToContainTextAsync("<script>window.__pwned = 1</script>");
        Assert.Equal(0, await preview.Locator("script").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"), "the script in the Markdown ran");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save the draft" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/news/[^/?]+$"));
        var id = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath.Split('/').Last());
        await Expect(page.GetByTestId("article-status")).ToHaveTextAsync("Draft");
        await Expect(page.GetByTestId("missing-translations")).ToHaveTextAsync("Missing: French, Spanish");
        await Expect(page.GetByTestId("translation-FR")).ToContainTextAsync("No French translation yet.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Add the French translation" }).ClickAsync();
        var editor = page.GetByTestId("translation-editor");
        await editor.GetByLabel("Title").FillAsync("Bélarus : Ales Bialiatski toujours derrière les barreaux");
        await editor.GetByRole(AriaRole.Textbox, new() { Name = "Text (Markdown)" }).FillAsync("Le **lauréat du prix Nobel** reste détenu.");
        await Expect(editor.GetByTestId("article-preview").Locator("strong")).ToHaveTextAsync("lauréat du prix Nobel");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save the translation" }).ClickAsync();
        await Expect(page.GetByTestId("translation-FR")).ToContainTextAsync("Bélarus : Ales Bialiatski toujours derrière les barreaux");
        await Expect(page.GetByTestId("translation-FR").Locator("strong")).ToHaveTextAsync("lauréat du prix Nobel");
        await Expect(page.GetByTestId("missing-translations")).ToHaveTextAsync("Missing: Spanish");
        await Expect(page.GetByTestId("translation-ES")).ToContainTextAsync("No Spanish translation yet.");

        // A few seconds ahead, typed as Geneva's wall-clock time.
        var at = DateTimeOffset.UtcNow.AddSeconds(20);
        at = at.AddTicks(-(at.Ticks % TimeSpan.TicksPerSecond));
        var wall = TimeZoneInfo.ConvertTime(at, Geneva);
        await TypePublishAtAsync(page, wall);
        await ConsolePages.ScreenshotAsync(page, "news-schedule-en.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Schedule", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("article-status")).ToHaveTextAsync("Scheduled");
        await Expect(page.GetByTestId("article-publication")).ToContainTextAsync(
            $"{wall.ToString("h:mm:ss tt", CultureInfo.InvariantCulture)}, Geneva time"); // Geneva's hour, not Los Angeles

        var scheduled = await ArticleAsync(id);
        Assert.Equal("SCHEDULED", scheduled.GetProperty("status").GetString());
        Assert.Equal(at, scheduled.GetProperty("publishAt").GetDateTimeOffset()); // Geneva's time, not Los Angeles'
        Assert.Equal(["EN", "FR"], scheduled.GetProperty("languages").EnumerateArray().Select(l => l.GetString()));

        // The job, as an administrator runs it, once the moment has come; the page shows the change by itself.
        var wait = at - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var run = (await Admin.QueryAsync("mutation { runJob(input: { name: \"PUBLISH_SCHEDULED_ARTICLES\" }) { run { outcome items } } }"))
            .GetProperty("runJob").GetProperty("run");
        Assert.Equal("SUCCEEDED", run.GetProperty("outcome").GetString());
        Assert.True(run.GetProperty("items").GetInt32() >= 1);
        await Expect(page.GetByTestId("article-status")).ToHaveTextAsync("Published", new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("article-publication")).ToContainTextAsync("Published on");
        var published = await ArticleAsync(id);
        Assert.Equal("PUBLISHED", published.GetProperty("status").GetString());
        Assert.Equal(at, published.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.DoesNotContain("<script", published.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_portrait_without_consent_is_refused_with_the_reason_shown()
    {
        var defender = (await Admin.QueryAsync(
                "mutation { registerDefender(input: { name: \"Portrait Without Consent\", countryCode: \"PH\", consentToPublishName: true, confidentiality: PUBLIC }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        var id = await DraftAsync("Portrait of a defender", "A life of work.", kind: "PORTRAIT", defenderIds: [defender]);
        var page = await ConsolePages.SignedInPageAsync(console, "editor.portrait@example.org", "EDITOR", "STAFF");
        await page.GotoAsync($"{Base}/console/news/{Uri.EscapeDataString(id)}");
        await Expect(page.GetByTestId("article-links")).ToContainTextAsync("Portrait Without Consent");

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish now" }).ClickAsync();
        var refused = page.GetByTestId("problem");
        await Expect(refused).ToContainTextAsync("Refused");
        await Expect(refused).ToContainTextAsync("consent to a portrait");
        output.WriteLine(await refused.InnerTextAsync());
        await ConsolePages.ScreenshotAsync(page, "news-portrait-refused-en.png");
        await Expect(page.GetByTestId("article-status")).ToHaveTextAsync("Draft");
        Assert.Equal("DRAFT", (await ArticleAsync(id)).GetProperty("status").GetString());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_validation_error_is_shown_on_its_field()
    {
        var id = await DraftAsync("Validation on the slug", "Body.");
        var page = await ConsolePages.SignedInPageAsync(console, "editor.validation@example.org", "EDITOR", "STAFF");
        await page.GotoAsync($"{Base}/console/news/{Uri.EscapeDataString(id)}?edit=EN");
        var editor = page.GetByTestId("translation-editor");
        var slug = editor.GetByLabel("Slug");
        await Expect(slug).ToHaveValueAsync("validation-on-the-slug");
        await slug.FillAsync("Not A Slug!"); // only the API knows the rule
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save the translation" }).ClickAsync();

        await Expect(slug).ToHaveAttributeAsync("aria-invalid", "true");
        var describedBy = await slug.GetAttributeAsync("aria-describedby");
        Assert.NotNull(describedBy);
        var error = editor.Locator(string.Join(",", describedBy!.Split(' ').Select(i => $"[id='{i}']")));
        await Expect(error.Last).ToContainTextAsync("lower-case letters");
        await Expect(page.GetByTestId("problem")).ToHaveCountAsync(0);
        var article = await ArticleAsync(id);
        Assert.Equal(("validation-on-the-slug", 2), (article.GetProperty("slug").GetString(), article.GetProperty("version").GetInt32()));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Someone_else_changed_the_article_the_editor_is_told_who_reloads_and_reapplies()
    {
        var id = await DraftAsync("Conflict on a translation", "Body.");
        var page = await ConsolePages.SignedInPageAsync(console, "editor.conflict@example.org", "EDITOR", "STAFF");
        await page.GotoAsync($"{Base}/console/news/{Uri.EscapeDataString(id)}?edit=ES");
        await Expect(page.GetByTestId("article-version")).ToContainTextAsync("Version 2");
        await Admin.QueryAsync("mutation($id: ID!) { tagArticle(input: { articleId: $id, themes: [\"detention\"] }) { article { id } } }", new { id });

        var editor = page.GetByTestId("translation-editor");
        await editor.GetByLabel("Title").FillAsync("Conflicto en una traducción");
        await editor.GetByRole(AriaRole.Textbox, new() { Name = "Text (Markdown)" }).FillAsync("Texto.");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save the translation" }).ClickAsync();
        var conflict = page.GetByTestId("conflict");
        await Expect(conflict).ToContainTextAsync("Someone else changed this article");
        await Expect(conflict).ToContainTextAsync("version 3");
        output.WriteLine(await conflict.InnerTextAsync());
        Assert.Equal(["EN"], (await ArticleAsync(id)).GetProperty("languages").EnumerateArray().Select(l => l.GetString()));

        await conflict.GetByRole(AriaRole.Button, new() { Name = "Reload and re-apply" }).ClickAsync();
        await Expect(page.GetByTestId("translation-ES")).ToContainTextAsync("Conflicto en una traducción");
        var after = await ArticleAsync(id);
        Assert.Equal(4, after.GetProperty("version").GetInt32());
        Assert.Equal(["EN", "ES"], after.GetProperty("languages").EnumerateArray().Select(l => l.GetString()));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_staff_person_without_the_editor_role_sees_no_editing_button_and_the_API_refuses()
    {
        var draft = await DraftAsync("Staff cannot see this draft", "Draft.");
        var id = await DraftAsync("Staff read this published statement", "Published **text**.");
        await Admin.QueryAsync("mutation($id: ID!) { publishArticle(input: { articleId: $id }) { article { id } } }", new { id });

        var staff = await ConsolePages.SignedInPageAsync(console, "staff.reader@example.org", "STAFF", "RESTRICTED");
        await staff.GotoAsync($"{Base}/console/news");
        var table = staff.GetByTestId("articles-table");
        await Expect(table).ToContainTextAsync("Staff read this published statement");
        await Expect(table).Not.ToContainTextAsync("Staff cannot see this draft");
        await Expect(staff.GetByRole(AriaRole.Link, new() { Name = "New article" })).ToHaveCountAsync(0);

        await staff.GotoAsync($"{Base}/console/news/{Uri.EscapeDataString(id)}?edit=FR");
        await Expect(staff.GetByTestId("translation-EN").Locator("strong")).ToHaveTextAsync("text");
        foreach (var name in new[] { "Publish now", "Schedule", "Unpublish", "Archive", "Change the links", "Add the French translation", "Edit the English text" })
        {
            await Expect(staff.GetByRole(AriaRole.Button, new() { Name = name })).ToHaveCountAsync(0);
        }

        await Expect(staff.GetByTestId("translation-editor")).ToHaveCountAsync(0);

        // The API is what protects: the same person's session is refused the mutation and the preview.
        var answers = await staff.EvaluateAsync<string[]>(
            """
            async (id) => {
              const status = await (await fetch('/account', { headers: { Accept: 'application/json' } })).json();
              const post = async (query, variables) => {
                const response = await fetch('/graphql', {
                  method: 'POST',
                  headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json', [status.antiforgeryHeader]: status.antiforgeryToken },
                  body: JSON.stringify({ query, variables }),
                });
                return JSON.stringify(await response.json());
              };
              return [
                await post('mutation($id: ID!) { unpublishArticle(input: { articleId: $id }) { article { status } } }', { id }),
                await post('query { previewArticleBody(markdown: "x") }', {}),
              ];
            }
            """, id);
        output.WriteLine(string.Join(Environment.NewLine, answers));
        foreach (var answer in answers)
        {
            using var json = JsonDocument.Parse(answer);
            Assert.Equal("FORBIDDEN", json.RootElement.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        }

        Assert.Equal("PUBLISHED", (await ArticleAsync(id)).GetProperty("status").GetString());
        Assert.Equal("DRAFT", (await ArticleAsync(draft)).GetProperty("status").GetString());

        // An editor sees the buttons on the same article.
        var editor = await ConsolePages.SignedInPageAsync(console, "editor.buttons@example.org", "EDITOR", "STAFF");
        await editor.GotoAsync($"{Base}/console/news/{Uri.EscapeDataString(id)}");
        await Expect(editor.GetByRole(AriaRole.Button, new() { Name = "Unpublish" })).ToBeVisibleAsync();
        await Expect(editor.GetByRole(AriaRole.Button, new() { Name = "Add the French translation" })).ToBeVisibleAsync();
        await staff.Context.CloseAsync();
        await editor.Context.CloseAsync();
    }

    [Fact]
    public async Task The_list_filters_by_status_and_language_in_the_url()
    {
        var theme = "filter" + Guid.NewGuid().ToString("N")[..8];
        var draft = await DraftAsync($"Filter draft {theme}", "Draft.");
        var published = await DraftAsync($"Filter published {theme}", "Published.");
        await Admin.QueryAsync("mutation($id: ID!) { publishArticle(input: { articleId: $id }) { article { id } } }", new { id = published });
        await Admin.QueryAsync("mutation($id: ID!) { saveTranslation(input: { articleId: $id, language: FR, title: \"Brouillon filtré\", body: \"B\" }) { article { id } } }",
            new { id = draft });

        var page = await ConsolePages.SignedInPageAsync(console, "editor.filters@example.org", "EDITOR", "STAFF");
        await page.GotoAsync($"{Base}/console/news?q={theme}");
        var table = page.GetByTestId("articles-table");
        await Expect(table.GetByRole(AriaRole.Row)).ToHaveCountAsync(3);

        await ConsolePages.ChooseAsync(page, page.GetByRole(AriaRole.Combobox, new() { Name = "Statuses" }), "Draft");
        await Expect(page).ToHaveURLAsync(new Regex("status=DRAFT"));
        await Expect(table.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await Expect(table).ToContainTextAsync($"Filter draft {theme}");

        await page.GotoAsync($"{Base}/console/news?q={theme}&lang=FR");
        await Expect(table.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await Expect(table).ToContainTextAsync("Brouillon filtré");
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Language" })).ToHaveValueAsync("French");
        await page.ReloadAsync();
        await Expect(table).ToContainTextAsync("Brouillon filtré");
        await Expect(table).Not.ToContainTextAsync($"Filter published {theme}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task No_serious_or_critical_axe_violation_on_the_list_the_article_and_the_editor()
    {
        var id = await DraftAsync("Accessible article", "Some *text*.");
        var page = await ConsolePages.SignedInPageAsync(console, "editor.axe@example.org", "EDITOR", "STAFF");
        await page.GotoAsync($"{Base}/console/news");
        await Expect(page.GetByTestId("articles-table")).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "news list", output);

        await page.GotoAsync($"{Base}/console/news/{Uri.EscapeDataString(id)}?edit=FR");
        await Expect(page.GetByTestId("translation-editor")).ToBeVisibleAsync();
        await page.GetByTestId("translation-editor").GetByRole(AriaRole.Textbox, new() { Name = "Text (Markdown)" }).FillAsync("Du *texte*.");
        await Expect(page.GetByTestId("translation-editor").GetByTestId("article-preview").Locator("em")).ToHaveTextAsync("texte");
        await ConsolePages.AssertAccessibleAsync(page, "article and editor", output);

        await page.GotoAsync($"{Base}/console/news/new");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New article" })).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "new article", output);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Screenshots_of_every_screen_in_three_languages()
    {
        var id = await DraftAsync("Mexico: the UN Committee against Torture reviews", "The **review** starts on Monday.\n\n- one\n- two");
        await Admin.QueryAsync(
            "mutation($id: ID!) { saveTranslation(input: { articleId: $id, language: FR, title: \"Mexique : le Comité contre la torture examine\", body: \"L’**examen** commence lundi.\" }) { article { id } } }",
            new { id });
        foreach (var (language, title, newLabel, missing) in new[]
                 {
                     ("en", "News and publications", "New article", "Missing: Spanish"),
                     ("fr", "Actualités et publications", "Nouvel article", "Manquantes : espagnol"),
                     ("es", "Noticias y publicaciones", "Nuevo artículo", "Faltan: español"),
                 })
        {
            var page = await ConsolePages.SignedInPageAsync(console, $"news.screens.{language}@example.org", "EDITOR", "STAFF", language);
            await page.GotoAsync($"{Base}/console/news");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("articles-table")).ToBeVisibleAsync();
            await ConsolePages.ScreenshotAsync(page, $"news-list-{language}.png");

            await page.GetByRole(AriaRole.Link, new() { Name = newLabel }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = newLabel })).ToBeVisibleAsync();
            await ConsolePages.ScreenshotAsync(page, $"news-new-{language}.png");

            await page.GotoAsync($"{Base}/console/news/{Uri.EscapeDataString(id)}");
            await Expect(page.GetByTestId("missing-translations")).ToHaveTextAsync(missing);
            await ConsolePages.ScreenshotAsync(page, $"news-article-{language}.png");

            await page.GotoAsync($"{Base}/console/news/{Uri.EscapeDataString(id)}?edit=ES");
            await page.GetByTestId("translation-editor").GetByRole(AriaRole.Textbox).Last.FillAsync("El **examen** empieza el lunes.");
            await Expect(page.GetByTestId("translation-editor").GetByTestId("article-preview").Locator("strong")).ToHaveTextAsync("examen");
            await ConsolePages.ScreenshotAsync(page, $"news-editor-{language}.png");
            await page.Context.CloseAsync();
        }

        foreach (var name in new[] { "news-list-en.png", "news-article-fr.png", "news-editor-es.png", "news-new-fr.png" })
        {
            Assert.True(new FileInfo(Path.Combine(ConsolePages.ScreenshotFolder, name)).Length > 10_000, $"{name} is too small");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /// <summary>Types a Geneva wall-clock time into the publication date-time input (year, month, day, hours, minutes, seconds).</summary>
    private static async Task TypePublishAtAsync(IPage page, DateTimeOffset wall)
    {
        foreach (var (label, value) in new[]
                 {
                     ("Year", wall.ToString("yyyy", CultureInfo.InvariantCulture)), ("Month", wall.ToString("MM", CultureInfo.InvariantCulture)),
                     ("Day", wall.ToString("dd", CultureInfo.InvariantCulture)), ("Hours", wall.ToString("HH", CultureInfo.InvariantCulture)),
                     ("Minutes", wall.ToString("mm", CultureInfo.InvariantCulture)), ("Seconds", wall.ToString("ss", CultureInfo.InvariantCulture)),
                 })
        {
            var field = page.Locator($"input[aria-label='{label}']");
            await field.ClickAsync();
            await field.PressSequentiallyAsync(value);
        }

        await page.Keyboard.PressAsync("Escape");
    }

    private async Task<string> DraftAsync(string title, string body, string kind = "STATEMENT", string[]? defenderIds = null) =>
        (await Admin.QueryAsync(
            "mutation($title: String!, $body: String!, $kind: ArticleKind!, $defenders: [ID!]) { draftArticle(input: { kind: $kind, language: EN, title: $title, body: $body, defenderIds: $defenders, confidentiality: PUBLIC }) { article { id } } }",
            new { title, body, kind, defenders = defenderIds ?? [] }))
        .GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString()!;

    private async Task<JsonElement> ArticleAsync(string id) =>
        (await Admin.QueryAsync(
            "query($id: ID!) { node(id: $id) { ... on Article { status slug version languages publishAt publishedAt bodyHtml } } }", new { id }))
        .GetProperty("node");
}
