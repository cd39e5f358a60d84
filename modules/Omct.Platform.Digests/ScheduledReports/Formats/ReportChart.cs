using System.Globalization;
using System.Text.Json;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.Errors;

namespace Omct.Platform.Digests.ScheduledReports.Formats;

/// <summary>BAR: a value per category, largest first; LINE: a value per date or number, in order; MAP: a value per country (ISO alpha-2 code).</summary>
public enum ReportChartKind { Bar, Line, Map }

/// <summary>
/// A chart over a report's rows: the rows grouped by the column at <see cref="CategoryPath"/>, each group's value the sum
/// of the numeric column at <see cref="ValuePath"/>, or its number of rows when there is none. Both are columns of the table.
/// </summary>
public sealed class ReportChart
{
    public ReportChartKind Kind { get; set; }
    public string TitleEn { get; set; } = "";
    public string? TitleFr { get; set; }
    public string? TitleEs { get; set; }
    public string CategoryPath { get; set; } = "";
    public string? ValuePath { get; set; }

    public string Title(ReportLanguage language) => ReportText.In(language, TitleEn, TitleFr, TitleEs);
}

/// <summary>Checks a definition's charts: a few, each titled, on columns the table shows.</summary>
internal static class ReportCharts
{
    public const int MaxCharts = 6;

    /// <summary>The charts as given, their fields checked on their own (the paths are checked against the columns by <see cref="CheckPaths"/>).</summary>
    public static List<ReportChart> Of(IReadOnlyList<ReportChart> charts) =>
        charts.Count <= MaxCharts
            ? charts.Select((c, i) => new ReportChart
            {
                Kind = Enum.IsDefined(c.Kind) ? c.Kind : throw DomainException.Validation($"charts[{i}].kind", "BAR, LINE or MAP."),
                TitleEn = Input.Required(c.TitleEn, $"charts[{i}].titleEn", 200),
                TitleFr = Input.Optional(c.TitleFr, $"charts[{i}].titleFr", 200),
                TitleEs = Input.Optional(c.TitleEs, $"charts[{i}].titleEs", 200),
                CategoryPath = Input.Required(c.CategoryPath, $"charts[{i}].categoryPath", 300),
                ValuePath = Input.Optional(c.ValuePath, $"charts[{i}].valuePath", 300),
            }).ToList()
            : throw DomainException.Validation("charts", $"At most {MaxCharts} charts.");

    /// <summary>Each chart's category and value are columns of the definition (checked whatever changed: a column taken away takes its charts' ground away).</summary>
    public static void CheckPaths(ReportDefinition definition)
    {
        var columns = definition.Columns.Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < definition.Charts.Count; i++)
        {
            var chart = definition.Charts[i];
            if (!columns.Contains(chart.CategoryPath))
            {
                throw DomainException.Validation($"charts[{i}].categoryPath", $"'{chart.CategoryPath}' is not one of the columns' paths: a chart draws columns of the table.");
            }

            if (chart.ValuePath is { } value && !columns.Contains(value))
            {
                throw DomainException.Validation($"charts[{i}].valuePath", $"'{value}' is not one of the columns' paths: a chart draws columns of the table.");
            }

            if (chart.ValuePath == chart.CategoryPath)
            {
                throw DomainException.Validation($"charts[{i}].valuePath", "The value is another column than the category (none: the rows are counted).");
            }
        }
    }
}

/// <summary>One labelled figure of a chart.</summary>
internal sealed record ChartPoint(string Label, double Value);

/// <summary>
/// A chart's figures, added up while the rows stream through: one entry per category, at most <see cref="MaxCategories"/>
/// (the rows of further categories are added to "other", so memory does not grow with the rows). A BAR shows the
/// <see cref="MaxBars"/> largest and the rest as one bar; a LINE its points in order; a MAP its countries.
/// </summary>
internal sealed class ChartTally(ReportChart chart, int categoryColumn, int? valueColumn)
{
    public const int MaxCategories = 1_000;
    public const int MaxBars = 50;
    public const string OtherLabel = "Other";

