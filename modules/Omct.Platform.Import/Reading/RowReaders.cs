using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using CsvHelper;
using ExcelDataReader;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Text;

namespace Omct.Platform.Import.Reading;

/// <summary>The formats an import file may have.</summary>
public enum ImportFormat
{
    /// <summary>
    /// Comma, semicolon, tab or pipe separated (detected), UTF-8, a header row. A cell the platform's exports defused with
    /// a leading <c>'</c> (<see cref="CsvText.Undefused"/>) is read without it, in CSV and XLSX alike.
    /// </summary>
    Csv,
    /// <summary>The first worksheet of an Excel workbook, a header row.</summary>
    Xlsx,
    /// <summary>One JSON array of objects.</summary>
    Json,
    /// <summary>One JSON object per line (newline-delimited JSON).</summary>
    Ndjson,
}

/// <summary>
/// One row as read from a file: where it starts (the 1-based line of the file; for a JSON array, the line where the
/// element starts), its cells by column name, and for JSON its nested arrays of objects (a case's victims, events …),
/// each element's cells by property name.
/// </summary>
public sealed record SourceRow(long Line, IReadOnlyDictionary<string, string?> Cells, IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string?>>> Nested);

/// <summary>
/// Reads an import file row by row, forward only: one row in memory at a time (a CSV buffer, one NDJSON line, one
/// worksheet row), whatever the file's size. The one interface behind which the formats differ.
/// </summary>
public interface IRowReader
{
    /// <summary>The rows from the first (0-based <paramref name="skip"/> rows passed over, for a resumed run).</summary>
    IAsyncEnumerable<SourceRow> ReadAsync(Stream content, long skip, CancellationToken cancellationToken);
}

public static class RowReaders
{
    /// <summary>The longest cell or JSON line the readers take (a guard against hostile files).</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    public static IRowReader For(ImportFormat format) => format switch
    {
        ImportFormat.Csv => new CsvRowReader(),
        ImportFormat.Xlsx => new XlsxRowReader(),
        ImportFormat.Json => new JsonArrayRowReader(),
        _ => new NdjsonRowReader(),
    };

    /// <summary>
    /// The format of an upload: XLSX when its content is a workbook (the Files module's type check), otherwise a text
    /// file by its name (.json, .ndjson/.jsonl) or its first character (<c>[</c> JSON, <c>{</c> NDJSON), else CSV.
    /// </summary>
    public static ImportFormat Detect(string typeName, string fileName, Stream content)
    {
        if (typeName == "XLSX")
        {
            return ImportFormat.Xlsx;
        }

        if (typeName != "TEXT")
        {
            throw DomainException.Validation("uploadId", "An import file is CSV, XLSX, JSON or NDJSON (UTF-8 text or an Excel workbook).");
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension is ".ndjson" or ".jsonl")
        {
            return ImportFormat.Ndjson;
        }

        if (extension == ".csv")
        {
            return ImportFormat.Csv;
        }

        var head = new byte[256];
        var read = content.Read(head);
        content.Position = 0;
        var first = Encoding.UTF8.GetString(head, 0, read).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return first.StartsWith('[') ? ImportFormat.Json : first.StartsWith('{') ? ImportFormat.Ndjson : ImportFormat.Csv;
    }

    internal static Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string?>>> NoNested() => [];
}

internal sealed class CsvRowReader : IRowReader
{
    public async IAsyncEnumerable<SourceRow> ReadAsync(Stream content, long skip, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = new CsvReaderOptions { TrackLineNumbers = true, IncludeValuesInExceptions = false, MaxRecordSize = RowReaders.MaxRecordBytes };
        await using var csv = CsvReader.Create(content, options, true);
        await csv.ReadHeaderAsync(cancellationToken);
        var headers = csv.Headers.Select((h, i) => string.IsNullOrWhiteSpace(h) ? $"column{i + 1}" : h.Trim()).ToList();
        long index = 0;
        while (await csv.ReadAsync(cancellationToken))
        {
            if (index++ < skip)
            {
                continue;
            }

            var cells = new Dictionary<string, string?>(headers.Count, StringComparer.Ordinal);
            for (var i = 0; i < headers.Count; i++)
            {
                cells.TryAdd(headers[i], i < csv.FieldCount ? CsvText.Undefused(csv.GetString(i)) : null);
            }

            yield return new SourceRow(csv.LineNumber, cells, RowReaders.NoNested());
        }
    }
}

internal sealed class XlsxRowReader : IRowReader
{
    // ExcelDataReader's configuration defaults to code page 1252 (for old .xls files), which .NET has only with this provider.
    static XlsxRowReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public async IAsyncEnumerable<SourceRow> ReadAsync(Stream content, long skip, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        using var excel = ExcelReaderFactory.CreateOpenXmlReader(content, new ExcelReaderConfiguration { LeaveOpen = true });
        if (!excel.Read())
        {
            yield break;
        }

        var headers = new List<string>();
        for (var i = 0; i < excel.FieldCount; i++)
        {
            var name = Cell(excel.GetValue(i));
            headers.Add(string.IsNullOrWhiteSpace(name) ? $"column{i + 1}" : name.Trim());
        }

        long line = 1;
        long index = 0;
        while (excel.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            line++;
            var cells = new Dictionary<string, string?>(headers.Count, StringComparer.Ordinal);
            var empty = true;
            for (var i = 0; i < headers.Count; i++)
            {
                var value = i < excel.FieldCount ? CsvText.Undefused(Cell(excel.GetValue(i))) : null;
                empty &= string.IsNullOrWhiteSpace(value);
                cells.TryAdd(headers[i], value);
            }

            // Blank rows (formatting left below the data) are no rows, as an empty CSV line is none.
            if (empty || index++ < skip)
            {
                continue;
            }

            yield return new SourceRow(line, cells, RowReaders.NoNested());
        }
    }

