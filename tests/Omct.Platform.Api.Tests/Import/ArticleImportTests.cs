using System.Net;
using System.Text;
using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Import;

/// <summary>
/// ARTICLE import end to end through GraphQL against PostgreSQL: a dry run, a real run of articles of the past (published
/// on their original date, archived), the same file again, a corrected row, the EDITOR role and clearance per row, and the
/// round trip of the platform's own NDJSON export into an empty platform.
/// </summary>
public sealed class ArticleImportTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private readonly ImportKit _kit = ImportKit.InMemory(platform);

    private const string ArticleFields = "title kind status language publishedAt confidentiality slug body bodyHtml themes countries { code } version";

    private static readonly Dictionary<string, string> Columns = new()
    {
        ["kind"] = "kind", ["lang"] = "language", ["title"] = "title", ["teaser"] = "summary", ["text"] = "body", ["countries"] = "countryCodes",
        ["themes"] = "themes", ["level"] = "confidentiality", ["published"] = "publishedAt", ["status"] = "status",
    };

    private static readonly string[] Header = ["key", "kind", "lang", "title", "teaser", "text", "countries", "themes", "level", "published", "status"];

    private static string[][] Rows(string p) =>
    [
        [$"{p}1", "PRESS_RELEASE", "EN", $"{p}: Cameroon, lawyers arrested", "Teaser", "**Bold** <script>alert(1)</script>", "CM", "Lawyers;detention", "PUBLIC",
            "2013-03-21T10:00:00Z", ""],
        [$"{p}2", "STATEMENT", "FR", $"{p}: Tunisie", "", "Un texte.", "TN", "", "", "", ""],
        [$"{p}3", "REPORT", "EN", $"{p}: Belarus report", "", "Report body.", "BY", "", "NETWORK", "2011-08-04", "ARCHIVED"],
    ];

    private static byte[] File(IEnumerable<string[]> rows) => ImportKit.Csv(new[] { Header }.Concat(rows));

    private Task<Dictionary<string, JsonElement>> ArticlesAsync(string prefix, GraphQLClient? client = null) =>
        _kit.ByTitleAsync("articles", ArticleFields, prefix, client);

    [Fact]
    public async Task A_dry_run_names_the_bad_rows_line_column_and_message_and_writes_nothing()
    {
        await _kit.SaveMappingAsync("dry-articles", "ARTICLE", "key", Columns);
        var rows = Rows("Dry").Append(["Dry4", "STATEMENT", "XX", "Dry: bad language", "", "Text.", "", "", "", "", ""])
            .Append(["Dry5", "STATEMENT", "EN", "Dry: in the future", "", "Text.", "", "", "", "2999-01-01", ""])
            .Append(["Dry6", "STATEMENT", "EN", "Dry: a bad country", "", "Text.", "CO;XX", "", "", "", ""]);
        var before = await _kit.WrittenAsync();

        var run = await _kit.ImportAsync(File(rows), "articles.csv", "dry-articles", dryRun: true);

        Assert.Equal(("SUCCEEDED", 3L, 3L), (run.GetProperty("status").GetString(), run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));
        Assert.Equal([(5L, "lang", "Not one of EN, FR, ES."), (6L, "published", "An original publication date is in the past (to publish later, schedule with publishAt)."),
                (7L, "countries (item 2)", "'XX' is not an ISO 3166-1 alpha-2 country code.")],
            await _kit.ProblemsAsync(run.GetProperty("id").GetString()!));
        Assert.Equal(before, await _kit.WrittenAsync());
        Assert.Empty(await ArticlesAsync("Dry"));
    }

    [Fact]
    public async Task Articles_of_the_past_import_published_on_their_original_date_once_and_a_corrected_row_updates_its_article()
    {
        await _kit.SaveMappingAsync("real-articles", "ARTICLE", "key", Columns);
        var run = await _kit.ImportAsync(File(Rows("Real")), "articles.csv", "real-articles", dryRun: false);
        Assert.Equal((3L, 0L), (run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));

        var articles = await ArticlesAsync("Real");
        var cameroon = articles["Real: Cameroon, lawyers arrested"];
        Assert.Equal(("PRESS_RELEASE", "PUBLISHED", "PUBLIC", "EN"),
            (cameroon.GetProperty("kind").GetString(), cameroon.GetProperty("status").GetString(), cameroon.GetProperty("confidentiality").GetString(), cameroon.GetProperty("language").GetString()));
        Assert.Equal(new DateTimeOffset(2013, 3, 21, 10, 0, 0, TimeSpan.Zero), cameroon.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.Equal("real-cameroon-lawyers-arrested", cameroon.GetProperty("slug").GetString());
        Assert.Equal(["lawyers", "detention"], cameroon.GetProperty("themes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["CM"], cameroon.GetProperty("countries").EnumerateArray().Select(c => c.GetProperty("code").GetString()));
        // The body is kept as written and rendered as the API renders it: the script is shown as text, never run.
        Assert.Equal("**Bold** <script>alert(1)</script>", cameroon.GetProperty("body").GetString());
        Assert.Contains("<strong>Bold</strong>", cameroon.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", cameroon.GetProperty("bodyHtml").GetString(), StringComparison.Ordinal);
        var tunisie = articles["Real: Tunisie"];
        Assert.Equal(("DRAFT", "STAFF", "FR", JsonValueKind.Null), (tunisie.GetProperty("status").GetString(), tunisie.GetProperty("confidentiality").GetString(),
            tunisie.GetProperty("language").GetString(), tunisie.GetProperty("publishedAt").ValueKind));
        var belarus = articles["Real: Belarus report"];
        Assert.Equal(("ARCHIVED", "NETWORK"), (belarus.GetProperty("status").GetString(), belarus.GetProperty("confidentiality").GetString()));
        Assert.Equal(new DateTimeOffset(2011, 8, 4, 0, 0, 0, TimeSpan.Zero), belarus.GetProperty("publishedAt").GetDateTimeOffset());

        // The same file again writes nothing.
        var written = await _kit.WrittenAsync();
        var again = await _kit.ImportAsync(File(Rows("Real")), "articles.csv", "real-articles", dryRun: false);
        Assert.Equal((0L, 3L), (again.GetProperty("created").GetInt64(), again.GetProperty("unchanged").GetInt64()));
        Assert.Equal(written, await _kit.WrittenAsync());

        // A corrected row corrects its article (title, original date, a theme); a change of kind has no update command.
        var corrected = Rows("Real");
        corrected[0] = [.. corrected[0]];
        corrected[0][3] = "Real: Cameroon, lawyers arrested in Yaoundé";
        corrected[0][7] = "lawyers";
        corrected[0][9] = "2013-03-22T08:00:00+01:00";
        corrected[1] = [.. corrected[1]];
        corrected[1][1] = "REPORT";
        var third = await _kit.ImportAsync(File(corrected), "articles.csv", "real-articles", dryRun: false);
        Assert.Equal((0L, 1L, 1L, 1L), (third.GetProperty("created").GetInt64(), third.GetProperty("changed").GetInt64(),
            third.GetProperty("changedNotApplied").GetInt64(), third.GetProperty("unchanged").GetInt64()));
        articles = await ArticlesAsync("Real");
        Assert.Equal(3, articles.Count);
        var fixedUp = articles["Real: Cameroon, lawyers arrested in Yaoundé"];
        Assert.Equal(new DateTimeOffset(2013, 3, 22, 7, 0, 0, TimeSpan.Zero), fixedUp.GetProperty("publishedAt").GetDateTimeOffset());
        Assert.Equal(["lawyers"], fixedUp.GetProperty("themes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("real-cameroon-lawyers-arrested", fixedUp.GetProperty("slug").GetString()); // a published article's slug stays
        Assert.Equal("STATEMENT", articles["Real: Tunisie"].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Articles_are_imported_by_an_editor_within_its_clearance()
    {
        var editor = await _kit.KeyAsync("EDITOR", "STAFF");
        await _kit.SaveMappingAsync("editor-articles", "ARTICLE", "key", Columns, key: editor);
        var rows = new[]
        {
            new[] { "E1", "STATEMENT", "EN", "Clear: staff level", "", "Text.", "", "", "", "", "" },
            ["E2", "STATEMENT", "EN", "Clear: restricted", "", "Text.", "", "", "RESTRICTED", "", ""],
        };
        var run = await _kit.ImportAsync(File(rows), "articles.csv", "editor-articles", dryRun: false, key: editor);
        Assert.Equal((1L, 1L), (run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));
        var error = Assert.Single(await _kit.ErrorsAsync(run.GetProperty("id").GetString()!, editor));
        Assert.Equal((3L, "level"), (error.GetProperty("line").GetInt64(), error.GetProperty("column").GetString()));
        Assert.Equal(["Clear: staff level"], (await ArticlesAsync("Clear")).Keys);

        // STAFF may import, not articles: the draftArticle mutation is an editor's.
        var staff = await _kit.KeyAsync("STAFF", "RESTRICTED");
        await _kit.SaveMappingAsync("staff-articles", "ARTICLE", "key", Columns, key: staff);
        var refused = await _kit.ImportAsync(File(rows.Take(1)), "articles.csv", "staff-articles", dryRun: false, key: staff);
        Assert.Equal((0L, 1L), (refused.GetProperty("created").GetInt64(), refused.GetProperty("errorRows").GetInt64()));
        Assert.Equal("Articles are imported by an EDITOR (as draftArticle is called).",
            Assert.Single(await _kit.ErrorsAsync(refused.GetProperty("id").GetString()!, staff)).GetProperty("message").GetString());
        Assert.Single(await ArticlesAsync("Clear"));
    }

    [Fact]
    public async Task The_ndjson_export_of_articles_imports_into_an_empty_platform_as_the_same_articles()
    {
        await _kit.SaveMappingAsync("trip-source", "ARTICLE", "key", Columns);
        var rows = Rows("Trip").Append(["Trip4", "EVENT", "ES", "Trip: Bogotá, \"quoted\"; with a semicolon", "Línea uno,\nlínea dos.", "# Título\n\n- uno, dos\n- tres", "CO;PE", "eventos", "STAFF", "2015-02-28T18:30:00-05:00", "UNPUBLISHED"]);
        var source = await _kit.ImportAsync(File(rows), "articles.csv", "trip-source", dryRun: false);
        Assert.True(source.GetProperty("errorRows").GetInt64() == 0, string.Join("\n", (await _kit.ErrorsAsync(source.GetProperty("id").GetString()!)).Select(e => e.ToString())));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/export/articles?format=ndjson");
        request.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        using var response = await platform.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var export = Records(await response.Content.ReadAsByteArrayAsync());

        await using var empty = new PlatformFactory();
        await ((IAsyncLifetime)empty).InitializeAsync();
        try
        {
            var kit = ImportKit.InMemory(empty);
            await kit.SaveMappingAsync("trip-articles", "ARTICLE", "id", new Dictionary<string, string>
            {
                ["kind"] = "kind", ["language"] = "language", ["title"] = "title", ["summary"] = "summary", ["body"] = "body", ["slug"] = "slug",
                ["countries"] = "countryCodes", ["themes"] = "themes", ["confidentiality"] = "confidentiality", ["publishedAt"] = "publishedAt", ["status"] = "status",
            });
            var run = await kit.ImportAsync(export, "articles.ndjson", "trip-articles", dryRun: false);
            Assert.True(run.GetProperty("errorRows").GetInt64() == 0, string.Join("\n", (await kit.ErrorsAsync(run.GetProperty("id").GetString()!)).Select(e => e.ToString())));

            var before = await AllAsync(platform.Admin());
            Assert.Contains(before, a => a.Contains("Trip: Bogot", StringComparison.Ordinal) && a.Contains("UNPUBLISHED", StringComparison.Ordinal));
            Assert.Equal(before.Count, run.GetProperty("created").GetInt64());
            Assert.Equal(before, await AllAsync(empty.Admin()));
        }
        finally
        {
            await ((IAsyncLifetime)empty).DisposeAsync();
        }

        static async Task<List<string>> AllAsync(GraphQLClient client) =>
            (await client.QueryAsync("{ articles(first: 100) { nodes { title kind status language publishedAt confidentiality slug summary body bodyHtml themes countries { code } } } }"))
            .GetProperty("articles").GetProperty("nodes").EnumerateArray().Select(a => a.ToString()).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The records of an NDJSON export: its last line (the feed cursor, which says the export is complete) is not a record.</summary>
    internal static byte[] Records(byte[] ndjson) =>
        Encoding.UTF8.GetBytes(string.Join("\n", Encoding.UTF8.GetString(ndjson).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("{\"feedCursor\"", StringComparison.Ordinal))) + "\n");
}
