using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Reminders;

/// <summary>A host with the scheduler on, on a shared database, whose platform clock the test sets.</summary>
public sealed class ClockedSchedulerNode(string connectionString, string nodeId, FakeTimeProvider clock) : PlatformFactory(connectionString)
{
    public FakeTimeProvider Clock => clock;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:Jobs:Enabled"] = "true",
        ["Omct:Jobs:NodeId"] = nodeId,
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(clock);
}

/// <summary>Exactly once across processes, after downtime, and on reruns.</summary>
public sealed class ReminderJobTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Two_host_processes_running_the_reminder_job_for_the_same_day_at_the_same_moment_make_each_reminder_once()
    {
        await using var first = await HostProcess.StartAsync(_database.ConnectionString);
        await using var second = await HostProcess.StartAsync(_database.ConnectionString);
        foreach (var day in new[] { "2024-06-16", "2024-06-17", "2024-06-18" })
        {
            await ArrestAsync(first.Admin(), day);
        }

        // Both at once, for the day whose window holds the three first anniversaries (16–18 June 2025, reminded 14 days before).
        var runs = await Task.WhenAll(RunAsync(first.Admin(), "2025-06-04"), RunAsync(second.Admin(), "2025-06-04"));
        Assert.All(runs, r => Assert.Equal("SUCCEEDED", r.GetProperty("outcome").GetString()));
        Assert.Equal(3, runs.Sum(r => r.GetProperty("items").GetInt32()));
        Assert.Equal((3L, 3L), await ReminderCountsAsync());

        var (rows, events) = (await CountAsync("select count(*) from omct.reminders_reminder"), await CountAsync("select count(*) from omct.mt_events"));
        var again = await Task.WhenAll(RunAsync(first.Admin(), "2025-06-04"), RunAsync(second.Admin(), "2025-06-04"));
        Assert.All(again, r => Assert.Equal(0, r.GetProperty("items").GetInt32()));
        Assert.Equal((rows, events), (await CountAsync("select count(*) from omct.reminders_reminder"), await CountAsync("select count(*) from omct.mt_events")));
    }

    [Fact]
    public async Task A_restarted_host_catches_up_the_reminders_of_the_three_days_it_was_down()
    {
        // 1 June 2025, 10:00 in Geneva: the host starts, and its scheduler runs the daily jobs for the day at once.
        await using (var before = new ClockedSchedulerNode(_database.ConnectionString, "node-before", new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero))))
        {
            await before.InitializeAsync();
            Assert.Equal(new DateOnly(2025, 6, 1), await LastCompletedAsync("ANNIVERSARY_REMINDERS", new DateOnly(2025, 6, 1)));
            foreach (var day in new[] { "2024-06-16", "2024-06-17", "2024-06-18" })
            {
                await ArrestAsync(before.Admin(), day);
            }
        }

        // Down for three days; on 4 June the new host's scheduler catches up 2, 3 and 4 June through the job's own path.
        await using var after = new ClockedSchedulerNode(_database.ConnectionString, "node-after", new FakeTimeProvider(new DateTimeOffset(2025, 6, 4, 8, 0, 0, TimeSpan.Zero)));
        await after.InitializeAsync();
        Assert.Equal(new DateOnly(2025, 6, 4), await LastCompletedAsync("ANNIVERSARY_REMINDERS", new DateOnly(2025, 6, 4)));

        var reminders = (await after.Admin().QueryAsync("{ reminders(filter: { kinds: [ANNIVERSARY] }) { totalCount nodes { dueOn remindOn } } }")).GetProperty("reminders");
        Assert.Equal(["2025-06-04", "2025-06-03", "2025-06-02"], reminders.GetProperty("nodes").EnumerateArray().Select(r => r.GetProperty("remindOn").GetString()));
        Assert.Equal(["2025-06-18", "2025-06-17", "2025-06-16"], reminders.GetProperty("nodes").EnumerateArray().Select(r => r.GetProperty("dueOn").GetString()));
        Assert.Contains(after.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Job {Job} catching up {Days} days", StringComparison.Ordinal)
            && e.Properties["Job"].ToString() == "\"ANNIVERSARY_REMINDERS\"" && e.Properties["Days"].ToString() == "3");

        var job = (await after.Admin().QueryAsync("{ scheduledJobs { name cron timeZone nextFireTime lastCompletedDay lastRun { trigger asOf items outcome node } } }"))
            .GetProperty("scheduledJobs").EnumerateArray().Single(j => j.GetProperty("name").GetString() == "ANNIVERSARY_REMINDERS");
        Assert.Equal(("0 0 6 * * ?", "Europe/Zurich", "2025-06-04"), (job.GetProperty("cron").GetString(), job.GetProperty("timeZone").GetString(), job.GetProperty("lastCompletedDay").GetString()));
        var lastRun = job.GetProperty("lastRun");
        Assert.Equal(("SCHEDULE", "2025-06-04", 3, "node-after"), (lastRun.GetProperty("trigger").GetString(), lastRun.GetProperty("asOf").GetString(),
            lastRun.GetProperty("items").GetInt32(), lastRun.GetProperty("node").GetString()));
        Assert.Equal(JsonValueKind.String, job.GetProperty("nextFireTime").ValueKind);
    }

    [Fact]
    public void A_host_down_for_longer_than_the_catch_up_bound_does_only_the_last_90_days()
    {
        var days = DailyJob.Plan(new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 1), out var skipped);
        Assert.Equal((90, new DateOnly(2025, 3, 4), new DateOnly(2025, 6, 1)), (days.Count, days[0], days[^1]));
        Assert.Equal(151 - 90, skipped);
        Assert.Equal([new DateOnly(2025, 6, 1)], DailyJob.Plan(null, new DateOnly(2025, 6, 1), out _));
        Assert.Equal([new DateOnly(2025, 5, 1)], DailyJob.Plan(new DateOnly(2025, 6, 1), new DateOnly(2025, 5, 1), out _)); // a manual rerun of a past day
    }

    private async Task<DateOnly?> LastCompletedAsync(string job, DateOnly expected) =>
        await Eventually.GetAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(_database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select last_completed_day from omct.jobs_progress where job = $1", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = job });
            await using var reader = await command.ExecuteReaderAsync();
            return await reader.ReadAsync() && !await reader.IsDBNullAsync(0) ? reader.GetFieldValue<DateOnly>(0) : (DateOnly?)null;
        }, day => day == expected, TimeSpan.FromSeconds(60));

    private static async Task ArrestAsync(GraphQLClient admin, string day)
    {
        var id = (await admin.QueryAsync("mutation { openCase(input: { title: \"Arrest reminder\", countryCode: \"TR\", openedOn: \"2024-06-01\" }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        await admin.QueryAsync("mutation($id: ID!, $day: PartialDate!) { recordCaseEvent(input: { caseId: $id, type: CONVICTION, date: $day }) { case { id } } }", new { id, day });
    }

    private static async Task<JsonElement> RunAsync(GraphQLClient admin, string asOf) =>
        (await admin.QueryAsync(ReminderApiTests.RunJob, new { name = "ANNIVERSARY_REMINDERS", asOf })).GetProperty("runJob").GetProperty("run");

    private async Task<(long Rows, long Distinct)> ReminderCountsAsync() =>
        (await CountAsync("select count(*) from omct.reminders_reminder"), await CountAsync("select count(distinct (case_event_id, due_on, lead_days)) from omct.reminders_reminder"));

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>A host started with a bad reminder setting.</summary>
public sealed class BadReminderSettingsFactory(string key, string value) : PlatformFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { [key] = value };
}

public sealed class ReminderSettingsTests
{
    [Theory]
    [InlineData("Omct:Reminders:Cron", "every morning", "Omct:Reminders:Cron")]
    [InlineData("Omct:Reminders:TimeZone", "Mars/Olympus_Mons", "Omct:Reminders:TimeZone")]
    [InlineData("Omct:Reminders:AnniversaryLeadDays", "0", "Omct:Reminders:AnniversaryLeadDays")]
    [InlineData("Omct:Reminders:DeadlineLeadDays:0", "400", "Omct:Reminders:DeadlineLeadDays")]
    [InlineData("Omct:Teamwork:Teams:Countries:XX:0", "ana@example.org", "Omct:Teamwork:Teams:Countries")]
    [InlineData("Omct:Teamwork:Teams:Mechanisms:UPR:0", "not an address", "Omct:Teamwork:Teams:Mechanisms:UPR")]
    [InlineData("Omct:Teamwork:Teams:Mechanisms:TREATY:0", "ana@example.org", "Omct:Teamwork:Teams:Mechanisms")]
    [InlineData("Omct:Teamwork:ConsoleUrl", "ftp://omct.example.org", "Omct:Teamwork:ConsoleUrl")]
    public async Task A_bad_setting_fails_start_up_with_a_message_naming_it(string key, string value, string named)
    {
        var factory = new BadReminderSettingsFactory(key, value);
        try
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(factory.InitializeAsync);
            Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)factory).DisposeAsync(); // drops the test database too
        }
    }

    [Fact]
    public void Geneva_time_is_the_default_and_Europe_Geneva_is_accepted_for_it()
    {
        var defaults = new Omct.Platform.Reminders.ReminderOptions();
        Assert.Equal(("Europe/Zurich", "0 0 6 * * ?", 14), (defaults.ResolvedTimeZone().Id, defaults.Cron, defaults.AnniversaryLeadDays));
        Assert.Equal([30, 7, 1], defaults.DeadlineLeads());
        Assert.Equal("Europe/Zurich", new Omct.Platform.Reminders.ReminderOptions { TimeZone = "Europe/Geneva" }.ResolvedTimeZone().Id);
        Assert.Empty(ValidatedSections.Errors(new Omct.Platform.Reminders.ReminderOptions { TimeZone = "Europe/Geneva" }, "Omct:Reminders"));
    }
}

