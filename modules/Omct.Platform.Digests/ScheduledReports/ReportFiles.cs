using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Omct.Platform.BuildingBlocks.Text;
using Omct.Platform.Digests.ScheduledReports.Formats;

namespace Omct.Platform.Digests.ScheduledReports;

/// <summary>
/// The files of one run, written row by row as the pages of the answer arrive (nothing keeps every row): CSV with the
/// platform's formula-safe cells, XLSX through the Open XML SDK's forward-only writer (inline strings: nothing is
/// ever read as a formula; a second sheet with each chart's figures), an HTML page (its charts as inline SVG, the table,
/// a print stylesheet) and a PDF (that page, its first <see cref="ReportPdfPrinter.MaxRows"/> rows, printed by Chromium).
/// The charts' figures are added up as the rows pass (<see cref="ChartTally"/>). Each file goes to a temporary file.
/// </summary>
internal sealed class ReportFiles : IAsyncDisposable
{
    private readonly List<Writer> _writers = [];
    private readonly List<ChartTally> _charts;

    public ReportFiles(ReportDefinition definition, string title, ReportPdfPrinter pdf)
    {
        var headings = definition.Columns.Select(c => c.Heading(definition.Language)).ToList();
        var baseName = FileBase(definition.Name);
        _charts = definition.Charts.Select(c => ChartTally.For(c, definition.Columns)).ToList();
        var page = new HtmlPage(title, headings, definition.Language, _charts);
        foreach (var format in definition.Formats.Distinct().Order())
        {
            _writers.Add(format switch
            {
                ReportFormat.Csv => new CsvWriter(baseName + ".csv", headings),
                ReportFormat.Xlsx => new XlsxWriter(baseName + ".xlsx", headings, definition.Language, _charts),
                ReportFormat.Pdf => new PdfWriter(baseName + ".pdf", page, pdf, definition.Formats.Any(f => f is ReportFormat.Csv or ReportFormat.Xlsx)),
                _ => new HtmlWriter(baseName + ".html", page),
            });
        }
    }

    public int Rows { get; private set; }

    public void Add(IReadOnlyList<JsonElement?> cells)
    {
        foreach (var writer in _writers)
        {
            writer.Add(cells);
        }

        foreach (var chart in _charts)
        {
            chart.Add(cells);
        }

        Rows++;
    }

    /// <summary>Ends every file (a PDF is printed now: when that fails, it throws and no file is kept); their names, content types and temporary paths.</summary>
    public async Task<IReadOnlyList<(string Name, string ContentType, string Path)>> FinishAsync(CancellationToken ct)
    {
        foreach (var writer in _writers)
        {
            await writer.FinishAsync(ct);
        }

        return _writers.Select(w => (w.Name, w.ContentType, w.Path)).ToList();
    }

