using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Digests.Reports;
using Xunit;

namespace Omct.Platform.Api.Tests.Digests;

/// <summary>
/// The monthly report's HTML (<see cref="ReportHtml"/>) for known figures: an inline SVG bar chart per table with one
/// bar and one label per row (at most 15), named and described for assistive technology, the table kept, a print
/// stylesheet, and nothing that runs or loads (no script, no handler, no outside resource), even from hostile keys.
/// </summary>
public sealed class ReportHtmlTests
{
    private static readonly DateTimeOffset Generated = new(2026, 10, 1, 5, 0, 0, TimeSpan.Zero);

    private static readonly List<ReportFigure> Figures =
    [
        new("opened_in_month_by_country", "BJ", null, 3),
        new("opened_in_month_by_country", "TG", null, 1),
        new("interventions_issued_in_month_by_type", "URGENT_APPEAL", null, 4),
        new("cases_by_year", "2024", null, 2),
        new("cases_by_year", "2025", null, 6),
        new("cases_by_year", "2026", null, 5),
        new("cases_by_status", "OPEN", null, 9),
        new("cases_by_status", "<script>alert(1)</script>", null, 1),
        new("submissions_by_mechanism_and_status", "UPR", "PLANNED", 1),
        new("submissions_by_mechanism_and_status", "CAT", "SUBMITTED", 2),
        // 20 countries: the chart draws the 15 largest, the table lists all 20.
        .. Enumerable.Range(0, 20).Select(i => new ReportFigure("cases_by_country", ((string[])["BJ", "TG", "GH", "NG", "SN", "ML", "BF", "NE", "CI", "GN", "SL", "LR", "GM", "GW", "CV", "MR", "CM", "TD", "CF", "GA"])[i], null, 40 - i)),
    ];

    private static IDocument Document() =>
        new HtmlParser().ParseDocument(ReportHtml.Render(new DateOnly(2026, 9, 1), Confidentiality.Staff, Generated, Figures));

    [Fact]
    public void Each_table_with_figures_has_an_SVG_bar_chart_with_one_bar_and_label_per_row_and_keeps_its_table()
    {
        var document = Document();
        var charts = document.QuerySelectorAll("svg.chart");
        // Six tables have figures; the two without (events recorded in the month, all events) say "None." and draw nothing.
        Assert.Equal(["opened_in_month_by_country", "interventions_issued_in_month_by_type", "cases_by_country", "cases_by_year", "cases_by_status", "submissions_by_mechanism_and_status"],
            charts.Select(c => c.GetAttribute("data-table")!));
        Assert.Equal(6, document.QuerySelectorAll("table").Length);
        Assert.Equal(2, document.QuerySelectorAll("section").Count(s => s.QuerySelector("p")?.TextContent == "None."));

        var opened = Chart(document, "opened_in_month_by_country");
        Assert.Equal(["Benin (BJ)", "Togo (TG)"], opened.QuerySelectorAll("text.label").Select(t => t.TextContent));
        Assert.Equal(["3", "1"], opened.QuerySelectorAll("text.count").Select(t => t.TextContent));
        // The scale is the largest count: 3 fills the 420 units, 1 a third of them.
        Assert.Equal([420.0, 140.0], opened.QuerySelectorAll("rect.bar").Select(r => double.Parse(r.GetAttribute("width")!, CultureInfo.InvariantCulture)));

        var years = Chart(document, "cases_by_year");
        Assert.Equal(["2025", "2026", "2024"], years.QuerySelectorAll("text.label").Select(t => t.TextContent)); // largest first
        Assert.Equal(["UPR · PLANNED", "CAT · SUBMITTED"], Chart(document, "submissions_by_mechanism_and_status").QuerySelectorAll("text.label").Select(t => t.TextContent).Order(StringComparer.Ordinal).Reverse());

        var countries = Chart(document, "cases_by_country");
        Assert.Equal(15, countries.QuerySelectorAll("rect.bar").Length);
        Assert.Equal(15, countries.QuerySelectorAll("text.label").Length);
        Assert.Equal(20, document.GetElementById("cases_by_country")!.QuerySelectorAll("tbody tr").Length);
        Assert.Contains("15 largest of 20", countries.QuerySelector("desc")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_chart_is_an_image_named_by_its_title_and_described_by_its_figures()
    {
        var document = Document();
        foreach (var chart in document.QuerySelectorAll("svg.chart"))
        {
            Assert.Equal("img", chart.GetAttribute("role"));
            var ids = chart.GetAttribute("aria-labelledby")!.Split(' ');
            Assert.Equal(2, ids.Length);
            Assert.Equal("title", document.GetElementById(ids[0])!.LocalName);
            Assert.Equal("desc", document.GetElementById(ids[1])!.LocalName);
            Assert.Same(chart, document.GetElementById(ids[0])!.ParentElement);
        }

        var opened = Chart(document, "opened_in_month_by_country");
        Assert.Equal("Cases opened in the month, by country", opened.QuerySelector("title")!.TextContent);
        Assert.Contains("Benin (BJ): 3; Togo (TG): 1", opened.QuerySelector("desc")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_has_a_print_stylesheet_and_nothing_that_runs_or_loads()
    {
        var html = ReportHtml.Render(new DateOnly(2026, 9, 1), Confidentiality.Staff, Generated, Figures);
        var document = new HtmlParser().ParseDocument(html);
        var style = Assert.Single(document.QuerySelectorAll("head style")).TextContent;
        var print = style[style.IndexOf("@media print", StringComparison.Ordinal)..];
        Assert.Contains("nav, .screen-only { display: none !important; }", print, StringComparison.Ordinal);
        Assert.Contains("break-before: page", print, StringComparison.Ordinal);
        Assert.Contains("thead { display: table-header-group; }", print, StringComparison.Ordinal);
        Assert.Contains("tr, td, th { break-inside: avoid;", print, StringComparison.Ordinal);
        Assert.Contains("@page", print, StringComparison.Ordinal);
        Assert.Equal(2, document.QuerySelectorAll("section.group-start").Length); // the totals and the submissions start a printed page

        // The hostile key is text, never markup; nothing runs, nothing is fetched.
        Assert.Empty(document.QuerySelectorAll("script, iframe, object, embed, img, link, image, use, foreignObject"));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        var attributes = document.All.SelectMany(e => e.Attributes).ToList();
        Assert.DoesNotContain(attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(attributes, a => a.Name is "src" or "href" or "xlink:href" && !a.Value.StartsWith('#'));
        Assert.DoesNotMatch(new Regex("url\\(|@import", RegexOptions.IgnoreCase), style);
    }

    private static IElement Chart(IDocument document, string table) => document.QuerySelector($"svg.chart[data-table={table}]")!;
}
