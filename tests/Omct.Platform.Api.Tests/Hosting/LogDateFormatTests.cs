using System.Text.Json;
using Omct.Platform.Host;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;
using Xunit;

namespace Omct.Platform.Api.Tests.Hosting;

/// <summary>Log lines carry dates as ISO 8601, in the JSON of production and in Development's readable lines.</summary>
public sealed class LogDateFormatTests
{
    private static LogEvent Event() =>
        new(new DateTimeOffset(2026, 12, 5, 23, 10, 42, 123, TimeSpan.Zero), LogEventLevel.Warning, null,
            new MessageTemplateParser().Parse("Job {Job} ran for {AsOf} at {At} (due {Due})"),
            [
                new LogEventProperty("Job", new ScalarValue("ANNIVERSARY_REMINDERS")),
                new LogEventProperty("AsOf", new ScalarValue(new DateOnly(2012, 11, 10))),
                new LogEventProperty("At", new ScalarValue(new DateTimeOffset(2012, 11, 10, 6, 0, 0, TimeSpan.FromHours(1)))),
                new LogEventProperty("Due", new ScalarValue(new DateTime(2012, 11, 24, 0, 0, 0, DateTimeKind.Utc))),
            ]);

    [Fact]
    public void The_json_lines_render_dates_as_iso_8601()
    {
        var output = new StringWriter();
        new IsoCompactJsonFormatter().Format(Event(), output);
        var line = output.ToString();
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("2026-12-05T23:10:42.1230000Z", root.GetProperty("@t").GetString());
        Assert.Equal("Job \"ANNIVERSARY_REMINDERS\" ran for 2012-11-10 at 2012-11-10T06:00:00.0000000+01:00 (due 2012-11-24T00:00:00.0000000Z)",
            root.GetProperty("@m").GetString());
        Assert.Equal("Warning", root.GetProperty("@l").GetString());
        Assert.Equal("2012-11-10", root.GetProperty("AsOf").GetString());
        Assert.Equal("2012-11-10T06:00:00.0000000+01:00", root.GetProperty("At").GetString());
        Assert.DoesNotContain("11/10/2012", line, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{8}$", root.GetProperty("@i").GetString());
    }

    [Fact]
    public void Serilogs_own_rendering_would_write_the_us_format()
    {
        // Why the formatter exists: the invariant culture Serilog falls back to is US-style.
        var output = new StringWriter();
        new Serilog.Formatting.Compact.RenderedCompactJsonFormatter().Format(Event(), output);
        Assert.Contains("11/10/2012", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_development_lines_begin_with_an_iso_8601_timestamp_and_render_dates_so()
    {
        var output = new StringWriter();
        new MessageTemplateTextFormatter(LoggingSetup.DevelopmentTemplate, IsoFormatProvider.Instance).Format(Event(), output);
        var line = output.ToString();
        Assert.StartsWith("[2026-12-05T23:10:42.123+00:00 WRN] Job ANNIVERSARY_REMINDERS ran for 2012-11-10 at 2012-11-10T06:00:00.0000000+01:00",
            line, StringComparison.Ordinal);
        Assert.DoesNotContain("11/10/2012", line, StringComparison.Ordinal);
    }
}
