using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Omct.Platform.Testing;
using UglyToad.PdfPig;
using Xunit;
using static Omct.Platform.Api.Tests.Reports.ReportKit;

namespace Omct.Platform.Api.Tests.Reports;

/// <summary>A host on a shared database that prints PDFs with the Chromium at <paramref name="chromium"/> and at most <paramref name="pdfMaxRows"/> rows.</summary>
public sealed class PdfReportNode(string connectionString, string chromium, int pdfMaxRows = 10_000) : PlatformFactory(connectionString)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:Reports:ChromiumPath"] = chromium,
        ["Omct:Reports:PdfMaxRows"] = pdfMaxRows.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>Issue 24: a definition's charts (bar, line, map by country) as inline SVG in the HTML and as tables in the XLSX, and its PDF printed by Debian's Chromium.</summary>
public sealed partial class ReportFormatTests : IAsyncLifetime
{
    private const string Query =
        "query($after: String) { cases(filter: { countries: [\"UY\", \"AR\", \"BR\"] }, first: 2, after: $after) { " +
        "pageInfo { hasNextPage endCursor } nodes { reference title openedOn country { code } } } }";

    private static readonly string Chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Charts_are_inline_svg_in_the_html_tables_in_the_xlsx_and_the_pdf_printed_by_chromium_says_where_its_cut_rows_are()
    {
        Assert.True(File.Exists(Chromium), $"Chromium is missing at {Chromium}: apt-get install -y chromium (.ci/run does).");
        await using var host = new PdfReportNode(_database.ConnectionString, Chromium, pdfMaxRows: 4);
        await host.InitializeAsync();
        var admin = host.Admin();
        var references = new List<string>();
        foreach (var (country, day) in new[] { ("UY", "2026-11-02"), ("UY", "2026-11-02"), ("UY", "2026-11-05"), ("AR", "2026-11-05"), ("AR", "2026-11-09"), ("BR", "2026-11-09") })
        {
            references.Add(await OpenAsync(admin, country, day));
        }

        var id = await CreateAsync(admin, Definition(["CSV", "XLSX", "HTML", "PDF"]));
        var run = (await admin.QueryAsync(RunNow, new { id })).GetProperty("runReportNow").GetProperty("reportRun");
        Assert.True(run.GetProperty("status").GetString() == "SUCCEEDED", run.ToString());
        Assert.Equal(6, run.GetProperty("rows").GetInt32());
        Assert.Equal(4, run.GetProperty("files").GetArrayLength());
        var http = host.CreateClient();

        // The HTML: a figure per chart, each an inline SVG with its title and description, every figure written as text; no script.
        using (var response = await GetAsync(http, FileUrl(run, ".html"), PlatformFactory.AdminKey))
        {
            var page = await response.Content.ReadAsStringAsync();
            Assert.Equal(3, FigureCount().Count(page));
            Assert.Equal(4, SvgCount().Count(page)); // the map is its tile grid and its ranked countries
            Assert.DoesNotContain("<script", page, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("http://", page.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains("<title id=\"chart-1-title\">Dossiers par pays</title>", page, StringComparison.Ordinal);
            Assert.Equal(
                [("UY", "3"), ("AR", "2"), ("BR", "1")],
                Bars().Matches(page[page.IndexOf("id=\"chart-1\"", StringComparison.Ordinal)..page.IndexOf("id=\"chart-2\"", StringComparison.Ordinal)])
                    .Select(m => (m.Groups["label"].Value, m.Groups["value"].Value)));
            Assert.Contains("Line chart. 2026-11-02: 2; 2026-11-05: 2; 2026-11-09: 2.", page, StringComparison.Ordinal);
            Assert.Contains("<title>Uruguay (UY): 3</title>", page, StringComparison.Ordinal);
            Assert.Contains("<title>Chile (CL)</title>", page, StringComparison.Ordinal); // a country without rows: a pale tile, no value
            Assert.Contains("@media print{@page{size:A4", page, StringComparison.Ordinal);
            Assert.Contains("thead{display:table-header-group}", page, StringComparison.Ordinal);
            Assert.All(references, r => Assert.Contains($"<td>{r}</td>", page, StringComparison.Ordinal));
            Assert.DoesNotContain("This PDF shows", page, StringComparison.Ordinal);
        }

        // The XLSX: the table, then a sheet with each chart's figures.
        using (var response = await GetAsync(http, FileUrl(run, ".xlsx"), PlatformFactory.AdminKey))
        {
            var charts = ReadSheet(await response.Content.ReadAsByteArrayAsync(), "Charts");
            Assert.Equal(["Dossiers par pays"], charts[0]);
            Assert.Equal([["UY", "3"], ["AR", "2"], ["BR", "1"]], charts.Skip(1).Take(3));
        }

        // The PDF, read back: title, French headings, the first 4 rows only and where the rest is.
        using (var response = await GetAsync(http, FileUrl(run, ".pdf"), PlatformFactory.AdminKey))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            var text = PdfText(await response.Content.ReadAsByteArrayAsync());
            Assert.Contains(Squeeze("Cases by country, by day and on the map"), text, StringComparison.Ordinal);
            Assert.Contains(Squeeze("Référence"), text, StringComparison.Ordinal);
            Assert.Contains(Squeeze("Ouvert le"), text, StringComparison.Ordinal);
            Assert.Contains(Squeeze("Dossiers par pays"), text, StringComparison.Ordinal);
            Assert.True(text.Contains(Squeeze("This PDF shows the first 4 of 6 rows (the charts count them all). The whole table is in this run's CSV or XLSX file."),
                StringComparison.Ordinal), text);
            Assert.Equal(4, references.Count(r => text.Contains(Squeeze(r), StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Charts_must_draw_the_definitions_columns_and_be_few()
    {
        await using var host = new PdfReportNode(_database.ConnectionString, Chromium);
        await host.InitializeAsync();
        var admin = host.Admin();
        var notAColumn = await admin.PostAsync(Create, new { input = Definition(["HTML"], new { kind = "BAR", titleEn = "By status", categoryPath = "status" }) });
        Assert.Equal(("VALIDATION", "charts[0].categoryPath"), (notAColumn.ErrorCode, notAColumn.ErrorField));
        var value = await admin.PostAsync(Create, new { input = Definition(["HTML"], new { kind = "LINE", titleEn = "Sum", categoryPath = "openedOn", valuePath = "victims.count" }) });
        Assert.Equal(("VALIDATION", "charts[0].valuePath"), (value.ErrorCode, value.ErrorField));
        var untitled = await admin.PostAsync(Create, new { input = Definition(["HTML"], new { kind = "MAP", titleEn = " ", categoryPath = "country.code" }) });
        Assert.Equal(("VALIDATION", "charts[0].titleEn"), (untitled.ErrorCode, untitled.ErrorField));
        var many = await admin.PostAsync(Create, new
        {
            input = Definition(["HTML"], Enumerable.Range(0, 7).Select(i => new { kind = "BAR", titleEn = $"Chart {i}", categoryPath = "country.code" }).ToArray()),
        });
        Assert.Equal(("VALIDATION", "charts"), (many.ErrorCode, many.ErrorField));

        // A column taken away by an update takes its chart's ground away: refused, the definition unchanged.
        var id = await CreateAsync(admin, Definition(["HTML"]));
        var update = await admin.PostAsync("mutation($input: UpdateReportDefinitionInput!) { updateReportDefinition(input: $input) { reportDefinition { version } } }",
            new { input = new { reportDefinitionId = id, columns = new[] { new { path = "reference", headingEn = "Reference" } } } });
        Assert.Equal(("VALIDATION", "charts[0].categoryPath"), (update.ErrorCode, update.ErrorField));
        var stored = (await admin.QueryAsync("query($id: ID!) { reportDefinition(id: $id) { version charts { kind titleEn titleFr categoryPath valuePath } } }", new { id }))
            .GetProperty("reportDefinition");
        Assert.Equal(1, stored.GetProperty("version").GetInt32());
        Assert.Equal(["BAR", "LINE", "MAP"], stored.GetProperty("charts").EnumerateArray().Select(c => c.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Without_chromium_the_pdf_format_is_refused_at_create_and_a_run_fails_with_no_file()
    {
        await using var printing = new PdfReportNode(_database.ConnectionString, Chromium);
        await printing.InitializeAsync();
        await using var without = new PdfReportNode(_database.ConnectionString, "/nonexistent/chromium");
        await without.InitializeAsync();
        await OpenAsync(printing.Admin(), "UY", "2026-11-02");

        var refused = await without.Admin().PostAsync(Create, new { input = Definition(["CSV", "PDF"]) });
        Assert.Equal(("VALIDATION", "formats"), (refused.ErrorCode, refused.ErrorField));
        Assert.Contains("Omct:Reports:ChromiumPath", refused.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("/nonexistent", refused.Raw, StringComparison.Ordinal);

        // A definition made where Chromium was, run where it is gone: the run fails with the same words and keeps no file, not even its CSV.
        var id = await CreateAsync(printing.Admin(), Definition(["CSV", "PDF"]));
        var run = (await without.Admin().QueryAsync(RunNow, new { id })).GetProperty("runReportNow").GetProperty("reportRun");
        Assert.Equal("RETRYING", run.GetProperty("status").GetString());
        Assert.Contains("Omct:Reports:ChromiumPath", run.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, run.GetProperty("files").GetArrayLength());
    }

    private static object Definition(string[] formats, params object[]? charts) => new
    {
        name = "Cases by country, by day and on the map",
        query = Query,
        listPath = "cases.nodes",
        columns = ReportColumns,
        language = "FR",
        formats,
        confidentiality = "STAFF",
        charts = charts is { Length: > 0 }
            ? charts
            : new object[]
            {
                new { kind = "BAR", titleEn = "Cases by country", titleFr = "Dossiers par pays", categoryPath = "country.code" },
                new { kind = "LINE", titleEn = "Cases by day opened", categoryPath = "openedOn" },
                new { kind = "MAP", titleEn = "Where the cases are", titleFr = "Où sont les dossiers", categoryPath = "country.code" },
            },
    };

    private static async Task<string> OpenAsync(GraphQLClient admin, string country, string openedOn) =>
        (await admin.QueryAsync("mutation($country: CountryCode!, $openedOn: Date!) { openCase(input: { title: \"A case\", countryCode: $country, openedOn: $openedOn }) { case { reference } } }",
            new { country, openedOn })).GetProperty("openCase").GetProperty("case").GetProperty("reference").GetString()!;

    /// <summary>The PDF's text without white space (how a PDF spaces its words is its own affair) and with its ligatures as letters.</summary>
    private static string PdfText(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return Squeeze(string.Concat(document.GetPages().Select(p => p.Text)).Normalize(System.Text.NormalizationForm.FormKC)); // "ﬁ" is "fi"
    }

    private static string Squeeze(string text) => WhiteSpace().Replace(text, "");

    private static List<string[]> ReadSheet(byte[] bytes, string name)
    {
        using var stream = new MemoryStream(bytes);
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
        return part.Worksheet.GetFirstChild<SheetData>()!.Elements<Row>()
            .Select(r => r.Elements<Cell>().Select(c => c.DataType?.Value == CellValues.InlineString ? c.InlineString!.Text!.Text : c.CellValue?.Text ?? "").ToArray())
            .ToList();
    }

    [GeneratedRegex("<figure class=\"chart ")]
    private static partial Regex FigureCount();

    [GeneratedRegex("<svg ")]
    private static partial Regex SvgCount();

    [GeneratedRegex("<g class=\"bar\"><text class=\"label\"[^>]*>(?<label>[^<]*)</text><rect [^>]*/><text class=\"value\"[^>]*>(?<value>[^<]*)</text></g>")]
    private static partial Regex Bars();

    [GeneratedRegex("\\s+")]
    private static partial Regex WhiteSpace();
}
