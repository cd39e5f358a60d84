using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Api.Tests.Security;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.News.Domain;
using Omct.Platform.News.Handling;
using Omct.Platform.Testing;
using Serilog.Events;
using Xunit;

namespace Omct.Platform.Api.Tests.News;

/// <summary>Articles through the GraphQL API: workflow, scheduling (fake clock), sanitising, slugs, languages, clearance.</summary>
public sealed class ArticleApiTests(FakeClockPlatformFactory platform) : IClassFixture<FakeClockPlatformFactory>
{
    private const string Fields = "id slug language fallback title summary body bodyHtml kind status publishedAt publishAt version";

    [Fact]
    public async Task Draft_publish_unpublish_archive_and_who_sees_what()
    {
        var draft = await DraftAsync("Togo: Not to torture is a negative obligation", "A statement.", kind: "STATEMENT");
        var id = draft.GetProperty("id").GetString();
        Assert.Equal(("DRAFT", "togo-not-to-torture-is-a-negative-obligation"), (draft.GetProperty("status").GetString(), draft.GetProperty("slug").GetString()));
        Assert.Equal(JsonValueKind.Null, (await Public("togo-not-to-torture-is-a-negative-obligation")).ValueKind);

        var staff = await KeyAsync("STAFF", "RESTRICTED");
        Assert.Equal("FORBIDDEN", (await platform.GraphQL(staff).PostAsync($"mutation {{ publishArticle(input: {{ articleId: \"{id}\" }}) {{ article {{ id }} }} }}")).ErrorCode);
        var staffSees = await platform.GraphQL(staff).PostAsync("{ article(slug: \"togo-not-to-torture-is-a-negative-obligation\") { id } }");
        Assert.Equal(["article:NOT_FOUND"], staffSees.ByPath()); // drafts are for editors
        Assert.Equal(JsonValueKind.Null, staffSees.Data.GetProperty("article").ValueKind);

        var published = await MutateAsync("publishArticle", $"articleId: \"{id}\"");
        Assert.Equal("PUBLISHED", published.GetProperty("status").GetString());
        Assert.Equal("A statement.", (await Public("togo-not-to-torture-is-a-negative-obligation")).GetProperty("body").GetString());

        var again = await platform.Admin().PostAsync($"mutation {{ publishArticle(input: {{ articleId: \"{id}\" }}) {{ article {{ id }} }} }}");
        Assert.Equal(("VALIDATION", "articleId"), (again.ErrorCode, again.ErrorField));

        Assert.Equal("UNPUBLISHED", (await MutateAsync("unpublishArticle", $"articleId: \"{id}\"")).GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, (await Public("togo-not-to-torture-is-a-negative-obligation")).ValueKind);
        Assert.Equal("ARCHIVED", (await MutateAsync("archiveArticle", $"articleId: \"{id}\"")).GetProperty("status").GetString());
        var edit = await platform.Admin().PostAsync($"mutation {{ saveTranslation(input: {{ articleId: \"{id}\", language: EN, title: \"T\", body: \"B\" }}) {{ article {{ id }} }} }}");
        Assert.Equal("VALIDATION", edit.ErrorCode);
    }

