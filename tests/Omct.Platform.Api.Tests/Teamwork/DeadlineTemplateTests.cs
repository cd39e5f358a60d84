using System.Globalization;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Api.Tests.Calendar;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Teamwork;

/// <summary>
/// The task templates on deadlines: a UPR submission's stages and a call for input's deadline give the record's owner
/// their tasks when it gets one — once per template and record, whoever owns it next.
/// </summary>
public sealed class DeadlineTemplateTests(CalendarFeedFactory platform) : IClassFixture<CalendarFeedFactory>
{
    [Fact]
    public async Task A_UPR_submission_gives_its_owner_the_preparation_tasks_of_its_stages_once()
    {
        var admin = platform.Admin();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var dueOn = today.AddDays(100);
        var session = today.AddDays(160);
        var submission = (await admin.QueryAsync(
                "mutation($d: Date!, $s: Date!) { planSubmission(input: { mechanism: UPR, countryCode: \"BY\", title: \"UPR Belarus template\", dueOn: $d, sessionStartsOn: $s }) { submission { id } } }",
                new { d = Day(dueOn), s = Day(session) }))
            .GetProperty("planSubmission").GetProperty("submission").GetProperty("id").GetString()!;
        var unowned = (await admin.QueryAsync(
                "mutation($d: Date!) { planSubmission(input: { mechanism: UPR, countryCode: \"BY\", title: \"UPR nobody owns\", dueOn: $d }) { submission { id } } }",
                new { d = Day(dueOn) }))
            .GetProperty("planSubmission").GetProperty("submission").GetProperty("id").GetString()!;
        var owner = await AccountsSetup.InviteAsync(admin, "template.upr@example.org", "STAFF", "STAFF");
        var next = await AccountsSetup.InviteAsync(admin, "template.upr.next@example.org", "STAFF", "STAFF");

        // Planned before anyone owned it: the tasks come with the owner.
        await TeamworkKit.AssignOwnerAsync(admin, submission, owner);
        var tasks = await TeamworkKit.TasksOfAsync(platform, admin, submission);
        Assert.Equal(
            [("UPR_SUBMISSION_PREPARATION", Day(dueOn.AddDays(-14)), owner), ("UPR_SESSION_PREPARATION", Day(session.AddDays(-14)), owner)],
            tasks.EnumerateArray().Select(t => (t.GetProperty("template").GetString()!, t.GetProperty("dueOn").GetString()!, t.GetProperty("assigneeId").GetString()!)));
        Assert.Contains("Prepare the UPR submission \"UPR Belarus template\"", tasks[0].GetProperty("title").GetString()!, StringComparison.Ordinal);

        // Another owner, and the first one again: still one task per template.
        await TeamworkKit.AssignOwnerAsync(admin, submission, next);
        await TeamworkKit.AssignOwnerAsync(admin, submission, owner);
        Assert.Equal(2, (await TeamworkKit.TasksOfAsync(platform, admin, submission)).GetArrayLength());
        Assert.Equal(0, (await TeamworkKit.TasksOfAsync(platform, admin, unowned)).GetArrayLength());
    }

    [Fact]
    public async Task A_call_for_input_gives_its_owner_the_task_to_answer_it_before_its_deadline_once()
    {
        var admin = platform.Admin();
        var deadline = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30);
        var call = (await admin.QueryAsync(
                "mutation($d: Date!) { openCallForInput(input: { title: \"Template call\", question: \"What happened?\", deadline: $d }) { callForInput { id } } }",
                new { d = Day(deadline) }))
            .GetProperty("openCallForInput").GetProperty("callForInput").GetProperty("id").GetString()!;
        var owner = await AccountsSetup.InviteAsync(admin, "template.call@example.org", "STAFF", "STAFF");
        await TeamworkKit.AssignOwnerAsync(admin, call, owner);
        await TeamworkKit.AssignOwnerAsync(admin, call, owner); // a repeat writes nothing

        var task = Assert.Single((await TeamworkKit.TasksOfAsync(platform, admin, call)).EnumerateArray());
        Assert.Equal("CALL_FOR_INPUT_ANSWER", task.GetProperty("template").GetString());
        Assert.Equal(Day(deadline), task.GetProperty("dueOn").GetString());
        Assert.Equal($"Answer the call for input \"Template call\" before {Day(deadline)}", task.GetProperty("title").GetString());
        Assert.Equal(owner, task.GetProperty("assigneeId").GetString());
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
