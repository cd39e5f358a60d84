using System.Net.Http.Headers;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Api.Tests.Digests;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Digests.DigestKit;

namespace Omct.Platform.Api.Tests.Privacy;

/// <summary>
/// Issue 26: an erasure reaches the name where staff typed it into free text — a case's title and summary, an event's
/// description — in the case as read, the change feed (the case changed), the export, the stored digests, the case's
/// history and the event store itself, and a rebuild of the case projection brings nothing back; the admin reads what
/// was changed. A pg_dump after the erasure holds the name nowhere.
/// </summary>
public sealed class FreeTextErasureTests : DeliveryTestBase
{
    private const string Name = "Halima Erasename";
    private const string Pseudonym = "Codename Ibis";

    [Fact]
    public async Task Names_typed_in_a_case_title_summary_and_event_description_are_replaced_everywhere_after_the_erasure()
    {
        var admin = App.Admin();
        var defender = await RegisterAsync(admin);
        // Typed by hand, in other letter cases and spacing; "Erasenames" is another word and stays.
        var caseId = (await admin.QueryAsync(
                "mutation($title: String!, $summary: String) { openCase(input: { title: $title, countryCode: \"TG\", summary: $summary, confidentiality: STAFF }) { case { id } } }",
                new { title = $"Togo: {Name} detained in Lomé", summary = "HALIMA  erasename, a journalist, was taken at dawn. The Erasenames family was told." }))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        var other = await OpenCaseAsync(admin, "Togo: a lawyer detained in Kara", "TG", "STAFF");
        await RecordEventAsync(admin, caseId, "ARREST", Iso(LatestEventDate()), $"Police took {Name} from her home.", "STAFF");
        var (subscription, _) = await SubscribeAsync(admin, new { name = "Staff desk", period = "DAILY", audience = "STAFF", countries = new[] { "TG" }, emailRecipients = new[] { "desk@example.org" } });
        Assert.Equal(1, (await RunAsync(admin, "DIGEST", TodayInGeneva().AddDays(1))).GetProperty("items").GetInt32());
        Assert.Contains(Name, AllText(Of(await DigestsAsync(admin), subscription)), StringComparison.Ordinal);
        var note = (await admin.QueryAsync("mutation($case: ID!, $markdown: String!) { writeNote(input: { recordId: $case, markdown: $markdown }) { note { id } } }",
                new { @case = caseId, markdown = $"Called the family of **{Name}**: she is held in Lomé." }))
            .GetProperty("writeNote").GetProperty("note").GetProperty("id").GetString()!;
        var (_, cursor) = await FeedKit.DrainAsync(admin);

        var erased = (await admin.QueryAsync(
                "mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { erased erasureRedactions { recordId recordType label fields occurrences } } } }",
                new { id = defender }))
            .GetProperty("eraseDefenderPersonalData").GetProperty("defender");
        Assert.True(erased.GetProperty("erased").GetBoolean());

        // The admin's listing: the case (title, summary, description; 3 occurrences) and the digest, the other case not.
        var listing = erased.GetProperty("erasureRedactions").EnumerateArray().ToList();
        var caseEntry = Assert.Single(listing, r => r.GetProperty("recordType").GetString() == "Case");
        Assert.Equal(caseId, caseEntry.GetProperty("recordId").GetString());
        Assert.Equal(["title", "summary", "event.description"], caseEntry.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!).Order().Reverse().ToList());
        Assert.Equal(3, caseEntry.GetProperty("occurrences").GetInt32());
        Assert.Single(listing, r => r.GetProperty("recordType").GetString() == "Digest");
        Assert.Equal(note, Assert.Single(listing, r => r.GetProperty("recordType").GetString() == "Note").GetProperty("recordId").GetString());
        var noteRead = (await admin.QueryAsync("query($id: ID!) { node(id: $id) { ... on Note { markdown bodyHtml } } }", new { id = note })).GetProperty("node");
        Assert.Equal($"Called the family of **{Pseudonym}**: she is held in Lomé.", noteRead.GetProperty("markdown").GetString());
        Assert.Contains($"<strong>{Pseudonym}</strong>", noteRead.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(listing, r => r.GetProperty("recordId").GetString() == other);
        Assert.DoesNotContain("Halima", erased.GetRawText(), StringComparison.OrdinalIgnoreCase);

        await AssertRedactedAsync(admin, caseId);

        // The feed: the case changed after the cursor taken before the erasure (integrators read it again).
        var (changes, _) = await FeedKit.DrainAsync(admin, cursor);
        Assert.Contains(changes, c => c.EntityId == caseId && c.Kind == "UPDATED");

        // The export, as an integrator reads it.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/export/cases"))
        {
            request.Headers.Add("X-Api-Key", await FeedKit.KeyAsync(App, "INTEGRATOR", "STAFF"));
            var body = await (await App.CreateClient().SendAsync(request)).Content.ReadAsStringAsync();
            var row = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).Single(r => r.TryGetProperty("id", out var id) && id.GetString() == caseId);
            Assert.Equal($"Togo: {Pseudonym} detained in Lomé", row.GetProperty("title").GetString());
            Assert.DoesNotContain("Halima", body, StringComparison.OrdinalIgnoreCase);
        }