    [Fact]
    public async Task A_scheduled_article_is_published_once_when_its_moment_has_passed_even_if_missed()
    {
        var id = (await DraftAsync("Scheduled statement", "Later.")).GetProperty("id").GetString();
        var at = platform.Clock.GetUtcNow().AddHours(2);
        var scheduled = await MutateAsync("publishArticle", $"articleId: \"{id}\", publishAt: \"{at:O}\"");
        Assert.Equal("SCHEDULED", scheduled.GetProperty("status").GetString());

        Assert.DoesNotContain(ArticleGuid(id), (await RunSchedulerAsync()).Published);
        Assert.Equal(JsonValueKind.Null, (await Public("scheduled-statement")).ValueKind);

        // The host was down at the moment: the next run, three hours later, still publishes it, once.
        platform.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Contains(ArticleGuid(id), (await RunSchedulerAsync()).Published);
        Assert.DoesNotContain(ArticleGuid(id), (await RunSchedulerAsync()).Published);
        var article = await Public("scheduled-statement");
        Assert.Equal("PUBLISHED", article.GetProperty("status").GetString());
        Assert.Equal(at, article.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.Equal(4, article.GetProperty("version").GetInt32()); // drafted, translation, scheduled, published
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JaVaScRiPt:alert(1))")]
    [InlineData("[data](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("<a href=\"https://x\" onclick=\"steal()\">x</a>")]
    [InlineData("<iframe src=\"https://evil\"></iframe>")]
    [InlineData("![x](https://img/x.png\" onload=\"alert(1))")]
    [InlineData("<svg><script>alert(1)</script></svg>")]
    [InlineData("[x](vbscript:msgbox)")]
    public async Task Hostile_markdown_becomes_harmless_html_and_the_markdown_is_kept(string body)
    {
        var article = await DraftAsync($"Hostile {Guid.NewGuid():N}", body);
        var html = article.GetProperty("bodyHtml").GetString()!;
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var elements = document.Body!.QuerySelectorAll("*").ToList();
        Assert.DoesNotContain(elements, e => e.LocalName is "script" or "iframe" or "svg" or "object" or "embed");
        Assert.DoesNotContain(elements.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(elements.SelectMany(e => e.Attributes).Where(a => a.Name is "href" or "src"),
            a => !a.Value.StartsWith("https://", StringComparison.Ordinal) && !a.Value.StartsWith("http://", StringComparison.Ordinal));
        Assert.Equal(body, article.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Markdown_renders_to_html()
    {
        var html = (await DraftAsync("Formatting", "# Title\n\nSome **bold** and a [link](https://www.omct.org)."))
            .GetProperty("bodyHtml").GetString();
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://www.omct.org\">link</a>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("# Title\n\nSome **bold** and a [link](https://www.omct.org).")]
    public async Task previewArticleBody_answers_the_html_a_saved_body_gets_and_saves_nothing(string markdown)
    {
        const string Preview = "query($markdown: String!) { previewArticleBody(markdown: $markdown) }";
        var count = (await platform.Admin().QueryAsync("{ articleCount }")).GetProperty("articleCount").GetInt32();
        var preview = (await platform.Admin().QueryAsync(Preview, new { markdown })).GetProperty("previewArticleBody").GetString()!;

        Assert.Equal((await DraftAsync($"Preview {Guid.NewGuid():N}", markdown)).GetProperty("bodyHtml").GetString(), preview);
        var elements = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(preview).Body!.QuerySelectorAll("*").ToList();
        Assert.NotEmpty(elements);
        Assert.DoesNotContain(elements, e => e.LocalName is "script" or "img");
        Assert.DoesNotContain(elements.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)
                                                                          || a.Value.Contains("javascript:", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(count + 1, (await platform.Admin().QueryAsync("{ articleCount }")).GetProperty("articleCount").GetInt32()); // the draft, not the preview
    }

    [Fact]
    public async Task previewArticleBody_is_for_editors_and_validates_its_size()
    {
        const string Preview = "query($markdown: String!) { previewArticleBody(markdown: $markdown) }";
        var editor = platform.GraphQL(await KeyAsync("EDITOR", "STAFF"));
        Assert.Equal("<p><em>fine</em></p>\n", (await editor.QueryAsync(Preview, new { markdown = "*fine*" })).GetProperty("previewArticleBody").GetString());

        // Over the request limit the transport refuses it (LIMIT_EXCEEDED, Omct:GraphQL:MaxDocumentBytes); a host with a
        // larger limit still meets the body's own limit, the one saveTranslation has, as VALIDATION on markdown.
        Assert.Equal("LIMIT_EXCEEDED", (await editor.PostAsync(Preview, new { markdown = new string('a', 200_001) })).ErrorCode);
        var tooLong = Assert.Throws<DomainException>(() => ArticleDecider.RenderBody(new string('a', ArticleDecider.MaxBody + 1), "markdown"));
        Assert.Equal((ErrorCodes.Validation, "markdown"), (tooLong.Code, tooLong.Field));
        Assert.Equal(ArticleDecider.MaxBody, ArticleDecider.RenderBody(new string('a', ArticleDecider.MaxBody), "markdown").Body.Length);
        var empty = await editor.PostAsync(Preview, new { markdown = "  " });
        Assert.Equal(("VALIDATION", "markdown"), (empty.ErrorCode, empty.ErrorField));
        Assert.Equal("FORBIDDEN", (await platform.GraphQL(await KeyAsync("STAFF", "RESTRICTED")).PostAsync(Preview, new { markdown = "x" })).ErrorCode);
        Assert.Equal("UNAUTHENTICATED", (await platform.GraphQL().PostAsync(Preview, new { markdown = "x" })).ErrorCode);
    }

    [Fact]
    public async Task Editors_filter_articles_by_status_and_read_every_translation()
    {
        var theme = $"status-{Guid.NewGuid():N}"[..30];
        var draft = (await DraftAsync("Status filter draft", "D.", themes: $"[\"{theme}\"]")).GetProperty("id").GetString();
        var published = (await DraftAsync("Status filter published", "P.", themes: $"[\"{theme}\"]")).GetProperty("id").GetString();
        await MutateAsync("publishArticle", $"articleId: \"{published}\"");
        await MutateAsync("saveTranslation", $"articleId: \"{draft}\", language: FR, title: \"Brouillon\", body: \"*B*\"");

        const string List = "query($filter: ArticleFilter) { articles(filter: $filter) { totalCount nodes { id status translations { language title bodyHtml } } } }";
        var drafts = (await platform.Admin().QueryAsync(List, new { filter = new { themes = new[] { theme }, statuses = new[] { "DRAFT" } } })).GetProperty("articles");
        Assert.Equal(1, drafts.GetProperty("totalCount").GetInt32());
        var node = drafts.GetProperty("nodes")[0];
        Assert.Equal(draft, node.GetProperty("id").GetString());
        Assert.Equal([("EN", "Status filter draft", "<p>D.</p>\n"), ("FR", "Brouillon", "<p><em>B</em></p>\n")], node.GetProperty("translations").EnumerateArray()
            .Select(t => (t.GetProperty("language").GetString(), t.GetProperty("title").GetString(), t.GetProperty("bodyHtml").GetString())));
        var both = (await platform.Admin().QueryAsync(List, new { filter = new { themes = new[] { theme }, statuses = new[] { "DRAFT", "PUBLISHED" } } })).GetProperty("articles");
        Assert.Equal(2, both.GetProperty("totalCount").GetInt32());

        // Someone who is not an editor sees published articles only, whatever statuses are asked for.
        var staff = platform.GraphQL(await KeyAsync("STAFF", "RESTRICTED"));
        var asStaff = (await staff.QueryAsync(List, new { filter = new { themes = new[] { theme }, statuses = new[] { "DRAFT", "PUBLISHED" } } })).GetProperty("articles");
        Assert.Equal([published], asStaff.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Slugs_are_unique_per_language_generated_when_absent_and_stable_once_published()
    {
        var first = await DraftAsync("Mexico: The UN Committee Against Torture", "One.");
        var second = await DraftAsync("Mexico: The UN Committee Against Torture", "Two.");
        Assert.Equal("mexico-the-un-committee-against-torture", first.GetProperty("slug").GetString());
        Assert.Equal("mexico-the-un-committee-against-torture-2", second.GetProperty("slug").GetString());

        var taken = await platform.Admin().PostAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"X\", body: \"Y\", slug: \"mexico-the-un-committee-against-torture\", confidentiality: PUBLIC }) { article { id } } }");
        Assert.Equal("CONFLICT", taken.ErrorCode);
        var bad = await platform.Admin().PostAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"X\", body: \"Y\", slug: \"Not A Slug!\", confidentiality: PUBLIC }) { article { id } } }");
        Assert.Equal(("VALIDATION", "slug"), (bad.ErrorCode, bad.ErrorField));

        // The same slug in another language is another slug.
        var id = first.GetProperty("id").GetString();
        var french = await MutateAsync("saveTranslation", $"articleId: \"{id}\", language: FR, title: \"Mexique : le Comité contre la torture\", body: \"Un.\", slug: \"mexico-the-un-committee-against-torture\"", "FR");
        Assert.Equal("FR", french.GetProperty("language").GetString());

        await MutateAsync("publishArticle", $"articleId: \"{id}\"");
        var rename = await platform.Admin().PostAsync($"mutation {{ saveTranslation(input: {{ articleId: \"{id}\", language: EN, title: \"New\", body: \"B\", slug: \"new-slug\" }}) {{ article {{ id }} }} }}");
        Assert.Equal(("VALIDATION", "slug"), (rename.ErrorCode, rename.ErrorField));
        var retitled = await MutateAsync("saveTranslation", $"articleId: \"{id}\", language: EN, title: \"Mexico: CAT condemns torture\", body: \"One, edited.\"");
        Assert.Equal("mexico-the-un-committee-against-torture", retitled.GetProperty("slug").GetString());
    }

    [Fact]
    public async Task A_missing_translation_falls_back_to_the_original_and_says_so()
    {
        var id = (await DraftAsync("Philippines: Alarm over attacks on human rights defenders", "Preliminary findings.")).GetProperty("id").GetString();
        await MutateAsync("saveTranslation", $"articleId: \"{id}\", language: ES, title: \"Filipinas: alarma por los ataques contra defensores\", body: \"Conclusiones.\", slug: \"filipinas-alarma\"", "ES");
        await MutateAsync("publishArticle", $"articleId: \"{id}\"");

        var spanish = await platform.GraphQL().QueryAsync($"{{ article(slug: \"philippines-alarm-over-attacks-on-human-rights-defenders\", language: ES) {{ {Fields} }} }}");
        Assert.Equal(("ES", false, "filipinas-alarma"), (spanish.GetProperty("article").GetProperty("language").GetString(),
            spanish.GetProperty("article").GetProperty("fallback").GetBoolean(), spanish.GetProperty("article").GetProperty("slug").GetString()));
        var french = (await platform.GraphQL().QueryAsync($"{{ article(slug: \"filipinas-alarma\", language: FR) {{ {Fields} }} }}")).GetProperty("article");
        Assert.Equal(("EN", true), (french.GetProperty("language").GetString(), french.GetProperty("fallback").GetBoolean()));
        Assert.Equal("Preliminary findings.", french.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Full_text_search_uses_each_languages_dictionary()
    {
        var id = (await DraftAsync("Zimbabwe: risks for defenders before the elections", "The mission documented arrests of defenders.", themes: "[\"elections\"]", countries: "[\"ZW\"]"))
            .GetProperty("id").GetString();
        await MutateAsync("saveTranslation", $"articleId: \"{id}\", language: FR, title: \"Zimbabwe : risques pour les défenseurs\", body: \"La mission a documenté des arrestations de défenseuses et défenseurs.\"", "FR");
        await MutateAsync("publishArticle", $"articleId: \"{id}\"");

        Assert.Equal(1, await SearchAsync("arrested defender", "EN"));   // English stemming: arrests ~ arrested, defenders ~ defender
        Assert.Equal(1, await SearchAsync("arrestation défenseur", "FR")); // French stemming
        Assert.Equal(0, await SearchAsync("défenseuses", "EN"));           // only the French text has it
        Assert.Equal(0, await SearchAsync("defender", "ES"));              // no Spanish translation
        Assert.Equal(1, await SearchAsync("défenseurs", null));            // any language
        var filtered = await platform.GraphQL().QueryAsync("{ articles(filter: { countries: [\"ZW\"], themes: [\"elections\"], language: FR, kinds: [STATEMENT] }) { nodes { language title } } }");
        var found = Assert.Single(filtered.GetProperty("articles").GetProperty("nodes").EnumerateArray());
        Assert.Equal(("FR", "Zimbabwe : risques pour les défenseurs"), (found.GetProperty("language").GetString(), found.GetProperty("title").GetString()));
        var otherKind = await platform.GraphQL().QueryAsync("{ articles(filter: { countries: [\"ZW\"], themes: [\"elections\"], kinds: [REPORT] }) { totalCount } }");
        Assert.Equal(0, otherKind.GetProperty("articles").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Linked_records_and_confidential_articles_respect_clearance()
    {
        var hiddenCase = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Staff-only case\", countryCode: \"SD\", confidentiality: STAFF }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        var article = (await platform.Admin().QueryAsync($"mutation {{ draftArticle(input: {{ kind: STATEMENT, language: EN, title: \"Sudan statement\", body: \"Text\", caseIds: [\"{hiddenCase}\"], confidentiality: PUBLIC }}) {{ article {{ id }} }} }}"))
            .GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString();
        await MutateAsync("publishArticle", $"articleId: \"{article}\"");
        var network = await platform.Admin().QueryAsync("mutation { draftArticle(input: { kind: REPORT, language: EN, title: \"Network-only report\", body: \"Text\", confidentiality: NETWORK }) { article { id } } }");
        await MutateAsync("publishArticle", $"articleId: \"{network.GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString()}\"");

        var response = await platform.GraphQL().PostAsync("{ article(slug: \"sudan-statement\") { cases { id } } report: article(slug: \"network-only-report\") { id } }");
        Assert.Equal(["report:NOT_FOUND"], response.ByPath());
        var anonymous = response.Data;
        Assert.Equal(0, anonymous.GetProperty("article").GetProperty("cases").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("report").ValueKind);
        var admin = await platform.Admin().QueryAsync("{ article(slug: \"sudan-statement\") { cases { id } } report: article(slug: \"network-only-report\") { id } }");
        Assert.Equal(1, admin.GetProperty("article").GetProperty("cases").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, admin.GetProperty("report").ValueKind);
    }

    [Fact]
    public async Task A_portrait_is_published_only_with_the_defenders_consent_to_a_portrait()
    {
        var defender = (await platform.Admin().QueryAsync("mutation { registerDefender(input: { name: \"Portrait Person\", countryCode: \"PH\", consentToPublishName: true, confidentiality: PUBLIC }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString();
        var id = (await platform.Admin().QueryAsync($"mutation {{ draftArticle(input: {{ kind: PORTRAIT, language: EN, title: \"Portrait\", body: \"Text\", defenderIds: [\"{defender}\"], confidentiality: PUBLIC }}) {{ article {{ id }} }} }}"))
            .GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString();

        var refused = await platform.Admin().PostAsync($"mutation {{ publishArticle(input: {{ articleId: \"{id}\" }}) {{ article {{ id }} }} }}");
        Assert.Equal(("VALIDATION", "articleId"), (refused.ErrorCode, refused.ErrorField));

        await platform.Admin().QueryAsync($"mutation {{ recordConsent(input: {{ defenderId: \"{defender}\", toPublishName: true, toPublishPortrait: true }}) {{ defender {{ id }} }} }}");
        Assert.Equal("PUBLISHED", (await MutateAsync("publishArticle", $"articleId: \"{id}\"")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Filters_by_dates_links_kinds_countries_and_themes_return_exactly_the_matching_articles()
    {
        const string theme = "filter-matrix";
        var publicCase = await CaseAsync("Zimbabwe: filtered case", "ZW", "PUBLIC");
        var hiddenCase = await CaseAsync("Zimbabwe: staff-only filtered case", "ZW", "STAFF");
        var defender = await DefenderAsync("Filter Matrix Defender", "PUBLIC");
        var hiddenDefender = await DefenderAsync("Filter Matrix Hidden Defender", "STAFF");
        var day0 = DateOnly.FromDateTime(platform.Clock.GetUtcNow().UtcDateTime);
        var submission = await SubmissionAsync("Zimbabwe: UPR filtered submission", "ZW", "PUBLIC", day0.AddDays(120));

        await PublishLinkedAsync("Filter matrix A", "REPORT", "ZW", [theme], cases: [publicCase], submissions: [submission]);
        platform.Clock.Advance(TimeSpan.FromDays(2));
        await PublishLinkedAsync("Filter matrix B", "STATEMENT", "ZW", [theme], cases: [hiddenCase], defenders: [hiddenDefender]);
        platform.Clock.Advance(TimeSpan.FromDays(2));
        await PublishLinkedAsync("Filter matrix C", "REPORT", "PH", [theme, "filter-matrix-extra"], defenders: [defender]);

        var anonymous = platform.GraphQL();
        var themed = $"themes: [\"{theme}\"]";
        Assert.Equal(["A", "B", "C"], await TitlesAsync(anonymous, themed));
        Assert.Equal(["B"], await TitlesAsync(anonymous, $"{themed}, publishedFrom: \"{day0.AddDays(1):yyyy-MM-dd}\", publishedTo: \"{day0.AddDays(3):yyyy-MM-dd}\""));
        Assert.Equal(["B", "C"], await TitlesAsync(anonymous, $"{themed}, publishedFrom: \"{day0.AddDays(2):yyyy-MM-dd}\""));
        Assert.Equal(["A"], await TitlesAsync(anonymous, $"{themed}, publishedTo: \"{day0:yyyy-MM-dd}\""));
        Assert.Equal(["A", "C"], await TitlesAsync(anonymous, $"{themed}, kinds: [REPORT]"));
        Assert.Equal(["A", "B"], await TitlesAsync(anonymous, $"{themed}, countries: [\"ZW\"]"));
        Assert.Equal(["B"], await TitlesAsync(anonymous, $"{themed}, countries: [\"ZW\"], kinds: [STATEMENT, PORTRAIT]"));
        Assert.Equal(["C"], await TitlesAsync(anonymous, "themes: [\"filter-matrix-extra\"]"));
        Assert.Equal(["A"], await TitlesAsync(anonymous, $"caseId: \"{publicCase}\""));
        Assert.Equal(["C"], await TitlesAsync(anonymous, $"defenderId: \"{defender}\""));
        Assert.Equal(["A"], await TitlesAsync(anonymous, $"submissionId: \"{submission}\""));

        // A linked record the caller may not see matches nothing: the filter must not tell it exists.
        Assert.Empty(await TitlesAsync(anonymous, $"caseId: \"{hiddenCase}\""));
        Assert.Empty(await TitlesAsync(anonymous, $"defenderId: \"{hiddenDefender}\""));
        Assert.Equal(["B"], await TitlesAsync(platform.Admin(), $"caseId: \"{hiddenCase}\""));
        Assert.Equal(["B"], await TitlesAsync(platform.Admin(), $"defenderId: \"{hiddenDefender}\""));

        var malformed = await anonymous.PostAsync("{ articles(filter: { submissionId: \"nope\" }) { totalCount } }");
        Assert.Equal(("VALIDATION", "filter.submissionId"), (malformed.ErrorCode, malformed.ErrorField));
    }

    [Fact]
    public async Task Linked_defenders_and_submissions_above_the_callers_clearance_are_not_shown_under_the_article()
    {
        var shown = await DefenderAsync("Shown Linked Defender", "PUBLIC");
        var hidden = await DefenderAsync("Hidden Linked Defender", "STAFF");
        var day0 = DateOnly.FromDateTime(platform.Clock.GetUtcNow().UtcDateTime);
        var publicSubmission = await SubmissionAsync("Egypt: UPR public report", "EG", "PUBLIC", day0.AddDays(90));
        var staffSubmission = await SubmissionAsync("Egypt: UPR staff-only notes", "EG", "STAFF", day0.AddDays(90));
        var id = await PublishLinkedAsync("Egypt statement", "STATEMENT", "EG", [], defenders: [shown, hidden], submissions: [publicSubmission, staffSubmission]);

        const string query = "{ article(slug: \"egypt-statement\") { defenders { name } submissions { title } } }";
        foreach (var client in new[] { platform.GraphQL(), platform.GraphQL(await KeyAsync("NETWORK_MEMBER", "NETWORK")) })
        {
            var response = await client.PostAsync(query);
            Assert.False(response.HasErrors, response.ToString());
            var article = response.Data.GetProperty("article");
            Assert.Equal(["Shown Linked Defender"], article.GetProperty("defenders").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
            Assert.Equal(["Egypt: UPR public report"], article.GetProperty("submissions").EnumerateArray().Select(d => d.GetProperty("title").GetString()));
            Assert.DoesNotContain("Hidden Linked", response.Raw, StringComparison.Ordinal);
            Assert.DoesNotContain("staff-only", response.Raw, StringComparison.Ordinal);
        }

        var admin = (await platform.Admin().QueryAsync(query)).GetProperty("article");
        Assert.Equal(2, admin.GetProperty("defenders").GetArrayLength());
        Assert.Equal(2, admin.GetProperty("submissions").GetArrayLength());

        // Tagging replaces the links.
        var retagged = await MutateAsync("tagArticle", $"articleId: \"{id}\", submissionIds: [\"{staffSubmission}\"]", fields: "submissions { title }");
        Assert.Equal(["Egypt: UPR staff-only notes"], retagged.GetProperty("submissions").EnumerateArray().Select(d => d.GetProperty("title").GetString()));

        // Linking: what the editor may not see is refused like what does not exist; what is not an id at all is NOT_FOUND.
        var networkEditor = platform.GraphQL(await KeyAsync("EDITOR", "NETWORK"));
        foreach (var link in new[] { staffSubmission, GlobalId.Encode("Submission", System.Guid.NewGuid()) })
        {
            var refused = await networkEditor.PostAsync($"mutation {{ draftArticle(input: {{ kind: STATEMENT, language: EN, title: \"Refused link\", body: \"B\", submissionIds: [\"{link}\"], confidentiality: PUBLIC }}) {{ article {{ id }} }} }}");
            Assert.Equal(("VALIDATION", "submissionIds[0]"), (refused.ErrorCode, refused.ErrorField));
        }

        var malformed = await platform.Admin().PostAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"Malformed link\", body: \"B\", submissionIds: [\"nope\"], confidentiality: PUBLIC }) { article { id } } }");
        Assert.Equal("NOT_FOUND", malformed.ErrorCode);
    }

    [Fact]
    public async Task An_articles_linked_records_take_one_query_per_relation_per_page()
    {
        var day0 = DateOnly.FromDateTime(platform.Clock.GetUtcNow().UtcDateTime);
        foreach (var (theme, count) in new[] { ("batched-few", 2), ("batched-many", 7) })
        {
            for (var i = 0; i < count; i++)
            {
                var caseId = await CaseAsync($"Batched case {theme} {i}", "KE", "PUBLIC");
                var defender = (await platform.Admin().QueryAsync(
                        $"mutation {{ registerDefender(input: {{ name: \"Batched {theme} {i}\", countryCode: \"KE\", consentToPublishName: true, confidentiality: PUBLIC }}) {{ defender {{ id }} }} }}"))
                    .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
                var submission = await SubmissionAsync($"Batched submission {theme} {i}", "KE", "PUBLIC", day0.AddDays(60));
                await DraftLinkedAsync($"Batched {theme} {i}", "STATEMENT", "KE", [theme], [caseId], [defender], [submission]);
            }
        }

        const string query = "query($t: [String!]) { articles(filter: { themes: $t }, first: 20) { nodes { title cases { reference } defenders { name } submissions { title } } } }";
        await platform.Admin().QueryAsync(query, new { t = new[] { "batched-few" } }); // first use of each document type in the process checks its table
        var (fewResponse, few) = await RequestCommands.RunAsync(platform, PlatformFactory.AdminKey, query, new { t = new[] { "batched-few" } });
        var (manyResponse, many) = await RequestCommands.RunAsync(platform, PlatformFactory.AdminKey, query, new { t = new[] { "batched-many" } });
        Assert.False(fewResponse.HasErrors || manyResponse.HasErrors, $"{fewResponse}\n{manyResponse}");
        var nodes = manyResponse.Data.GetProperty("articles").GetProperty("nodes");
        Assert.Equal(7, nodes.GetArrayLength());
        Assert.All(nodes.EnumerateArray(), n => Assert.Equal([1, 1, 1], new[] { "cases", "defenders", "submissions" }.Select(f => n.GetProperty(f).GetArrayLength())));
        Assert.True(few.Count == many.Count, $"2 rows: {string.Join("\n", few)}\n---\n7 rows: {string.Join("\n", many)}");
        // The page, then one query per relation: cases, defenders, submissions.
        Assert.Equal(4, many.Count);
    }

    [Fact]
    public async Task A_scheduled_portrait_whose_consent_was_withdrawn_is_not_published_and_goes_back_to_the_editors()
    {
        var withdrawing = await DefenderAsync("Scheduled Portrait Withdrawn", "PUBLIC", portrait: true);
        var consenting = await DefenderAsync("Scheduled Portrait Consenting", "PUBLIC", portrait: true);
        var withheld = await DraftLinkedAsync("Scheduled portrait withdrawn", "PORTRAIT", "PH", [], defenders: [withdrawing]);
        var published = await DraftLinkedAsync("Scheduled portrait consenting", "PORTRAIT", "PH", [], defenders: [consenting]);
        var at = platform.Clock.GetUtcNow().AddHours(1);
        foreach (var id in new[] { withheld, published })
        {
            Assert.Equal("SCHEDULED", (await MutateAsync("publishArticle", $"articleId: \"{id}\", publishAt: \"{at:O}\"")).GetProperty("status").GetString());
        }

        await platform.Admin().QueryAsync($"mutation {{ recordConsent(input: {{ defenderId: \"{withdrawing}\", toPublishName: true, toPublishPortrait: false }}) {{ defender {{ id }} }} }}");
        platform.Clock.Advance(TimeSpan.FromHours(2));
        var run = await RunSchedulerAsync();
        Assert.Contains(ArticleGuid(published), run.Published);
        Assert.Contains(ArticleGuid(withheld), run.Withheld);
        Assert.DoesNotContain(ArticleGuid(withheld), run.Published);
        static bool Warned(LogEvent e, Guid article) =>
            e.Level == LogEventLevel.Warning && e.Properties.TryGetValue("ArticleId", out var v) && v.ToString() == article.ToString();
        Assert.Contains(await Eventually.GetAsync(() => platform.Logs.Events.ToList(), l => l.Any(e => Warned(e, ArticleGuid(withheld)))),
            e => Warned(e, ArticleGuid(withheld)));

        Assert.Equal(JsonValueKind.Null, (await Public("scheduled-portrait-withdrawn")).ValueKind);
        Assert.Equal("PUBLISHED", (await Public("scheduled-portrait-consenting")).GetProperty("status").GetString());
        const string editorView = "{ article(slug: \"scheduled-portrait-withdrawn\") { status publishAt withheldReason version } }";
        var draft = (await platform.Admin().QueryAsync(editorView)).GetProperty("article");
        Assert.Equal(("DRAFT", JsonValueKind.Null), (draft.GetProperty("status").GetString(), draft.GetProperty("publishAt").ValueKind));
        Assert.Contains("consent", draft.GetProperty("withheldReason").GetString(), StringComparison.Ordinal);

        // Once: the next run finds nothing to do with it.
        Assert.DoesNotContain(ArticleGuid(withheld), (await RunSchedulerAsync()).Withheld);
        Assert.Equal(draft.GetProperty("version").GetInt32(), (await platform.Admin().QueryAsync(editorView)).GetProperty("article").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_published_portrait_stops_being_public_when_the_consent_is_withdrawn_or_the_person_erased()
    {
        var withdrawing = await DefenderAsync("Withdrawing Portrait Person", "PUBLIC", portrait: true);
        var erased = await DefenderAsync("Erased Portrait Person", "PUBLIC", portrait: true);
        var first = await PublishLinkedAsync("Withdrawn portrait", "PORTRAIT", "RU", ["withdrawn-portraits"], defenders: [withdrawing]);
        var second = await PublishLinkedAsync("Erased portrait", "PORTRAIT", "RU", ["withdrawn-portraits"], defenders: [erased]);
        var query = $"{{ one: article(slug: \"withdrawn-portrait\") {{ status }} list: articles(filter: {{ themes: [\"withdrawn-portraits\"] }}) {{ totalCount nodes {{ title }} }} " +
                    $"articleCount node(id: \"{first}\") {{ id }} }}";
        var before = await platform.GraphQL().QueryAsync(query);
        Assert.Equal(2, before.GetProperty("list").GetProperty("totalCount").GetInt32());
        var count = before.GetProperty("articleCount").GetInt32();

        // Withdrawn: hidden from the public in the same transaction — no job needed.
        await platform.Admin().QueryAsync($"mutation {{ recordConsent(input: {{ defenderId: \"{withdrawing}\", toPublishName: true, toPublishPortrait: false }}) {{ defender {{ id }} }} }}");
        var response = await platform.GraphQL().PostAsync(query);
        Assert.Equal(["one:NOT_FOUND"], response.ByPath());
        Assert.Equal(JsonValueKind.Null, response.Data.GetProperty("node").ValueKind);
        Assert.Equal(["Erased portrait"], response.Data.GetProperty("list").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("title").GetString()));
        Assert.Equal((1, count - 1), (response.Data.GetProperty("list").GetProperty("totalCount").GetInt32(), response.Data.GetProperty("articleCount").GetInt32()));

        // Erased: the consent goes with the person's data.
        await platform.Admin().QueryAsync($"mutation {{ eraseDefenderPersonalData(input: {{ defenderId: \"{erased}\" }}) {{ defender {{ id }} }} }}");
        var afterErasure = (await platform.GraphQL().PostAsync(query)).Data;
        Assert.Equal((0, count - 2), (afterErasure.GetProperty("list").GetProperty("totalCount").GetInt32(), afterErasure.GetProperty("articleCount").GetInt32()));

        // Editors still see them; the scheduler then unpublishes them, with the reason, once.
        Assert.Equal("PUBLISHED", (await platform.Admin().QueryAsync(query)).GetProperty("one").GetProperty("status").GetString());
        var run = await RunSchedulerAsync();
        Assert.Contains(ArticleGuid(first), run.Unpublished);
        Assert.Contains(ArticleGuid(second), run.Unpublished);
        Assert.DoesNotContain(ArticleGuid(first), (await RunSchedulerAsync()).Unpublished);
        var unpublished = (await platform.Admin().QueryAsync("{ article(slug: \"withdrawn-portrait\") { status withheldReason } }")).GetProperty("article");
        Assert.Equal("UNPUBLISHED", unpublished.GetProperty("status").GetString());
        Assert.Contains("consent", unpublished.GetProperty("withheldReason").GetString(), StringComparison.Ordinal);

        // Consent given again does not bring it back by itself; an editor republishes it.
        await platform.Admin().QueryAsync($"mutation {{ recordConsent(input: {{ defenderId: \"{withdrawing}\", toPublishName: true, toPublishPortrait: true }}) {{ defender {{ id }} }} }}");
        Assert.Equal(JsonValueKind.Null, (await Public("withdrawn-portrait")).ValueKind);
        await MutateAsync("publishArticle", $"articleId: \"{first}\"");
        Assert.Equal("PUBLISHED", (await Public("withdrawn-portrait")).GetProperty("status").GetString());
    }

    private async Task<List<string>> TitlesAsync(GraphQLClient client, string filter)
    {
        var page = (await client.QueryAsync($"{{ articles(filter: {{ {filter} }}, first: 100) {{ totalCount nodes {{ title }} }} }}")).GetProperty("articles");
        var titles = page.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("title").GetString()!.Replace("Filter matrix ", "", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(titles.Count, page.GetProperty("totalCount").GetInt32());
        return titles;
    }

    private async Task<string> DraftLinkedAsync(string title, string kind, string country, IReadOnlyList<string> themes,
        IReadOnlyList<string>? cases = null, IReadOnlyList<string>? defenders = null, IReadOnlyList<string>? submissions = null)
    {
        var data = await platform.Admin().QueryAsync(
            "mutation($title: String!, $kind: ArticleKind!, $countries: [CountryCode!], $themes: [String!], $cases: [ID!], $defenders: [ID!], $submissions: [ID!]) { " +
            "draftArticle(input: { kind: $kind, language: EN, title: $title, body: \"Text.\", countryCodes: $countries, themes: $themes, " +
            "caseIds: $cases, defenderIds: $defenders, submissionIds: $submissions, confidentiality: PUBLIC }) { article { id } } }",
            new { title, kind, countries = new[] { country }, themes, cases = cases ?? [], defenders = defenders ?? [], submissions = submissions ?? [] });
        return data.GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString()!;
    }

    private async Task<string> PublishLinkedAsync(string title, string kind, string country, IReadOnlyList<string> themes,
        IReadOnlyList<string>? cases = null, IReadOnlyList<string>? defenders = null, IReadOnlyList<string>? submissions = null)
    {
        var id = await DraftLinkedAsync(title, kind, country, themes, cases, defenders, submissions);
        Assert.Equal("PUBLISHED", (await MutateAsync("publishArticle", $"articleId: \"{id}\"")).GetProperty("status").GetString());
        return id;
    }

    private async Task<string> CaseAsync(string title, string country, string confidentiality) =>
        (await platform.Admin().QueryAsync($"mutation {{ openCase(input: {{ title: \"{title}\", countryCode: \"{country}\", confidentiality: {confidentiality} }}) {{ case {{ id }} }} }}"))
        .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    /// <summary>A defender whose name may be published; with <paramref name="portrait"/>, consent to a portrait recorded too.</summary>
    private async Task<string> DefenderAsync(string name, string confidentiality, bool portrait = false)
    {
        var id = (await platform.Admin().QueryAsync(
                $"mutation {{ registerDefender(input: {{ name: \"{name}\", countryCode: \"PH\", consentToPublishName: true, confidentiality: {confidentiality} }}) {{ defender {{ id }} }} }}"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        if (portrait)
        {
            await platform.Admin().QueryAsync($"mutation {{ recordConsent(input: {{ defenderId: \"{id}\", toPublishName: true, toPublishPortrait: true }}) {{ defender {{ id }} }} }}");
        }

        return id;
    }

    private async Task<string> SubmissionAsync(string title, string country, string confidentiality, DateOnly dueOn) =>
        (await platform.Admin().QueryAsync(
            $"mutation {{ planSubmission(input: {{ mechanism: UPR, countryCode: \"{country}\", title: \"{title}\", dueOn: \"{dueOn:yyyy-MM-dd}\", confidentiality: {confidentiality} }}) {{ submission {{ id }} }} }}"))
        .GetProperty("planSubmission").GetProperty("submission").GetProperty("id").GetString()!;

    private async Task<PublicationRun> RunSchedulerAsync()
    {
        await using var scope = platform.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System("test-scheduler"));
        // What PublishScheduledArticlesJob runs every minute.
        return await scope.ServiceProvider.GetRequiredService<ArticleCommands>().PublishDueAsync(CancellationToken.None);
    }

    private static Guid ArticleGuid(string? id) => GlobalId.TryDecode(id, "Article", out var guid) ? guid : throw new ArgumentException($"not an article id: {id}");

    /// <summary>The article as the public reads it by slug; null (with NOT_FOUND, the only error) when the public may not see it.</summary>
    private async Task<JsonElement> Public(string slug)
    {
        var response = await platform.GraphQL().PostAsync($"{{ article(slug: \"{slug}\") {{ {Fields} }} }}");
        if (response.HasErrors)
        {
            Assert.Equal(["article:NOT_FOUND"], response.ByPath());
        }

        return response.Data.GetProperty("article");
    }

    private async Task<int> SearchAsync(string text, string? language)
    {
        var data = await platform.GraphQL().QueryAsync("query($t: String, $l: Language) { articles(filter: { text: $t, language: $l }) { totalCount } }", new { t = text, l = language });
        return data.GetProperty("articles").GetProperty("totalCount").GetInt32();
    }

    private async Task<JsonElement> DraftAsync(string title, string body, string kind = "STATEMENT", string themes = "[]", string countries = "[]")
    {
        var data = await platform.Admin().QueryAsync(
            $"mutation($title: String!, $body: String!) {{ draftArticle(input: {{ kind: {kind}, language: EN, title: $title, body: $body, themes: {themes}, countryCodes: {countries}, confidentiality: PUBLIC }}) {{ article {{ {Fields} }} }} }}",
            new { title, body });
        return data.GetProperty("draftArticle").GetProperty("article");
    }

    /// <summary>Runs an article mutation as admin; the payload shows the article in <paramref name="language"/>.</summary>
    private async Task<JsonElement> MutateAsync(string mutation, string input, string language = "EN", string fields = Fields) =>
        (await platform.Admin().QueryAsync($"mutation {{ {mutation}(input: {{ {input} }}) {{ article {{ {fields} }} }} }}")).GetProperty(mutation).GetProperty("article");

    private async Task<string> KeyAsync(string role, string clearance) =>
        (await platform.Admin().QueryAsync($"mutation {{ createApiKey(input: {{ name: \"t\", role: {role}, clearance: {clearance} }}) {{ key }} }}"))
            .GetProperty("createApiKey").GetProperty("key").GetString()!;
}
