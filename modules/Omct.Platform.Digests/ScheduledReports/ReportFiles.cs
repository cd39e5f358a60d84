using System.Net;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Omct.Platform.BuildingBlocks.Text;

namespace Omct.Platform.Digests.ScheduledReports;

/// <summary>
/// The files of one run, written row by row as the pages of the answer arrive (nothing keeps every row): CSV with the
/// platform's formula-safe cells, XLSX through the Open XML SDK's forward-only writer (inline strings: nothing is
/// ever read as a formula), and an HTML table with a print stylesheet. Each goes to a temporary file.
/// </summary>
internal sealed class ReportFiles : IAsyncDisposable
{
    private readonly List<Writer> _writers = [];

    public ReportFiles(ReportDefinition definition, string title)
    {
        var headings = definition.Columns.Select(c => c.Heading(definition.Language)).ToList();
        var baseName = FileBase(definition.Name);
        foreach (var format in definition.Formats.Distinct().Order())
        {
            _writers.Add(format switch
            {
                ReportFormat.Csv => new CsvWriter(baseName + ".csv", headings),
                ReportFormat.Xlsx => new XlsxWriter(baseName + ".xlsx", headings),
                _ => new HtmlWriter(baseName + ".html", headings, title),
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

        Rows++;
    }

    /// <summary>Ends every file; their names, content types and temporary paths.</summary>
    public IReadOnlyList<(string Name, string ContentType, string Path)> Finish()
    {
        foreach (var writer in _writers)
        {
            writer.Finish();
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

        public virtual void Dispose()
        {
            try
            {
                File.Delete(Path);
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
        private bool _finished;

        public XlsxWriter(string name, IReadOnlyList<string> headings) : base(name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        {
            _document = SpreadsheetDocument.Create(Path, SpreadsheetDocumentType.Workbook);
            var workbook = _document.AddWorkbookPart();
            _sheet = workbook.AddNewPart<WorksheetPart>();
            _out = OpenXmlWriter.Create(_sheet);
            _out.WriteStartElement(new Worksheet());
            _out.WriteStartElement(new SheetData());
            Row(headings.Select(h => (JsonElement?)JsonSerializer.SerializeToElement(h)).ToList());
        }

        public override void Add(IReadOnlyList<JsonElement?> cells) => Row(cells);

        private void Row(IReadOnlyList<JsonElement?> cells)
        {
            _out.WriteStartElement(new Row());
            foreach (var cell in cells)
            {
                if (cell is { ValueKind: JsonValueKind.Number } number)
                {
                    _out.WriteElement(new Cell { DataType = CellValues.Number, CellValue = new CellValue(number.GetRawText()) });
                }
                else
                {
                    _out.WriteElement(new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(Text(cell) ?? "")) });
                }
            }

            _out.WriteEndElement();
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
            workbook.Workbook = new Workbook(new Sheets(new Sheet { Id = workbook.GetIdOfPart(_sheet), SheetId = 1, Name = "Report" }));
            workbook.Workbook.Save();
            _document.Dispose();
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

    private sealed class HtmlWriter : Writer
    {
        private const string Style =
            "body{font-family:system-ui,sans-serif;margin:2rem;color:#111}h1{font-size:1.3rem}table{border-collapse:collapse;width:100%;font-size:.9rem}" +
            "th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f2}" +
            "@media print{body{margin:0}thead{display:table-header-group}tr{page-break-inside:avoid}th{background:#fff;border-bottom:2px solid #000}}";

        private readonly StreamWriter _out;

        public HtmlWriter(string name, IReadOnlyList<string> headings, string title) : base(name, "text/html; charset=utf-8")
        {
            _out = new StreamWriter(Path, false, new UTF8Encoding(false));
            _out.Write($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title><style>{Style}</style></head><body>");
            _out.Write($"<h1>{WebUtility.HtmlEncode(title)}</h1><table><thead><tr>");
            foreach (var heading in headings)
            {
                _out.Write($"<th>{WebUtility.HtmlEncode(heading)}</th>");
            }

            _out.Write("</tr></thead><tbody>");
        }

        public override void Add(IReadOnlyList<JsonElement?> cells)
        {
            _out.Write("<tr>");
            foreach (var cell in cells)
            {
                _out.Write($"<td>{WebUtility.HtmlEncode(Text(cell) ?? "")}</td>");
            }

            _out.Write("</tr>");
        }

        public override void Finish()
        {
            _out.Write("</tbody></table></body></html>");
            _out.Dispose();
        }

        public override void Dispose()
        {
            _out.Dispose();
            base.Dispose();
        }
    }
}