    public ValueTask DisposeAsync()
    {
        foreach (var writer in _writers)
        {
            writer.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A file name from the definition's name: letters and digits, the rest a dash.</summary>
    public static string FileBase(string name)
    {
        var text = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        while (text.Contains("--", StringComparison.Ordinal))
        {
            text = text.Replace("--", "-", StringComparison.Ordinal);
        }

        return text.Length == 0 ? "report" : text.Length > 60 ? text[..60] : text;
    }

    /// <summary>A cell's text: a string as it is, a number in invariant form, true/false, a list joined by "; ", nothing for null.</summary>
    public static string? Text(JsonElement? cell) => cell switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } c => c.GetString(),
        { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        { ValueKind: JsonValueKind.Array } c => string.Join("; ", c.EnumerateArray().Select(e => Text(e))),
        { } c => c.GetRawText(),
    };

    private abstract class Writer(string name, string contentType) : IDisposable
    {
        public string Name => name;
        public string ContentType => contentType;
        public string Path { get; } = System.IO.Path.GetTempFileName();

        public abstract void Add(IReadOnlyList<JsonElement?> cells);
        public abstract void Finish();

        public virtual Task FinishAsync(CancellationToken ct)
        {
            Finish();
            return Task.CompletedTask;
        }

        public virtual void Dispose() => Delete(Path);

        protected static void Delete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // A temporary file left behind is the system's to clean.
            }
        }
    }

    private sealed class CsvWriter : Writer
    {
        private readonly StreamWriter _out;

        public CsvWriter(string name, IReadOnlyList<string> headings) : base(name, "text/csv; charset=utf-8")
        {
            _out = new StreamWriter(Path, false, new UTF8Encoding(false));
            _out.Write(new StringBuilder().Line(headings.ToArray()));
        }

        public override void Add(IReadOnlyList<JsonElement?> cells) => _out.Write(new StringBuilder().Line(cells.Select(Text).ToArray()));

        public override void Finish() => _out.Dispose();

        public override void Dispose()
        {
            _out.Dispose();
            base.Dispose();
        }
    }

    private sealed class XlsxWriter : Writer
    {
        private readonly SpreadsheetDocument _document;
        private readonly WorksheetPart _sheet;
        private readonly OpenXmlWriter _out;
        private readonly ReportLanguage _language;
        private readonly IReadOnlyList<ChartTally> _charts;
        private bool _finished;

        public XlsxWriter(string name, IReadOnlyList<string> headings, ReportLanguage language, IReadOnlyList<ChartTally> charts)
            : base(name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        {
            _language = language;
            _charts = charts;
            _document = SpreadsheetDocument.Create(Path, SpreadsheetDocumentType.Workbook);
            var workbook = _document.AddWorkbookPart();
            _sheet = workbook.AddNewPart<WorksheetPart>();
            _out = OpenXmlWriter.Create(_sheet);
            _out.WriteStartElement(new Worksheet());
            _out.WriteStartElement(new SheetData());
            Row(headings.Select(h => (JsonElement?)JsonSerializer.SerializeToElement(h)).ToList());
        }

        public override void Add(IReadOnlyList<JsonElement?> cells) => Row(cells);

        private void Row(IReadOnlyList<JsonElement?> cells) => Row(_out, cells);

        private static void Row(OpenXmlWriter writer, IReadOnlyList<JsonElement?> cells)
        {
            writer.WriteStartElement(new Row());
            foreach (var cell in cells)
            {
                if (cell is { ValueKind: JsonValueKind.Number } number)
                {
                    writer.WriteElement(new Cell { DataType = CellValues.Number, CellValue = new CellValue(number.GetRawText()) });
                }
                else
                {
                    writer.WriteElement(new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(Text(cell) ?? "")) });
                }
            }

            writer.WriteEndElement();
        }

        public override void Finish()
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            _out.WriteEndElement();
            _out.WriteEndElement();
            _out.Close();
            var workbook = _document.WorkbookPart!;
            var sheets = new Sheets(new Sheet { Id = workbook.GetIdOfPart(_sheet), SheetId = 1, Name = "Report" });
            if (_charts.Count > 0)
            {
                sheets.Append(new Sheet { Id = workbook.GetIdOfPart(ChartsSheet(workbook)), SheetId = 2, Name = "Charts" });
            }

            workbook.Workbook = new Workbook(sheets);
            workbook.Workbook.Save();
            _document.Dispose();
        }

        /// <summary>Each chart's figures as a small table: its title, then a category and its value a row, then an empty row.</summary>
        private WorksheetPart ChartsSheet(WorkbookPart workbook)
        {
            var part = workbook.AddNewPart<WorksheetPart>();
            using var writer = OpenXmlWriter.Create(part);
            writer.WriteStartElement(new Worksheet());
            writer.WriteStartElement(new SheetData());
            foreach (var chart in _charts)
            {
                Row(writer, [JsonSerializer.SerializeToElement(chart.Chart.Title(_language))]);
                foreach (var point in chart.Points())
                {
                    Row(writer, [JsonSerializer.SerializeToElement(point.Label), JsonSerializer.SerializeToElement(point.Value)]);
                }

                Row(writer, []);
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.Close();
            return part;
        }

        public override void Dispose()
        {
            if (!_finished)
            {
                _out.Dispose();
                _document.Dispose();
                _finished = true;
            }

            base.Dispose();
        }
    }

    /// <summary>
    /// The page the HTML and the PDF share: its title, a note when its table is cut, each chart as inline SVG, the table
    /// (its rows copied in from where they were written as they came), under a stylesheet whose print part sets A4 pages,
    /// repeats the table's header on each page and never splits a row or a chart.
    /// </summary>
    private sealed class HtmlPage(string title, IReadOnlyList<string> headings, ReportLanguage language, IReadOnlyList<ChartTally> charts)
    {
        private const string Style =
            "body{font-family:system-ui,sans-serif;margin:2rem;color:#111}h1{font-size:1.3rem}table{border-collapse:collapse;width:100%;font-size:.9rem}" +
            "th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f2}" +
            ".note{color:#444;font-size:.9rem}figure.chart{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}" +
            "figure.chart svg{display:block;max-width:100%;height:auto}figure.chart text{font:12px system-ui,sans-serif;fill:#1a1a1a}" +
            "figure.chart text.code{font-size:9px}figure.chart .axis{stroke:#8a99a8;stroke-width:1}" +
            "@media print{@page{size:A4;margin:15mm 12mm}body{margin:0;font-size:10pt}table{font-size:9pt}thead{display:table-header-group}" +
            "tr,td,th{break-inside:avoid;page-break-inside:avoid}figure.chart{break-inside:avoid;page-break-inside:avoid}" +
            "th{background:#fff;border-bottom:2px solid #000}figure.chart rect{print-color-adjust:exact;-webkit-print-color-adjust:exact}}";

        public void Start(TextWriter html, string? note)
        {
            var lang = language.ToString().ToLowerInvariant();
            html.Write($"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title><style>{Style}</style></head><body>");
            html.Write($"<h1>{WebUtility.HtmlEncode(title)}</h1>");
            if (note is not null)
            {
                html.Write($"<p class=\"note\" id=\"cut\">{WebUtility.HtmlEncode(note)}</p>");
            }

            for (var i = 0; i < charts.Count; i++)
            {
                html.Write(ReportChartSvg.Render(charts[i], i + 1, language));
            }

            html.Write("<table><thead><tr>");
            foreach (var heading in headings)
            {
                html.Write($"<th>{WebUtility.HtmlEncode(heading)}</th>");
            }

            html.Write("</tr></thead><tbody>");
        }

        public static void Row(TextWriter html, IReadOnlyList<JsonElement?> cells)
        {
            html.Write("<tr>");
            foreach (var cell in cells)
            {
                html.Write($"<td>{WebUtility.HtmlEncode(Text(cell) ?? "")}</td>");
            }

            html.Write("</tr>");
        }

        public static void End(TextWriter html, string? note)
        {
            html.Write("</tbody></table>");
            if (note is not null)
            {
                html.Write($"<p class=\"note\">{WebUtility.HtmlEncode(note)}</p>");
            }

            html.Write("</body></html>");
        }
    }

    /// <summary>The HTML page: the rows go to a file of their own as they come (at most <paramref name="cap"/>), and the page is put together at the end, when the charts are known.</summary>
    private class HtmlWriter(string name, HtmlPage page, string contentType = "text/html; charset=utf-8", int? cap = null) : Writer(name, contentType)
    {
        private readonly string _rowsPath = System.IO.Path.GetTempFileName();
        private StreamWriter? _rows;

        protected int Total { get; private set; }
        protected int? Cap => cap;

        /// <summary>Where the page goes: this file's path (a PDF's page goes to a file of its own).</summary>
        protected virtual string PagePath => Path;

        /// <summary>What the page says when its table is cut.</summary>
        protected virtual string? Note => null;

        public override void Add(IReadOnlyList<JsonElement?> cells)
        {
            Total++;
            if (Total <= (cap ?? int.MaxValue))
            {
                _rows ??= new StreamWriter(_rowsPath, false, new UTF8Encoding(false));
                HtmlPage.Row(_rows, cells);
            }
        }

        public override void Finish()
        {
            _rows?.Dispose();
            using var html = new StreamWriter(PagePath, false, new UTF8Encoding(false));
            var note = Note;
            page.Start(html, note);
            html.Flush();
            if (_rows is not null)
            {
                using var rows = File.OpenRead(_rowsPath);
                rows.CopyTo(html.BaseStream);
            }

            HtmlPage.End(html, note);
        }

        public override void Dispose()
        {
            _rows?.Dispose();
            Delete(_rowsPath);
            base.Dispose();
        }
    }

    /// <summary>The page printed by Chromium, with at most its printer's rows (saying where the rest is); until it is printed, the PDF's file is empty and not kept.</summary>
    private sealed class PdfWriter(string name, HtmlPage page, ReportPdfPrinter printer, bool whole)
        : HtmlWriter(name, page, "application/pdf", printer.MaxRows)
    {
        private readonly string _page = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"omct-report-{Guid.NewGuid():N}.html");

        protected override string PagePath => _page;

        protected override string? Note => Total > Cap
            ? string.Create(CultureInfo.InvariantCulture, $"This PDF shows the first {Cap:N0} of {Total:N0} rows (the charts count them all). ") +
              (whole ? "The whole table is in this run's CSV or XLSX file." : "Add the CSV or XLSX format to the report to have the whole table.")
            : null;

        public override async Task FinishAsync(CancellationToken ct)
        {
            Finish();
            await printer.PrintAsync(_page, Path, ct);
        }

        public override void Dispose()
        {
            Delete(_page);
            base.Dispose();
        }
    }
}