    /// <summary>A cell as text: dates as ISO dates (with the time only when there is one), numbers invariant (42, not 42.0).</summary>
    private static string? Cell(object? value) => value switch
    {
        null => null,
        DateTime d when d.TimeOfDay == TimeSpan.Zero => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        double n => n.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

/// <summary>JSON objects to rows: scalar properties are cells, arrays of objects are nested parts, arrays of scalars are joined with <c>;</c>.</summary>
internal static class JsonRows
{
    public static SourceRow Of(long line, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ImportFileException(line, "Each row must be a JSON object.");
        }

        var cells = new Dictionary<string, string?>(StringComparer.Ordinal);
        var nested = RowReaders.NoNested();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array && property.Value.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.Object))
            {
                nested[property.Name] = property.Value.EnumerateArray()
                    .Select(e => (IReadOnlyDictionary<string, string?>)(e.ValueKind == JsonValueKind.Object ? e.EnumerateObject().ToDictionary(p => p.Name, p => Scalar(p.Value)) : new()))
                    .ToList();
            }
            else
            {
                cells[property.Name] = Scalar(property.Value);
            }
        }

        return new SourceRow(line, cells, nested);
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Array => string.Join(";", value.EnumerateArray().Select(Scalar)),
        _ => value.GetRawText(),
    };
}

internal sealed class NdjsonRowReader : IRowReader
{
    /// <summary>
    /// The last line of the platform's own NDJSON export, <c>{"feedCursor":"…"}</c> (it says the export is complete): not a
    /// record, so the export imports back as it is.
    /// </summary>
    internal static bool IsExportTrailer(string line)
    {
        if (!line.StartsWith("{\"feedCursor\":", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.EnumerateObject().Count() == 1 && document.RootElement.GetProperty("feedCursor").ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public async IAsyncEnumerable<SourceRow> ReadAsync(Stream content, long skip, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        long line = 0;
        long index = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text) || IsExportTrailer(text))
            {
                continue;
            }

            if (index++ < skip)
            {
                continue;
            }

            if (text.Length > RowReaders.MaxRecordBytes)
            {
                throw new ImportFileException(line, $"A line is longer than {RowReaders.MaxRecordBytes} characters.");
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                // A bad line is that row's error, not the file's: the rows around it still import.
                document = JsonDocument.Parse("{\"$invalid\":\"This line is not a JSON object.\"}");
            }

            using (document)
            {
                yield return document.RootElement.ValueKind == JsonValueKind.Object
                    ? JsonRows.Of(line, document.RootElement)
                    : new SourceRow(line, new Dictionary<string, string?> { ["$invalid"] = "This line is not a JSON object." }, RowReaders.NoNested());
            }
        }
    }
}

/// <summary>A JSON array of objects, streamed element by element (each element's line: where it starts).</summary>
internal sealed class JsonArrayRowReader : IRowReader
{
    public async IAsyncEnumerable<SourceRow> ReadAsync(Stream content, long skip, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Elements are cut out of the array with a small state machine over the characters, so that a large array is
        // never in memory whole and each element's line is known.
        using var reader = new StreamReader(content, Encoding.UTF8, true, 64 * 1024, leaveOpen: true);
        var element = new StringBuilder();
        long line = 1;
        long start = 0;
        var depth = 0;
        var inString = false;
        var escaped = false;
        var started = false;
        long index = 0;
        var buffer = new char[16 * 1024];
        int count;
        while ((count = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < count; i++)
            {
                var c = buffer[i];
                if (!started)
                {
                    if (c == '[')
                    {
                        started = true;
                    }
                    else if (c == '\n')
                    {
                        line++;
                    }
                    else if (!char.IsWhiteSpace(c) && c != '\uFEFF')
                    {
                        throw new ImportFileException(line, "A JSON import file is one array of objects.");
                    }

                    continue;
                }

                if (depth > 0)
                {
                    element.Append(c);
                    if (element.Length > RowReaders.MaxRecordBytes)
                    {
                        throw new ImportFileException(start, $"An element is longer than {RowReaders.MaxRecordBytes} characters.");
                    }
                }

                if (c == '\n')
                {
                    line++;
                }

                if (inString)
                {
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (c == '\\')
                    {
                        escaped = true;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }

                    continue;
                }

                switch (c)
                {
                    case '"' when depth > 0:
                        inString = true;
                        escaped = false;
                        break;
                    case '{' or '[':
                        if (depth == 0)
                        {
                            start = line;
                            element.Clear().Append(c);
                        }

                        depth++;
                        break;
                    case '}' or ']' when depth > 0:
                        depth--;
                        if (depth == 0)
                        {
                            if (index++ >= skip)
                            {
                                using var document = Parse(element.ToString(), start);
                                yield return JsonRows.Of(start, document.RootElement);
                            }

                            element.Clear();
                        }

                        break;
                    case ']':
                        yield break;
                }
            }
        }
    }

    private static JsonDocument Parse(string text, long line)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            throw new ImportFileException(line, "This element is not valid JSON.");
        }
    }
}

/// <summary>A file that cannot be read on (not the row's fault): the run fails, naming the line.</summary>
public sealed class ImportFileException(long line, string message) : Exception($"Line {line}: {message}")
{
    public long Line { get; } = line;
}
