namespace Omct.Platform.BuildingBlocks.Time;

/// <summary>The time zones of the settings (jobs' schedules and their "today").</summary>
public static class PlatformTimeZones
{
    /// <summary>
    /// An IANA time zone by name. IANA names Geneva's zone Europe/Zurich (there is no Europe/Geneva in the
    /// tz database), so "Europe/Geneva" is accepted as another name for it. Throws as
    /// <see cref="TimeZoneInfo.FindSystemTimeZoneById"/> does for an unknown name.
    /// </summary>
    public static TimeZoneInfo Resolve(string name) =>
        TimeZoneInfo.FindSystemTimeZoneById(string.Equals(name, "Europe/Geneva", StringComparison.OrdinalIgnoreCase) ? "Europe/Zurich" : name);

    /// <summary>Whether <paramref name="name"/> is a time zone <see cref="Resolve"/> knows.</summary>
    public static bool IsKnown(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        try
        {
            _ = Resolve(name);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The instant a calendar day starts in a time zone (in UTC, as PostgreSQL takes it).</summary>
    public static DateTimeOffset StartOf(this TimeZoneInfo zone, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
