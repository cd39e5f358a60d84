namespace Omct.Platform.BuildingBlocks.Time;

public static class TimeProviderExtensions
{
    /// <summary>Today's date in UTC according to the provider (never <c>DateTime.Now</c> in logic).</summary>
    public static DateOnly TodayUtc(this TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}
