using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Digests.Composing;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Digests.DigestKit;

namespace Omct.Platform.Api.Tests.Privacy;

/// <summary>
/// Issue 26: a defender mentioned in a case's title, summary or event descriptions, in a note or in an article is stored as
/// a structured mention (<c>@[id]</c>), never as a copied name: each reader sees the name as they may (staff the name, the
/// public the pseudonym without consent, nothing of a hidden profile), a writer may mention only defenders they may find,
/// and an erasure takes the name out of every text at once — in GraphQL, in the export and in stored digests.
/// </summary>
public sealed class MentionTests : IAsyncLifetime
{
    /// <summary>A platform of its own per test (a database of its own): the digests and counts below see this test's records only.</summary>
    private CountingPlatform App { get; set; } = null!;

    public async Task InitializeAsync()
    {
        App = new CountingPlatform();
        await App.InitializeAsync();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)App).DisposeAsync();

    private const string Name = "Amara Mentionname";
    private const string Pseudonym = "Codename Heron";

    [Fact]
    public async Task A_case_title_and_event_description_name_the_defender_as_each_reader_may_and_store_only_the_token()
    {
        var admin = App.Admin();
        var defender = await RegisterAsync(admin, Name, Pseudonym, consent: false, "PUBLIC");
        var token = TokenOf(defender);
        var caseId = await OpenCaseAsync(admin, $"Togo: {token} detained in Lomé", "TG", "PUBLIC");
        await admin.QueryAsync("mutation($id: ID!, $summary: String) { updateCase(input: { caseId: $id, summary: $summary }) { case { id } } }",
            new { id = caseId, summary = $"Summary about {token}." });
        await RecordEventAsync(admin, caseId, "ARREST", Iso(LatestEventDate()), $"{token} was arrested at dawn.", "PUBLIC");

        const string Read = "query($id: ID!) { case(id: $id) { title summary events { description } } }";
        var staff = (await admin.QueryAsync(Read, new { id = caseId })).GetProperty("case");
        Assert.Equal($"Togo: {Name} detained in Lomé", staff.GetProperty("title").GetString());
        Assert.Equal($"Summary about {Name}.", staff.GetProperty("summary").GetString());
        Assert.Equal($"{Name} was arrested at dawn.", staff.GetProperty("events")[0].GetProperty("description").GetString());

        // A PUBLIC reader: no consent to publish the name, so the pseudonym — on the case and on the list's own path.
        var open = App.GraphQL(await admin.CreateApiKeyAsync("INTEGRATOR", "PUBLIC"));
        var published = (await open.QueryAsync(Read, new { id = caseId })).GetProperty("case");
        Assert.Equal($"Togo: {Pseudonym} detained in Lomé", published.GetProperty("title").GetString());
        Assert.Equal($"{Pseudonym} was arrested at dawn.", published.GetProperty("events")[0].GetProperty("description").GetString());
        var rows = (await open.QueryAsync("{ cases(first: 10) { nodes { id title } } }")).GetProperty("cases").GetProperty("nodes");
        Assert.Equal($"Togo: {Pseudonym} detained in Lomé", rows.EnumerateArray().Single(r => r.GetProperty("id").GetString() == caseId).GetProperty("title").GetString());
        Assert.DoesNotContain(Name, published.GetRawText() + rows.GetRawText(), StringComparison.Ordinal);

        // The events hold the token, never the name.
        var events = await EventsTextAsync(caseId);
        Assert.Contains(token, events, StringComparison.Ordinal);
        Assert.DoesNotContain("Mentionname", events, StringComparison.Ordinal);
        Assert.DoesNotContain("Heron", events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_defender_hidden_from_the_reader_reads_as_withheld_and_from_the_writer_is_refused_like_one_that_does_not_exist()
    {
        var admin = App.Admin();
        var restricted = await RegisterAsync(admin, "Rania Hiddenname", "Codename Lark", consent: true, "RESTRICTED");
        var caseId = await OpenCaseAsync(admin, $"Case naming {TokenOf(restricted)}", "TG", "STAFF");
        var staffKey = App.GraphQL(await admin.CreateApiKeyAsync("STAFF", "STAFF"));

        // A STAFF reader may not find the RESTRICTED profile: neither name nor pseudonym.
        var read = (await staffKey.QueryAsync("query($id: ID!) { case(id: $id) { title } }", new { id = caseId })).GetProperty("case");
        Assert.Equal($"Case naming {Mentions.Withheld}", read.GetProperty("title").GetString());

        // The same STAFF writer may not mention them; the refusal is the one for an id that names no defender at all.
        const string Open = "mutation($title: String!) { openCase(input: { title: $title, countryCode: \"TG\" }) { case { id } } }";
        var hidden = await staffKey.PostAsync(Open, new { title = $"About {TokenOf(restricted)}" });
        var missing = await staffKey.PostAsync(Open, new { title = $"About {TokenOf(Guid.NewGuid())}" });
        var otherType = await staffKey.PostAsync(Open, new { title = $"About @[{GlobalId.Encode("Case", Guid.NewGuid())}]" });
        foreach (var refused in new[] { hidden, missing, otherType })
        {
            Assert.Equal("VALIDATION", refused.ErrorCode);
            Assert.Equal("title", refused.ErrorField);
            Assert.Contains("not a defender you can mention", refused.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Hiddenname", refused.Raw, StringComparison.Ordinal);
        }

        // An event description is checked as well; nothing was written.
        var recorded = await staffKey.PostAsync(
            "mutation($id: ID!, $d: String) { recordCaseEvent(input: { caseId: $id, type: ARREST, date: \"2024-01-01\", description: $d }) { case { id } } }",
            new { id = caseId, d = $"Seen with {TokenOf(restricted)}" });
        Assert.Equal("VALIDATION", recorded.ErrorCode);
        Assert.Equal("description", recorded.ErrorField);
        Assert.Equal(1, (await staffKey.QueryAsync("{ caseCount }")).GetProperty("caseCount").GetInt32());

        // Text that only looks like the start of a mention is text.
        var plain = (await staffKey.QueryAsync(Open, new { title = "Email @[not a token] and @[] stay" })).GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        Assert.Equal("Email @[not a token] and @[] stay",
            (await staffKey.QueryAsync("query($id: ID!) { case(id: $id) { title } }", new { id = plain })).GetProperty("case").GetProperty("title").GetString());
    }

    [Fact]
    public async Task After_an_erasure_the_case_reads_the_pseudonym_or_withheld_in_GraphQL_and_in_the_export()
    {
        var admin = App.Admin();
        var withPseudonym = await RegisterAsync(admin, Name, Pseudonym, consent: true, "PUBLIC");
        var without = await RegisterAsync(admin, "Yao Nopseudonym", null, consent: true, "PUBLIC");
        var caseId = await OpenCaseAsync(admin, $"Togo: {TokenOf(withPseudonym)} and {TokenOf(without)}", "TG", "STAFF");
        await RecordEventAsync(admin, caseId, "ARREST", Iso(LatestEventDate()), $"{TokenOf(without)} arrested.", "STAFF");
        Assert.Contains(Name, (await ExportedAsync(caseId)).GetProperty("title").GetString(), StringComparison.Ordinal);

        foreach (var id in new[] { withPseudonym, without })
        {
            await admin.QueryAsync("mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { id } } }", new { id });
        }

        var read = (await admin.QueryAsync("query($id: ID!) { case(id: $id) { title events { description } } }", new { id = caseId })).GetProperty("case");
        Assert.Equal($"Togo: {Pseudonym} and {Mentions.Withheld}", read.GetProperty("title").GetString());
        Assert.Equal($"{Mentions.Withheld} arrested.", read.GetProperty("events")[0].GetProperty("description").GetString());

        var exported = await ExportedAsync(caseId);
        Assert.Equal($"Togo: {Pseudonym} and {Mentions.Withheld}", exported.GetProperty("title").GetString());
        Assert.Equal($"{Mentions.Withheld} arrested.", exported.GetProperty("events")[0].GetProperty("description").GetString());
        Assert.DoesNotContain("Mentionname", exported.GetRawText() + read.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Nopseudonym", exported.GetRawText() + read.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_note_and_an_article_name_the_mentioned_defender_as_each_reader_may()
    {
        var admin = App.Admin();
        var defender = await RegisterAsync(admin, "Kofi O_Mention*", Pseudonym, consent: false, "PUBLIC");
        var token = TokenOf(defender);
        var caseId = await OpenCaseAsync(admin, "Togo: a case with notes", "TG", "STAFF");

        var note = (await admin.QueryAsync("mutation($r: ID!, $m: String!) { writeNote(input: { recordId: $r, markdown: $m }) { note { id markdown bodyHtml } } }",
            new { r = caseId, m = $"Call **{token}** back." })).GetProperty("writeNote").GetProperty("note");
        // Escaped as Markdown: the name's own _ and * stay characters, not emphasis.
        Assert.Equal("Call **Kofi O\\_Mention\\*** back.", note.GetProperty("markdown").GetString());
        Assert.Contains("<strong>Kofi O_Mention*</strong>", note.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        var refusedNote = await App.GraphQL(await admin.CreateApiKeyAsync("STAFF", "STAFF")).PostAsync(
            "mutation($r: ID!, $m: String!) { writeNote(input: { recordId: $r, markdown: $m }) { note { id } } }", new { r = caseId, m = $"See {TokenOf(Guid.NewGuid())}" });
        Assert.Equal("VALIDATION", refusedNote.ErrorCode);
        Assert.Equal("markdown", refusedNote.ErrorField);

        var article = (await admin.QueryAsync(
                "mutation($title: String!, $summary: String, $body: String!) { draftArticle(input: { kind: STATEMENT, language: EN, title: $title, summary: $summary, body: $body, confidentiality: PUBLIC, countryCodes: [\"TG\"] }) { article { id slug } } }",
                new { title = $"Free {token} now", summary = $"{token} is held.", body = $"We call for the release of *{token}*." }))
            .GetProperty("draftArticle").GetProperty("article");
        var slug = article.GetProperty("slug").GetString()!;
        Assert.Equal("free-now", slug); // neither a name nor an id in a link
        await admin.QueryAsync("mutation($id: ID!) { publishArticle(input: { articleId: $id }) { article { id } } }", new { id = article.GetProperty("id").GetString() });

        const string Read = "query($slug: String!) { article(slug: $slug) { title summary body bodyHtml translations { title body } } }";
        var editor = (await admin.QueryAsync(Read, new { slug })).GetProperty("article");
        Assert.Equal("Free Kofi O_Mention* now", editor.GetProperty("title").GetString());
        Assert.Equal("Kofi O_Mention* is held.", editor.GetProperty("summary").GetString());
        Assert.Contains("<em>Kofi O_Mention*</em>", editor.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        // The public: no consent to publish the name, so the pseudonym everywhere, and no token left in the HTML.
        var publicKey = await admin.CreateApiKeyAsync("INTEGRATOR", "PUBLIC");
        var open = (await App.GraphQL(publicKey).QueryAsync(Read, new { slug })).GetProperty("article");
        Assert.Equal($"Free {Pseudonym} now", open.GetProperty("title").GetString());
        Assert.Equal($"We call for the release of *{Pseudonym}*.", open.GetProperty("body").GetString());
        Assert.Contains($"<em>{Pseudonym}</em>", open.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        Assert.Equal($"Free {Pseudonym} now", open.GetProperty("translations")[0].GetProperty("title").GetString());
        Assert.DoesNotContain("Kofi", open.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("@[", open.GetRawText(), StringComparison.Ordinal);
        // The export names them as GraphQL does for its caller.
        var exported = await ExportedAsync("articles", article.GetProperty("id").GetString()!, publicKey);
        Assert.Equal($"Free {Pseudonym} now", exported.GetProperty("title").GetString());
        Assert.Contains($"<em>{Pseudonym}</em>", exported.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Kofi", exported.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("@[", exported.GetRawText(), StringComparison.Ordinal);

        var refusedArticle = await App.GraphQL(await admin.CreateApiKeyAsync("EDITOR", "STAFF")).PostAsync(
            "mutation($body: String!) { draftArticle(input: { kind: STATEMENT, language: EN, title: \"t\", body: $body }) { article { id } } }",
            new { body = $"About {TokenOf(Guid.NewGuid())}" });
        Assert.Equal("VALIDATION", refusedArticle.ErrorCode);
        Assert.Equal("body", refusedArticle.ErrorField);
    }

    [Fact]
    public async Task A_digest_names_a_mentioned_defender_as_its_audience_may_and_an_erasure_takes_the_name_out_of_the_stored_digest()
    {
        var admin = App.Admin();
        var asOf = TodayInGeneva().AddDays(1);
        var defender = await RegisterAsync(admin, Name, Pseudonym, consent: false, "PUBLIC");
        var caseId = await OpenCaseAsync(admin, $"Togo: {TokenOf(defender)} detained", "TG", "PUBLIC");
        await RecordEventAsync(admin, caseId, "ARREST", Iso(LatestEventDate()), $"{TokenOf(defender)} arrested at dawn.", "PUBLIC");
        var (staff, _) = await SubscribeAsync(admin, new { name = "Staff desk", period = "DAILY", audience = "STAFF", countries = new[] { "TG" }, emailRecipients = new[] { "staff@example.org" } });
        var (open, _) = await SubscribeAsync(admin, new { name = "Public desk", period = "DAILY", audience = "PUBLIC", countries = new[] { "TG" }, emailRecipients = new[] { "public@example.org" } });
        await RunAsync(admin, "DIGEST", asOf);

        var before = await DigestsAsync(admin);
        Assert.Equal($"{Name} arrested at dawn.", EventItem(Of(before, staff)).GetProperty("text").GetString());
        Assert.Equal($"{Pseudonym} arrested at dawn.", EventItem(Of(before, open)).GetProperty("text").GetString());
        // A title is one string in a stored digest: the mention there is withheld whatever the audience, so no erasure can miss it.
        Assert.Equal($"Togo: {Mentions.Withheld} detained", EventItem(Of(before, staff)).GetProperty("title").GetString());
        Assert.Contains(Name, Of(before, staff).GetProperty("html").GetString(), StringComparison.Ordinal);

        await admin.QueryAsync("mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { id } } }", new { id = defender });

        foreach (var digest in new[] { Of(await DigestsAsync(admin), staff), Of(await DigestsAsync(admin), open) })
        {
            Assert.Equal($"{DigestErasure.Replacement} arrested at dawn.", EventItem(digest).GetProperty("text").GetString());
            var text = AllText(digest);
            Assert.DoesNotContain("Mentionname", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Heron", text, StringComparison.Ordinal);
            Assert.DoesNotContain("@[", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_page_of_the_case_list_names_its_mentions_with_one_directory_call_and_a_page_without_any_with_none()
    {
        var admin = App.Admin();
        var first = await RegisterAsync(admin, "Nadia Pageone", null, consent: true, "PUBLIC");
        var second = await RegisterAsync(admin, "Omar Pagetwo", null, consent: true, "PUBLIC");
        await OpenCaseAsync(admin, "Togo: nobody named", "TG", "STAFF");
        var before = App.DisplayNameCalls;
        var plain = (await admin.QueryAsync("{ cases(first: 10) { nodes { title } } }")).GetProperty("cases").GetProperty("nodes");
        Assert.Equal("Togo: nobody named", plain[0].GetProperty("title").GetString());
        Assert.Equal(before, App.DisplayNameCalls); // no mention, no call

        for (var i = 0; i < 4; i++)
        {
            await OpenCaseAsync(admin, $"Case {i}: {TokenOf(i % 2 == 0 ? first : second)} and {TokenOf(first)}", "TG", "STAFF");
        }

        before = App.DisplayNameCalls;
        var titles = (await admin.QueryAsync("{ cases(first: 10) { nodes { title } } }")).GetProperty("cases").GetProperty("nodes")
            .EnumerateArray().Select(n => n.GetProperty("title").GetString()).ToList();
        Assert.Equal(1, App.DisplayNameCalls - before);
        Assert.Contains("Case 1: Omar Pagetwo and Nadia Pageone", titles);
        Assert.Contains("Case 2: Nadia Pageone and Nadia Pageone", titles);
    }

    /// <summary>The platform with the defenders directory counted: how many DisplayNames calls the reads make.</summary>
    private sealed class CountingPlatform : PlatformFactory
    {
        private int _displayNameCalls;

        public int DisplayNameCalls => Volatile.Read(ref _displayNameCalls);

        protected override void ConfigureServices(IServiceCollection services)
        {
            var registered = services.Last(d => d.ServiceType == typeof(IDefenderDirectory));
            services.Remove(registered);
            services.AddSingleton<IDefenderDirectory>(sp => new Counting(
                (IDefenderDirectory)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!), () => Interlocked.Increment(ref _displayNameCalls)));
        }

        private sealed class Counting(IDefenderDirectory inner, Action counted) : IDefenderDirectory
        {
            public Task<IReadOnlyDictionary<Guid, string>> DisplayNamesAsync(IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken)
            {
                counted();
                return inner.DisplayNamesAsync(defenderIds, caller, cancellationToken);
            }

            public Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken) =>
                inner.ExistingAsync(defenderIds, caller, cancellationToken);

            public Task<IReadOnlyDictionary<Guid, object>> ProfilesAsync(IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken) =>
                inner.ProfilesAsync(defenderIds, caller, cancellationToken);

            public Task<IReadOnlyList<Guid>> IdentitiesAsync(Guid defenderId, Caller caller, CancellationToken cancellationToken) =>
                inner.IdentitiesAsync(defenderId, caller, cancellationToken);

            public Task<Guid?> FindByNameAsync(string name, Caller caller, CancellationToken cancellationToken) => inner.FindByNameAsync(name, caller, cancellationToken);

            public Task<IReadOnlyDictionary<Guid, object>> OrganisationsAsync(IReadOnlyCollection<Guid> organisationIds, Caller caller, CancellationToken cancellationToken) =>
                inner.OrganisationsAsync(organisationIds, caller, cancellationToken);

            public Task<IReadOnlyDictionary<Guid, OrganisationInfo>> OrganisationInfoAsync(IReadOnlyCollection<Guid> organisationIds, CancellationToken cancellationToken) =>
                inner.OrganisationInfoAsync(organisationIds, cancellationToken);

            public Task<IReadOnlyList<OrganisationInfo>> NetworkMembersAsync(IReadOnlyCollection<string> countryCodes, CancellationToken cancellationToken) =>
                inner.NetworkMembersAsync(countryCodes, cancellationToken);
        }
    }

    private static JsonElement EventItem(JsonElement digest) =>
        digest.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "CASE_EVENTS").GetProperty("items")[0];

    private static string TokenOf(string defenderId) => $"@[{defenderId}]";

    private static string TokenOf(Guid id) => Mentions.Token("Defender", id);

    private static async Task<string> RegisterAsync(GraphQLClient admin, string name, string? pseudonym, bool consent, string level) =>
        (await admin.QueryAsync(
            "mutation($name: String!, $pseudonym: String, $consent: Boolean!, $level: Confidentiality) { registerDefender(input: { name: $name, pseudonym: $pseudonym, countryCode: \"TG\", consentToPublishName: $consent, confidentiality: $level }) { defender { id } } }",
            new { name, pseudonym, consent, level })).GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;

    /// <summary>The case's line of GET /export/cases (NDJSON) for the admin.</summary>
    private Task<JsonElement> ExportedAsync(string caseId) => ExportedAsync("cases", caseId, PlatformFactory.AdminKey);

    /// <summary>The record's line of GET /export/{name} (NDJSON) for the key.</summary>
    private async Task<JsonElement> ExportedAsync(string name, string recordId, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/export/" + name);
        request.Headers.Add("X-Api-Key", apiKey);
        using var response = await App.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Single(l => l.TryGetProperty("id", out var id) && id.GetString() == recordId);
    }

    /// <summary>The case stream's events as stored (mt_events), read in the database itself.</summary>
    private async Task<string> EventsTextAsync(string caseId)
    {
        GlobalId.TryDecode(caseId, out _, out var id);
        await using var connection = new NpgsqlConnection(App.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select string_agg(data::text, '\n') from omct.mt_events where stream_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
