using System.Globalization;
using System.Text.Json;
using Npgsql;
using Omct.Platform.Api.Tests.Cases;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Reminders;

/// <summary>Reminders made by runJob (the scheduler is off in these tests) over the seed page's data and data of their own.</summary>
public sealed class ReminderApiTests(SeededPlatformFactory platform) : IClassFixture<SeededPlatformFactory>
{
    internal const string RunJob = "mutation($name: JobName!, $asOf: Date) { runJob(input: { name: $name, asOf: $asOf }) { run { name items outcome asOf error } } }";

    internal const string Reminders =
        "query($first: Int, $after: String, $filter: ReminderFilter) { reminders(first: $first, after: $after, filter: $filter) { totalCount " +
        "pageInfo { hasNextPage endCursor } edges { cursor node { id kind dueOn remindOn leadDays confidentiality createdAt caseId submissionId callForInputId " +
        "subject { __typename ... on Anniversary { anniversaryKind: kind years days case { reference } caseEvent { type date } } " +
        "... on Deadline { date deadlineKind: kind subject { __typename ... on Submission { title } ... on CallForInput { title } } } } } } } }";

    [Fact]
    public async Task The_reminder_of_Ales_Bialiatskis_first_conviction_anniversary_is_due_on_10_November_2012_and_made_once()
    {
        var run = await RunAsync("ANNIVERSARY_REMINDERS", "2012-11-10");
        Assert.Equal(("SUCCEEDED", "2012-11-10"), (run.GetProperty("outcome").GetString(), run.GetProperty("asOf").GetString()));
        Assert.Equal(2, run.GetProperty("items").GetInt32()); // the conviction and the sentencing, both on 2011-11-24

        var reminders = await RemindersAsync(platform.Admin(), new { remindFrom = "2012-11-10", remindTo = "2012-11-10" });
        var conviction = reminders.Single(r => r.GetProperty("subject").GetProperty("caseEvent").GetProperty("type").GetString() == "CONVICTION");
        Assert.Equal(("ANNIVERSARY", "2012-11-24", "2012-11-10", 14), (conviction.GetProperty("kind").GetString(), conviction.GetProperty("dueOn").GetString(),
            conviction.GetProperty("remindOn").GetString(), conviction.GetProperty("leadDays").GetInt32()));
        var subject = conviction.GetProperty("subject");
        Assert.Equal(("Anniversary", "YEARLY", 1), (subject.GetProperty("__typename").GetString(), subject.GetProperty("anniversaryKind").GetString(), subject.GetProperty("years").GetInt32()));
        Assert.Equal("BLR 001 / 0811 / OBS 001", subject.GetProperty("case").GetProperty("reference").GetString());
        Assert.Equal("PUBLIC", conviction.GetProperty("confidentiality").GetString());
        Assert.NotEqual(JsonValueKind.Null, conviction.GetProperty("caseId").ValueKind);

        // A rerun of the day, and of the days around it, writes nothing at all.
        var (rows, events) = (await CountAsync("omct.reminders_reminder"), await CountAsync("omct.mt_events"));
        Assert.Equal(0, (await RunAsync("ANNIVERSARY_REMINDERS", "2012-11-10")).GetProperty("items").GetInt32());
        Assert.Equal(0, (await RunAsync("ANNIVERSARY_REMINDERS", "2012-11-12")).GetProperty("items").GetInt32());
        Assert.Equal((rows, events), (await CountAsync("omct.reminders_reminder"), await CountAsync("omct.mt_events")));
    }

