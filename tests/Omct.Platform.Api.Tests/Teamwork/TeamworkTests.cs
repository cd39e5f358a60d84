using System.Text.Json;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Api.Tests.Calendar;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Teamwork;

/// <summary>
/// Teamwork through GraphQL against PostgreSQL: owners and watchers within clearance, tasks, internal notes with their own
/// level and mentions, and myWork — each seen only as far as the caller's clearance reaches, on every path. On the demo data
/// with people made through the real paths (the calendar feeds' host).
/// </summary>
public sealed class TeamworkTests(CalendarFeedFactory platform) : IClassFixture<CalendarFeedFactory>
{
    private const string Team = "query($r: ID!) { teamwork(recordId: $r) { id version owner { accountId name } watchers { accountId } " +
                                "notes { totalCount nodes { id markdown bodyHtml confidentiality } } history { nodes { action summary } } } }";

    private const string MyWork = "{ myWork { openTasks { id title dueOn status } records { recordId } unreadMentions { id note { id markdown } } } }";

    [Fact]
    public async Task Owners_and_watchers_need_a_clearance_that_reaches_the_record_and_a_hidden_record_is_NOT_FOUND()
    {
        var admin = platform.Admin();
        var staffCase = await OpenCaseAsync(admin, "Teamwork: staff case", "STAFF");
        var restrictedCase = await OpenCaseAsync(admin, "Teamwork: restricted case", "RESTRICTED");
        var owner = await AccountsSetup.InviteAsync(admin, "tw.owner@example.org", "STAFF", "STAFF");
        var network = await AccountsSetup.InviteAsync(admin, "tw.network@example.org", "STAFF", "NETWORK");

        // An account whose clearance does not reach the record is refused, on the account's field.
        var refused = await admin.PostAsync("mutation($r: ID!, $a: ID!) { assignOwner(input: { recordId: $r, accountId: $a }) { teamwork { id } } }",
            new { r = staffCase, a = network });
        Assert.Equal("VALIDATION", refused.ErrorCode);
        Assert.Equal("accountId", refused.ErrorField);
        Assert.Equal("VALIDATION", (await admin.PostAsync("mutation($r: ID!, $a: ID!) { watchRecord(input: { recordId: $r, accountId: $a }) { teamwork { id } } }",
            new { r = staffCase, a = network })).ErrorCode);

        var assigned = await admin.QueryAsync(
            "mutation($r: ID!, $a: ID!) { assignOwner(input: { recordId: $r, accountId: $a, clientMutationId: \"tw-own-1\" }) { teamwork { version owner { accountId name } } clientMutationId } }",
            new { r = staffCase, a = owner });
        Assert.Equal(owner, assigned.GetProperty("assignOwner").GetProperty("teamwork").GetProperty("owner").GetProperty("accountId").GetString());
        Assert.Equal(1, assigned.GetProperty("assignOwner").GetProperty("teamwork").GetProperty("version").GetInt32());
        // A repeat writes nothing new.
        var repeated = await admin.QueryAsync(
            "mutation($r: ID!, $a: ID!) { assignOwner(input: { recordId: $r, accountId: $a, clientMutationId: \"tw-own-1\" }) { teamwork { version } } }",
            new { r = staffCase, a = owner });
        Assert.Equal(1, repeated.GetProperty("assignOwner").GetProperty("teamwork").GetProperty("version").GetInt32());
        await admin.QueryAsync("mutation($r: ID!, $a: ID!) { watchRecord(input: { recordId: $r, accountId: $a }) { teamwork { id } } }", new { r = staffCase, a = owner });

        var team = (await admin.QueryAsync(Team, new { r = staffCase })).GetProperty("teamwork");
        Assert.Equal([owner], Ids(team.GetProperty("watchers"), "accountId"));
        Assert.Equal(["OWNER_ASSIGNED", "WATCHER_ADDED"], team.GetProperty("history").GetProperty("nodes").EnumerateArray().Select(e => e.GetProperty("action").GetString()!));

        // A STAFF caller: the RESTRICTED case does not exist for it — not by its teamwork, not for a write.
        var staffKey = await ApiKeyAsync(admin, "tw staff", "STAFF", "STAFF");
        var staff = platform.GraphQL(staffKey);
        var hidden = await staff.PostAsync("mutation($r: ID!, $a: ID!) { assignOwner(input: { recordId: $r, accountId: $a }) { teamwork { id } } }",
            new { r = restrictedCase, a = owner });
        Assert.Equal("NOT_FOUND", hidden.ErrorCode);
        var unknown = await staff.PostAsync("mutation($r: ID!, $a: ID!) { assignOwner(input: { recordId: $r, accountId: $a }) { teamwork { id } } }",
            new { r = Omct.Platform.BuildingBlocks.Ids.GlobalId.Encode("Case", Guid.NewGuid()), a = owner });
        Assert.Equal("NOT_FOUND", unknown.ErrorCode);
        Assert.Equal(hidden.Errors[0].GetProperty("message").GetString(), unknown.Errors[0].GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, (await staff.QueryAsync(Team, new { r = restrictedCase })).GetProperty("teamwork").ValueKind);
        Assert.Equal(JsonValueKind.Object, (await staff.QueryAsync(Team, new { r = staffCase })).GetProperty("teamwork").ValueKind);

        // Lowering the owner's clearance below the record takes them off: no longer owner, no longer watcher.
        await admin.QueryAsync("mutation($id: ID!) { changeAccountRole(input: { id: $id, role: STAFF, clearance: NETWORK }) { account { clearance } } }", new { id = owner });
        var lowered = (await admin.QueryAsync(Team, new { r = staffCase })).GetProperty("teamwork");
        Assert.Equal(JsonValueKind.Null, lowered.GetProperty("owner").ValueKind);
        Assert.Empty(lowered.GetProperty("watchers").EnumerateArray());
    }