        // The stored digest, rendered again: title and description without the name.
        var digest = AllText(Of(await DigestsAsync(admin), subscription));
        Assert.DoesNotContain("Halima", digest, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"Togo: {Pseudonym} detained in Lomé", digest, StringComparison.Ordinal);
        Assert.Contains($"Police took {Pseudonym} from her home.", digest, StringComparison.Ordinal);

        // A rebuild of the case projection, one stream and then all of it: the events were rewritten, so nothing comes back.
        GlobalId.TryDecode(caseId, out _, out var caseGuid);
        var store = App.Services.GetRequiredService<IDocumentStore>();
        await store.Advanced.RebuildSingleStreamAsync<Omct.Platform.Cases.CaseDetails.Case>(caseGuid);
        await AssertRedactedAsync(admin, caseId);
        using (var daemon = await store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync<Omct.Platform.Cases.CaseDetails.CaseProjection>(CancellationToken.None);
        }

        await AssertRedactedAsync(admin, caseId);

        // Nowhere in the database: not in the events, the documents, the list rows, the digests, the audit trail.
        var dump = await PgDump.TextAsync(App.ConnectionString);
        Assert.Contains("Kara", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("Halima", dump, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_case_changed_between_reading_and_erasing_keeps_no_name_and_a_person_without_pseudonym_becomes_the_placeholder()
    {
        var admin = App.Admin();
        var defender = await RegisterAsync(admin, pseudonym: null);
        var caseId = await OpenCaseAsync(admin, $"Togo: {Name} detained", "TG", "STAFF");
        await admin.QueryAsync("mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { id } } }", new { id = defender });
        var title = (await admin.QueryAsync("query($id: ID!) { node(id: $id) { ... on Case { title history(first: 10) { nodes { action summary } } } } }", new { id = caseId })).GetProperty("node");
        Assert.Equal("Togo: [name erased] detained", title.GetProperty("title").GetString());
        var history = title.GetProperty("history").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal("CASE_TEXT_REDACTED", history[^1].GetProperty("action").GetString());
        Assert.DoesNotContain("Halima", title.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_article_naming_the_person_in_its_title_body_and_slug_is_redacted_and_its_old_address_answers_no_more()
    {
        var admin = App.Admin();
        var defender = await RegisterAsync(admin);
        var id = (await admin.QueryAsync(
                "mutation($title: String!, $body: String!) { draftArticle(input: { kind: STATEMENT, language: EN, title: $title, summary: \"A release.\", body: $body, confidentiality: PUBLIC }) { article { id } } }",
                new { title = $"Togo: {Name} freed", body = $"We welcome the release of {Name} today.\n\n*{Name}* was held for a year." }))
            .GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString()!;
        await admin.QueryAsync("mutation($id: ID!) { publishArticle(input: { articleId: $id }) { article { id } } }", new { id });
        const string Query = "query($slug: String!) { article(slug: $slug) { id slug title body bodyHtml } }";
        Assert.Equal(id, (await App.GraphQL().QueryAsync(Query, new { slug = "togo-halima-erasename-freed" })).GetProperty("article").GetProperty("id").GetString());

        var listing = (await admin.QueryAsync(
                "mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { erasureRedactions { recordId recordType fields occurrences } } } }", new { id = defender }))
            .GetProperty("eraseDefenderPersonalData").GetProperty("defender").GetProperty("erasureRedactions").EnumerateArray().ToList();
        var entry = Assert.Single(listing, r => r.GetProperty("recordType").GetString() == "Article");
        Assert.Equal(id, entry.GetProperty("recordId").GetString());
        Assert.Equal(["translation.en"], entry.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!).ToList());
        Assert.Equal(4, entry.GetProperty("occurrences").GetInt32()); // title, body twice, slug

        // The old address (it held the name) answers no more; the new one reads the article without the name.
        var gone = (await App.GraphQL().PostAsync(Query, new { slug = "togo-halima-erasename-freed" })).Body;
        Assert.Equal("NOT_FOUND", gone.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        var article = (await App.GraphQL().QueryAsync(Query, new { slug = "togo-codename-ibis-freed" })).GetProperty("article");
        Assert.Equal((id, $"Togo: {Pseudonym} freed"), (article.GetProperty("id").GetString(), article.GetProperty("title").GetString()));
        Assert.Equal($"We welcome the release of {Pseudonym} today.\n\n*{Pseudonym}* was held for a year.", article.GetProperty("body").GetString());
        Assert.Contains($"<em>{Pseudonym}</em>", article.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);

        // A rebuild reads the rewritten events; the dump holds the name nowhere.
        GlobalId.TryDecode(id, out _, out var articleId);
        var store = App.Services.GetRequiredService<IDocumentStore>();
        await store.Advanced.RebuildSingleStreamAsync<Omct.Platform.News.Articles.Article>(articleId);
        Assert.Equal($"Togo: {Pseudonym} freed", (await App.GraphQL().QueryAsync(Query, new { slug = "togo-codename-ibis-freed" })).GetProperty("article").GetProperty("title").GetString());
        Assert.DoesNotContain("Halima", await PgDump.TextAsync(App.ConnectionString), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task AssertRedactedAsync(GraphQLClient admin, string caseId)
    {
        var read = (await admin.QueryAsync(
                "query($id: ID!) { node(id: $id) { ... on Case { title summary events { description } history(first: 20) { nodes { action summary } } } } cases(first: 50, filter: { countries: [\"TG\"] }) { nodes { id title } } byName: cases(first: 50, filter: { text: \"Halima\" }) { totalCount } }",
                new { id = caseId }));
        var c = read.GetProperty("node");
        Assert.Equal($"Togo: {Pseudonym} detained in Lomé", c.GetProperty("title").GetString());
        Assert.Equal($"{Pseudonym}, a journalist, was taken at dawn. The Erasenames family was told.", c.GetProperty("summary").GetString());
        Assert.Equal($"Police took {Pseudonym} from her home.", c.GetProperty("events")[0].GetProperty("description").GetString());
        Assert.Equal($"Togo: {Pseudonym} detained in Lomé", read.GetProperty("cases").GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetString() == caseId).GetProperty("title").GetString());
        Assert.Equal(0, read.GetProperty("byName").GetProperty("totalCount").GetInt32());
        var history = c.GetProperty("history").GetRawText();
        Assert.DoesNotContain("Halima", history, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("CASE_TEXT_REDACTED", history, StringComparison.Ordinal);
    }

    private static async Task<string> RegisterAsync(GraphQLClient admin, string? pseudonym = Pseudonym) =>
        (await admin.QueryAsync(
            "mutation($name: String!, $pseudonym: String) { registerDefender(input: { name: $name, pseudonym: $pseudonym, countryCode: \"TG\", consentToPublishName: true, confidentiality: STAFF }) { defender { id } } }",
            new { name = Name, pseudonym })).GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
}