    [Fact]
    public async Task Deadline_reminders_come_30_7_and_1_day_before_each_deadline_once()
    {
        var asOf = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(40); // submissions are due in the future of the real clock
        var submission = (await platform.Admin().QueryAsync(
                "mutation($due: Date!, $session: Date!) { planSubmission(input: { mechanism: UPR, countryCode: \"MX\", title: \"Mexico UPR reminder\", dueOn: $due, sessionStartsOn: $session, confidentiality: NETWORK }) { submission { id } } }",
                new { due = Day(asOf.AddDays(30)), session = Day(asOf.AddDays(37)) }))
            .GetProperty("planSubmission").GetProperty("submission").GetProperty("id").GetString();
        await platform.Admin().QueryAsync("mutation($deadline: Date!) { openCallForInput(input: { title: \"Reminder call\", question: \"Q?\", deadline: $deadline, confidentiality: NETWORK }) { callForInput { id } } }",
            new { deadline = Day(asOf.AddDays(1)) });

        Assert.True((await RunAsync("DEADLINE_REMINDERS", Day(asOf))).GetProperty("items").GetInt32() >= 2);
        var made = (await RemindersAsync(platform.Admin(), new { kinds = new[] { "DEADLINE" }, remindFrom = Day(asOf.AddDays(-30)), remindTo = Day(asOf) }))
            .Where(r => r.GetProperty("subject").GetProperty("subject").TryGetProperty("title", out var t) && t.GetString()!.Contains("reminder", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(2, made.Count);
        var due = made.Single(r => r.GetProperty("submissionId").GetString() == submission);
        Assert.Equal((Day(asOf.AddDays(30)), Day(asOf), 30), (due.GetProperty("dueOn").GetString(), due.GetProperty("remindOn").GetString(), due.GetProperty("leadDays").GetInt32()));
        Assert.Equal(("SUBMISSION_DUE", "Mexico UPR reminder"), (due.GetProperty("subject").GetProperty("deadlineKind").GetString(),
            due.GetProperty("subject").GetProperty("subject").GetProperty("title").GetString()));
        var call = Assert.Single(made, r => r.GetProperty("callForInputId").ValueKind == JsonValueKind.String);
        Assert.Equal(1, call.GetProperty("leadDays").GetInt32());

        // The session (asOf + 37) enters its 30-day window a week later, the due date its 7-day window 23 days later.
        Assert.Equal(0, (await RunAsync("DEADLINE_REMINDERS", Day(asOf))).GetProperty("items").GetInt32());
        await RunAsync("DEADLINE_REMINDERS", Day(asOf.AddDays(7)));
        var session = Assert.Single(await RemindersAsync(platform.Admin(), new { remindFrom = Day(asOf.AddDays(7)), remindTo = Day(asOf.AddDays(7)) }),
            r => r.GetProperty("submissionId").GetString() == submission);
        Assert.Equal(("UN_SESSION", 30), (session.GetProperty("subject").GetProperty("deadlineKind").GetString(), session.GetProperty("leadDays").GetInt32()));
        await RunAsync("DEADLINE_REMINDERS", Day(asOf.AddDays(23)));
        var week = Assert.Single(await RemindersAsync(platform.Admin(), new { remindFrom = Day(asOf.AddDays(23)), remindTo = Day(asOf.AddDays(23)) }),
            r => r.GetProperty("submissionId").GetString() == submission);
        Assert.Equal((7, Day(asOf.AddDays(30))), (week.GetProperty("leadDays").GetInt32(), week.GetProperty("dueOn").GetString()));
    }

    [Fact]
    public async Task A_reminder_exists_only_for_callers_who_may_see_its_subject_in_lists_and_counts()
    {
        var caseId = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Reminder clearance\", countryCode: \"PE\", openedOn: \"2015-01-02\", confidentiality: PUBLIC }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        await platform.Admin().QueryAsync("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: KILLING, date: \"2015-06-20\", confidentiality: RESTRICTED }) { case { id } } }", new { id = caseId });
        await platform.Admin().QueryAsync("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: TORTURE, date: \"2015-06-21\", confidentiality: STAFF }) { case { id } } }", new { id = caseId });
        Assert.Equal(2, (await RunAsync("ANNIVERSARY_REMINDERS", "2016-06-07")).GetProperty("items").GetInt32());

        var filter = new { remindFrom = "2016-06-06", remindTo = "2016-06-07" };
        var admin = await RemindersAsync(platform.Admin(), filter);
        Assert.Equal(["RESTRICTED", "STAFF"], admin.Select(r => r.GetProperty("confidentiality").GetString()).Order());
        var staffKey = await KeyAsync("STAFF", "STAFF");
        var staff = (await platform.GraphQL(staffKey).QueryAsync(Reminders, new { filter })).GetProperty("reminders");
        Assert.Equal(1, staff.GetProperty("totalCount").GetInt32());
        Assert.Equal("STAFF", Assert.Single(staff.GetProperty("edges").EnumerateArray()).GetProperty("node").GetProperty("confidentiality").GetString());
        var network = (await platform.GraphQL(await KeyAsync("STAFF", "NETWORK")).QueryAsync(Reminders, new { filter })).GetProperty("reminders");
        Assert.Equal(0, network.GetProperty("totalCount").GetInt32());

        Assert.Equal("FORBIDDEN", (await platform.GraphQL(await KeyAsync("NETWORK_MEMBER", "NETWORK")).PostAsync(Reminders)).ErrorCode);
        Assert.Equal("UNAUTHENTICATED", (await platform.GraphQL().PostAsync(Reminders)).ErrorCode);
    }

    [Fact]
    public async Task A_correction_that_raises_the_case_events_level_takes_its_reminders_with_it()
    {
        var created = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Reclassified\", countryCode: \"NP\", openedOn: \"2015-01-02\", confidentiality: PUBLIC }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        var recorded = (await platform.Admin().QueryAsync("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: CONVICTION, date: \"2015-07-20\", confidentiality: PUBLIC }) { case { events { id } } } }", new { id = created }))
            .GetProperty("recordCaseEvent").GetProperty("case").GetProperty("events")[0].GetProperty("id").GetString();
        await RunAsync("ANNIVERSARY_REMINDERS", "2016-07-06");
        var filter = new { remindFrom = "2016-07-06", remindTo = "2016-07-06" };
        var networkKey = await KeyAsync("STAFF", "NETWORK");
        Assert.Equal(1, (await platform.GraphQL(networkKey).QueryAsync(Reminders, new { filter })).GetProperty("reminders").GetProperty("totalCount").GetInt32());

