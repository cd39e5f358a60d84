using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Api.Tests.Reminders;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Mail;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Teamwork;

/// <summary>A host on the shared, seeded database, with the test's clock and mailbox, and a team for the cases of Niger.</summary>
public sealed class ReminderDeliveryNode(string connectionString, FakeTimeProvider clock, CapturedMail mail) : PlatformFactory(connectionString)
{
    public const string TeamMember = "rd.team@example.org";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:SeedDemoData"] = "true",
        ["Omct:GraphQL:RequestsPerSecondPerAddress"] = "1000000",
        ["Omct:Accounts:PublicUrl"] = "https://localhost",
        ["Omct:Teamwork:ConsoleUrl"] = "https://omct.example.org/console",
        ["Omct:Teamwork:Teams:Countries:NE:0"] = TeamMember,
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IPlatformMail>(mail);
    }

    public Browser Browser() => new(CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    }));
}

/// <summary>Two hosts on one database (the demo data seeded), one clock and one mailbox.</summary>
public sealed class ReminderDeliveryHosts : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CapturedMail Mail { get; } = new();

    public ReminderDeliveryNode First { get; private set; } = null!;

    public ReminderDeliveryNode Second { get; private set; } = null!;

    public string ConnectionString => _database.ConnectionString;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        First = new ReminderDeliveryNode(_database.ConnectionString, Clock, Mail);
        await First.InitializeAsync();
        Second = new ReminderDeliveryNode(_database.ConnectionString, Clock, Mail);
        await Second.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await _database.DisposeAsync();
    }
}

/// <summary>
/// Reminders reach people, once, across two hosts: the record's owner and watchers whose clearance reaches the reminder, or the
/// team of its country while nobody owns it; acknowledged or snoozed in their work; and e-mailed as each person chose —
/// immediately, or one daily summary — never with what is above them.
/// </summary>
public sealed class ReminderDeliveryTests(ReminderDeliveryHosts hosts) : IClassFixture<ReminderDeliveryHosts>
{
    private const string Work = "{ myWork { reminders { id reminderId title dueOn remindOn showsOn snoozedUntil status reason recordId confidentiality version } " +
                                "counts { openTasks overdueTasks reminders unreadMentions } notificationPreference { mode } } }";