/// <summary>Which reminder a day brings (pure).</summary>
public sealed class ReminderPlannerTests
{
    private static readonly DateOnly Day = new(2025, 6, 1);

    [Theory]
    [InlineData(30, 30)]
    [InlineData(20, 30)] // recorded late, inside the 30-day window: the 30-day reminder, late
    [InlineData(8, 30)]
    [InlineData(7, 7)]
    [InlineData(2, 7)]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    public void A_deadline_ahead_gets_the_reminder_of_the_smallest_lead_that_covers_it(int ahead, int lead) =>
        Assert.Equal(lead, Omct.Platform.Reminders.Planning.ReminderPlanner.LeadFor(Day.AddDays(ahead), Day, [30, 7, 1]));

    [Fact]
    public void Nothing_is_due_before_the_largest_lead_or_after_the_date()
    {
        Assert.Null(Omct.Platform.Reminders.Planning.ReminderPlanner.LeadFor(Day.AddDays(31), Day, [30, 7, 1]));
        Assert.Null(Omct.Platform.Reminders.Planning.ReminderPlanner.LeadFor(Day.AddDays(-1), Day, [30, 7, 1]));
    }

    [Fact]
    public void The_same_occurrence_and_lead_always_have_the_same_id_and_another_lead_another()
    {
        var key = new Omct.Platform.Cases.Contracts.AnniversaryKey(Guid.NewGuid(), Guid.NewGuid(), null, Omct.Platform.Cases.Contracts.AnniversaryKind.Yearly, Day);
        var id = Omct.Platform.Reminders.Planning.ReminderPlanner.IdOf(Omct.Platform.Reminders.Planning.ReminderPlanner.Key(key, 14));
        Assert.Equal(id, Omct.Platform.Reminders.Planning.ReminderPlanner.IdOf(Omct.Platform.Reminders.Planning.ReminderPlanner.Key(key with { }, 14)));
        Assert.NotEqual(id, Omct.Platform.Reminders.Planning.ReminderPlanner.IdOf(Omct.Platform.Reminders.Planning.ReminderPlanner.Key(key, 7)));
        Assert.NotEqual(id, Omct.Platform.Reminders.Planning.ReminderPlanner.IdOf(Omct.Platform.Reminders.Planning.ReminderPlanner.Key(key with { Date = Day.AddDays(1) }, 14)));
        Assert.Equal(8, id.Version);
    }
}
