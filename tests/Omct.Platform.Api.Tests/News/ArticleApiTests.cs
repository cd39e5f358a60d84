using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Api.Tests.Security;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Testing;
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
        var staffSees = await platform.GraphQL(staff).QueryAsync("{ article(slug: \"togo-not-to-torture-is-a-negative-obligation\") { id } }");
        Assert.Equal(JsonValueKind.Null, staffSees.GetProperty("article").ValueKind); // drafts are for editors

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

        Assert.Equal(0, await RunSchedulerAsync());
        Assert.Equal(JsonValueKind.Null, (await Public("scheduled-statement")).ValueKind);

        // The host was down at the moment: the next run, three hours later, still publishes it, once.
        platform.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(1, await RunSchedulerAsync());
        Assert.Equal(0, await RunSchedulerAsync());
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

    [Fact]
    public async Task Slugs_are_unique_per_language_generated_when_absent_and_stable_once_published()
    {
        var first = await DraftAsync("Mexico: The UN Committee Against Torture", "One.");
        var second = await DraftAsync("Mexico: The UN Committee Against Torture", "Two.");
        Assert.Equal("mexico-the-un-committee-against-torture", first.GetProperty("slug").GetString());
        Assert.Equal("mexico-the-un-committee-against-torture-2", second.GetProperty("slug").GetString());

        var taken = await platform.Admin().PostAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"X\", body: \"Y\", slug: \"mexico-the-un-committee-against-torture\" }) { article { id } } }");
        Assert.Equal("CONFLICT", taken.ErrorCode);
        var bad = await platform.Admin().PostAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"X\", body: \"Y\", slug: \"Not A Slug!\" }) { article { id } } }");
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
        Assert.Equal("FR", filtered.GetProperty("articles").GetProperty("nodes")[0].GetProperty("language").GetString());
    }

    [Fact]
    public async Task Linked_records_and_confidential_articles_respect_clearance()
    {
        var hiddenCase = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Staff-only case\", countryCode: \"SD\", confidentiality: STAFF }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        var article = (await platform.Admin().QueryAsync($"mutation {{ draftArticle(input: {{ kind: STATEMENT, language: EN, title: \"Sudan statement\", body: \"Text\", caseIds: [\"{hiddenCase}\"] }}) {{ article {{ id }} }} }}"))
            .GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString();
        await MutateAsync("publishArticle", $"articleId: \"{article}\"");
        var network = await platform.Admin().QueryAsync("mutation { draftArticle(input: { kind: REPORT, language: EN, title: \"Network-only report\", body: \"Text\", confidentiality: NETWORK }) { article { id } } }");
        await MutateAsync("publishArticle", $"articleId: \"{network.GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString()}\"");

        var anonymous = await platform.GraphQL().QueryAsync("{ article(slug: \"sudan-statement\") { cases { id } } report: article(slug: \"network-only-report\") { id } }");
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
        var id = (await platform.Admin().QueryAsync($"mutation {{ draftArticle(input: {{ kind: PORTRAIT, language: EN, title: \"Portrait\", body: \"Text\", defenderIds: [\"{defender}\"] }}) {{ article {{ id }} }} }}"))
            .GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString();

        var refused = await platform.Admin().PostAsync($"mutation {{ publishArticle(input: {{ articleId: \"{id}\" }}) {{ article {{ id }} }} }}");
        Assert.Equal(("VALIDATION", "articleId"), (refused.ErrorCode, refused.ErrorField));

        await platform.Admin().QueryAsync($"mutation {{ recordConsent(input: {{ defenderId: \"{defender}\", toPublishName: true, toPublishPortrait: true }}) {{ defender {{ id }} }} }}");
        Assert.Equal("PUBLISHED", (await MutateAsync("publishArticle", $"articleId: \"{id}\"")).GetProperty("status").GetString());
    }

    private async Task<int> RunSchedulerAsync()
    {
        await using var scope = platform.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System("test-scheduler"));
        // What PublishScheduledArticlesJob runs every minute.
        return await scope.ServiceProvider.GetRequiredService<Omct.Platform.News.Handling.ArticleCommands>().PublishDueAsync(CancellationToken.None);
    }

    private async Task<JsonElement> Public(string slug) =>
        (await platform.GraphQL().QueryAsync($"{{ article(slug: \"{slug}\") {{ {Fields} }} }}")).GetProperty("article");

    private async Task<int> SearchAsync(string text, string? language)
    {
        var data = await platform.GraphQL().QueryAsync("query($t: String, $l: Language) { articles(filter: { text: $t, language: $l }) { totalCount } }", new { t = text, l = language });
        return data.GetProperty("articles").GetProperty("totalCount").GetInt32();
    }

    private async Task<JsonElement> DraftAsync(string title, string body, string kind = "STATEMENT", string themes = "[]", string countries = "[]")
    {
        var data = await platform.Admin().QueryAsync(
            $"mutation($title: String!, $body: String!) {{ draftArticle(input: {{ kind: {kind}, language: EN, title: $title, body: $body, themes: {themes}, countryCodes: {countries} }}) {{ article {{ {Fields} }} }} }}",
            new { title, body });
        return data.GetProperty("draftArticle").GetProperty("article");
    }

    /// <summary>Runs an article mutation as admin; the payload shows the article in <paramref name="language"/>.</summary>
    private async Task<JsonElement> MutateAsync(string mutation, string input, string language = "EN") =>
        (await platform.Admin().QueryAsync($"mutation {{ {mutation}(input: {{ {input} }}) {{ article {{ {Fields} }} }} }}")).GetProperty(mutation).GetProperty("article");

    private async Task<string> KeyAsync(string role, string clearance) =>
        (await platform.Admin().QueryAsync($"mutation {{ createApiKey(input: {{ name: \"t\", role: {role}, clearance: {clearance} }}) {{ key }} }}"))
            .GetProperty("createApiKey").GetProperty("key").GetString()!;
}
