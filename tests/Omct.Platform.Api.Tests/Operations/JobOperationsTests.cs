using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omct.Platform.Api.Tests.Hosting;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Testing;
using Serilog.Events;
using Xunit;

namespace Omct.Platform.Api.Tests.Operations;

/// <summary>A job that always fails, to watch what admins see of a failure.</summary>
internal sealed class BrokenJob : SystemJob
{
    public static readonly JobDefinition Definition = new("BROKEN_FOR_TESTS", typeof(BrokenJob), JobSchedule.Every(TimeSpan.FromHours(1)), "broken", "Fails on purpose.");

    protected override Task<int> RunAsync(JobRunContext run, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The mail relay refused the connection");
}

internal sealed class BrokenJobModule : PlatformModule
{
    public override string Name => "broken";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddSystemJob<BrokenJob>(BrokenJob.Definition);
}

public sealed class BrokenJobPlatformFactory : PlatformFactory
{
    protected override IEnumerable<PlatformModule> ExtraModules => [new BrokenJobModule()];
}

/// <summary>runJob and scheduledJobs: one mechanism for every job, with the scheduler off (as in these tests) or on.</summary>
public sealed class JobOperationsTests(BrokenJobPlatformFactory platform) : IClassFixture<BrokenJobPlatformFactory>
{
    private const string RunJob = "mutation($input: RunJobInput!) { runJob(input: $input) { clientMutationId run { name startedAt durationMs items outcome asOf trigger node error } } }";

    [Fact]
    public async Task runJob_runs_a_job_with_the_scheduler_off_and_scheduledJobs_shows_the_run()
    {
        var run = (await platform.Admin().QueryAsync(RunJob, new { input = new { name = "PUBLISH_SCHEDULED_ARTICLES" } }))
            .GetProperty("runJob").GetProperty("run");
        Assert.Equal(("PUBLISH_SCHEDULED_ARTICLES", "SUCCEEDED", "MANUAL", 0), (run.GetProperty("name").GetString(),
            run.GetProperty("outcome").GetString(), run.GetProperty("trigger").GetString(), run.GetProperty("items").GetInt32()));

        var jobs = (await platform.Admin().QueryAsync(
                "{ scheduledJobs { name cron intervalSeconds timeZone takesAsOf nextFireTime lastRun { outcome startedAt node } } }"))
            .GetProperty("scheduledJobs").EnumerateArray().ToDictionary(j => j.GetProperty("name").GetString()!);
        Assert.Contains("CLOSE_EXPIRED_CALLS", jobs.Keys);
        var publish = jobs["PUBLISH_SCHEDULED_ARTICLES"];
        Assert.Equal(60, publish.GetProperty("intervalSeconds").GetInt32());
        Assert.Equal(JsonValueKind.Null, publish.GetProperty("nextFireTime").ValueKind); // the scheduler is off here
        Assert.Equal("SUCCEEDED", publish.GetProperty("lastRun").GetProperty("outcome").GetString());
        Assert.Equal(run.GetProperty("startedAt").GetString(), publish.GetProperty("lastRun").GetProperty("startedAt").GetString());
        Assert.Equal(JsonValueKind.Null, jobs["CLOSE_EXPIRED_CALLS"].GetProperty("lastRun").ValueKind);

        Assert.Contains(platform.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Job {Job} on {Node}", StringComparison.Ordinal)
            && e.Properties["Job"].ToString() == "\"PUBLISH_SCHEDULED_ARTICLES\"" && e.Properties.ContainsKey("Duration")
            && e.Properties.ContainsKey("Items") && e.Properties["Outcome"].ToString() == "Succeeded");
    }

    [Fact]
    public async Task A_failing_run_is_recorded_with_its_message_and_logged_with_its_stack_trace()
    {
        var run = (await platform.Admin().QueryAsync(RunJob, new { input = new { name = "BROKEN_FOR_TESTS" } })).GetProperty("runJob").GetProperty("run");
        Assert.Equal("FAILED", run.GetProperty("outcome").GetString());
        var error = run.GetProperty("error").GetString()!;
        Assert.Equal("InvalidOperationException: The mail relay refused the connection", error);
        Assert.DoesNotContain(" at ", error, StringComparison.Ordinal);

        var last = (await platform.Admin().QueryAsync("{ scheduledJobs { name lastRun { outcome error } } }"))
            .GetProperty("scheduledJobs").EnumerateArray().Single(j => j.GetProperty("name").GetString() == "BROKEN_FOR_TESTS");
        Assert.Equal("FAILED", last.GetProperty("lastRun").GetProperty("outcome").GetString());
        Assert.Contains(platform.Logs.Events, e => e.Level == LogEventLevel.Error && e.Exception is InvalidOperationException
            && e.Properties["Job"].ToString() == "\"BROKEN_FOR_TESTS\"");
    }

    [Fact]
    public async Task A_failing_scheduled_run_reaches_Quartz_as_a_JobExecutionException()
    {
        var runner = platform.Services.GetRequiredService<JobRunner>();
        var failure = await Assert.ThrowsAsync<Quartz.JobExecutionException>(() => ScheduledSystemJob.FireAsync(runner, "BROKEN_FOR_TESTS", CancellationToken.None));
        Assert.False(failure.RefireImmediately);
        Assert.IsType<JobRunFailedException>(failure.InnerException);
    }

