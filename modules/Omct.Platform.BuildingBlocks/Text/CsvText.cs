using System.Text;

namespace Omct.Platform.BuildingBlocks.Text;

/// <summary>
/// CSV (RFC 4180) for every CSV the platform writes (the monthly reports, the streamed exports): a cell is quoted when
/// it holds a comma, a quote or a line break, and a text cell that a spreadsheet would read as a
/// formula (=, +, -, @, tab, carriage return first) is prefixed with an apostrophe.
/// </summary>
public static class CsvText
{
    public static string Cell(string? value, bool text = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (text && Formula(value[0]))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    /// <summary>
    /// The inverse of <see cref="Cell"/>'s defusing, for what the platform reads back (an import of its own export): a
    /// cell that is <c>'</c> followed by a character a spreadsheet would take for a formula's start loses the <c>'</c>;
    /// every other cell is left as it is.
    /// </summary>
    public static string? Undefused(string? value) => value is { Length: > 1 } && value[0] == '\'' && Formula(value[1]) ? value[1..] : value;

    private static bool Formula(char first) => first is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>Appends one line (CRLF) of text cells.</summary>
    public static StringBuilder Line(this StringBuilder csv, params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(csv);
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            csv.Append(Cell(cells[i]));
        }

        return csv.Append("\r\n");
    }
}
