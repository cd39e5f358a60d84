using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Omct.Platform.BuildingBlocks.Dates;

/// <summary>
/// A date known to the year (<c>2011</c>), the month (<c>2011-11</c>) or the day
/// (<c>2011-11-24</c>). Stored and exchanged in that text form.
/// </summary>
[JsonConverter(typeof(PartialDateJsonConverter))]
public readonly record struct PartialDate(int Year, int? Month = null, int? Day = null) : IComparable<PartialDate>
{
    public bool IsDayPrecise => Day is not null;

    /// <summary>The exact date, when known to the day.</summary>
    public DateOnly? ExactDate => Day is { } day ? new DateOnly(Year, Month!.Value, day) : null;

    /// <summary>The first day the date may denote (for ordering and range filters).</summary>
    public DateOnly Earliest => new(Year, Month ?? 1, Day ?? 1);

    public static bool TryParse(string? text, [NotNullWhen(true)] out PartialDate? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var formats = text.Length switch { 4 => "yyyy", 7 => "yyyy-MM", 10 => "yyyy-MM-dd", _ => null };
        if (formats is null || !DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            || parsed.Year < 1900)
        {
            return false;
        }

        date = text.Length switch
        {
            4 => new PartialDate(parsed.Year),
            7 => new PartialDate(parsed.Year, parsed.Month),
            _ => new PartialDate(parsed.Year, parsed.Month, parsed.Day),
        };
        return true;
    }

    public static PartialDate Parse(string text) =>
        TryParse(text, out var date) ? date.Value : throw new FormatException($"'{text}' is not a partial date (yyyy, yyyy-MM or yyyy-MM-dd).");

    /// <summary>True when every day the date may denote is after <paramref name="today"/>.</summary>
    public bool IsAfter(DateOnly today) => Earliest > today;

    public int CompareTo(PartialDate other) =>
        (Year, Month ?? 0, Day ?? 0).CompareTo((other.Year, other.Month ?? 0, other.Day ?? 0));

    public static bool operator <(PartialDate left, PartialDate right) => left.CompareTo(right) < 0;

    public static bool operator >(PartialDate left, PartialDate right) => left.CompareTo(right) > 0;

    public static bool operator <=(PartialDate left, PartialDate right) => left.CompareTo(right) <= 0;

    public static bool operator >=(PartialDate left, PartialDate right) => left.CompareTo(right) >= 0;

    public override string ToString() => Day is not null ? $"{Year:D4}-{Month:D2}-{Day:D2}"
        : Month is not null ? $"{Year:D4}-{Month:D2}" : $"{Year:D4}";
}

internal sealed class PartialDateJsonConverter : JsonConverter<PartialDate>
{
    public override PartialDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        PartialDate.Parse(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, PartialDate value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