        await platform.Admin().QueryAsync("mutation($id: ID!, $e: ID!) { correctCaseEvent(input: { caseId: $id, eventId: $e, type: CONVICTION, date: \"2015-07-20\", confidentiality: RESTRICTED }) { case { id } } }",
            new { id = created, e = recorded });
        var hidden = (await platform.GraphQL(networkKey).QueryAsync(Reminders, new { filter })).GetProperty("reminders");
        Assert.Equal((0, 0), (hidden.GetProperty("totalCount").GetInt32(), hidden.GetProperty("edges").GetArrayLength()));
        var admin = Assert.Single(await RemindersAsync(platform.Admin(), filter));
        Assert.Equal("RESTRICTED", admin.GetProperty("confidentiality").GetString());
        Assert.Equal("Anniversary", admin.GetProperty("subject").GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task A_withdrawn_case_event_takes_its_reminders_with_it_and_a_later_run_makes_none_again()
    {
        var created = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Withdrawn conviction\", countryCode: \"LA\", openedOn: \"2015-01-02\", confidentiality: PUBLIC }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        var recorded = (await platform.Admin().QueryAsync("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: CONVICTION, date: \"2015-09-14\", confidentiality: PUBLIC }) { case { events { id } } } }", new { id = created }))
            .GetProperty("recordCaseEvent").GetProperty("case").GetProperty("events")[0].GetProperty("id").GetString();
        await RunAsync("ANNIVERSARY_REMINDERS", "2016-08-31");
        var filter = new { remindFrom = "2016-08-31", remindTo = "2016-08-31" };
        Assert.Single(await RemindersAsync(platform.Admin(), filter), r => r.GetProperty("caseId").GetString() == created);