    private readonly Dictionary<string, (double Order, double Value)> _categories = new(StringComparer.Ordinal);

    public ReportChart Chart => chart;

    /// <summary>The rows of categories beyond <see cref="MaxCategories"/>, and their total.</summary>
    public long OverflowRows { get; private set; }
    public double Overflow { get; private set; }

    /// <summary>Rows left out: a LINE's category not a date or a number, a MAP's not a country code.</summary>
    public long SkippedRows { get; private set; }

    public static ChartTally For(ReportChart chart, IReadOnlyList<ReportColumn> columns)
    {
        var paths = columns.Select(c => c.Path).ToList();
        var value = chart.ValuePath is { } path ? paths.IndexOf(path) : -1;
        return new ChartTally(chart, paths.IndexOf(chart.CategoryPath), value < 0 ? null : value);
    }

    public void Add(IReadOnlyList<JsonElement?> cells)
    {
        var value = valueColumn is not { } index ? 1
            : cells[index] is { ValueKind: JsonValueKind.Number } number ? number.GetDouble()
            : 0;
        if (Category(categoryColumn < cells.Count ? cells[categoryColumn] : null) is not { } category)
        {
            SkippedRows++;
            return;
        }

        if (_categories.TryGetValue(category.Key, out var found))
        {
            _categories[category.Key] = (found.Order, found.Value + value);
        }
        else if (_categories.Count < MaxCategories)
        {
            _categories[category.Key] = (category.Order, value);
        }
        else
        {
            OverflowRows++;
            Overflow += value;
        }
    }

    /// <summary>The figures to draw: BAR the largest and "other"; LINE in ascending order; MAP by country, largest first.</summary>
    public IReadOnlyList<ChartPoint> Points()
    {
        switch (chart.Kind)
        {
            case ReportChartKind.Line:
                return _categories.OrderBy(c => c.Value.Order).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new ChartPoint(c.Key, c.Value.Value)).ToList();
            case ReportChartKind.Map:
                return _categories.OrderByDescending(c => c.Value.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new ChartPoint(c.Key, c.Value.Value)).ToList();
            default:
                var ranked = _categories.OrderByDescending(c => c.Value.Value).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
                var points = ranked.Take(MaxBars).Select(c => new ChartPoint(c.Key, c.Value.Value)).ToList();
                var rest = ranked.Skip(MaxBars).Sum(c => c.Value.Value) + Overflow;
                if (ranked.Count > MaxBars || OverflowRows > 0)
                {
                    points.Add(new ChartPoint(OtherLabel, rest));
                }

                return points;
        }
    }

    /// <summary>A row's category and its order: BAR its text ("—" for none), LINE a date (its day) or a number, MAP an alpha-2 code; null to leave the row out.</summary>
    private (string Key, double Order)? Category(JsonElement? cell)
    {
        var text = ReportFiles.Text(cell);
        switch (chart.Kind)
        {
            case ReportChartKind.Line:
                if (cell is { ValueKind: JsonValueKind.Number } number)
                {
                    return (number.GetRawText(), number.GetDouble());
                }

                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    return (text!, day.DayNumber);
                }

                return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                    ? (DateOnly.FromDateTime(at.UtcDateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), DateOnly.FromDateTime(at.UtcDateTime).DayNumber)
                    : null;
            case ReportChartKind.Map:
                return Country.TryGet(text, out var country) ? (country.Code, 0) : null;
            default:
                return (string.IsNullOrEmpty(text) ? "—" : text.Length > 200 ? text[..200] : text, 0);
        }
    }

    /// <summary>A figure as the charts and tables write it: whole numbers as such, others with up to two decimals.</summary>
    public static string Format(double value) => value.ToString(value == Math.Floor(value) && Math.Abs(value) < 1e15 ? "0" : "0.##", CultureInfo.InvariantCulture);
}
