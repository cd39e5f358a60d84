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
        // The new article's form, not the list still shown (whose "Search in title, summary and text" is also a "Title" label).
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New article", Level = 1 })).ToBeVisibleAsync();
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
        // The new article's page, not /console/news/new that the form is on (which this pattern also matched before the
        // save had answered: the id read was then "new", and node("new") is null).
        await Expect(page).ToHaveURLAsync(new Regex("/console/news/(?!new$)[^/?]+$"));
        await Expect(page.GetByTestId("article-status")).ToHaveTextAsync("Draft");
        var id = Uri.UnescapeDataString(new Uri(page.Url).AbsolutePath.Split('/').Last());
        Assert.Equal("Belarus: Ales Bialiatski still behind bars", (await ArticleAsync(id)).GetProperty("title").GetString());
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

        // Some seconds ahead (enough for typing it and clicking on a loaded machine: a time already past is refused by
        // the screen), typed as Geneva's wall-clock time.
        var at = DateTimeOffset.UtcNow.AddSeconds(40);
        at = at.AddTicks(-(at.Ticks % TimeSpan.TicksPerSecond));
        var wall = TimeZoneInfo.ConvertTime(at, Geneva);
        await TypePublishAtAsync(page, wall);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
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

        var run = (await Admin.QueryAsync("mutation { runJob(input: { name: PUBLISH_SCHEDULED_ARTICLES }) { run { outcome items } } }"))
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
    public async Task A_scheduled_publication_in_the_calendar_opens_its_article()
    {
        var title = $"Calendar link {Guid.NewGuid():N}"[..30];
        var id = await DraftAsync(title, "Scheduled from the calendar.");
        var at = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(5).AddHours(12), TimeSpan.Zero); // noon UTC: the same day in the browser's zone
        await Admin.QueryAsync("mutation($id: ID!, $at: DateTime!) { publishArticle(input: { articleId: $id, publishAt: $at }) { article { status } } }",
            new { id, at });

        var page = await ConsolePages.SignedInPageAsync(console, "editor.calendar@example.org", "EDITOR", "STAFF");
        var day = at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.GotoAsync($"{Base}/console/calendar?view=agenda&date={day}&kind=PUBLICATION");
        var link = page.GetByTestId("calendar-agenda").GetByRole(AriaRole.Link, new() { Name = $"Publication: {title}" });
        await Expect(link).ToHaveAttributeAsync("data-day", day);
        await link.ClickAsync();

        // The calendar's /console/news/:id is the article's page (the id as the API gives it, URL-encoded).
        await Expect(page).ToHaveURLAsync($"{Base}/console/news/{Uri.EscapeDataString(id)}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("article-status")).ToHaveTextAsync("Scheduled");
        await Expect(page.GetByTestId("article-publication")).ToContainTextAsync(
            $"{TimeZoneInfo.ConvertTime(at, Geneva).ToString("h:mm:ss tt", CultureInfo.InvariantCulture)}, Geneva time");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_links_open_their_records_are_changed_and_the_article_is_published_unpublished_and_archived()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var openedCase = (await Admin.QueryAsync("mutation($t: String!) { openCase(input: { title: $t, countryCode: \"KE\", confidentiality: STAFF }) { case { id reference } } }",
                new { t = $"Linked case {suffix}" }))
            .GetProperty("openCase").GetProperty("case");
        var (caseId, reference) = (openedCase.GetProperty("id").GetString()!, openedCase.GetProperty("reference").GetString()!);
        var defenderId = (await Admin.QueryAsync(
                "mutation($n: String!) { registerDefender(input: { name: $n, countryCode: \"KE\", consentToPublishName: true, confidentiality: PUBLIC }) { defender { id } } }",
                new { n = $"Linked Defender {suffix}" }))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        var submissionId = (await Admin.QueryAsync(
                "mutation($t: String!, $due: Date!) { planSubmission(input: { mechanism: HRC_SPECIAL_PROCEDURE, countryCode: \"KE\", title: $t, dueOn: $due, confidentiality: STAFF }) { submission { id } } }",
                new { t = $"Linked submission {suffix}", due = DateTime.UtcNow.AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }))
            .GetProperty("planSubmission").GetProperty("submission").GetProperty("id").GetString()!;
        var id = await DraftAsync($"Linked article {suffix}", "Links.");
        await Admin.QueryAsync("mutation($id: ID!, $c: [ID!], $d: [ID!], $s: [ID!]) { tagArticle(input: { articleId: $id, caseIds: $c, defenderIds: $d, submissionIds: $s }) { article { id } } }",
            new { id, c = new[] { caseId }, d = new[] { defenderId }, s = new[] { submissionId } });

        var page = await ConsolePages.SignedInPageAsync(console, "editor.links@example.org", "EDITOR", "STAFF");
        var articleUrl = $"{Base}/console/news/{Uri.EscapeDataString(id)}";
        await page.GotoAsync(articleUrl);
        var links = page.GetByTestId("article-links");
        await Expect(links).ToContainTextAsync($"Linked case {suffix}");
        await Expect(links).ToContainTextAsync($"Special procedure · Linked submission {suffix}");

        // Each link opens its record's page in the console.
        foreach (var (name, area, recordId) in new[] { (reference, "cases", caseId), ($"Linked Defender {suffix}", "defenders", defenderId), ($"Linked submission {suffix}", "submissions", submissionId) })
        {
            await links.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync($"{Base}/console/{area}/{Uri.EscapeDataString(recordId)}");
            await page.GoBackAsync();
            await Expect(links).ToContainTextAsync($"Linked Defender {suffix}");
        }

        // The submission taken off the links (Backspace removes the last one picked), saved with tagArticle.
        await page.GetByRole(AriaRole.Button, new() { Name = "Change the links" }).ClickAsync();
        var submissions = page.GetByRole(AriaRole.Textbox, new() { Name = "Submissions" }).Or(page.GetByRole(AriaRole.Combobox, new() { Name = "Submissions" }));
        await submissions.ClickAsync();
        await page.Keyboard.PressAsync("Backspace");
        await page.Keyboard.PressAsync("Escape");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save the links" }).ClickAsync();
        await Expect(links).ToContainTextAsync($"Linked case {suffix}");
        await Expect(links).Not.ToContainTextAsync($"Linked submission {suffix}");
        var relinked = await ArticleAsync(id);
        Assert.Equal([caseId], relinked.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal([defenderId], relinked.GetProperty("defenders").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(0, relinked.GetProperty("submissions").GetArrayLength());

        // Publish now, unpublish, archive: each shown and each what the API has.
        foreach (var (button, status, shown) in new[] { ("Publish now", "PUBLISHED", "Published"), ("Unpublish", "UNPUBLISHED", "Unpublished"), ("Archive", "ARCHIVED", "Archived") })
        {
            await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
            await Expect(page.GetByTestId("article-status")).ToHaveTextAsync(shown);
            Assert.Equal(status, (await ArticleAsync(id)).GetProperty("status").GetString());
        }

        await Expect(page.GetByTestId("article-publication")).ToHaveTextAsync("Archived: it can no longer be changed.");
        foreach (var name in new[] { "Publish now", "Schedule", "Unpublish", "Archive", "Change the links", "Add the French translation" })
        {
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true })).ToHaveCountAsync(0);
        }

        await ConsolePages.AssertAccessibleAsync(page, "archived article", output);
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
        await Admin.QueryAsync("mutation($id: ID!, $title: String!) { saveTranslation(input: { articleId: $id, language: FR, title: $title, body: \"B\" }) { article { id } } }",
            new { id = draft, title = $"Brouillon filtré {theme}" }); // the text is searched in the language chosen: the theme is in the French title

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
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Article language" })).ToHaveValueAsync("French");
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Search in title, summary and text" })).ToHaveAccessibleDescriptionAsync("Searched in the French text only.");
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
            await page.EvaluateAsync("() => window.scrollTo(0, 0)"); // the shell's fixed header drawn where the page was scrolled to otherwise
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

    private async Task<JsonElement> ArticleAsync(string id)
    {
        var node = (await Admin.QueryAsync(
                "query($id: ID!) { node(id: $id) { ... on Article { title status slug version languages publishAt publishedAt bodyHtml cases { id } defenders { id } submissions { id } } } }", new { id }))
            .GetProperty("node");
        Assert.True(node.ValueKind == JsonValueKind.Object, $"node(\"{id}\") is {node.ValueKind}");
        return node;
    }
}