    [Fact]
    public async Task runJob_is_for_admins_validates_its_input_and_repeats_nothing_for_the_same_clientMutationId()
    {
        var staffKey = (await platform.Admin().QueryAsync("mutation { createApiKey(input: { name: \"staff\", role: STAFF, clearance: STAFF }) { key } }"))
            .GetProperty("createApiKey").GetProperty("key").GetString();
        Assert.Equal("FORBIDDEN", (await platform.GraphQL(staffKey).PostAsync(RunJob, new { input = new { name = "PUBLISH_SCHEDULED_ARTICLES" } })).ErrorCode);
        Assert.Equal("FORBIDDEN", (await platform.GraphQL(staffKey).PostAsync("{ scheduledJobs { name } }")).ErrorCode);
        Assert.Equal("UNAUTHENTICATED", (await platform.GraphQL().PostAsync("{ scheduledJobs { name } }")).ErrorCode);

        var asOf = await platform.Admin().PostAsync(RunJob, new { input = new { name = "CLOSE_EXPIRED_CALLS", asOf = "2026-01-01" } });
        Assert.Equal(("VALIDATION", "asOf"), (asOf.ErrorCode, asOf.ErrorField));

        var runs = await RunCountAsync();
        var first = (await platform.Admin().QueryAsync(RunJob, new { input = new { name = "CLOSE_EXPIRED_CALLS", clientMutationId = "ops-1" } })).GetProperty("runJob");
        var again = (await platform.Admin().QueryAsync(RunJob, new { input = new { name = "CLOSE_EXPIRED_CALLS", clientMutationId = "ops-1" } })).GetProperty("runJob");
        Assert.Equal(first.GetProperty("run").GetProperty("startedAt").GetString(), again.GetProperty("run").GetProperty("startedAt").GetString());
        Assert.Equal("ops-1", again.GetProperty("clientMutationId").GetString());
        Assert.Equal(runs + 1, await RunCountAsync());
    }

    private async Task<long> RunCountAsync()
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from omct.jobs_runs", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>A scheduler that is on answers the next fire time of each job.</summary>
public sealed class ScheduledJobsWithSchedulerTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task With_the_scheduler_on_each_job_has_a_next_fire_time()
    {
        await using var node = new SchedulerNode(_database.ConnectionString, "node-ops");
        await node.InitializeAsync();
        var jobs = await Eventually.GetAsync(
            async () => (await node.Admin().QueryAsync("{ scheduledJobs { name nextFireTime } }")).GetProperty("scheduledJobs").EnumerateArray().ToList(),
            list => list.All(j => j.GetProperty("nextFireTime").ValueKind == JsonValueKind.String));
        Assert.All(jobs, j => Assert.Equal(JsonValueKind.String, j.GetProperty("nextFireTime").ValueKind));
    }
}

public sealed class IntervalOverridePlatformFactory : PlatformFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:Jobs:Intervals:PUBLISH_SCHEDULED_ARTICLES"] = "00:00:07",
    };
}

/// <summary>Omct:Jobs:Intervals changes an interval job's schedule for the scheduler and scheduledJobs alike; a wrong name fails start-up.</summary>
public sealed class JobIntervalOverrideTests(IntervalOverridePlatformFactory platform) : IClassFixture<IntervalOverridePlatformFactory>
{
    [Fact]
    public async Task A_configured_interval_replaces_the_jobs_own()
    {
        var jobs = (await platform.Admin().QueryAsync("{ scheduledJobs { name intervalSeconds } }"))
            .GetProperty("scheduledJobs").EnumerateArray().ToDictionary(j => j.GetProperty("name").GetString()!, j => j.GetProperty("intervalSeconds"));
        Assert.Equal(7, jobs["PUBLISH_SCHEDULED_ARTICLES"].GetInt32());
        Assert.Equal(900, jobs["CLOSE_EXPIRED_CALLS"].GetInt32());
    }

    [Theory]
    [InlineData("NO_SUCH_JOB", "00:00:05", "there is no job named NO_SUCH_JOB")]
    [InlineData("ANNIVERSARY_REMINDERS", "00:00:05", "runs on a daily schedule")]
    [InlineData("CLOSE_EXPIRED_CALLS", "00:00:00.1", "must be between")]
    public async Task A_bad_interval_setting_fails_start_up_naming_it(string job, string interval, string message)
    {
        IAsyncLifetime host = new BadIntervalPlatformFactory(job, interval);
        try
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(host.InitializeAsync);
            Assert.Contains($"Omct:Jobs:Intervals:{job}", failure.ToString(), StringComparison.Ordinal);
            Assert.Contains(message, failure.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync(); // drops its database
        }
    }
}

internal sealed class BadIntervalPlatformFactory(string job, string interval) : PlatformFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { [$"Omct:Jobs:Intervals:{job}"] = interval };
}
