using System.Globalization;
using System.Net;
using System.Text;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.Rendering;

namespace Omct.Platform.Digests.Reports;

/// <summary>
/// The HTML of a monthly report: one page that reads well on screen, when mailed and when printed. Each table of
/// figures is a server-drawn SVG bar chart (no script, no outside resource; <c>role="img"</c> with a
/// <c>&lt;title&gt;</c> and a <c>&lt;desc&gt;</c>) followed by its table (Markdown rendered by the platform's one
/// renderer), under a stylesheet with a print part (<c>@media print</c>: no contents list, a page break before each
/// table group, headers repeated, rows not split).
/// </summary>
internal static class ReportHtml
{
    /// <summary>How many bars a chart draws at most (the largest; the table lists every row).</summary>
    public const int MaxBars = 15;

    /// <summary>The report's tables, in order: id, heading, the name of the key column.</summary>
    public static readonly IReadOnlyList<(string Table, string Title, string Key)> Tables =
    [
        ("opened_in_month_by_country", "Cases opened in the month, by country", "Country"),
        ("events_recorded_in_month_by_type", "Case events recorded in the month, by type", "Type"),
        ("interventions_issued_in_month_by_type", "Interventions issued in the month, by type", "Type"),
        ("cases_by_country", "All cases, by country", "Country"),
        ("cases_by_year", "All cases, by year opened", "Year"),
        ("cases_by_status", "All cases, by status", "Status"),
        ("events_by_type", "All case events, by type", "Type"),
        ("submissions_by_mechanism_and_status", "Submissions, by mechanism and status", "Mechanism"),
    ];

    private const string Style =
        """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1a1a1a; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
        h1 { font-size: 1.6rem; margin-bottom: .25rem; }
        h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #c9d3de; padding-bottom: .25rem; }
        nav ol { columns: 2; padding-left: 1.25rem; }
        a { color: #1c5d99; }
        table { border-collapse: collapse; margin: .75rem 0; min-width: 24rem; }
        th, td { border: 1px solid #c9d3de; padding: .3rem .6rem; text-align: left; }
        th { background: #eef2f6; }
        td:last-child, th:last-child { text-align: right; font-variant-numeric: tabular-nums; }
        svg.chart { display: block; width: 100%; max-width: 44rem; height: auto; margin: .5rem 0; }
        svg.chart .bar { fill: #1c5d99; }
        svg.chart text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: #1a1a1a; }
        svg.chart .axis { stroke: #8a99a8; stroke-width: 1; }
        .note { color: #4a5560; font-size: .9rem; }
        @media print {
          @page { size: A4; margin: 16mm 14mm; }
          body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; color: #000; }
          nav, .screen-only { display: none !important; }
          a { color: #000; text-decoration: none; }
          section.figures { break-inside: avoid-page; page-break-inside: avoid; }
          section.figures.long { break-inside: auto; page-break-inside: auto; }
          section.group-start { break-before: page; page-break-before: always; }
          h2 { break-after: avoid-page; page-break-after: avoid; }
          svg.chart { break-inside: avoid; page-break-inside: avoid; max-width: 100%; }
          svg.chart .bar { fill: #333; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
          table { width: 100%; font-size: 9.5pt; }
          thead { display: table-header-group; }
          tr, td, th { break-inside: avoid; page-break-inside: avoid; }
          th { background: #eee; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
        }
        """;

