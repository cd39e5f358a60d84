using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Json;

namespace Omct.Platform.Host;

/// <summary>
/// Dates in log lines as ISO 8601 (<c>2012-11-10</c>, <c>2026-12-05T23:10:00.0000000+00:00</c>), numbers
/// invariant. Without it Serilog renders a <see cref="DateOnly"/> or <see cref="DateTime"/> in a message
/// with the invariant culture's US pattern (<c>11/10/2012</c>).
/// </summary>
internal sealed class IsoFormatProvider : IFormatProvider, ICustomFormatter
{
    public static readonly IsoFormatProvider Instance = new();

    public object? GetFormat(Type? formatType) =>
        formatType == typeof(ICustomFormatter) ? this : CultureInfo.InvariantCulture.GetFormat(formatType);

    public string Format(string? format, object? arg, IFormatProvider? formatProvider) => (arg, string.IsNullOrEmpty(format)) switch
    {
        (DateOnly d, true) => Iso(d),
        (TimeOnly t, true) => t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        (DateTime d, true) => d.ToString("O", CultureInfo.InvariantCulture),
        (DateTimeOffset d, true) => d.ToString("O", CultureInfo.InvariantCulture),
        (IFormattable f, _) => f.ToString(format, CultureInfo.InvariantCulture),
        _ => arg?.ToString() ?? string.Empty,
    };

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>JSON property values: a <see cref="DateOnly"/> or <see cref="TimeOnly"/> as ISO 8601 too.</summary>
internal sealed class IsoJsonValueFormatter() : JsonValueFormatter(typeTagName: "$type")
{
    protected override void FormatLiteralValue(object? value, TextWriter output)
    {
        switch (value)
        {
            case DateOnly d:
                JsonValueFormatter.WriteQuotedJsonString(IsoFormatProvider.Iso(d), output);
                break;
            case TimeOnly t:
                JsonValueFormatter.WriteQuotedJsonString(IsoFormatProvider.Instance.Format(null, t, null), output);
                break;
            default:
                base.FormatLiteralValue(value, output);
                break;
        }
    }
}

/// <summary>
/// Serilog's rendered compact JSON (<c>@t @m @i @l @x @tr @sp</c> and the properties, one event per
/// line), with the message rendered through <see cref="IsoFormatProvider"/>.
/// </summary>
internal sealed class IsoCompactJsonFormatter : ITextFormatter
{
    private readonly IsoJsonValueFormatter _values = new();

    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write("{\"@t\":\"");
        output.Write(logEvent.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        output.Write("\",\"@m\":");
        var message = new StringWriter(CultureInfo.InvariantCulture);
        logEvent.MessageTemplate.Render(logEvent.Properties, message, IsoFormatProvider.Instance);
        JsonValueFormatter.WriteQuotedJsonString(message.ToString(), output);
        output.Write(",\"@i\":\"");
        output.Write(EventIdHash.Compute(logEvent.MessageTemplate.Text).ToString("x8", CultureInfo.InvariantCulture));
        output.Write('"');
        if (logEvent.Level != LogEventLevel.Information)
        {
            output.Write(",\"@l\":\"");
            output.Write(logEvent.Level);
            output.Write('"');
        }

        if (logEvent.Exception is not null)
        {
            output.Write(",\"@x\":");
            JsonValueFormatter.WriteQuotedJsonString(logEvent.Exception.ToString(), output);
        }

        if (logEvent.TraceId is { } traceId)
        {
            output.Write(",\"@tr\":\"");
            output.Write(traceId.ToHexString());
            output.Write('"');
        }

        if (logEvent.SpanId is { } spanId)
        {
            output.Write(",\"@sp\":\"");
            output.Write(spanId.ToHexString());
            output.Write('"');
        }

        foreach (var (name, value) in logEvent.Properties)
        {
            output.Write(',');
            JsonValueFormatter.WriteQuotedJsonString(name.StartsWith('@') ? "@" + name : name, output);
            output.Write(':');
            _values.Format(value, output);
        }

        output.Write('}');
        output.Write('\n');
    }
}