    [Fact]
    public async Task Colleagues_lists_the_active_staff_whose_clearance_reaches_the_record_to_a_STAFF_caller()
    {
        const string Colleagues = "query($r: ID) { colleagues(recordId: $r) { accountId name handle } }";
        var admin = platform.Admin();
        var staffCase = await OpenCaseAsync(admin, "Teamwork: colleagues case", "STAFF");
        var restrictedCase = await OpenCaseAsync(admin, "Teamwork: colleagues restricted case", "RESTRICTED");
        var (staff, staffId) = await platform.SignedInAsync("tw.colleague.staff@example.org", "STAFF", "STAFF");
        var restricted = await AccountsSetup.InviteAsync(admin, "tw.colleague.restricted@example.org", "EDITOR", "RESTRICTED");
        var network = await AccountsSetup.InviteAsync(admin, "tw.colleague.network@example.org", "STAFF", "NETWORK");
        var member = await AccountsSetup.InviteAsync(admin, "tw.colleague.member@example.org", "NETWORK_MEMBER", "STAFF");
        var leaver = await AccountsSetup.InviteAsync(admin, "tw.colleague.leaver@example.org", "STAFF", "RESTRICTED");
        await admin.QueryAsync("mutation($id: ID!) { disableAccount(input: { id: $id }) { account { id } } }", new { id = leaver });

        // A STAFF person (no right to list accounts) gets the colleagues a STAFF case may be given to, with their handles.
        var listed = await staff.GraphQLAsync(Colleagues, new { r = staffCase });
        Assert.False(listed.HasErrors, listed.Raw);
        var people = listed.Data.GetProperty("colleagues").EnumerateArray().ToDictionary(c => c.GetProperty("accountId").GetString()!, c => c.GetProperty("handle").GetString());
        Assert.Equal("tw.colleague.staff", people[staffId]);
        Assert.Equal("tw.colleague.restricted", people[restricted]);
        Assert.DoesNotContain(network, people.Keys);
        Assert.DoesNotContain(member, people.Keys);
        Assert.DoesNotContain(leaver, people.Keys);

        // The RESTRICTED case: hidden from the STAFF person (NOT_FOUND, as an unknown id); the admin gets only RESTRICTED clearances.
        Assert.Equal("NOT_FOUND", (await staff.GraphQLAsync(Colleagues, new { r = restrictedCase })).ErrorCode);
        var reaching = (await admin.QueryAsync(Colleagues, new { r = restrictedCase })).GetProperty("colleagues").EnumerateArray().Select(c => c.GetProperty("accountId").GetString()!).ToList();
        Assert.Contains(restricted, reaching);
        Assert.DoesNotContain(staffId, reaching);

        // Without a record: those whose clearance reaches STAFF.
        var all = (await staff.GraphQLAsync(Colleagues, new { r = (string?)null })).Data.GetProperty("colleagues").EnumerateArray().Select(c => c.GetProperty("accountId").GetString()!).ToList();
        Assert.Contains(staffId, all);
        Assert.DoesNotContain(network, all);
    }

