using System.Text.Json;
using Omct.Platform.Api.Tests.Cases;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Docs;

/// <summary>
/// The demo data shows the product: every item of the seed page (../shared/seed/omct-homepage.txt)
/// with its links, translations and the item's own publication date, the CIJP members as persons.
/// </summary>
public sealed class DemoDataTests(SeededPlatformFactory platform) : IClassFixture<SeededPlatformFactory>
{
    private static readonly string[] SeedTitles =
    [
        "Call for input on challenges & needs faced by women human rights defenders in Africa",
        "Zimbabwe: Ongoing risks for human rights defenders in the context of political deadlock and pre-electoral period",
        "Philippines: Alarm over attacks on human rights defenders in a climate of pervasive impunity",
        "Belarus: With the one year anniversary of the conviction of Ales Bialiatski, Human Rights Centre \"Viasna\" faces relentless harassment",
        "Togo: Not to torture is a negative obligation",
        "Mexico: The UN Committee Against Torture condemns the practice of torture in Mexico",
        "Colombia: 2nd Universal Periodic Review (UPR): Joint report",
        "Edeliza P. Hernandez: Ten Portraits against Torture and Impunity",
        "Igor Kalyapin: Ten Portraits against Torture and Impunity",
        "Colombia: Intimidation and harassment of several CIJP members",
        "Cameroon: Arbitrary arrest of and judicial harassment against Mr. Nasako Besingi and four SEFE collaborators",
    ];