        await platform.Admin().QueryAsync("mutation($id: ID!, $e: ID!) { withdrawCaseEvent(input: { caseId: $id, eventId: $e, reason: \"Recorded twice\" }) { case { id } } }",
            new { id = created, e = recorded });
        Assert.DoesNotContain(await RemindersAsync(platform.Admin(), filter), r => r.GetProperty("caseId").GetString() == created);
        await RunAsync("ANNIVERSARY_REMINDERS", "2016-08-31");
        Assert.DoesNotContain(await RemindersAsync(platform.Admin(), filter), r => r.GetProperty("caseId").GetString() == created);
    }

    [Fact]
    public async Task Raising_the_case_takes_its_reminders_with_it_and_lowering_it_brings_them_back()
    {
        var created = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Raised case\", countryCode: \"NP\", openedOn: \"2015-01-03\", confidentiality: PUBLIC }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        await platform.Admin().QueryAsync("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: SENTENCING, date: \"2015-08-21\", confidentiality: PUBLIC }) { case { id } } }", new { id = created });
        await RunAsync("ANNIVERSARY_REMINDERS", "2016-08-07");
        var filter = new { remindFrom = "2016-08-07", remindTo = "2016-08-07" };
        var networkKey = await KeyAsync("STAFF", "NETWORK");
        int Visible(JsonElement data) => data.GetProperty("reminders").GetProperty("totalCount").GetInt32();
        Assert.Equal(1, Visible(await platform.GraphQL(networkKey).QueryAsync(Reminders, new { filter })));

        await platform.Admin().QueryAsync("mutation($id: ID!) { changeCaseConfidentiality(input: { caseId: $id, confidentiality: STAFF }) { case { id } } }", new { id = created });
        Assert.Equal(0, Visible(await platform.GraphQL(networkKey).QueryAsync(Reminders, new { filter })));
        Assert.Equal("STAFF", Assert.Single(await RemindersAsync(platform.Admin(), filter)).GetProperty("confidentiality").GetString());

        await platform.Admin().QueryAsync("mutation($id: ID!) { changeCaseConfidentiality(input: { caseId: $id, confidentiality: NETWORK }) { case { id } } }", new { id = created });
        Assert.Equal(1, Visible(await platform.GraphQL(networkKey).QueryAsync(Reminders, new { filter })));
    }

    [Fact]
    public async Task Reminders_page_newest_first_with_cursors_that_hold_while_rows_are_added()
    {
        await RunAsync("ANNIVERSARY_REMINDERS", "2013-11-10");
        await RunAsync("ANNIVERSARY_REMINDERS", "2014-11-10");
        var filter = new { kinds = new[] { "ANNIVERSARY" }, remindFrom = "2013-11-01", remindTo = "2014-11-30" };
        var first = (await platform.Admin().QueryAsync(Reminders, new { first = 1, filter })).GetProperty("reminders");
        Assert.True(first.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var total = first.GetProperty("totalCount").GetInt32();
        Assert.Equal(4, total);
        var top = first.GetProperty("edges")[0].GetProperty("node");
        Assert.Equal("2014-11-10", top.GetProperty("remindOn").GetString());

        await RunAsync("ANNIVERSARY_REMINDERS", "2015-11-10"); // newer rows arrive before the next page is read
        var rest = (await platform.Admin().QueryAsync(Reminders, new { first = 10, after = first.GetProperty("pageInfo").GetProperty("endCursor").GetString(), filter }))
            .GetProperty("reminders").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToList();
        Assert.Equal(total - 1, rest.Count);
        Assert.DoesNotContain(rest, r => r.GetProperty("id").GetString() == top.GetProperty("id").GetString());
        Assert.Equal(rest.Select(r => r.GetProperty("remindOn").GetString()).OrderDescending(StringComparer.Ordinal), rest.Select(r => r.GetProperty("remindOn").GetString()));
        Assert.Equal(("VALIDATION", "after"), await ErrorAsync(new { after = "not-a-cursor" }));
        Assert.Equal(("VALIDATION", "filter.remindFrom"), await ErrorAsync(new { filter = new { remindFrom = "2014-01-02", remindTo = "2014-01-01" } }));
        Assert.Equal(("VALIDATION", "filter.remindTo"), await ErrorAsync(new { filter = new { remindTo = "9999-12-31" } })); // was INTERNAL
        Assert.Equal(("VALIDATION", "filter.remindFrom"), await ErrorAsync(new { filter = new { remindFrom = "0001-01-01" } }));
    }

    private async Task<(string?, string?)> ErrorAsync(object variables)
    {
        var response = await platform.Admin().PostAsync(Reminders, variables);
        return (response.ErrorCode, response.ErrorField);
    }

    internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<JsonElement> RunAsync(string name, string asOf) =>
        (await platform.Admin().QueryAsync(RunJob, new { name, asOf })).GetProperty("runJob").GetProperty("run");

    private async Task<List<JsonElement>> RemindersAsync(GraphQLClient client, object filter) =>
        (await client.QueryAsync(Reminders, new { first = 100, filter })).GetProperty("reminders").GetProperty("edges").EnumerateArray()
        .Select(e => e.GetProperty("node")).ToList();

    private async Task<string> KeyAsync(string role, string clearance) =>
        (await platform.Admin().QueryAsync($"mutation {{ createApiKey(input: {{ name: \"{role}-{clearance}-{Guid.NewGuid():N}\", role: {role}, clearance: {clearance} }}) {{ key }} }}"))
        .GetProperty("createApiKey").GetProperty("key").GetString()!;

    private async Task<long> CountAsync(string table)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