    [Fact]
    public async Task A_RESTRICTED_note_is_invisible_to_a_STAFF_watcher_on_every_path_and_a_mention_notifies_once()
    {
        var admin = platform.Admin();
        var caseId = await OpenCaseAsync(admin, "Teamwork: notes case", "STAFF");
        var (watcher, watcherId) = await platform.SignedInAsync("tw.watcher@example.org", "STAFF", "STAFF");
        await admin.QueryAsync("mutation($r: ID!, $a: ID!) { watchRecord(input: { recordId: $r, accountId: $a }) { teamwork { id } } }", new { r = caseId, a = watcherId });

        const string Secret = "lawyer visits the safe house on Tuesday";
        var restricted = await WriteNoteAsync(admin, caseId, $"@tw.watcher the {Secret}.", "RESTRICTED");
        var staffNote = await WriteNoteAsync(admin, caseId, "Called the family. @tw.watcher please follow up, @tw.watcher.", "STAFF");
        // Edited twice, still naming the watcher: one notification.
        await admin.QueryAsync("mutation($n: ID!) { editNote(input: { noteId: $n, markdown: \"Called the family <script>x()</script>. @tw.watcher please follow up.\" }) { note { version } } }",
            new { n = staffNote });
        await admin.QueryAsync("mutation($n: ID!) { editNote(input: { noteId: $n, markdown: \"Called the family twice. @tw.watcher please follow up.\" }) { note { version } } }",
            new { n = staffNote });

        // The admin sees both; the note's history keeps the edits.
        var all = (await admin.QueryAsync(Team, new { r = caseId })).GetProperty("teamwork").GetProperty("notes");
        Assert.Equal(2, all.GetProperty("totalCount").GetInt32());
        var history = await admin.QueryAsync("query($n: ID!) { node(id: $n) { ... on Note { history { nodes { action } } } } }", new { n = staffNote });
        Assert.Equal(["NOTE_WRITTEN", "NOTE_EDITED", "NOTE_EDITED"],
            history.GetProperty("node").GetProperty("history").GetProperty("nodes").EnumerateArray().Select(e => e.GetProperty("action").GetString()!));

        // The STAFF watcher: the note list, node(id), myWork, the record's history — none has the RESTRICTED note.
        var team = await watcher.GraphQLAsync(Team, new { r = caseId });
        Assert.False(team.HasErrors, team.Raw);
        var notes = team.Data.GetProperty("teamwork").GetProperty("notes");
        Assert.Equal(1, notes.GetProperty("totalCount").GetInt32());
        Assert.Equal([staffNote], Ids(notes.GetProperty("nodes"), "id"));
        Assert.DoesNotContain("<script>", notes.GetProperty("nodes")[0].GetProperty("bodyHtml").GetString()!, StringComparison.Ordinal);
        var byId = await watcher.GraphQLAsync("query($n: ID!) { node(id: $n) { id ... on Note { history { nodes { summary } } } } }", new { n = restricted });
        Assert.Equal(JsonValueKind.Null, byId.Data.GetProperty("node").ValueKind);
        var edit = await watcher.GraphQLAsync("mutation($n: ID!) { editNote(input: { noteId: $n, markdown: \"mine\" }) { note { id } } }", new { n = restricted });
        Assert.Equal("NOT_FOUND", edit.ErrorCode);
        var work = await watcher.GraphQLAsync(MyWork);
        Assert.False(work.HasErrors, work.Raw);
        var mentions = work.Data.GetProperty("myWork").GetProperty("unreadMentions");
        Assert.Equal([staffNote], mentions.EnumerateArray().Select(m => m.GetProperty("note").GetProperty("id").GetString()!));
        Assert.Equal([caseId], Ids(work.Data.GetProperty("myWork").GetProperty("records"), "recordId"));
        // Read: it leaves myWork; another person's mention does not exist for the admin (no account of its own).
        var mentionId = mentions[0].GetProperty("id").GetString()!;
        Assert.Equal("NOT_FOUND", (await admin.PostAsync("mutation($m: ID!) { markMentionRead(input: { mentionId: $m }) { mention { id } } }", new { m = mentionId })).ErrorCode);
        var read = await watcher.GraphQLAsync("mutation($m: ID!) { markMentionRead(input: { mentionId: $m }) { mention { readAt } } }", new { m = mentionId });
        Assert.False(read.HasErrors, read.Raw);
        Assert.NotEqual(JsonValueKind.Null, read.Data.GetProperty("markMentionRead").GetProperty("mention").GetProperty("readAt").ValueKind);
        Assert.Empty((await watcher.GraphQLAsync(MyWork)).Data.GetProperty("myWork").GetProperty("unreadMentions").EnumerateArray());
        foreach (var raw in new[] { team.Raw, byId.Raw, work.Raw })
        {
            Assert.DoesNotContain(Secret, raw, StringComparison.Ordinal);
            Assert.DoesNotContain(restricted, raw, StringComparison.Ordinal);
        }

        // Writing above one's clearance is refused on the field.
        var above = await watcher.GraphQLAsync("mutation($r: ID!) { writeNote(input: { recordId: $r, markdown: \"x\", confidentiality: RESTRICTED }) { note { id } } }",
            new { r = caseId });
        Assert.Equal("VALIDATION", above.ErrorCode);
        Assert.Equal("confidentiality", above.ErrorField);
    }