    public static string Render(DateOnly month, Confidentiality clearance, DateTimeOffset generatedAt, IReadOnlyList<ReportFigure> figures)
    {
        var title = $"OMCT monthly report, {month:yyyy-MM}";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");

        var header = new StringBuilder();
        header.Append("# ").Append(MarkdownText.Escape(title)).Append("\n\n_Clearance: ").Append(clearance.ToString().ToUpperInvariant())
            .Append(". Generated ").Append(MarkdownText.Escape(generatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append(" UTC._\n");
        html.Append("<header>").Append(MarkdownRenderer.ToHtml(header.ToString())).Append("</header>");

        // A contents list for the screen (links within the page); printing leaves it out.
        html.Append("<nav aria-label=\"Contents\"><ol>");
        foreach (var (table, heading, _) in Tables)
        {
            html.Append("<li><a href=\"#").Append(table).Append("\">").Append(WebUtility.HtmlEncode(heading)).Append("</a></li>");
        }

        html.Append("</ol></nav><main>");
        foreach (var (table, heading, key) in Tables)
        {
            var rows = figures.Where(f => f.Table == table).ToList();
            // The month's own work, then the totals, then the submissions: each group starts a printed page.
            var groupStart = table is "cases_by_country" or "submissions_by_mechanism_and_status";
            var classes = "figures" + (groupStart ? " group-start" : "") + (rows.Count > 25 ? " long" : "");
            html.Append("<section class=\"").Append(classes).Append("\" id=\"").Append(table).Append("\" aria-labelledby=\"").Append(table).Append("-heading\">")
                .Append("<h2 id=\"").Append(table).Append("-heading\">").Append(WebUtility.HtmlEncode(heading)).Append("</h2>");
            if (rows.Count == 0)
            {
                html.Append("<p>None.</p></section>");
                continue;
            }

            var labelled = rows.Select(r => (Label: Label(table, r), r.Count)).ToList();
            html.Append(BarChart(table, heading, labelled));
            html.Append(MarkdownRenderer.ToHtml(TableMarkdown(table, key, rows)));
            html.Append("</section>");
        }

        return html.Append("</main></body></html>").ToString();
    }

    /// <summary>A row's label: a country's name and code, a mechanism with the status, else the key.</summary>
    public static string Label(string table, ReportFigure figure)
    {
        var key = table.Contains("country", StringComparison.Ordinal) && Country.TryGet(figure.Key, out var country) ? $"{country.Name} ({figure.Key})" : figure.Key;
        return figure.SubKey is null ? key : $"{key} · {figure.SubKey}";
    }

    private static string TableMarkdown(string table, string key, IReadOnlyList<ReportFigure> rows)
    {
        var md = new StringBuilder();
        var sub = rows.Any(r => r.SubKey is not null);
        md.Append("| ").Append(key).Append(sub ? " | Status" : "").Append(" | Count |\n|---").Append(sub ? "|---" : "").Append("|---:|\n");
        foreach (var r in rows)
        {
            var label = table.Contains("country", StringComparison.Ordinal) && Country.TryGet(r.Key, out var country) ? $"{country.Name} ({r.Key})" : r.Key;
            md.Append("| ").Append(MarkdownText.Escape(label)).Append(sub ? " | " + MarkdownText.Escape(r.SubKey) : "")
                .Append(" | ").Append(r.Count.ToString(CultureInfo.InvariantCulture)).Append(" |\n");
        }

        return md.ToString();
    }

    /// <summary>
    /// Horizontal bars, largest first (at most <see cref="MaxBars"/>), each with its label on the left and its count at
    /// its end; the scale is the largest count. An image to assistive technology, named by its title and described by
    /// its desc (the table after it holds every number).
    /// </summary>
    private static string BarChart(string table, string heading, List<(string Label, long Count)> rows)
    {
        const int labelWidth = 220, barArea = 420, countWidth = 60, barHeight = 18, gap = 6, top = 8;
        var shown = rows.OrderByDescending(r => r.Count).Take(MaxBars).ToList();
        var max = Math.Max(1, shown.Max(r => r.Count));
        var height = top * 2 + shown.Count * (barHeight + gap);
        var width = labelWidth + barArea + countWidth;
        var inv = CultureInfo.InvariantCulture;
        var desc = rows.Count > shown.Count
            ? $"Bar chart of the {shown.Count} largest of {rows.Count} rows; the table below lists them all. "
            : "Bar chart; the table below lists the same figures. ";
        desc += string.Join("; ", shown.Select(r => $"{r.Label}: {r.Count.ToString(inv)}")) + ".";

        var svg = new StringBuilder();
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" data-table=\"").Append(table)
            .Append("\" viewBox=\"0 0 ").Append(width.ToString(inv)).Append(' ').Append(height.ToString(inv))
            .Append("\" width=\"").Append(width.ToString(inv)).Append("\" height=\"").Append(height.ToString(inv))
            .Append("\" aria-labelledby=\"").Append(table).Append("-chart-title ").Append(table).Append("-chart-desc\">")
            .Append("<title id=\"").Append(table).Append("-chart-title\">").Append(WebUtility.HtmlEncode(heading)).Append("</title>")
            .Append("<desc id=\"").Append(table).Append("-chart-desc\">").Append(WebUtility.HtmlEncode(desc)).Append("</desc>")
            .Append("<line class=\"axis\" x1=\"").Append(labelWidth.ToString(inv)).Append("\" y1=\"0\" x2=\"").Append(labelWidth.ToString(inv))
            .Append("\" y2=\"").Append(height.ToString(inv)).Append("\"/>");
        for (var i = 0; i < shown.Count; i++)
        {
            var (label, count) = shown[i];
            var y = top + i * (barHeight + gap);
            var length = count == 0 ? 0 : Math.Max(1.0, (double)count / max * barArea);
            var text = label.Length > 34 ? label[..33] + "…" : label;
            svg.Append("<g class=\"row\">")
                .Append("<text class=\"label\" x=\"").Append((labelWidth - 6).ToString(inv)).Append("\" y=\"").Append((y + barHeight - 5).ToString(inv))
                .Append("\" text-anchor=\"end\">").Append(WebUtility.HtmlEncode(text)).Append("</text>")
                .Append("<rect class=\"bar\" x=\"").Append(labelWidth.ToString(inv)).Append("\" y=\"").Append(y.ToString(inv))
                .Append("\" width=\"").Append(length.ToString("0.##", inv)).Append("\" height=\"").Append(barHeight.ToString(inv)).Append("\" fill=\"#1c5d99\"/>")
                .Append("<text class=\"count\" x=\"").Append((labelWidth + length + 4).ToString("0.##", inv)).Append("\" y=\"").Append((y + barHeight - 5).ToString(inv))
                .Append("\">").Append(count.ToString(inv)).Append("</text>")
                .Append("</g>");
        }

        return svg.Append("</svg>").ToString();
    }
}
