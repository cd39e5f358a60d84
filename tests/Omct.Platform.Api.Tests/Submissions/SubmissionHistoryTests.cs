using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Api.Tests.Reminders;
using Omct.Platform.Api.Tests.Security;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Submissions;

/// <summary>
/// Submissions and calls for input recorded as they were (issue 22): past dates validated, each step in the record's
/// history, and no reminder, deadline or digest entry for the past (fake clock at 2026-11-28, never moved here).
/// </summary>
public sealed class SubmissionHistoryTests(FakeClockPlatformFactory platform) : IClassFixture<FakeClockPlatformFactory>
{
    private const string Fields = "id status dueOn submittedOn outcomeOn recordedOn version history { nodes { action summary by version } }";
    private const string CallFields = "id status deadline closedAt recordedOn version inputs { receivedAt text } history { nodes { action summary version } }";

    [Fact]
    public async Task A_submission_of_2013_is_recorded_submitted_and_given_its_outcome_with_its_past_dates_in_order()
    {
        var plan = "mechanism: UPR, countryCode: \"CO\", title: \"Colombia: 2nd UPR joint report (archive)\", dueOn: \"2013-03-25\", sessionStartsOn: \"2013-04-22\", confidentiality: PUBLIC";
        Assert.Equal(("VALIDATION", "dueOn"), await RefusedAsync("planSubmission", plan));
        Assert.Equal(("VALIDATION", "sessionStartsOn"), await RefusedAsync("planSubmission", plan.Replace("2013-04-22", "2013-03-01", StringComparison.Ordinal) + ", historical: true"));
        var planned = await MutateAsync("planSubmission", plan + ", historical: true");
        var id = planned.GetProperty("id").GetString();
        Assert.Equal(("PLANNED", "2013-03-25", "2026-11-28"),
            (planned.GetProperty("status").GetString(), planned.GetProperty("dueOn").GetString(), planned.GetProperty("recordedOn").GetString()));

        await MutateAsync("attachSubmissionText", $"submissionId: \"{id}\", wordCount: 2500, fileReference: \"colombia-2013.pdf\"");
        Assert.Equal(("VALIDATION", "submittedOn"), await RefusedAsync("markSubmitted", $"submissionId: \"{id}\""));
        Assert.Equal(("VALIDATION", "submittedOn"), await RefusedAsync("markSubmitted", $"submissionId: \"{id}\", submittedOn: \"2026-11-29\""));
        var submitted = await MutateAsync("markSubmitted", $"submissionId: \"{id}\", submittedOn: \"2013-03-20\"");
        Assert.Equal(("SUBMITTED", "2013-03-20"), (submitted.GetProperty("status").GetString(), submitted.GetProperty("submittedOn").GetString()));

        const string Recommendations = "recommendations: [{ text: \"Investigate all allegations of torture\", accepted: true }, { text: \"Ratify OPCAT\", accepted: false }]";
        Assert.Equal(("VALIDATION", "outcomeOn"), await RefusedAsync("recordOutcome", $"submissionId: \"{id}\", {Recommendations}"));
        Assert.Equal(("VALIDATION", "outcomeOn"), await RefusedAsync("recordOutcome", $"submissionId: \"{id}\", {Recommendations}, outcomeOn: \"2013-03-19\""));
        Assert.Equal(("VALIDATION", "outcomeOn"), await RefusedAsync("recordOutcome", $"submissionId: \"{id}\", {Recommendations}, outcomeOn: \"2026-12-01\""));
        var outcome = await MutateAsync("recordOutcome", $"submissionId: \"{id}\", {Recommendations}, outcomeOn: \"2013-10-24\"");
        Assert.Equal(("OUTCOME_RECORDED", "2013-10-24"), (outcome.GetProperty("status").GetString(), outcome.GetProperty("outcomeOn").GetString()));

        var history = outcome.GetProperty("history").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["SUBMISSION_PLANNED", "SUBMISSION_TEXT_ATTACHED", "SUBMISSION_SUBMITTED", "OUTCOME_RECORDED"], history.Select(h => h.GetProperty("action").GetString()));
        Assert.Contains("recorded as it was on 2026-11-28", history[0].GetProperty("summary").GetString());
        Assert.Contains("2013-03-20", history[2].GetProperty("summary").GetString());
        Assert.Equal("Outcome recorded on 2013-10-24: 2 recommendation(s), 1 accepted", history[3].GetProperty("summary").GetString());
        Assert.All(history, h => Assert.StartsWith("apikey:", h.GetProperty("by").GetString()));
        Assert.Equal([1, 2, 3, 4], history.Select(h => h.GetProperty("version").GetInt32()));

