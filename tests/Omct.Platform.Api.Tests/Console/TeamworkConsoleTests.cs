using System.Text.Json;
using Microsoft.Playwright;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// Teamwork in the console (Debian's Chromium against the real host): a coordinator assigns a case to a colleague, gives
/// them a task and mentions them in a note on the case page's "Team" section; the colleague signs in, finds both in
/// "My work" and marks the task done — checked on the screen and through GraphQL. Axe and screenshots of the new
/// screens (the team section, My work, the team's tasks, the dashboard's counts) in EN/FR/ES.
/// </summary>
public sealed class TeamworkConsoleTests(ConsoleFixture console, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    private GraphQLClient Admin => new(new HttpClient { BaseAddress = console.BaseUrl }, PlatformFactory.AdminKey);

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task A_coordinator_assigns_a_case_gives_a_task_and_mentions_a_colleague_who_marks_it_done_in_my_work()
    {
        var caseId = await FeedKit.OpenCaseAsync(Admin, "Belarus: detention of a human rights defender", "STAFF", "BY");
        var colleague = await console.PersonAsync("anna.teamwork@example.org");
        // The coordinator is a STAFF person: `colleagues` offers the active staff whose clearance reaches the case.
        var coordinator = await ConsolePages.SignedInPageAsync(console, "coordinator.teamwork@example.org", role: "STAFF", clearance: "STAFF");
        await coordinator.GotoAsync($"{Base}/console/cases/{Uri.EscapeDataString(caseId)}");
        var team = coordinator.GetByTestId("record-team");
        await Assertions.Expect(team.GetByTestId("team-owner")).ToContainTextAsync("No owner");

        // The owner: the colleague.
        await team.GetByRole(AriaRole.Button, new() { Name = "Assign an owner" }).ClickAsync();
        var dialog = coordinator.GetByRole(AriaRole.Dialog);
        await ConsolePages.ChooseAsync(coordinator, dialog.GetByLabel("Owner"), "Person anna.teamwork@example.org");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(team.GetByTestId("team-owner")).ToContainTextAsync("Person anna.teamwork@example.org");

        // A task for the colleague, due tomorrow.
        await team.GetByRole(AriaRole.Button, new() { Name = "Add a task" }).ClickAsync();
        dialog = coordinator.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Task").FillAsync("Call the lawyer");
        await dialog.GetByLabel(new System.Text.RegularExpressions.Regex("^Due on")).FillAsync(Today.AddDays(1).ToString("yyyy-MM-dd"));
        await dialog.GetByRole(AriaRole.Heading).First.ClickAsync();
        await ConsolePages.ChooseAsync(coordinator, dialog.GetByLabel("Assignee"), "Person anna.teamwork@example.org");
        await ConsolePages.ScreenshotAsync(coordinator, "teamwork-task-form-en.png");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var tasks = team.GetByTestId("record-tasks");
        await Assertions.Expect(tasks).ToContainTextAsync("Call the lawyer");
        await Assertions.Expect(tasks).ToContainTextAsync("Person anna.teamwork@example.org");

        // A note mentioning her: Markdown in, sanitised HTML out; the level defaults to Staff.
        await team.GetByRole(AriaRole.Button, new() { Name = "Write a note" }).ClickAsync();
        dialog = coordinator.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByLabel("Who may see it")).ToHaveValueAsync("Staff");
        await dialog.GetByLabel("Note (Markdown)").FillAsync("Called the **family**; the lawyer visits on Tuesday. @anna.teamwork please follow up. <script>alert(1)</script>");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var notes = team.GetByTestId("record-notes");
        await Assertions.Expect(notes.Locator("strong")).ToHaveTextAsync("family");
        await Assertions.Expect(notes.Locator("script")).ToHaveCountAsync(0);
        await Assertions.Expect(notes).ToContainTextAsync("Person coordinator.teamwork@example.org");
        await ConsolePages.AssertAccessibleAsync(coordinator, "case team section", output);
        await ConsolePages.ScreenshotAsync(coordinator, "teamwork-case-team-en.png");

        // An overdue task of hers, made through the API, to show how My work marks it.
        await Admin.QueryAsync(
            "mutation($r: ID!, $a: ID!, $d: Date!) { createTask(input: { recordId: $r, title: \"Send the follow-up appeal\", dueOn: $d, assigneeId: $a }) { task { id } } }",
            new { r = caseId, a = colleague.Id, d = Today.AddDays(-2).ToString("yyyy-MM-dd") });

        // The colleague signs in: the dashboard counts her work, My work lists it.
        var (_, page, _) = await ConsolePages.NewPageAsync(console);
        await page.GotoAsync(console.Url("/sign-in"));
        await ConsolePages.SignInAsync(page, colleague);
        await page.GotoAsync(console.Url("/"));
        await Assertions.Expect(page.GetByTestId("kpi-my-open-tasks")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByTestId("kpi-my-overdue-tasks")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("kpi-my-unread-mentions")).ToHaveTextAsync("1");
        await ConsolePages.AssertAccessibleAsync(page, "dashboard with my work's counts", output);
        await ConsolePages.ScreenshotAsync(page, "teamwork-dashboard-counts-en.png");
        await page.GetByTestId("kpi-my-open-tasks").GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/work$"));

        var myTasks = page.GetByTestId("my-tasks");
        await Assertions.Expect(myTasks).ToContainTextAsync("Call the lawyer");
        await Assertions.Expect(myTasks.Locator("[data-overdue]")).ToHaveCountAsync(1);
        await Assertions.Expect(myTasks.Locator("tr", new() { HasText = "Send the follow-up appeal" })).ToContainTextAsync("overdue");
        var mentions = page.GetByTestId("my-mentions");
        await Assertions.Expect(mentions).ToContainTextAsync("the lawyer visits on Tuesday");
        await Assertions.Expect(mentions.GetByRole(AriaRole.Link)).ToContainTextAsync("Belarus: detention of a human rights defender");
        await Assertions.Expect(page.GetByTestId("my-records")).ToContainTextAsync("Belarus: detention of a human rights defender");
        await ConsolePages.AssertAccessibleAsync(page, "my work", output);
        await ConsolePages.ScreenshotAsync(page, "teamwork-my-work-en.png");

        await myTasks.GetByRole(AriaRole.Button, new() { Name = "Mark “Call the lawyer” done" }).DblClickAsync();
        await Assertions.Expect(myTasks).Not.ToContainTextAsync("Call the lawyer");
        await mentions.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Mark read") }).ClickAsync();
        await Assertions.Expect(mentions).ToContainTextAsync("No unread mention.");

        // Through GraphQL: the task is done once (one TASK_COMPLETED despite the double click), her mention read.
        var done = (await Admin.QueryAsync(
                "query($a: ID!) { tasks(filter: { assigneeId: $a, statuses: [DONE] }) { nodes { title status version history { nodes { action } } } } }",
                new { a = colleague.Id }))
            .GetProperty("tasks").GetProperty("nodes");
        var task = Assert.Single(done.EnumerateArray());
        Assert.Equal("Call the lawyer", task.GetProperty("title").GetString());
        Assert.Equal(1, task.GetProperty("history").GetProperty("nodes").EnumerateArray().Count(e => e.GetProperty("action").GetString() == "TASK_COMPLETED"));
        var open = (await Admin.QueryAsync("query($a: ID!) { tasks(filter: { assigneeId: $a, statuses: [OPEN] }) { totalCount } }", new { a = colleague.Id }))
            .GetProperty("tasks").GetProperty("totalCount").GetInt32();
        Assert.Equal(1, open);
        var owner = (await Admin.QueryAsync("query($r: ID!) { teamwork(recordId: $r) { owner { accountId } } }", new { r = caseId }))
            .GetProperty("teamwork").GetProperty("owner").GetProperty("accountId").GetString();
        Assert.Equal(colleague.Id, owner);

        // The coordinator's team view: every open task, filtered by assignee and due window, with the pager.
        await coordinator.GotoAsync(console.Url("/work/team?due=overdue"));
        var teamTasks = coordinator.GetByTestId("team-tasks");
        await Assertions.Expect(teamTasks).ToContainTextAsync("Send the follow-up appeal");
        await Assertions.Expect(teamTasks).Not.ToContainTextAsync("Call the lawyer");
        await ConsolePages.AssertAccessibleAsync(coordinator, "team tasks", output);
        await ConsolePages.ScreenshotAsync(coordinator, "teamwork-team-tasks-en.png");

        // From there the coordinator takes the overdue task over, then cancels it with a reason.
        await teamTasks.GetByRole(AriaRole.Button, new() { Name = "Reassign “Send the follow-up appeal”" }).ClickAsync();
        dialog = coordinator.GetByRole(AriaRole.Dialog);
        await ConsolePages.ChooseAsync(coordinator, dialog.GetByLabel("New assignee"), "Person coordinator.teamwork@example.org");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(teamTasks).ToContainTextAsync("Person coordinator.teamwork@example.org");
        await Assertions.Expect(coordinator.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await teamTasks.GetByRole(AriaRole.Button, new() { Name = "Cancel “Send the follow-up appeal”" }).ClickAsync();
        dialog = coordinator.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Why (optional)").FillAsync("The family answered.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(teamTasks).ToContainTextAsync("No open task matches.");
        var cancelled = (await Admin.QueryAsync(
                "query($r: ID!) { tasks(filter: { recordId: $r, statuses: [CANCELLED] }) { nodes { title assignee { name } } } }", new { r = caseId }))
            .GetProperty("tasks").GetProperty("nodes");
        var gone = Assert.Single(cancelled.EnumerateArray());
        Assert.Equal("Send the follow-up appeal", gone.GetProperty("title").GetString());
        Assert.Equal("Person coordinator.teamwork@example.org", gone.GetProperty("assignee").GetProperty("name").GetString());
        await page.Context.CloseAsync();
        await coordinator.Context.CloseAsync();
    }

    [Fact]
    public async Task A_conviction_anniversary_reaches_the_case_owners_work_where_it_is_seen_or_snoozed()
    {
        var caseId = await FeedKit.OpenCaseAsync(Admin, "Belarus: a conviction to remember", "STAFF", "BY");
        await Admin.QueryAsync("mutation($c: ID!) { recordCaseEvent(input: { caseId: $c, type: CONVICTION, date: \"2015-07-20\", confidentiality: STAFF }) { case { id } } }",
            new { c = caseId });
        await Admin.QueryAsync("mutation($c: ID!) { recordCaseEvent(input: { caseId: $c, type: SENTENCING, date: \"2015-07-20\", confidentiality: STAFF }) { case { id } } }",
            new { c = caseId });
        var owner = await console.PersonAsync("rita.reminders@example.org");
        await Admin.QueryAsync("mutation($r: ID!, $a: ID!) { assignOwner(input: { recordId: $r, accountId: $a }) { teamwork { id } } }", new { r = caseId, a = owner.Id });
        // The anniversaries' day (14 days ahead of the first), then their delivery to the people of the record.
        foreach (var (job, asOf) in new[] { ("ANNIVERSARY_REMINDERS", "2016-07-06"), ("TEAMWORK_NOTIFICATIONS", (string?)null) })
        {
            var run = (await Admin.QueryAsync(Reminders.ReminderApiTests.RunJob, new { name = job, asOf })).GetProperty("runJob").GetProperty("run");
            Assert.Equal("SUCCEEDED", run.GetProperty("outcome").GetString());
        }

        var (_, page, _) = await ConsolePages.NewPageAsync(console);
        await page.GotoAsync(console.Url("/sign-in"));
        await ConsolePages.SignInAsync(page, owner);
        await page.GotoAsync(console.Url("/work"));
        var reminders = page.GetByTestId("my-reminders");
        await Assertions.Expect(reminders.Locator("li")).ToHaveCountAsync(2);
        await Assertions.Expect(reminders).ToContainTextAsync("1 year since the conviction");
        await Assertions.Expect(reminders).ToContainTextAsync("Belarus: a conviction to remember");
        await Assertions.Expect(reminders).ToContainTextAsync("you own it");
        await ConsolePages.AssertAccessibleAsync(page, "my reminders", output);
        await ConsolePages.ScreenshotAsync(page, "teamwork-my-reminders-en.png");

        // Seen: it leaves my work; the other snoozed for a week: gone until then — also after a reload (the server's state).
        await reminders.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Seen, remove from my work: 1 year since the conviction") }).DblClickAsync();
        await Assertions.Expect(reminders.Locator("li")).ToHaveCountAsync(1);
        await reminders.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Snooze a week: ") }).ClickAsync();
        await Assertions.Expect(reminders).ToContainTextAsync("No reminder.");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("my-reminders")).ToContainTextAsync("No reminder.");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("fr", "Mon travail", "Les tâches de l'équipe", "Travail d'équipe", "Suivre")]
    [InlineData("es", "Mi trabajo", "Las tareas del equipo", "Trabajo en equipo", "Seguir")]
    public async Task The_teamwork_screens_speak_the_persons_language_and_pass_axe(string language, string myWork, string teamTab, string teamSection, string watch)
    {
        var caseId = await FeedKit.OpenCaseAsync(Admin, $"Teamwork ({language})", "STAFF", "BY");
        var page = await ConsolePages.SignedInPageAsync(console, $"staff.teamwork.{language}@example.org", language: language);
        await page.GotoAsync($"{Base}/console/cases/{Uri.EscapeDataString(caseId)}");
        var team = page.GetByTestId("record-team");
        await Assertions.Expect(team.GetByRole(AriaRole.Heading, new() { Name = teamSection, Exact = true })).ToBeVisibleAsync();
        // A STAFF person watches the record: it becomes one of their records.
        await team.GetByRole(AriaRole.Button, new() { Name = watch, Exact = true }).ClickAsync();
        await Assertions.Expect(team.GetByTestId("team-watchers")).ToContainTextAsync($"staff.teamwork.{language}@example.org");
        await ConsolePages.AssertAccessibleAsync(page, $"case team section {language}", output);
        await ConsolePages.ScreenshotAsync(page, $"teamwork-case-team-{language}.png");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = myWork }).ClickAsync();
        await page.Mouse.MoveAsync(600, 5); // off the navigation: axe checks the link as it is shown, not hovered
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = myWork, Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("my-records")).ToContainTextAsync($"Teamwork ({language})");
        await ConsolePages.AssertAccessibleAsync(page, $"my work {language}", output);
        await ConsolePages.ScreenshotAsync(page, $"teamwork-my-work-{language}.png");

        await page.GetByRole(AriaRole.Tab, new() { Name = teamTab }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("team-tasks")).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, $"team tasks {language}", output);
        await ConsolePages.ScreenshotAsync(page, $"teamwork-team-tasks-{language}.png");
        await page.Context.CloseAsync();
    }

    private string Base => console.BaseUrl.ToString().TrimEnd('/');
}
