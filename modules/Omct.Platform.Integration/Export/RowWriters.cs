using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GraphQL;
using Omct.Platform.BuildingBlocks.Text;

namespace Omct.Platform.Integration.Export;

/// <summary>Writes export rows straight into the response's buffer (the endpoint flushes it every few hundred rows).</summary>
internal interface IRowWriter : IDisposable
{
    void WriteHeader(IReadOnlyList<string> columns);

    void WriteRow(IReadOnlyList<string> columns, object?[] values);

    /// <summary>The end of a complete export (NDJSON: a trailer line with the feed cursor).</summary>
    void WriteEnd(string cursor);
}

/// <summary>Values as the GraphQL API shows them: enums in upper snake case, dates ISO 8601.</summary>
internal static class ExportValues
{
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        Enum e => e.ToString().ToConstantCase(),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

/// <summary>
/// One JSON object per line (a list of objects — a case's events — as an array of objects, named as the importer's
/// parts, so that the platform's own export imports back); the last line is <c>{"feedCursor":"…"}</c> — its presence says the export is complete.</summary>
internal sealed class NdjsonRowWriter(IBufferWriter<byte> output) : IRowWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = false, SkipValidation = true };
    private readonly Utf8JsonWriter _json = new(output, Options);

    public void WriteHeader(IReadOnlyList<string> columns) { }

    public void Dispose() => _json.Dispose();

    public void WriteRow(IReadOnlyList<string> columns, object?[] values)
    {
        _json.WriteStartObject();
        for (var i = 0; i < columns.Count; i++)
        {
            _json.WritePropertyName(columns[i]);
            WriteValue(values[i]);
        }

        _json.WriteEndObject();
        EndLine();
    }

    public void WriteEnd(string cursor)
    {
        _json.WriteStartObject();
        _json.WriteString("feedCursor", cursor);
        _json.WriteEndObject();
        EndLine();
    }

    private void EndLine()
    {
        _json.Flush();
        output.Write("\n"u8);
        _json.Reset(output);
    }

    private void WriteValue(object? value)
    {
        switch (value)
        {
            case null:
                _json.WriteNullValue();
                break;
            case bool b:
                _json.WriteBooleanValue(b);
                break;
            case int n:
                _json.WriteNumberValue(n);
                break;
            case long n:
                _json.WriteNumberValue(n);
                break;
            case string or Enum or DateOnly or DateTimeOffset:
                _json.WriteStringValue(ExportValues.Text(value));
                break;
            case IReadOnlyDictionary<string, object?> fields:
                // A part of the record (a case's event): an object with its own fields, written by the same rules.
                _json.WriteStartObject();
                foreach (var (name, field) in fields)
                {
                    _json.WritePropertyName(name);
                    WriteValue(field);
                }

                _json.WriteEndObject();
                break;
            case IEnumerable list:
                _json.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(item);
                }

                _json.WriteEndArray();
                break;
            default:
                _json.WriteStringValue(ExportValues.Text(value));
                break;
        }
    }
}

/// <summary>
/// RFC 4180 CSV with a header row. Lists are joined with <c>;</c>. A text cell that a spreadsheet
/// would run as a formula (starting with = + - @, tab or carriage return) is prefixed with
/// <c>'</c>: the people in this data are at risk, and an export opened in a spreadsheet must not
/// execute what someone typed into a title.
/// </summary>
internal sealed class CsvRowWriter(IBufferWriter<byte> output) : IRowWriter
{
    private readonly StringBuilder _line = new();

    public void WriteHeader(IReadOnlyList<string> columns)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            Cell(i, columns[i], text: false);
        }

        EndLine();
    }

    public void WriteRow(IReadOnlyList<string> columns, object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            switch (value)
            {
                case string s:
                    Cell(i, s, text: true);
                    break;
                case IEnumerable list:
                    Cell(i, string.Join(';', list.Cast<object?>().Select(ExportValues.Text)), text: true);
                    break;
                default:
                    Cell(i, ExportValues.Text(value), text: false);
                    break;
            }
        }

        EndLine();
    }

    public void WriteEnd(string cursor) { }

    public void Dispose() { }

    private void Cell(int index, string? value, bool text)
    {
        if (index > 0)
        {
            _line.Append(',');
        }

        _line.Append(CsvText.Cell(value, text)); // one rule for every CSV the platform writes (formulas defused, RFC 4180 quoting)
    }

    private void EndLine()
    {
        _line.Append("\r\n");
        var line = _line.ToString();
        var span = output.GetSpan(Encoding.UTF8.GetByteCount(line));
        var written = Encoding.UTF8.GetBytes(line, span);
        output.Advance(written);
        _line.Clear();
    }
}