        // STAFF writes submissions: an editor may too (it is staff), a member organisation's key may not.
        var member = await KeyAsync("NETWORK_MEMBER", "NETWORK");
        var forbidden = await platform.GraphQL(member).PostAsync($"mutation {{ planSubmission(input: {{ {plan}, historical: true }}) {{ submission {{ id }} }} }}");
        Assert.Equal("FORBIDDEN", forbidden.ErrorCode);
    }

    [Fact]
    public async Task Records_of_the_past_make_no_reminder_no_deadline_and_no_digest_entry_while_their_future_dates_still_do()
    {
        // Due eight days ago (never submitted, in the archive); its UN session still to come.
        var submission = (await MutateAsync("planSubmission",
                "mechanism: CAT, countryCode: \"MX\", title: \"Mexico: archive report\", dueOn: \"2026-11-20\", sessionStartsOn: \"2026-12-10\", confidentiality: PUBLIC, historical: true"))
            .GetProperty("id").GetString()!;
        var call = (await CallMutateAsync("openCallForInput", "title: \"Archive call\", question: \"Q?\", deadline: \"2026-11-25\", historical: true, confidentiality: NETWORK"))
            .GetProperty("id").GetString()!;
        var submissionId = Guid(submission, "Submission");
        var callId = Guid(call, "CallForInput");

        var deadlines = (await platform.Admin().QueryAsync("{ deadlines(from: \"2026-11-01\", to: \"2026-12-31\") { date kind subject { ... on Submission { id } ... on CallForInput { id } } } }"))
            .GetProperty("deadlines").EnumerateArray().Where(d => d.GetProperty("subject").GetProperty("id").GetString() is { } s && (s == submission || s == call)).ToList();
        Assert.Equal([("2026-12-10", "UN_SESSION")], deadlines.Select(d => (d.GetProperty("date").GetString(), d.GetProperty("kind").GetString())));

        // The reminders job run for a day before those dates (a catch-up, or asOf): only the session still to come gets one.
        var run = (await platform.Admin().QueryAsync(ReminderApiTests.RunJob, new { name = "DEADLINE_REMINDERS", asOf = "2026-11-19" })).GetProperty("runJob").GetProperty("run");
        Assert.Equal("SUCCEEDED", run.GetProperty("outcome").GetString());
        var reminders = (await platform.Admin().QueryAsync("{ reminders(first: 100) { nodes { dueOn submissionId callForInputId } } }"))
            .GetProperty("reminders").GetProperty("nodes").EnumerateArray()
            .Where(r => r.GetProperty("submissionId").GetString() == submission || r.GetProperty("callForInputId").GetString() == call).ToList();
        Assert.Equal(["2026-12-10"], reminders.Select(r => r.GetProperty("dueOn").GetString()));

        // What the digests ask the module: neither the past due date nor the past deadline is work of a period.
        var activity = platform.Services.GetRequiredService<ISubmissionActivity>();
        var system = Caller.System("digest-test");
        var inDigest = await activity.DeadlinesAsync(new DateOnly(2026, 11, 15), new DateOnly(2026, 12, 31), system, CancellationToken.None);
        Assert.Equal([new DateOnly(2026, 12, 10)], inDigest.Where(d => d.Key.SubjectId == submissionId || d.Key.SubjectId == callId).Select(d => d.Key.Date));
        Assert.DoesNotContain(await activity.OpenCallsAsync(new DateOnly(2026, 11, 20), system, CancellationToken.None), c => c.Id == callId);
    }

    [Fact]
    public async Task A_call_of_2013_is_recorded_with_its_inputs_received_then_and_closed_then()
    {
        var harare = await OrganisationAsync("Harare Rights Forum", "ZW");
        var bulawayo = await OrganisationAsync("Bulawayo Legal Aid", "ZW");
        const string Open = "title: \"WHRD in Africa (2013)\", question: \"Which challenges?\", deadline: \"2013-04-30\", audienceCountryCodes: [\"ZW\"]";
        Assert.Equal(("VALIDATION", "deadline"), await CallRefusedAsync("openCallForInput", Open));
        var opened = await CallMutateAsync("openCallForInput", Open + ", historical: true");
        var call = opened.GetProperty("id").GetString()!;
        Assert.Equal(("OPEN", "2026-11-28"), (opened.GetProperty("status").GetString(), opened.GetProperty("recordedOn").GetString()));

        // Received then, recorded by staff on the organisation's behalf: not in the future, not after the deadline day.
        Assert.Equal(("VALIDATION", "receivedAt"), await ReceiveAsync(platform.Admin(), call, harare, "2026-12-01T00:00:00Z"));
        Assert.Equal(("VALIDATION", "receivedAt"), await ReceiveAsync(platform.Admin(), call, harare, "2013-05-01T00:00:00Z"));
        Assert.Equal((null, null), await ReceiveAsync(platform.Admin(), call, harare, "2013-04-15T10:00:00Z"));
        // A member organisation speaks for itself, now: it does not date an input, and the call of 2013 is over for it.
        var harareKey = await KeyAsync("NETWORK_MEMBER", "NETWORK", harare);
        Assert.Equal(("FORBIDDEN", null), await ReceiveAsync(platform.GraphQL(harareKey), call, harare, "2013-04-16T10:00:00Z"));
        Assert.Equal(("VALIDATION", "callId"), await ReceiveAsync(platform.GraphQL(harareKey), call, harare, null));

        Assert.Equal(("VALIDATION", "closedAt"), await CallRefusedAsync("closeCallForInput", $"callId: \"{call}\", closedAt: \"2013-04-10T00:00:00Z\""));
        Assert.Equal(("VALIDATION", "closedAt"), await CallRefusedAsync("closeCallForInput", $"callId: \"{call}\", closedAt: \"2026-12-01T00:00:00Z\""));
        var closed = await CallMutateAsync("closeCallForInput", $"callId: \"{call}\", closedAt: \"2013-05-01T00:00:00Z\"");
        Assert.Equal(("CLOSED", new DateTimeOffset(2013, 5, 1, 0, 0, 0, TimeSpan.Zero)),
            (closed.GetProperty("status").GetString(), closed.GetProperty("closedAt").GetDateTimeOffset()));
        Assert.Equal(("VALIDATION", "callId"), await CallRefusedAsync("closeCallForInput", $"callId: \"{call}\""));
        // An input of the archive found later still comes in with its date, before the closing.
        Assert.Equal((null, null), await ReceiveAsync(platform.Admin(), call, bulawayo, "2013-04-29T16:00:00Z"));

        var staffView = (await platform.Admin().QueryAsync($"{{ node(id: \"{call}\") {{ ... on CallForInput {{ {CallFields} }} }} }}")).GetProperty("node");
        Assert.Equal([new DateTimeOffset(2013, 4, 15, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2013, 4, 29, 16, 0, 0, TimeSpan.Zero)],
            staffView.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("receivedAt").GetDateTimeOffset()).Order());
        Assert.Equal(["CALL_FOR_INPUT_OPENED", "INPUT_RECEIVED", "CALL_FOR_INPUT_CLOSED", "INPUT_RECEIVED"],
            staffView.GetProperty("history").GetProperty("nodes").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
        // The member organisation's history names its own input only (not that another organisation answered).
        var memberView = (await platform.GraphQL(harareKey).QueryAsync($"{{ node(id: \"{call}\") {{ ... on CallForInput {{ history {{ nodes {{ action summary }} }} }} }} }}")).GetProperty("node");
        var memberEntries = memberView.GetProperty("history").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(["CALL_FOR_INPUT_OPENED", "INPUT_RECEIVED", "CALL_FOR_INPUT_CLOSED"], memberEntries.Select(h => h.GetProperty("action").GetString()));
        Assert.EndsWith("from your organisation", memberEntries[1].GetProperty("summary").GetString());

        // A call that is not of the past is closed now, never at an earlier moment; closing is STAFF's.
        var current = (await CallMutateAsync("openCallForInput", "title: \"Current call\", question: \"Q?\", deadline: \"2027-02-01\"")).GetProperty("id").GetString()!;
        Assert.Equal(("VALIDATION", "closedAt"), await CallRefusedAsync("closeCallForInput", $"callId: \"{current}\", closedAt: \"2026-11-01T00:00:00Z\""));
        var byMember = await platform.GraphQL(harareKey).PostAsync($"mutation {{ closeCallForInput(input: {{ callId: \"{current}\" }}) {{ callForInput {{ id }} }} }}");
        Assert.Equal("FORBIDDEN", byMember.ErrorCode);
        Assert.Equal("CLOSED", (await CallMutateAsync("closeCallForInput", $"callId: \"{current}\"")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_call_of_the_past_left_open_is_closed_by_the_job_at_the_end_of_its_deadline_day()
    {
        var call = (await CallMutateAsync("openCallForInput", "title: \"Archive call left open\", question: \"Q?\", deadline: \"2014-02-28\", historical: true"))
            .GetProperty("id").GetString()!;
        await using (var scope = platform.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System("test-calls"));
            Assert.Contains(Guid(call, "CallForInput"),
                await scope.ServiceProvider.GetRequiredService<Omct.Platform.Submissions.Handling.SubmissionCommands>().CloseExpiredCallsAsync(CancellationToken.None));
        }

        var closed = (await platform.Admin().QueryAsync($"{{ node(id: \"{call}\") {{ ... on CallForInput {{ status closedAt }} }} }}")).GetProperty("node");
        Assert.Equal(("CLOSED", new DateTimeOffset(2014, 3, 1, 0, 0, 0, TimeSpan.Zero)), (closed.GetProperty("status").GetString(), closed.GetProperty("closedAt").GetDateTimeOffset()));
    }

    private static Guid Guid(string id, string type) => GlobalId.TryDecode(id, type, out var guid) ? guid : throw new ArgumentException(id);

    private async Task<(string?, string?)> ReceiveAsync(GraphQLClient client, string call, string organisation, string? receivedAt)
    {
        var response = await client.PostAsync(
            "mutation($c: ID!, $o: ID!, $at: DateTime) { receiveInput(input: { callId: $c, organisationId: $o, text: \"Our answer\", receivedAt: $at }) { callForInput { id } } }",
            new { c = call, o = organisation, at = receivedAt });
        return (response.ErrorCode, response.ErrorField);
    }

    private async Task<JsonElement> MutateAsync(string mutation, string input) =>
        (await platform.Admin().QueryAsync($"mutation {{ {mutation}(input: {{ {input} }}) {{ submission {{ {Fields} }} }} }}")).GetProperty(mutation).GetProperty("submission");

    private async Task<JsonElement> CallMutateAsync(string mutation, string input) =>
        (await platform.Admin().QueryAsync($"mutation {{ {mutation}(input: {{ {input} }}) {{ callForInput {{ {CallFields} }} }} }}")).GetProperty(mutation).GetProperty("callForInput");

    private async Task<(string?, string?)> RefusedAsync(string mutation, string input)
    {
        var response = await platform.Admin().PostAsync($"mutation {{ {mutation}(input: {{ {input} }}) {{ submission {{ id }} }} }}");
        return (response.ErrorCode, response.ErrorField);
    }

    private async Task<(string?, string?)> CallRefusedAsync(string mutation, string input)
    {
        var response = await platform.Admin().PostAsync($"mutation {{ {mutation}(input: {{ {input} }}) {{ callForInput {{ id }} }} }}");
        return (response.ErrorCode, response.ErrorField);
    }

    private async Task<string> OrganisationAsync(string name, string country) =>
        (await platform.Admin().QueryAsync($"mutation {{ registerOrganisation(input: {{ name: \"{name}\", countryCode: \"{country}\", networkMember: true, confidentiality: PUBLIC }}) {{ organisation {{ id }} }} }}"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;

    private async Task<string> KeyAsync(string role, string clearance, string? organisation = null) =>
        (await platform.Admin().QueryAsync($"mutation {{ createApiKey(input: {{ name: \"t\", role: {role}, clearance: {clearance}{(organisation is null ? "" : $", organisationId: \"{organisation}\"")} }}) {{ key }} }}"))
            .GetProperty("createApiKey").GetProperty("key").GetString()!;
}
