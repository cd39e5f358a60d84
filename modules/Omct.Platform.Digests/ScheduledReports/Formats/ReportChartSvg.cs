using System.Globalization;
using System.Net;
using System.Text;
using Omct.Platform.BuildingBlocks.Countries;

namespace Omct.Platform.Digests.ScheduledReports.Formats;

/// <summary>
/// A chart as inline SVG: no script, no outside resource, text labels for every figure it draws, and an image to assistive
/// technology named by its <c>&lt;title&gt;</c> and described by its <c>&lt;desc&gt;</c> (the figures in words).
/// BAR: horizontal bars, largest first. LINE: the points joined in order, every point labelled when there are few.
/// MAP: not a geographic map but a tile grid, one block per continent (UN geoscheme) with a square per country,
/// shaded by its value and labelled with its code, then the countries with a value ranked as bars.
/// </summary>
internal static class ReportChartSvg
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly Region[] Continents = [Region.Americas, Region.Europe, Region.Africa, Region.Asia, Region.Oceania];

    /// <summary>The chart <paramref name="index"/> of a report (ids in the page are unique by it).</summary>
    public static string Render(ChartTally tally, int index, ReportLanguage language)
    {
        var chart = tally.Chart;
        var points = tally.Points();
        var title = chart.Title(language);
        var id = $"chart-{index}";
        var notes = new List<string>();
        if (tally.OverflowRows > 0 && chart.Kind != ReportChartKind.Bar)
        {
            notes.Add($"{tally.OverflowRows.ToString(Inv)} rows of categories beyond the first {ChartTally.MaxCategories.ToString(Inv)} are not drawn.");
        }

        if (tally.SkippedRows > 0)
        {
            notes.Add(chart.Kind == ReportChartKind.Map
                ? $"{tally.SkippedRows.ToString(Inv)} rows without a country code are not drawn."
                : $"{tally.SkippedRows.ToString(Inv)} rows whose category is not a date or a number are not drawn.");
        }

        if (points.Count == 0)
        {
            return $"<figure class=\"chart\" id=\"{id}\"><figcaption>{WebUtility.HtmlEncode(title)}</figcaption><p class=\"note\">No rows to draw.</p></figure>";
        }

        var kind = chart.Kind switch { ReportChartKind.Line => "Line chart", ReportChartKind.Map => "Map by country (a tile grid by continent)", _ => "Bar chart" };
        var desc = $"{kind}. " + string.Join("; ", points.Take(60).Select(p => $"{Label(chart.Kind, p.Label)}: {ChartTally.Format(p.Value)}"))
                   + (points.Count > 60 ? $"; and {points.Count - 60} more." : ".") + (notes.Count > 0 ? " " + string.Join(" ", notes) : "");
        var svg = chart.Kind switch
        {
            ReportChartKind.Line => Line(points),
            ReportChartKind.Map => Map(points),
            _ => Bars(points.Select(p => p with { Label = Label(chart.Kind, p.Label) }).ToList()),
        };
        var html = new StringBuilder();
        html.Append("<figure class=\"chart ").Append(chart.Kind.ToString().ToLowerInvariant()).Append("\" id=\"").Append(id).Append("\">")
            .Append("<figcaption>").Append(WebUtility.HtmlEncode(title)).Append("</figcaption>")
            .Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 ").Append(svg.Width.ToString(Inv)).Append(' ').Append(svg.Height.ToString(Inv))
            .Append("\" width=\"").Append(svg.Width.ToString(Inv)).Append("\" height=\"").Append(svg.Height.ToString(Inv))
            .Append("\" aria-labelledby=\"").Append(id).Append("-title ").Append(id).Append("-desc\">")
            .Append("<title id=\"").Append(id).Append("-title\">").Append(WebUtility.HtmlEncode(title)).Append("</title>")
            .Append("<desc id=\"").Append(id).Append("-desc\">").Append(WebUtility.HtmlEncode(desc)).Append("</desc>")
            .Append(svg.Body)
            .Append("</svg>");
        foreach (var note in notes)
        {
            html.Append("<p class=\"note\">").Append(WebUtility.HtmlEncode(note)).Append("</p>");
        }

        if (chart.Kind == ReportChartKind.Map)
        {
            html.Append(Bars(points.Take(ChartTally.MaxBars).Select(p => p with { Label = Label(chart.Kind, p.Label) }).ToList()).Svg(id + "-ranked", title));
        }

        return html.Append("</figure>").ToString();
    }

    /// <summary>A country's name with its code; any other category as it is.</summary>
    private static string Label(ReportChartKind kind, string category) =>
        kind == ReportChartKind.Map && Country.TryGet(category, out var country) ? $"{country.Name} ({country.Code})" : category;

    private sealed record Drawing(int Width, int Height, string Body)
    {
        /// <summary>The drawing as an SVG of its own, for a chart's second part (the ranked countries of a map).</summary>
        public string Svg(string id, string title) =>
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {Width.ToString(Inv)} {Height.ToString(Inv)}\" width=\"{Width.ToString(Inv)}\" "
            + $"height=\"{Height.ToString(Inv)}\" aria-labelledby=\"{id}-title\"><title id=\"{id}-title\">{WebUtility.HtmlEncode(title)}: the countries ranked</title>{Body}</svg>";
    }

    private static Drawing Bars(List<ChartPoint> points)
    {
        const int labelWidth = 230, area = 400, valueWidth = 80, barHeight = 18, gap = 6, top = 6;
        var max = Math.Max(points.Max(p => Math.Abs(p.Value)), 1e-9);
        var height = top * 2 + points.Count * (barHeight + gap);
        var body = new StringBuilder();
        body.Append("<line class=\"axis\" x1=\"").Append(labelWidth).Append("\" y1=\"0\" x2=\"").Append(labelWidth).Append("\" y2=\"").Append(height).Append("\"/>");
        for (var i = 0; i < points.Count; i++)
        {
            var (label, value) = points[i];
            var y = top + i * (barHeight + gap);
            var length = value <= 0 ? 0 : Math.Max(1.0, value / max * area);
            body.Append("<g class=\"bar\"><text class=\"label\" x=\"").Append(labelWidth - 6).Append("\" y=\"").Append(y + barHeight - 5).Append("\" text-anchor=\"end\">")
                .Append(WebUtility.HtmlEncode(label.Length > 36 ? label[..35] + "…" : label)).Append("</text>")
                .Append("<rect x=\"").Append(labelWidth).Append("\" y=\"").Append(y).Append("\" width=\"").Append(length.ToString("0.##", Inv))
                .Append("\" height=\"").Append(barHeight).Append("\" fill=\"#1c5d99\"/>")
                .Append("<text class=\"value\" x=\"").Append((labelWidth + length + 4).ToString("0.##", Inv)).Append("\" y=\"").Append(y + barHeight - 5).Append("\">")
                .Append(ChartTally.Format(value)).Append("</text></g>");
        }

        return new Drawing(labelWidth + area + valueWidth, height, body.ToString());
    }

    private static Drawing Line(IReadOnlyList<ChartPoint> points)
    {
        const int left = 60, right = 30, top = 20, plot = 240, bottom = 50, width = 720;
        var max = Math.Max(points.Max(p => p.Value), 0);
        var min = Math.Min(points.Min(p => p.Value), 0);
        var span = max - min <= 0 ? 1 : max - min;
        var step = points.Count == 1 ? 0 : (double)(width - left - right) / (points.Count - 1);
        double X(int i) => points.Count == 1 ? left + (width - left - right) / 2.0 : left + i * step;
        double Y(double v) => top + plot - (v - min) / span * plot;
        var body = new StringBuilder();
        body.Append("<line class=\"axis\" x1=\"").Append(left).Append("\" y1=\"").Append(top).Append("\" x2=\"").Append(left).Append("\" y2=\"").Append(top + plot).Append("\"/>")
            .Append("<line class=\"axis\" x1=\"").Append(left).Append("\" y1=\"").Append(Y(0).ToString("0.##", Inv)).Append("\" x2=\"").Append(width - right)
            .Append("\" y2=\"").Append(Y(0).ToString("0.##", Inv)).Append("\"/>");
        foreach (var tick in new[] { min, max }.Distinct())
        {
            body.Append("<text class=\"tick\" x=\"").Append(left - 6).Append("\" y=\"").Append((Y(tick) + 4).ToString("0.##", Inv)).Append("\" text-anchor=\"end\">")
                .Append(ChartTally.Format(tick)).Append("</text>");
        }

        body.Append("<polyline fill=\"none\" stroke=\"#1c5d99\" stroke-width=\"2\" points=\"")
            .AppendJoin(' ', points.Select((p, i) => X(i).ToString("0.##", Inv) + "," + Y(p.Value).ToString("0.##", Inv))).Append("\"/>");
        // Every point's value when there are few; the x labels, at most about 8 of them, always the first and the last.
        var every = Math.Max(1, (int)Math.Ceiling(points.Count / 8.0));
        for (var i = 0; i < points.Count; i++)
        {
            var (label, value) = points[i];
            var x = X(i).ToString("0.##", Inv);
            body.Append("<circle cx=\"").Append(x).Append("\" cy=\"").Append(Y(value).ToString("0.##", Inv)).Append("\" r=\"3\" fill=\"#1c5d99\"/>");
            if (points.Count <= 31)
            {
                body.Append("<text class=\"value\" x=\"").Append(x).Append("\" y=\"").Append((Y(value) - 7).ToString("0.##", Inv)).Append("\" text-anchor=\"middle\">")
                    .Append(ChartTally.Format(value)).Append("</text>");
            }

            if (i % every == 0 || i == points.Count - 1)
            {
                body.Append("<text class=\"label\" x=\"").Append(x).Append("\" y=\"").Append(top + plot + 18).Append("\" text-anchor=\"middle\">")
                    .Append(WebUtility.HtmlEncode(label)).Append("</text>");
            }
        }

        return new Drawing(width, top + plot + bottom, body.ToString());
    }

    private static Drawing Map(IReadOnlyList<ChartPoint> points)
    {
        const int tile = 28, columns = 6, gap = 14, head = 20;
        var values = points.ToDictionary(p => p.Label, p => p.Value, StringComparer.Ordinal);
        var max = Math.Max(points.Max(p => p.Value), 1e-9);
        var body = new StringBuilder();
        var tallest = 0;
        for (var block = 0; block < Continents.Length; block++)
        {
            var countries = Country.All.Where(c => c.Region == Continents[block]).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            var x0 = block * (columns * tile + gap);
            body.Append("<text class=\"label\" x=\"").Append(x0).Append("\" y=\"14\">").Append(Continents[block]).Append("</text>");
            for (var i = 0; i < countries.Count; i++)
            {
                var country = countries[i];
                var x = x0 + i % columns * tile;
                var y = head + i / columns * tile;
                var has = values.TryGetValue(country.Code, out var value);
                // Five shades of the bar colour from the smallest share to the largest; a country without rows stays pale.
                var shade = has ? Math.Clamp((int)Math.Ceiling(value / max * 5), 1, 5) : 0;
                var fill = shade switch { 0 => "#eef2f6", 1 => "#c6d7ea", 2 => "#94b4d6", 3 => "#5f8fbf", 4 => "#3a73aa", _ => "#1c5d99" };
                body.Append("<g class=\"tile\"><title>").Append(WebUtility.HtmlEncode(country.Name)).Append(" (").Append(country.Code).Append(')')
                    .Append(has ? ": " + ChartTally.Format(value) : "").Append("</title>")
                    .Append("<rect x=\"").Append(x).Append("\" y=\"").Append(y).Append("\" width=\"").Append(tile - 2).Append("\" height=\"").Append(tile - 2)
                    .Append("\" fill=\"").Append(fill).Append("\"/>")
                    .Append("<text class=\"code\" x=\"").Append(x + (tile - 2) / 2).Append("\" y=\"").Append(y + 17).Append("\" text-anchor=\"middle\" fill=\"")
                    .Append(shade >= 3 ? "#fff" : "#1a1a1a").Append("\">").Append(country.Code).Append("</text></g>");
                tallest = Math.Max(tallest, y + tile);
            }
        }

        return new Drawing(Continents.Length * (columns * tile + gap) - gap, tallest + 4, body.ToString());
    }
}
