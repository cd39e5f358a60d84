using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Api.Tests.Security;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.News.Contracts;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.News;

/// <summary>
/// Articles created as they were and corrected (issue 22): published on their original date, the date corrected with a reason,
/// calls for input linked — each with its history entry (fake clock at 2026-11-28).
/// </summary>
public sealed class ArticleHistoryTests(FakeClockPlatformFactory platform) : IClassFixture<FakeClockPlatformFactory>
{
    private const string Fields = "id slug status publishedAt version callsForInput { title } history { nodes { action summary reason by version } }";
    private static readonly DateTimeOffset June2015 = new(2015, 6, 26, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_article_published_on_26_June_2015_shows_that_date_in_the_API_the_public_listing_the_exports_and_not_in_this_weeks_digest()
    {
        var id = await DraftAsync("Archive: Statement of 26 June 2015", "International Day in Support of Victims of Torture.");
        Assert.Equal(("VALIDATION", "originallyPublishedAt"), await RefusedAsync("publishArticle", $"articleId: \"{id}\", originallyPublishedAt: \"2027-01-01T00:00:00Z\""));
        Assert.Equal(("VALIDATION", "originallyPublishedAt"), await RefusedAsync("publishArticle", $"articleId: \"{id}\", originallyPublishedAt: \"1899-12-31T00:00:00Z\""));
        Assert.Equal(("VALIDATION", "originallyPublishedAt"),
            await RefusedAsync("publishArticle", $"articleId: \"{id}\", originallyPublishedAt: \"2015-06-26T09:30:00Z\", publishAt: \"2027-01-01T00:00:00Z\""));

        var published = await MutateAsync("publishArticle", $"articleId: \"{id}\", originallyPublishedAt: \"2015-06-26T09:30:00Z\"");
        Assert.Equal(("PUBLISHED", June2015), (published.GetProperty("status").GetString(), published.GetProperty("publishedAt").GetDateTimeOffset()));
        var history = Entries(published);
        Assert.Equal(["ARTICLE_DRAFTED", "TRANSLATION_SAVED", "ARTICLE_PUBLISHED"], history.Select(h => h.GetProperty("action").GetString()));
        Assert.Contains("2015-06-26", history[^1].GetProperty("summary").GetString());
        Assert.StartsWith("apikey:", history[^1].GetProperty("by").GetString());

        // The public: the article by slug, the listing filtered by the day, and its history (the publication only, no author).
        var slug = published.GetProperty("slug").GetString();
        var read = (await platform.GraphQL().QueryAsync($"{{ article(slug: \"{slug}\") {{ publishedAt history {{ totalCount nodes {{ action by }} }} }} }}")).GetProperty("article");
        Assert.Equal(June2015, read.GetProperty("publishedAt").GetDateTimeOffset());
        var publicHistory = read.GetProperty("history");
        Assert.Equal(1, publicHistory.GetProperty("totalCount").GetInt32());
        Assert.Equal(("ARTICLE_PUBLISHED", JsonValueKind.Null),
            (publicHistory.GetProperty("nodes")[0].GetProperty("action").GetString(), publicHistory.GetProperty("nodes")[0].GetProperty("by").ValueKind));
        var listed = (await platform.GraphQL().QueryAsync("{ articles(filter: { publishedFrom: \"2015-06-26\", publishedTo: \"2015-06-26\" }) { nodes { id publishedAt } } }"))
            .GetProperty("articles").GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == id);
        Assert.Equal(June2015, listed.GetProperty("publishedAt").GetDateTimeOffset());

        // The export (NDJSON, the last line is the feed cursor).
        using var request = new HttpRequestMessage(HttpMethod.Get, "/export/articles");
        request.Headers.Add("X-Api-Key", await FeedKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC"));
        var body = await (await platform.CreateClient().SendAsync(request)).Content.ReadAsStringAsync();
        var row = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Single(r => r.TryGetProperty("id", out var rowId) && rowId.GetString() == id);
        Assert.Equal(June2015, row.GetProperty("publishedAt").GetDateTimeOffset());

        // The digests ask for the articles published in their period: not this week's news, but 26 June 2015's.
        var articles = platform.Services.GetRequiredService<IArticleDirectory>();
        var now = platform.Clock.GetUtcNow();
        Assert.DoesNotContain(await articles.PublishedAsync(now.AddDays(-7), now.AddDays(1), [], [], Caller.System("digest-test"), CancellationToken.None),
            a => a.Title == "Archive: Statement of 26 June 2015");
        Assert.Contains(await articles.PublishedAsync(June2015.AddDays(-1), June2015.AddDays(1), [], [], Caller.System("digest-test"), CancellationToken.None),
            a => a.Title == "Archive: Statement of 26 June 2015" && a.PublishedAt == June2015);
    }

    [Fact]
    public async Task The_publication_date_of_a_published_article_is_corrected_by_an_editor_with_a_reason_within_clearance()
    {
        var id = await DraftAsync("Correction: Statement first published on the old site", "Text.");
        Assert.Equal(("VALIDATION", "articleId"), await RefusedAsync("setArticleOriginalPublicationDate", $"articleId: \"{id}\", publishedAt: \"2014-01-10T00:00:00Z\""));
        await MutateAsync("publishArticle", $"articleId: \"{id}\"");
        Assert.Equal(("VALIDATION", "publishedAt"), await RefusedAsync("setArticleOriginalPublicationDate", $"articleId: \"{id}\", publishedAt: \"2027-01-10T00:00:00Z\""));
        Assert.Equal(("VALIDATION", "reason"),
            await RefusedAsync("setArticleOriginalPublicationDate", $"articleId: \"{id}\", publishedAt: \"2014-01-10T00:00:00Z\", reason: \"{new string('r', 2_001)}\""));

        var staff = await platform.GraphQL(await KeyAsync("STAFF", "RESTRICTED"))
            .PostAsync($"mutation {{ setArticleOriginalPublicationDate(input: {{ articleId: \"{id}\", publishedAt: \"2014-01-10T00:00:00Z\" }}) {{ article {{ id }} }} }}");
        Assert.Equal("FORBIDDEN", staff.ErrorCode);

        var corrected = await MutateAsync("setArticleOriginalPublicationDate",
            $"articleId: \"{id}\", publishedAt: \"2014-01-10T08:00:00Z\", reason: \"  First published on the old site  \"");
        Assert.Equal(new DateTimeOffset(2014, 1, 10, 8, 0, 0, TimeSpan.Zero), corrected.GetProperty("publishedAt").GetDateTimeOffset());
        var entry = Entries(corrected)[^1];
        Assert.Equal(("ARTICLE_PUBLICATION_DATE_CORRECTED", "First published on the old site"),
            (entry.GetProperty("action").GetString(), entry.GetProperty("reason").GetString()));
        Assert.Contains("2014-01-10", entry.GetProperty("summary").GetString());
        Assert.Equal(corrected.GetProperty("version").GetInt32(), entry.GetProperty("version").GetInt32());

        // An editor whose clearance does not reach a RESTRICTED article: NOT_FOUND, word for word an unknown id's.
        var restricted = await DraftAsync("Correction: a restricted note", "Text.", "RESTRICTED");
        await MutateAsync("publishArticle", $"articleId: \"{restricted}\"");
        var editor = platform.GraphQL(await KeyAsync("EDITOR", "STAFF"));
        const string Correct = "mutation($a: ID!) { setArticleOriginalPublicationDate(input: { articleId: $a, publishedAt: \"2014-01-10T00:00:00Z\" }) { article { id } } }";
        var hidden = await editor.PostAsync(Correct, new { a = restricted });
        var unknown = await editor.PostAsync(Correct, new { a = Omct.Platform.BuildingBlocks.Ids.GlobalId.Encode("Article", Guid.NewGuid()) });
        Assert.Equal(("NOT_FOUND", unknown.Errors[0].GetProperty("message").GetString()), (hidden.ErrorCode, hidden.Errors[0].GetProperty("message").GetString()));
    }

    [Fact]
    public async Task An_article_links_calls_for_input_each_side_within_clearance_with_the_reason_in_its_history()
    {
        var zimbabwe = (await platform.Admin().QueryAsync("mutation { registerOrganisation(input: { name: \"Harare Lawyers\", countryCode: \"ZW\", networkMember: true, confidentiality: PUBLIC }) { organisation { id } } }"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;
        var call = await CallAsync("Call on WHRD in Africa", "NETWORK", "[\"ZW\"]");
        var restrictedCall = await CallAsync("Restricted call", "RESTRICTED", "[]");
        var id = await DraftAsync("Results of the call on WHRD in Africa", "What the network told us.");

        var tagged = await MutateAsync("tagArticle", $"articleId: \"{id}\", callForInputIds: [\"{call}\"], reason: \"The link was forgotten\"");
        Assert.Equal(["Call on WHRD in Africa"], tagged.GetProperty("callsForInput").EnumerateArray().Select(c => c.GetProperty("title").GetString()));
        var entry = Entries(tagged)[^1];
        Assert.Equal(("ARTICLE_TAGGED", "The link was forgotten"), (entry.GetProperty("action").GetString(), entry.GetProperty("reason").GetString()));
        Assert.Contains("linked calls for input", entry.GetProperty("summary").GetString());
        Assert.Equal(["Results of the call on WHRD in Africa"], await LinkedTitlesAsync(platform.Admin(), call));

        // An editor of clearance NETWORK may not link a RESTRICTED call (VALIDATION on the field, as an unknown one), nor find articles by it.
        var editor = platform.GraphQL(await KeyAsync("EDITOR", "NETWORK"));
        var refused = await editor.PostAsync($"mutation {{ tagArticle(input: {{ articleId: \"{id}\", callForInputIds: [\"{restrictedCall}\"] }}) {{ article {{ id }} }} }}");
        Assert.Equal(("VALIDATION", "callForInputIds[0]"), (refused.ErrorCode, refused.ErrorField));
        await MutateAsync("tagArticle", $"articleId: \"{id}\", callForInputIds: [\"{call}\", \"{restrictedCall}\"]");
        Assert.Empty(await LinkedTitlesAsync(editor, restrictedCall));
        var seenByEditor = (await editor.QueryAsync($"{{ node(id: \"{id}\") {{ ... on Article {{ callsForInput {{ title }} }} }} }}")).GetProperty("node");
        Assert.Equal(["Call on WHRD in Africa"], seenByEditor.GetProperty("callsForInput").EnumerateArray().Select(c => c.GetProperty("title").GetString()));

        // Published: the public sees the article, not the calls (they are the network's); a member the call addresses sees it.
        await MutateAsync("publishArticle", $"articleId: \"{id}\"");
        var slug = tagged.GetProperty("slug").GetString();
        var anonymous = (await platform.GraphQL().QueryAsync($"{{ article(slug: \"{slug}\") {{ callsForInput {{ title }} }} }}")).GetProperty("article");
        Assert.Empty(anonymous.GetProperty("callsForInput").EnumerateArray());
        Assert.Empty(await LinkedTitlesAsync(platform.GraphQL(), call));
        var member = platform.GraphQL(await KeyAsync("NETWORK_MEMBER", "NETWORK", zimbabwe));
        var asMember = (await member.QueryAsync($"{{ article(slug: \"{slug}\") {{ callsForInput {{ title }} }} }}")).GetProperty("article");
        Assert.Equal(["Call on WHRD in Africa"], asMember.GetProperty("callsForInput").EnumerateArray().Select(c => c.GetProperty("title").GetString()));
        Assert.Equal(["Results of the call on WHRD in Africa"], await LinkedTitlesAsync(member, call));
    }

    private static async Task<List<string?>> LinkedTitlesAsync(GraphQLClient client, string call) =>
        (await client.QueryAsync("query($c: ID) { articles(filter: { callForInputId: $c }) { nodes { title } } }", new { c = call }))
        .GetProperty("articles").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("title").GetString()).ToList();

    private static List<JsonElement> Entries(JsonElement article) => [.. article.GetProperty("history").GetProperty("nodes").EnumerateArray()];

    private async Task<string> CallAsync(string title, string confidentiality, string audience) =>
        (await platform.Admin().QueryAsync(
            $"mutation {{ openCallForInput(input: {{ title: \"{title}\", question: \"Q?\", deadline: \"2027-03-01\", audienceCountryCodes: {audience}, confidentiality: {confidentiality} }}) {{ callForInput {{ id }} }} }}"))
        .GetProperty("openCallForInput").GetProperty("callForInput").GetProperty("id").GetString()!;

    private async Task<string> DraftAsync(string title, string body, string confidentiality = "PUBLIC") =>
        (await platform.Admin().QueryAsync(
            $"mutation($title: String!, $body: String!) {{ draftArticle(input: {{ kind: STATEMENT, language: EN, title: $title, body: $body, confidentiality: {confidentiality} }}) {{ article {{ id }} }} }}",
            new { title, body }))
        .GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString()!;

    private async Task<JsonElement> MutateAsync(string mutation, string input) =>
        (await platform.Admin().QueryAsync($"mutation {{ {mutation}(input: {{ {input} }}) {{ article {{ {Fields} }} }} }}")).GetProperty(mutation).GetProperty("article");

    private async Task<(string?, string?)> RefusedAsync(string mutation, string input)
    {
        var response = await platform.Admin().PostAsync($"mutation {{ {mutation}(input: {{ {input} }}) {{ article {{ id }} }} }}");
        return (response.ErrorCode, response.ErrorField);
    }

    private async Task<string> KeyAsync(string role, string clearance, string? organisation = null) =>
        (await platform.Admin().QueryAsync($"mutation {{ createApiKey(input: {{ name: \"t\", role: {role}, clearance: {clearance}{(organisation is null ? "" : $", organisationId: \"{organisation}\"")} }}) {{ key }} }}"))
            .GetProperty("createApiKey").GetProperty("key").GetString()!;
}