    [Fact]
    public async Task Tasks_are_listed_by_due_date_for_their_assignee_and_follow_their_status()
    {
        var admin = platform.Admin();
        var caseId = await OpenCaseAsync(admin, "Teamwork: tasks case", "STAFF");
        var (person, personId) = await platform.SignedInAsync("tw.tasks@example.org", "STAFF", "STAFF");
        var network = await AccountsSetup.InviteAsync(admin, "tw.tasks.network@example.org", "STAFF", "NETWORK");

        var later = await CreateTaskAsync(admin, caseId, "Send the follow-up appeal", "2031-03-01", personId);
        var sooner = await CreateTaskAsync(admin, caseId, "Call the lawyer", "2031-01-15", personId);
        var refused = await admin.PostAsync("mutation($r: ID!, $a: ID!) { createTask(input: { recordId: $r, title: \"t\", dueOn: \"2031-01-01\", assigneeId: $a }) { task { id } } }",
            new { r = caseId, a = network });
        Assert.Equal("assigneeId", refused.ErrorField);

        var work = await person.GraphQLAsync(MyWork);
        Assert.Equal([sooner, later], Ids(work.Data.GetProperty("myWork").GetProperty("openTasks"), "id"));
        var listed = await admin.QueryAsync("query($a: ID!) { tasks(filter: { assigneeId: $a, statuses: [OPEN], dueTo: \"2031-02-01\" }) { totalCount nodes { id assignee { name } record { id } } } }",
            new { a = personId });
        Assert.Equal([sooner], Ids(listed.GetProperty("tasks").GetProperty("nodes"), "id"));
        Assert.Equal(caseId, listed.GetProperty("tasks").GetProperty("nodes")[0].GetProperty("record").GetProperty("id").GetString());

        var done = await person.GraphQLAsync("mutation($t: ID!) { completeTask(input: { taskId: $t }) { task { status history { nodes { action } } } } }", new { t = sooner });
        Assert.False(done.HasErrors, done.Raw);
        Assert.Equal("DONE", done.Data.GetProperty("completeTask").GetProperty("task").GetProperty("status").GetString());
        var cancel = await person.GraphQLAsync("mutation($t: ID!) { cancelTask(input: { taskId: $t }) { task { status } } }", new { t = sooner });
        Assert.Equal("VALIDATION", cancel.ErrorCode);
        var reassign = await admin.PostAsync("mutation($t: ID!, $a: ID!) { reassignTask(input: { taskId: $t, assigneeId: $a }) { task { id } } }", new { t = later, a = network });
        Assert.Equal("VALIDATION", reassign.ErrorCode);
        Assert.Equal([later], Ids((await person.GraphQLAsync(MyWork)).Data.GetProperty("myWork").GetProperty("openTasks"), "id"));

        // A caller who may not see the case does not see its tasks.
        var network2 = platform.GraphQL(await ApiKeyAsync(admin, "tw network", "STAFF", "NETWORK"));
        Assert.Equal(0, (await network2.QueryAsync("query($a: ID!) { tasks(filter: { assigneeId: $a }) { totalCount } }", new { a = personId }))
            .GetProperty("tasks").GetProperty("totalCount").GetInt32());
        Assert.Equal("NOT_FOUND", (await network2.PostAsync("mutation($t: ID!) { completeTask(input: { taskId: $t }) { task { id } } }", new { t = later })).ErrorCode);
    }

