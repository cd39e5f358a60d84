namespace Omct.Platform.BuildingBlocks.Time;

public static class TimeProviderExtensions
{
    /// <summary>Today's date in UTC according to the provider (never <c>DateTime.Now</c> in logic).</summary>
    public static DateOnly TodayUtc(this TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    /// <summary>
    /// The latest date that is already today somewhere (UTC+14, Kiribati): the bound for a reported date
    /// not to be "in the future". A detention in Manila at 07:00 local is dated a day ahead of UTC; judged
    /// against UTC today it could not be recorded until 08:00 there. Never a default date: that stays
    /// <see cref="TodayUtc"/>.
    /// </summary>
    public static DateOnly LatestToday(this TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime.AddHours(14));
}