    [Fact]
    public async Task The_anniversary_of_Ales_Bialiatskis_conviction_reaches_the_case_owner_on_10_November_2012_once_and_acknowledging_it_ends_it()
    {
        var admin = hosts.First.Admin();
        var caseId = (await admin.QueryAsync("{ caseByReference(reference: \"BLR 001 / 0811 / OBS 001\") { id } }")).GetProperty("caseByReference").GetProperty("id").GetString()!;
        var (owner, ownerPerson) = await PersonAsync("rd.owner@example.org", "STAFF");
        await admin.QueryAsync("mutation($r: ID!, $a: ID!) { assignOwner(input: { recordId: $r, accountId: $a }) { teamwork { id } } }", new { r = caseId, a = ownerPerson.Id });

        // The day before: no reminder yet.
        await RunAsync(admin, "ANNIVERSARY_REMINDERS", "2012-11-09");
        await RunOnBothAsync("TEAMWORK_NOTIFICATIONS", null);
        Assert.DoesNotContain(Reminders(await WorkAsync(owner)), r => r.GetProperty("recordId").GetString() == caseId);

        // 10 November 2012, on both hosts at once: the reminder, then its delivery.
        await RunOnBothAsync("ANNIVERSARY_REMINDERS", "2012-11-10");
        var delivered = await RunOnBothAsync("TEAMWORK_NOTIFICATIONS", null);
        var work = await WorkAsync(owner);
        var conviction = Assert.Single(Reminders(work), r => r.GetProperty("title").GetString()!.StartsWith("1 year since the conviction", StringComparison.Ordinal));
        Assert.Equal((caseId, "2012-11-24", "2012-11-10", "OWNER", "OPEN"), (conviction.GetProperty("recordId").GetString(), conviction.GetProperty("dueOn").GetString(),
            conviction.GetProperty("remindOn").GetString(), conviction.GetProperty("reason").GetString(), conviction.GetProperty("status").GetString()));
        Assert.Contains("Bialiatski", conviction.GetProperty("title").GetString(), StringComparison.Ordinal);
        // The conviction and the sentencing of the same day: two reminders, two items, whatever the two hosts did.
        Assert.Equal(2, delivered.Sum(r => r.GetProperty("items").GetInt32()));
        Assert.Equal(2, work.GetProperty("counts").GetProperty("reminders").GetInt32());
        Assert.Equal(2, await CountAsync("select count(*) from omct.teamwork_notification where account_id = @a and kind = 'Reminder'", Account(ownerPerson.Id)));
        await RunOnBothAsync("TEAMWORK_NOTIFICATIONS", null);
        Assert.Equal(2, Reminders(await WorkAsync(owner)).Count);

        // DAILY (the default): one summary of the day, across both hosts and a rerun, with a link to the console.
        Assert.Equal("DAILY", work.GetProperty("notificationPreference").GetProperty("mode").GetString());
        Assert.Empty(Notices(ownerPerson.Email));
        await RunOnBothAsync("TEAMWORK_DAILY_SUMMARY", "2012-11-10");
        await RunAsync(admin, "TEAMWORK_DAILY_SUMMARY", "2012-11-10");
        var summary = Assert.Single(Notices(ownerPerson.Email));
        Assert.Contains("Reminder, due 2012-11-24: 1 year since the conviction", summary.Text, StringComparison.Ordinal);
        Assert.Contains($"https://omct.example.org/console/cases/{Uri.EscapeDataString(caseId)}", summary.Text, StringComparison.Ordinal);
        Assert.Contains("2012-11-10 (2)", summary.Subject, StringComparison.Ordinal);

        // Acknowledged: it leaves the owner's work, its history says who and when; another caller gets NOT_FOUND as for an unknown id.
        var itemId = conviction.GetProperty("id").GetString()!;
        var unknown = await admin.PostAsync("mutation($i: ID!) { acknowledgeReminder(input: { reminderId: $i }) { reminderItem { id } } }",
            new { i = GlobalId.Encode("ReminderItem", Guid.NewGuid()) });
        var others = await admin.PostAsync("mutation($i: ID!) { acknowledgeReminder(input: { reminderId: $i }) { reminderItem { id } } }", new { i = itemId });
        Assert.Equal(("NOT_FOUND", "NOT_FOUND"), (unknown.ErrorCode, others.ErrorCode));
        Assert.Equal(unknown.Errors[0].GetProperty("message").GetString(), others.Errors[0].GetProperty("message").GetString());
        const string Acknowledge = "mutation($i: ID!) { acknowledgeReminder(input: { reminderId: $i, clientMutationId: \"rd-ack-1\" }) " +
                                   "{ reminderItem { status version history { nodes { action by } } } clientMutationId } }";
        var acknowledged = await owner.GraphQLAsync(Acknowledge, new { i = itemId });
        Assert.False(acknowledged.HasErrors, acknowledged.Raw);
        var item = acknowledged.Data.GetProperty("acknowledgeReminder").GetProperty("reminderItem");
        Assert.Equal(("ACKNOWLEDGED", 2), (item.GetProperty("status").GetString(), item.GetProperty("version").GetInt32()));
        Assert.Equal(["REMINDER_DELIVERED", "REMINDER_ACKNOWLEDGED"], item.GetProperty("history").GetProperty("nodes").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal($"user:{Account(ownerPerson.Id)}", item.GetProperty("history").GetProperty("nodes")[1].GetProperty("by").GetString());
        Assert.Equal(2, (await owner.GraphQLAsync(Acknowledge, new { i = itemId })).Data.GetProperty("acknowledgeReminder").GetProperty("reminderItem").GetProperty("version").GetInt32());
        var after = await WorkAsync(owner);
        Assert.DoesNotContain(Reminders(after), r => r.GetProperty("id").GetString() == itemId);
        Assert.Equal(1, after.GetProperty("counts").GetProperty("reminders").GetInt32());
    }

    [Fact]
    public async Task A_watcher_below_the_reminders_level_never_gets_it_a_team_gets_the_reminders_of_a_case_nobody_owns_and_a_snooze_ends_on_its_day()
    {
        var admin = hosts.First.Admin();
        var (owner, ownerPerson) = await PersonAsync("rd.restricted.owner@example.org", "RESTRICTED");
        var (watcher, watcherPerson) = await PersonAsync("rd.staff.watcher@example.org", "STAFF");
        var (team, teamPerson) = await PersonAsync(ReminderDeliveryNode.TeamMember, "STAFF");
        foreach (var person in new[] { owner, watcher, team })
        {
            Assert.False((await person.GraphQLAsync("mutation { setNotificationPreference(input: { mode: IMMEDIATE }) { notificationPreference { mode } } }")).HasErrors);
        }

        // A STAFF case of Niger with a RESTRICTED conviction (its reminder is RESTRICTED), owned and watched; another that nobody owns.
        const string Secret = "Niger secret trial of the lawyer";
        var owned = await OpenCaseAsync(admin, Secret, "2019-01-10");
        await admin.QueryAsync("mutation($c: ID!) { recordCaseEvent(input: { caseId: $c, type: CONVICTION, date: \"2020-03-24\", confidentiality: RESTRICTED }) { case { id } } }",
            new { c = owned });
        await admin.QueryAsync("mutation($r: ID!, $a: ID!) { assignOwner(input: { recordId: $r, accountId: $a }) { teamwork { id } } }", new { r = owned, a = ownerPerson.Id });
        await admin.QueryAsync("mutation($r: ID!, $a: ID!) { watchRecord(input: { recordId: $r, accountId: $a }) { teamwork { id } } }", new { r = owned, a = watcherPerson.Id });
        var unowned = await OpenCaseAsync(admin, "Niger journalist detained", "2019-01-11");
        await admin.QueryAsync("mutation($c: ID!) { recordCaseEvent(input: { caseId: $c, type: CONVICTION, date: \"2020-03-24\" }) { case { id } } }", new { c = unowned });

        await RunOnBothAsync("ANNIVERSARY_REMINDERS", "2021-03-10");
        await RunOnBothAsync("TEAMWORK_NOTIFICATIONS", null);

        var ownerItem = Assert.Single(Reminders(await WorkAsync(owner)), r => r.GetProperty("recordId").GetString() == owned);
        Assert.Equal(("RESTRICTED", "OWNER"), (ownerItem.GetProperty("confidentiality").GetString(), ownerItem.GetProperty("reason").GetString()));
        Assert.Single(Notices(ownerPerson.Email), m => m.Text.Contains(Secret, StringComparison.Ordinal));
        // The STAFF watcher reaches the case but not the reminder: not in their work, not in any e-mail, not by its id.
        var watcherWork = await watcher.GraphQLAsync(Work);
        Assert.DoesNotContain(Reminders(watcherWork.Data), r => r.GetProperty("recordId").GetString() == owned);
        Assert.Empty(Notices(watcherPerson.Email));
        Assert.DoesNotContain(Secret, watcherWork.Raw, StringComparison.Ordinal);
        var byId = await watcher.GraphQLAsync("mutation($i: ID!) { snoozeReminder(input: { reminderId: $i, until: \"" + Day(1) + "\" }) { reminderItem { id } } }",
            new { i = ownerItem.GetProperty("id").GetString() });
        Assert.Equal("NOT_FOUND", byId.ErrorCode);

        // The case nobody owns: its reminder goes to the team of Niger (and the owned case's does not).
        var teamItems = Reminders(await WorkAsync(team));
        var teamItem = Assert.Single(teamItems, r => r.GetProperty("recordId").GetString() == unowned);
        Assert.Equal("TEAM", teamItem.GetProperty("reason").GetString());
        Assert.DoesNotContain(teamItems, r => r.GetProperty("recordId").GetString() == owned);
        Assert.Single(Notices(teamPerson.Email), m => m.Text.Contains("Niger journalist detained", StringComparison.Ordinal));

        // Snoozed until the day after tomorrow: out of the team member's work until then, back on that day.
        var snoozed = await team.GraphQLAsync("mutation($i: ID!, $u: Date!) { snoozeReminder(input: { reminderId: $i, until: $u }) { reminderItem { snoozedUntil showsOn } } }",
            new { i = teamItem.GetProperty("id").GetString(), u = Day(2) });
        Assert.False(snoozed.HasErrors, snoozed.Raw);
        var past = await team.GraphQLAsync("mutation($i: ID!) { snoozeReminder(input: { reminderId: $i, until: \"2000-01-01\" }) { reminderItem { id } } }",
            new { i = teamItem.GetProperty("id").GetString() });
        Assert.Equal(("VALIDATION", "until"), (past.ErrorCode, past.ErrorField));
        Assert.DoesNotContain(Reminders(await WorkAsync(team)), r => r.GetProperty("recordId").GetString() == unowned);
        hosts.Clock.Advance(TimeSpan.FromDays(1));
        Assert.DoesNotContain(Reminders(await WorkAsync(await SignInAgainAsync(teamPerson))), r => r.GetProperty("recordId").GetString() == unowned);
        hosts.Clock.Advance(TimeSpan.FromDays(1));
        var back = Assert.Single(Reminders(await WorkAsync(await SignInAgainAsync(teamPerson))), r => r.GetProperty("recordId").GetString() == unowned);
        Assert.Equal(Day(0), back.GetProperty("snoozedUntil").GetString());

        // The case raised above the team member: the reminder is gone from their work and is NOT_FOUND for them.
        var member = await SignInAgainAsync(teamPerson);
        await admin.QueryAsync("mutation($c: ID!) { changeCaseConfidentiality(input: { caseId: $c, confidentiality: RESTRICTED }) { case { id } } }", new { c = unowned });
        Assert.DoesNotContain(Reminders(await WorkAsync(member)), r => r.GetProperty("recordId").GetString() == unowned);
        var hidden = await member.GraphQLAsync("mutation($i: ID!) { acknowledgeReminder(input: { reminderId: $i }) { reminderItem { id } } }",
            new { i = teamItem.GetProperty("id").GetString() });
        Assert.Equal("NOT_FOUND", hidden.ErrorCode);
    }

    [Fact]
    public async Task A_mention_notifies_once_one_immediate_e_mail_without_the_notes_text()
    {
        var admin = hosts.First.Admin();
        var (mentioned, person) = await PersonAsync("rd.mentioned@example.org", "STAFF");
        Assert.False((await mentioned.GraphQLAsync("mutation { setNotificationPreference(input: { mode: IMMEDIATE, clientMutationId: \"rd-pref\" }) { notificationPreference { mode } } }")).HasErrors);
        var caseId = await OpenCaseAsync(admin, "Niger case with a note", "2019-02-01");
        const string Text = "the family's address is in the file";
        var note = (await admin.QueryAsync("mutation($r: ID!) { writeNote(input: { recordId: $r, markdown: \"@rd.mentioned " + Text + "\" }) { note { id } } }", new { r = caseId }))
            .GetProperty("writeNote").GetProperty("note").GetProperty("id").GetString();
        await admin.QueryAsync("mutation($n: ID!) { editNote(input: { noteId: $n, markdown: \"@rd.mentioned again: " + Text + "\" }) { note { id } } }", new { n = note });

        await RunOnBothAsync("TEAMWORK_NOTIFICATIONS", null);
        await RunOnBothAsync("TEAMWORK_NOTIFICATIONS", null);
        var mail = Assert.Single(Notices(person.Email));
        Assert.Contains("You were mentioned in a note on a case.", mail.Text, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(caseId), mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Text, mail.Text, StringComparison.Ordinal);
        Assert.Equal(1, (await WorkAsync(mentioned)).GetProperty("counts").GetProperty("unreadMentions").GetInt32());
    }

    [Fact]
    public async Task A_watcher_taken_off_for_a_lowered_clearance_is_told_to_the_cases_owner_once()
    {
        var admin = hosts.First.Admin();
        var (owner, ownerPerson) = await PersonAsync("rd.removal.owner@example.org", "STAFF");
        Assert.False((await owner.GraphQLAsync("mutation { setNotificationPreference(input: { mode: IMMEDIATE }) { notificationPreference { mode } } }")).HasErrors);
        var (_, watcher) = await PersonAsync("rd.removal.watcher@example.org", "STAFF");
        var caseId = await OpenCaseAsync(admin, "Niger case losing a watcher", "2019-03-01");
        await TeamworkKit.AssignOwnerAsync(admin, caseId, ownerPerson.Id);
        await TeamworkKit.WatchAsync(admin, caseId, watcher.Id);

        await admin.QueryAsync("mutation($id: ID!) { changeAccountRole(input: { id: $id, role: STAFF, clearance: NETWORK }) { account { clearance } } }", new { id = watcher.Id });
        await TeamworkKit.DaemonDoneAsync(hosts.First);
        await RunOnBothAsync("TEAMWORK_NOTIFICATIONS", null);
        await RunOnBothAsync("TEAMWORK_NOTIFICATIONS", null);

        var told = Assert.Single(hosts.Mail.Sent, m => m.To == ownerPerson.Email && m.Text.Contains("was taken off", StringComparison.Ordinal));
        Assert.Contains("a colleague was taken off a record", told.Subject, StringComparison.Ordinal);
        Assert.Contains("was taken off as a watcher: their clearance no longer reaches this record.", told.Text, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(caseId), told.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(hosts.Mail.Sent, m => m.To == watcher.Email && m.Text.Contains("was taken off", StringComparison.Ordinal));
    }

    /// <summary>The notification e-mails sent to <paramref name="email"/> (not the invitation and sign-in ones).</summary>
    private List<(string To, string Subject, string Text)> Notices(string email) =>
        [.. hosts.Mail.Sent.Where(m => m.To == email && (m.Subject.EndsWith(": a reminder", StringComparison.Ordinal)
                                                          || m.Subject.Contains("mentioned in a note", StringComparison.Ordinal) || m.Subject.Contains("your summary of", StringComparison.Ordinal)))];

    private static List<JsonElement> Reminders(JsonElement work) =>
        [.. (work.TryGetProperty("myWork", out var inner) ? inner : work).GetProperty("reminders").EnumerateArray()];

    private static async Task<JsonElement> WorkAsync(Browser person)
    {
        var work = await person.GraphQLAsync(Work);
        Assert.False(work.HasErrors, work.Raw);
        return work.Data.GetProperty("myWork");
    }

    /// <summary>A person made through the real paths on the first host, signed in on the second.</summary>
    private async Task<(Browser Browser, AccountsSetup.Person Person)> PersonAsync(string email, string clearance)
    {
        var person = await AccountsSetup.CreateAsync(hosts.First.Admin(), hosts.First.Browser(), hosts.Mail, email, "STAFF", clearance);
        return (await AccountsSetup.SignInAsync(hosts.Second.Browser(), person), person);
    }

    /// <summary>Signs in again once the clock moved past the session: the code at the platform's time, or at the real time.</summary>
    private async Task<Browser> SignInAgainAsync(AccountsSetup.Person person)
    {
        foreach (var at in new[] { hosts.Clock.GetUtcNow(), DateTimeOffset.UtcNow })
        {
            var browser = hosts.First.Browser();
            var (_, body) = await browser.PostAsync("/account/sign-in", new { email = person.Email, password = person.Password });
            Assert.Equal("SECOND_FACTOR_REQUIRED", body.GetProperty("status").GetString());
            var (status, _) = await browser.PostAsync("/account/second-factor", new { code = Totp.Code(person.AuthenticatorKey, at) });
            if (status == HttpStatusCode.OK)
            {
                return browser;
            }
        }

        throw new InvalidOperationException("The person could not sign in again.");
    }

    private string Day(int days) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(hosts.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich")).DateTime).AddDays(days)
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static Guid Account(string accountId) => GlobalId.TryDecode(accountId, "Account", out var id) ? id : throw new InvalidOperationException(accountId);

    private static async Task<string> OpenCaseAsync(GraphQLClient admin, string title, string openedOn) =>
        (await admin.QueryAsync("mutation($t: String!, $o: Date!) { openCase(input: { title: $t, countryCode: \"NE\", confidentiality: STAFF, openedOn: $o }) { case { id } } }",
            new { t = title, o = openedOn })).GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    private static async Task<JsonElement> RunAsync(GraphQLClient admin, string job, string? asOf)
    {
        var run = (await admin.QueryAsync(ReminderApiTests.RunJob, new { name = job, asOf })).GetProperty("runJob").GetProperty("run");
        Assert.True(run.GetProperty("outcome").GetString() == "SUCCEEDED", run.ToString());
        return run;
    }

    /// <summary>The job on both hosts at the same moment.</summary>
    private Task<JsonElement[]> RunOnBothAsync(string job, string? asOf) =>
        Task.WhenAll(RunAsync(hosts.First.Admin(), job, asOf), RunAsync(hosts.Second.Admin(), job, asOf));

    private async Task<long> CountAsync(string sql, Guid account)
    {
        await using var connection = new NpgsqlConnection(hosts.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("a", account);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>Which team gets the reminders of a record nobody owns (the settings' start-up checks are rows of ReminderSettingsTests).</summary>
public sealed class TeamworkSettingsTests
{
    [Fact]
    public void A_case_goes_to_its_countrys_team_and_a_submission_to_its_mechanisms()
    {
        var teams = new Omct.Platform.Teamwork.Notifications.TeamworkTeams
        {
            Countries = new(StringComparer.OrdinalIgnoreCase) { ["BY"] = ["ana@example.org", " ANA@example.org"] },
            Mechanisms = new(StringComparer.OrdinalIgnoreCase) { ["UPR"] = ["upr@example.org"] },
        };
        Assert.Equal(["ana@example.org"], teams.Of("BY", null));
        Assert.Equal(["upr@example.org"], teams.Of("BY", "UPR"));
        Assert.Empty(teams.Of("NE", null));
    }
}
