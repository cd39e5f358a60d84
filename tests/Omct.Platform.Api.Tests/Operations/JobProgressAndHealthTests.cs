using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omct.Platform.Api.Tests.Digests;
using Omct.Platform.Api.Tests.Hosting;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Operations;

/// <summary>
/// A job run's progress while it runs (<c>scheduledJobs { running }</c>, then <c>lastRun { progressDone progressTotal }</c>)
/// and <c>platformHealth</c> (projections against the high-water mark, scheduler nodes): ADMIN only.
/// </summary>
public sealed class JobProgressAndHealthTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string RunJob = "mutation($input: RunJobInput!) { runJob(input: $input) { run { id name outcome items progressDone progressTotal } } }";
    private const string Jobs = "{ scheduledJobs { name lastRun { id progressDone progressTotal } running { id node trigger asOf startedAt progressDone progressTotal updatedAt } } }";

    [Fact]
    public async Task A_daily_job_catching_up_shows_its_progress_in_days_while_it_runs_and_keeps_it_with_the_run()
    {
        var admin = platform.Admin();
        // The first run does just its day; the next one, ten days later, catches up ten days.
        await admin.QueryAsync(RunJob, new { input = new { name = "DEADLINE_REMINDERS", asOf = "2012-10-01" } });

        var store = platform.Services.GetRequiredService<IDocumentStore>();
        await using var holder = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await holder.OpenAsync();
        var transaction = await holder.BeginTransactionAsync();
        // Holding the job's progress row (as a second host running the job would) stops the run before its first day.
        await using (var hold = new NpgsqlCommand(
                         $"select 1 from {store.Options.DatabaseSchemaName}.{JobProgress.TableName} where job = 'DEADLINE_REMINDERS' for update", holder, transaction))
        {
            Assert.Equal(1, await hold.ExecuteScalarAsync());
        }

        var running = admin.QueryAsync(RunJob, new { input = new { name = "DEADLINE_REMINDERS", asOf = "2012-10-11" } });
        Func<Task<JsonElement?>> probe = async () => Running(await admin.QueryAsync(Jobs));
        // The run appears a moment before its progress total is recorded: wait for the total.
        var inProgress = await Eventually.GetAsync<JsonElement?>(probe, r => r is { } x && x.GetProperty("progressTotal").ValueKind == JsonValueKind.Number);
        Assert.NotNull(inProgress);
        var progress = inProgress.Value;
        Assert.Equal((0, 10), (progress.GetProperty("progressDone").GetInt32(), progress.GetProperty("progressTotal").GetInt32()));
        Assert.Equal(("MANUAL", "2012-10-11"), (progress.GetProperty("trigger").GetString(), progress.GetProperty("asOf").GetString()));
        Assert.False(running.IsCompleted);

        await transaction.RollbackAsync();
        var run = (await running).GetProperty("runJob").GetProperty("run");
        Assert.Equal("SUCCEEDED", run.GetProperty("outcome").GetString());
        Assert.Equal(progress.GetProperty("id").GetString(), run.GetProperty("id").GetString());
        Assert.Equal((10, 10), (run.GetProperty("progressDone").GetInt32(), run.GetProperty("progressTotal").GetInt32()));

        // Once it ended it is no longer running, and it is the job's last run, with its progress.
        var after = await admin.QueryAsync(Jobs);
        Assert.Null(Running(after));
        var job = after.GetProperty("scheduledJobs").EnumerateArray().Single(j => j.GetProperty("name").GetString() == "DEADLINE_REMINDERS");
        Assert.Equal(run.GetProperty("id").GetString(), job.GetProperty("lastRun").GetProperty("id").GetString());
        Assert.Equal(10, job.GetProperty("lastRun").GetProperty("progressDone").GetInt32());
    }

    [Fact]
    public async Task A_job_that_reports_no_progress_has_none_and_a_run_that_is_running_is_not_the_last_run()
    {
        var run = (await platform.Admin().QueryAsync(RunJob, new { input = new { name = "CLOSE_EXPIRED_CALLS" } })).GetProperty("runJob").GetProperty("run");
        Assert.Equal(JsonValueKind.Null, run.GetProperty("progressDone").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("progressTotal").ValueKind);
        Assert.True(Guid.TryParse(run.GetProperty("id").GetString(), out _));
    }

    [Fact]
    public async Task platformHealth_shows_each_projection_against_the_high_water_mark_and_this_host_with_its_scheduler_off()
    {
        var admin = platform.Admin();
        // Something for the daemon to project: a case.
        await DigestKit.OpenCaseAsync(admin, "Health", "CM", "STAFF");
        var health = await Eventually.GetAsync(
            async () => (await admin.QueryAsync(
                "{ platformHealth { highWaterMark lastEventSequence node projections { name position behind status runningHere } " +
                "schedulerNodes { node thisHost schedulerRunning lastCheckIn checkInIntervalMs late } } }")).GetProperty("platformHealth"),
            h => h.GetProperty("highWaterMark").GetInt64() > 0 && h.GetProperty("projections").GetArrayLength() > 0
                 && h.GetProperty("projections").EnumerateArray().All(p => p.GetProperty("status").GetString() == "CAUGHT_UP"));

        var highWaterMark = health.GetProperty("highWaterMark").GetInt64();
        Assert.True(highWaterMark > 0, health.ToString());
        Assert.True(health.GetProperty("lastEventSequence").GetInt64() >= highWaterMark);
        var projections = health.GetProperty("projections").EnumerateArray().ToList();
        Assert.NotEmpty(projections);
        Assert.All(projections, p =>
        {
            Assert.Equal("CAUGHT_UP", p.GetProperty("status").GetString());
            Assert.Equal(highWaterMark, p.GetProperty("position").GetInt64());
            Assert.Equal(0, p.GetProperty("behind").GetInt64());
        });
        Assert.Equal(projections.Select(p => p.GetProperty("name").GetString()).Order(StringComparer.Ordinal),
            projections.Select(p => p.GetProperty("name").GetString()));

        var node = Assert.Single(health.GetProperty("schedulerNodes").EnumerateArray());
        Assert.Equal(health.GetProperty("node").GetString(), node.GetProperty("node").GetString());
        Assert.True(node.GetProperty("thisHost").GetBoolean());
        Assert.False(node.GetProperty("schedulerRunning").GetBoolean()); // Omct:Jobs:Enabled=false in these tests
        Assert.Equal(JsonValueKind.Null, node.GetProperty("lastCheckIn").ValueKind);
    }

    [Theory]
    [InlineData("{ platformHealth { highWaterMark } }")]
    [InlineData("{ scheduledJobs { running { id progressDone } } }")]
    public async Task Below_ADMIN_the_health_and_the_runs_are_FORBIDDEN(string query)
    {
        var staff = platform.GraphQL(await DigestKit.CreateKeyAsync(platform.Admin(), "STAFF", "RESTRICTED"));
        var response = await staff.PostAsync(query);
        Assert.Equal("FORBIDDEN", response.ErrorCode);
        Assert.False(response.Raw.Contains("projection", StringComparison.OrdinalIgnoreCase), response.Raw);
    }

    private static JsonElement? Running(JsonElement data)
    {
        var job = data.GetProperty("scheduledJobs").EnumerateArray().Single(j => j.GetProperty("name").GetString() == "DEADLINE_REMINDERS");
        var runs = job.GetProperty("running").EnumerateArray().ToList();
        return runs.Count == 0 ? null : runs[0];
    }
}

/// <summary>platformHealth on a host whose scheduler runs: its node as the Quartz cluster sees it.</summary>
public sealed class PlatformHealthSchedulerTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task platformHealth_lists_the_scheduler_node_with_its_last_check_in()
    {
        await using var host = new SchedulerNode(_database.ConnectionString, "node-health");
        await host.InitializeAsync();
        var node = await Eventually.GetAsync(
            async () => (await host.Admin().QueryAsync("{ platformHealth { schedulerNodes { node thisHost schedulerRunning lastCheckIn checkInIntervalMs late } } }"))
                .GetProperty("platformHealth").GetProperty("schedulerNodes").EnumerateArray().Single(),
            n => n.GetProperty("lastCheckIn").ValueKind == JsonValueKind.String);

        Assert.Equal("node-health", node.GetProperty("node").GetString());
        Assert.True(node.GetProperty("thisHost").GetBoolean());
        Assert.True(node.GetProperty("schedulerRunning").GetBoolean());
        Assert.False(node.GetProperty("late").GetBoolean());
        Assert.True(node.GetProperty("checkInIntervalMs").GetInt32() > 0);
        var checkIn = node.GetProperty("lastCheckIn").GetDateTimeOffset();
        Assert.InRange(checkIn, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