    [Fact]
    public async Task A_caller_who_sees_few_of_many_tasks_gets_all_of_them_page_by_page_and_counted()
    {
        var admin = platform.Admin();
        var hiddenCase = await OpenCaseAsync(admin, "Teamwork: many restricted tasks", "RESTRICTED");
        var staffCase = await OpenCaseAsync(admin, "Teamwork: few staff tasks", "STAFF");
        var person = await AccountsSetup.InviteAsync(admin, "tw.many@example.org", "STAFF", "RESTRICTED");
        // 520 tasks on the RESTRICTED case due first (more than a list reads at a time), then 3 on the STAFF case; 40 a request.
        for (var batch = 0; batch < 520 / 40; batch++)
        {
            var creates = string.Concat(Enumerable.Range(0, 40).Select(i =>
                $"t{i}: createTask(input: {{ recordId: $r, title: \"Hidden {batch}-{i}\", dueOn: \"2040-01-01\", assigneeId: $a }}) {{ task {{ id }} }} "));
            await admin.QueryAsync($"mutation($r: ID!, $a: ID!) {{ {creates} }}", new { r = hiddenCase, a = person });
        }

        var seen = new[]
        {
            await CreateTaskAsync(admin, staffCase, "Seen 1", "2040-01-02", person), await CreateTaskAsync(admin, staffCase, "Seen 2", "2040-01-03", person),
            await CreateTaskAsync(admin, staffCase, "Seen 3", "2040-01-04", person),
        };

        var staff = platform.GraphQL(await ApiKeyAsync(admin, "tw many staff", "STAFF", "STAFF"));
        const string Page = "query($a: ID!, $after: String) { tasks(filter: { assigneeId: $a }, first: 2, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }";
        var first = (await staff.QueryAsync(Page, new { a = person, after = (string?)null })).GetProperty("tasks");
        Assert.Equal(3, first.GetProperty("totalCount").GetInt32());
        Assert.Equal(seen[..2], Ids(first.GetProperty("nodes"), "id"));
        Assert.True(first.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var second = (await staff.QueryAsync(Page, new { a = person, after = first.GetProperty("pageInfo").GetProperty("endCursor").GetString() })).GetProperty("tasks");
        Assert.Equal(seen[2..], Ids(second.GetProperty("nodes"), "id"));
        Assert.False(second.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        // The ADMIN (RESTRICTED) sees them all, counted in full.
        Assert.Equal(523, (await admin.QueryAsync("query($a: ID!) { tasks(filter: { assigneeId: $a }) { totalCount } }", new { a = person }))
            .GetProperty("tasks").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task An_urgent_appeal_gives_the_case_owner_the_follow_up_task_of_its_template_once()
    {
        var admin = platform.Admin();
        var caseId = await OpenCaseAsync(admin, "Teamwork: appeal case", "STAFF");
        var owner = await AccountsSetup.InviteAsync(admin, "tw.appeal.owner@example.org", "STAFF", "STAFF");
        await admin.QueryAsync("mutation($r: ID!, $a: ID!) { assignOwner(input: { recordId: $r, accountId: $a }) { teamwork { id } } }", new { r = caseId, a = owner });
        var appeal = (await admin.QueryAsync(
                "mutation($c: ID!) { issueIntervention(input: { caseId: $c, type: URGENT_APPEAL }) { case { interventions { reference issuedOn } } } }", new { c = caseId }))
            .GetProperty("issueIntervention").GetProperty("case").GetProperty("interventions")[0];
        var reference = appeal.GetProperty("reference").GetString()!;
        var dueOn = DateOnly.Parse(appeal.GetProperty("issuedOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture).AddDays(30);
        // A follow-up is no urgent appeal: no task of its own.
        await admin.QueryAsync("mutation($c: ID!) { issueIntervention(input: { caseId: $c, type: FOLLOW_UP }) { case { id } } }", new { c = caseId });

        var task = Assert.Single((await TeamworkKit.TasksOfAsync(platform, admin, caseId)).EnumerateArray());
        Assert.Equal("URGENT_APPEAL_FOLLOW_UP", task.GetProperty("template").GetString());
        Assert.Equal(dueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), task.GetProperty("dueOn").GetString());
        Assert.Equal(owner, task.GetProperty("assigneeId").GetString());
        Assert.Equal("OPEN", task.GetProperty("status").GetString());
        Assert.Contains(reference, task.GetProperty("title").GetString()!, StringComparison.Ordinal);
        // Asked again once the daemon has nothing left to do: still one.
        Assert.Single((await TeamworkKit.TasksOfAsync(platform, admin, caseId)).EnumerateArray());
    }

    private static async Task<string> OpenCaseAsync(GraphQLClient admin, string title, string level) =>
        (await admin.QueryAsync("mutation($t: String!, $c: Confidentiality!) { openCase(input: { title: $t, countryCode: \"BY\", confidentiality: $c }) { case { id } } }",
            new { t = title, c = level })).GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    private static async Task<string> WriteNoteAsync(GraphQLClient admin, string recordId, string markdown, string level) =>
        (await admin.QueryAsync("mutation($r: ID!, $m: String!, $c: Confidentiality) { writeNote(input: { recordId: $r, markdown: $m, confidentiality: $c }) { note { id } } }",
            new { r = recordId, m = markdown, c = level })).GetProperty("writeNote").GetProperty("note").GetProperty("id").GetString()!;

    private static async Task<string> CreateTaskAsync(GraphQLClient admin, string recordId, string title, string dueOn, string assigneeId) =>
        (await admin.QueryAsync("mutation($r: ID!, $t: String!, $d: Date!, $a: ID) { createTask(input: { recordId: $r, title: $t, dueOn: $d, assigneeId: $a }) { task { id } } }",
            new { r = recordId, t = title, d = dueOn, a = assigneeId })).GetProperty("createTask").GetProperty("task").GetProperty("id").GetString()!;

    private static async Task<string> ApiKeyAsync(GraphQLClient admin, string name, string role, string clearance) =>
        (await admin.QueryAsync("mutation($n: String!, $r: Role!, $c: Confidentiality!) { createApiKey(input: { name: $n, role: $r, clearance: $c }) { key } }",
            new { n = name, r = role, c = clearance })).GetProperty("createApiKey").GetProperty("key").GetString()!;

    private static IEnumerable<string> Ids(JsonElement list, string field) => list.EnumerateArray().Select(e => e.GetProperty(field).GetString()!).ToList();
}