    [Fact]
    public async Task Every_item_of_the_seed_page_is_a_public_article_published_on_its_own_date()
    {
        var data = await platform.GraphQL().QueryAsync(
            "{ articles(first: 50) { nodes { title confidentiality publishedAt languages } } }");
        var articles = data.GetProperty("articles").GetProperty("nodes").EnumerateArray().ToList();
        var pagePath = Path.Combine(RepositoryRoot.Path, "..", "shared", "seed", "omct-homepage.txt");
        var seedPage = File.Exists(pagePath) ? await File.ReadAllLinesAsync(pagePath) : null; // next to the repository on the project's machines
        foreach (var title in SeedTitles)
        {
            // Each title is on the page (case-insensitive: the page writes the call in capitals; spaces collapsed).
            if (seedPage is not null)
            Assert.Contains(seedPage, line => Squeeze(line).StartsWith(Squeeze(title.Split(':')[0]), StringComparison.OrdinalIgnoreCase)
                                              && Squeeze(line).Contains(Squeeze(title.Split(':').Last().Split(" - ")[0]), StringComparison.OrdinalIgnoreCase));
            var article = Assert.Single(articles, a => a.GetProperty("title").GetString()!.StartsWith(title, StringComparison.Ordinal));
            Assert.Equal("PUBLIC", article.GetProperty("confidentiality").GetString());
            // The item's date (2012–2013), not the moment the demo was loaded.
            var published = DateTimeOffset.Parse(article.GetProperty("publishedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(published, new DateTimeOffset(2012, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2013, 12, 31, 0, 0, 0, TimeSpan.Zero));
        }

        Assert.Equal(SeedTitles.Length, articles.Count);
        var belarus = articles.Single(a => a.GetProperty("title").GetString()!.StartsWith("Belarus", StringComparison.Ordinal));
        Assert.Equal("2012-11-24T08:00:00+00:00", belarus.GetProperty("publishedAt").GetString());
    }

    [Fact]
    public async Task Some_articles_are_translated_into_french_and_spanish_and_found_in_those_languages()
    {
        var data = await platform.GraphQL().QueryAsync(
            "{ es: article(slug: \"zimbabwe-ongoing-risks-for-human-rights-defenders\", language: ES) { language fallback title languages } " +
            "fr: articles(filter: { language: FR, text: \"défenseurs\", kinds: [REPORT] }) { nodes { title language } } " +
            "esSearch: articles(filter: { language: ES, text: \"tortura\" }) { nodes { title } } " +
            "all: articles(first: 50) { nodes { languages } } }");
        var es = data.GetProperty("es");
        Assert.Equal(("ES", false), (es.GetProperty("language").GetString(), es.GetProperty("fallback").GetBoolean()));
        Assert.StartsWith("Zimbabue:", es.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(["EN", "ES", "FR"], es.GetProperty("languages").EnumerateArray().Select(l => l.GetString()).Order());
        var fr = Assert.Single(data.GetProperty("fr").GetProperty("nodes").EnumerateArray());
        Assert.StartsWith("Zimbabwe : risques persistants pour les défenseurs", fr.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains(data.GetProperty("esSearch").GetProperty("nodes").EnumerateArray(),
            a => a.GetProperty("title").GetString()!.StartsWith("México", StringComparison.Ordinal));
        var languages = data.GetProperty("all").GetProperty("nodes").EnumerateArray()
            .SelectMany(a => a.GetProperty("languages").EnumerateArray().Select(x => x.GetString())).ToList();
        Assert.True(languages.Count(x => x == "FR") >= 3, string.Join(",", languages));
        Assert.True(languages.Count(x => x == "ES") >= 4, string.Join(",", languages));
    }

    [Fact]
    public async Task The_links_of_the_seed_page_are_there_both_ways()
    {
        var staff = platform.Admin();
        var data = await staff.QueryAsync(
            "{ submissions { nodes { id mechanism title } } callsForInput { nodes { title question } } " +
            "mexico: article(slug: \"mexico-cat\") { submissions { title } } " +
            "call: article(slug: \"call-for-input-whrd-africa\") { title body } " +
            "philippines: article(slug: \"philippines-ffm\") { defenders { name } countries { code } } " +
            "zimbabwe: article(slug: \"zimbabwe-ongoing-risks-for-human-rights-defenders\") { body countries { code } themes } }");
        // The Mexico CAT review and its statement.
        Assert.Equal("Mexico: Alternative report to the Committee against Torture",
            Assert.Single(data.GetProperty("mexico").GetProperty("submissions").EnumerateArray()).GetProperty("title").GetString());
        var cat = data.GetProperty("submissions").GetProperty("nodes").EnumerateArray().Single(s => s.GetProperty("mechanism").GetString() == "CAT");
        var statements = await staff.QueryAsync("query($s: ID!) { articles(filter: { submissionId: $s }) { nodes { title } } }",
            new { s = cat.GetProperty("id").GetString() });
        Assert.StartsWith("Mexico: The UN Committee Against Torture",
            Assert.Single(statements.GetProperty("articles").GetProperty("nodes").EnumerateArray()).GetProperty("title").GetString(), StringComparison.Ordinal);
        // The call for input and its article name each other.
        var call = Assert.Single(data.GetProperty("callsForInput").GetProperty("nodes").EnumerateArray());
        Assert.Contains("call-for-input-whrd-africa", call.GetProperty("question").GetString(), StringComparison.Ordinal);
        Assert.Contains(call.GetProperty("title").GetString()!, data.GetProperty("call").GetProperty("body").GetString(), StringComparison.Ordinal);
        // The two fact-finding reports, with the seed page's text.
        Assert.Equal("Edeliza P. Hernandez", data.GetProperty("philippines").GetProperty("defenders")[0].GetProperty("name").GetString());
        Assert.Contains("collusion between security forces and the Zanu-PF", data.GetProperty("zimbabwe").GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal("ZW", data.GetProperty("zimbabwe").GetProperty("countries")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_cijp_members_are_persons_on_the_colombian_case()
    {
        const string query = "{ caseByReference(reference: \"COL 001 / 0213 / OBS 002\") { victims { name confidentiality defender { name pseudonym } } events { type victims { id } } } }";
        var staff = (await platform.Admin().QueryAsync(query)).GetProperty("caseByReference");
        var victims = staff.GetProperty("victims").EnumerateArray().ToList();
        Assert.Equal(3, victims.Count);
        Assert.Equal("María Eugenia Díaz", victims[0].GetProperty("defender").GetProperty("name").GetString());
        Assert.Equal(["Jorge Luis Cárdenas", "Luz Marina Ospina"], victims.Skip(1).Select(v => v.GetProperty("name").GetString()));
        Assert.DoesNotContain(victims, v => v.GetProperty("name").GetString() == "CIJP members");
        Assert.Equal(3, staff.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "INTIMIDATION").GetProperty("victims").GetArrayLength());

        // The public sees the accompanier under her pseudonym, the others not at all.
        var anonymous = (await platform.GraphQL().QueryAsync(query)).GetProperty("caseByReference");
        var seen = Assert.Single(anonymous.GetProperty("victims").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("defender").GetProperty("name").ValueKind);
        Assert.Equal("CIJP accompanier", seen.GetProperty("defender").GetProperty("pseudonym").GetString());
    }

    /// <summary>Whitespace runs (the page has no-break spaces after the colons) as one space, typographic quotes as plain ones.</summary>
    private static string Squeeze(string s) =>
        System.Text.RegularExpressions.Regex.Replace(s, @"\s+", " ").Replace('“', '"').Replace('”', '"').Trim();
}

/// <summary>The host with <c>Omct:DemoSize = large</c>, as <c>build/run.sh --demo-size large</c> starts it.</summary>
public sealed class LargeDemoPlatformFactory : PlatformFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:SeedDemoData"] = "true", ["Omct:DemoSize"] = "large",
    };
}

public sealed class LargeDemoDataTests(LargeDemoPlatformFactory platform) : IClassFixture<LargeDemoPlatformFactory>
{
    [Fact]
    public async Task The_large_demo_has_thousands_of_cases_over_years_and_countries()
    {
        var data = await platform.Admin().QueryAsync(
            "{ caseCount years: caseStatistics(groupBy: YEAR) { key count } countries: caseStatistics(groupBy: COUNTRY) { key count } " +
            "statuses: caseStatistics(groupBy: STATUS) { key count } types: caseStatistics(groupBy: EVENT_TYPE) { key count } " +
            "cameroon: caseByReference(reference: \"CMR 001 / 0313 / OBS 001\") { title } }");
        Assert.Equal(5_003, data.GetProperty("caseCount").GetInt32()); // the seed page's 3 and 5,000 generated
        var years = data.GetProperty("years").EnumerateArray().Select(y => y.GetProperty("key").GetString()).ToList();
        Assert.True(years.Count >= 14, string.Join(",", years));
        Assert.True(data.GetProperty("countries").GetArrayLength() >= 30);
        Assert.Equal(3, data.GetProperty("statuses").GetArrayLength());
        Assert.True(data.GetProperty("types").GetArrayLength() >= 15);
        Assert.Contains("Nasako Besingi", data.GetProperty("cameroon").GetProperty("title").GetString(), StringComparison.Ordinal);
        // Some of them confidential: the public sees fewer.
        var publicCount = (await platform.GraphQL().QueryAsync("{ caseCount }")).GetProperty("caseCount").GetInt32();
        Assert.InRange(publicCount, 4_000, 4_700);
        // Written in well under a minute, on a shared machine (the seeder logs how long it took).
        var written = Assert.Single(platform.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Large demo:", StringComparison.Ordinal));
        Assert.Equal(5_000, ((Serilog.Events.ScalarValue)written.Properties["Written"]).Value);
        var seconds = (double)((Serilog.Events.ScalarValue)written.Properties["Seconds"]).Value!;
        Assert.True(seconds < 45, $"the large demo took {seconds:0.0} s");
    }

    [Fact]
    public async Task Seeding_the_large_demo_again_writes_nothing()
    {
        var before = await Scalar(platform.ConnectionString, "select count(*) from omct.mt_events");
        var titles = await Scalar(platform.ConnectionString, "select md5(string_agg(data->>'Title', '|' order by data->>'Reference')) from omct.mt_doc_cases_case");
        await using (var again = new LargeDemoNode(platform.ConnectionString))
        {
            await again.InitializeAsync();
        }

        Assert.Equal(before, await Scalar(platform.ConnectionString, "select count(*) from omct.mt_events"));
        Assert.Equal(titles, await Scalar(platform.ConnectionString, "select md5(string_agg(data->>'Title', '|' order by data->>'Reference')) from omct.mt_doc_cases_case"));
    }

    private static async Task<object?> Scalar(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private sealed class LargeDemoNode(string connectionString) : PlatformFactory(connectionString)
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Omct:SeedDemoData"] = "true", ["Omct:DemoSize"] = "large",
        };
    }
}
