using System.Globalization;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Hosting;

/// <summary>
/// What ships is what is tested: the tests load the package versions the built host loads, and the built
/// host — its own build output and deps.json, started as its own process — does what the in-memory host does.
/// </summary>
public sealed class ShippedHostTests
{
    private const string RunJob = "mutation($input: RunJobInput!) { runJob(input: $input) { run { outcome asOf error } } }";

    [Fact]
    public void Every_assembly_the_tests_load_is_the_version_the_built_host_ships()
    {
        var differences = ShippedHost.Differences(typeof(ShippedHostTests).Assembly);
        Assert.True(differences.Count == 0, "The tests and the built host load different versions:\n" + string.Join("\n", differences));
    }

    [Fact]
    public async Task The_shipped_host_records_a_daily_jobs_last_completed_day_and_catches_up_missed_days()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var host = await HostProcess.StartShippedAsync(database.ConnectionString);
        var admin = host.Admin();

        var jobs = await admin.QueryAsync("{ scheduledJobs { name timeZone lastCompletedDay } }");
        var zone = TimeZoneInfo.FindSystemTimeZoneById(jobs.GetProperty("scheduledJobs").EnumerateArray()
            .Single(j => j.GetProperty("name").GetString() == "ANNIVERSARY_REMINDERS").GetProperty("timeZone").GetString()!);
        var earlier = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime).AddDays(-5);

        // A run for a past day completes that day ...
        var first = await RunAsync(admin, new { name = "ANNIVERSARY_REMINDERS", asOf = earlier.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        Assert.Equal(earlier, first);
        Assert.Equal(earlier, await LastCompletedDayAsync(admin));

        // ... and the next run, for today, does every day since (a host that was down catches up).
        var today = await RunAsync(admin, new { name = "ANNIVERSARY_REMINDERS" });
        Assert.Equal(today, await LastCompletedDayAsync(admin));
        var days = today.DayNumber - earlier.DayNumber;
        Assert.True(days >= 5, $"today {today}, earlier {earlier}");
        Assert.Contains($"catching up {days} days", host.Output, StringComparison.Ordinal);
    }

    private static async Task<DateOnly> RunAsync(GraphQLClient admin, object input)
    {
        var run = (await admin.QueryAsync(RunJob, new { input })).GetProperty("runJob").GetProperty("run");
        Assert.True(run.GetProperty("outcome").GetString() == "SUCCEEDED", run.ToString());
        return DateOnly.Parse(run.GetProperty("asOf").GetString()!, CultureInfo.InvariantCulture);
    }

    private static async Task<DateOnly?> LastCompletedDayAsync(GraphQLClient admin)
    {
        var job = (await admin.QueryAsync("{ scheduledJobs { name lastCompletedDay } }")).GetProperty("scheduledJobs").EnumerateArray()
            .Single(j => j.GetProperty("name").GetString() == "ANNIVERSARY_REMINDERS");
        return job.GetProperty("lastCompletedDay").GetString() is { } day ? DateOnly.Parse(day, CultureInfo.InvariantCulture) : null;
    }
}
