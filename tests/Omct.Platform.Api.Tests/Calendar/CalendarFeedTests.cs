using System.Globalization;
using System.Net;
using System.Text.Json;
using Ical.Net.CalendarComponents;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.BuildingBlocks.Mail;
using Omct.Platform.Testing;
using Xunit;
using IcalCalendar = Ical.Net.Calendar;

namespace Omct.Platform.Api.Tests.Calendar;

/// <summary>The demo data (as build/run.sh loads it: Omct:SeedDemoData), people with accounts, and their e-mail.</summary>
public sealed class CalendarFeedFactory : PlatformFactory
{
    public CapturedMail Mail { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:SeedDemoData"] = "true",
        ["Omct:GraphQL:RequestsPerSecondPerAddress"] = "1000000",
        ["Omct:Accounts:PublicUrl"] = "https://localhost",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IPlatformMail>(Mail);

    public Accounts.Browser Browser() => new(CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    }));

    /// <summary>A person made through the real paths (invitation, link), signed in: their browser and account id.</summary>
    public async Task<(Accounts.Browser Browser, string AccountId)> SignedInAsync(string email, string role, string clearance)
    {
        var person = await AccountsSetup.CreateAsync(Admin(), Browser(), Mail, email, role, clearance);
        return (await AccountsSetup.SignInAsync(Browser(), person), person.Id);
    }
}

/// <summary>
/// The per-person iCalendar feed (<c>createCalendarFeed</c>, <c>GET /calendar/{secret}.ics</c>, <c>revokeCalendarFeed</c>), read
/// back with a real parser (Ical.Net): the conviction of Ales Bialiatski on its first anniversary with its reminder, each
/// person's clearance and role at each fetch, and nothing at all for a revoked URL or a disabled account.
/// </summary>
public sealed class CalendarFeedTests(CalendarFeedFactory platform) : IClassFixture<CalendarFeedFactory>
{
    private const string Create = "mutation($m: String) { createCalendarFeed(input: { clientMutationId: $m }) { url calendarFeed { createdAt prefix } clientMutationId } }";
    private const string Revoke = "mutation { revokeCalendarFeed(input: {}) { calendarFeed { prefix } } }";

    [Fact]
    public async Task The_feed_has_the_first_anniversary_of_Ales_Bialiatskis_conviction_with_its_reminder_on_2012_11_10()
    {
        var (person, _) = await platform.SignedInAsync("feed.conviction@example.org", "STAFF", "STAFF");
        var url = await CreateAsync(person);
        Assert.StartsWith("https://localhost/calendar/ical_", url, StringComparison.Ordinal);

        var (status, calendar, _) = await FetchAsync(url + "?from=2012-11-01");
        Assert.Equal(HttpStatusCode.OK, status);
        var conviction = Assert.Single(calendar!.Events, e => e.Summary!.Contains("since the conviction", StringComparison.Ordinal));
        Assert.Equal(new DateOnly(2012, 11, 24), DateOnly.FromDateTime(conviction.DtStart!.Value));
        Assert.False(conviction.DtStart.HasTime);
        Assert.Contains("Ales Bialiatski", conviction.Summary, StringComparison.Ordinal);
        Assert.StartsWith("1 year since the conviction", conviction.Summary, StringComparison.Ordinal);
        Assert.Contains("ANNIVERSARY", conviction.Categories);
        Assert.StartsWith("https://localhost/console/cases/", conviction.Url!.ToString(), StringComparison.Ordinal);
        // Its reminder: 14 days before, on 2012-11-10 (the anniversary reminders' default lead).
        var alarm = Assert.Single(conviction.Alarms);
        Assert.Equal("-P14D", alarm.Trigger!.Duration.ToString());
        Assert.Equal(new DateOnly(2012, 11, 10), DateOnly.FromDateTime(conviction.DtStart.Value.AddDays(alarm.Trigger.Duration!.Value.Days!.Value)));
        // The sentencing of the same day and the 500 days of detention (2012-12-16) are there too.
        Assert.Contains(calendar.Events, e => e.Summary!.StartsWith("1 year since the sentencing", StringComparison.Ordinal));
        Assert.Contains(calendar.Events, e => e.Summary!.StartsWith("500 days in detention", StringComparison.Ordinal)
            && DateOnly.FromDateTime(e.DtStart!.Value) == new DateOnly(2012, 12, 16));
    }

    [Fact]
    public async Task A_STAFF_item_is_in_a_STAFF_persons_feed_and_absent_from_a_NETWORK_persons_and_clearance_is_read_at_each_fetch()
    {
        var admin = platform.Admin();
        var caseId = (await admin.QueryAsync(
            "mutation { openCase(input: { title: \"Staff-only calendar case\", countryCode: \"IS\", confidentiality: STAFF, openedOn: \"2012-11-01\" }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        await admin.QueryAsync("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: TORTURE, date: \"2011-11-20\", confidentiality: STAFF }) { case { id } } }",
            new { id = caseId });
        var (editor, editorId) = await platform.SignedInAsync("feed.editor@example.org", "EDITOR", "STAFF");
        var (network, _) = await platform.SignedInAsync("feed.network@example.org", "NETWORK_MEMBER", "NETWORK");
        var editorUrl = await CreateAsync(editor);
        var networkUrl = await CreateAsync(network);

        var (_, staffView, _) = await FetchAsync(editorUrl + "?from=2012-11-01");
        var (_, networkView, networkText) = await FetchAsync(networkUrl + "?from=2012-11-01");
        var staffItem = Assert.Single(staffView!.Events, e => e.Summary!.Contains("Staff-only calendar case", StringComparison.Ordinal));
        Assert.Equal(new DateOnly(2012, 11, 20), DateOnly.FromDateTime(staffItem.DtStart!.Value));
        Assert.Equal("CONFIDENTIAL", staffItem.Class);
        Assert.DoesNotContain(networkView!.Events, e => e.Summary!.Contains("Staff-only", StringComparison.Ordinal));
        Assert.DoesNotContain("Staff-only", networkText, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(caseId), networkText, StringComparison.Ordinal);
        // What both see: the public conviction anniversary.
        Assert.Contains(networkView.Events, e => e.Summary!.StartsWith("1 year since the conviction", StringComparison.Ordinal));

        // The same URL after the editor's clearance is lowered: the STAFF item is gone at the next fetch.
        await admin.QueryAsync("mutation($id: ID!) { changeAccountRole(input: { id: $id, role: EDITOR, clearance: NETWORK }) { account { clearance } } }",
            new { id = editorId });
        var (_, lowered, _) = await FetchAsync(editorUrl + "?from=2012-11-01");
        Assert.DoesNotContain(lowered!.Events, e => e.Summary!.Contains("Staff-only", StringComparison.Ordinal));
        Assert.Contains(lowered.Events, e => e.Summary!.StartsWith("1 year since the conviction", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scheduled_publications_are_in_an_editors_feed_in_the_default_window_and_deadlines_carry_30_7_1_day_alarms()
    {
        var admin = platform.Admin();
        var publishAt = DateTimeOffset.UtcNow.AddDays(10);
        var articleId = (await admin.QueryAsync(
            "mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"Calendar feed: scheduled statement\", body: \"Text.\", confidentiality: PUBLIC }) { article { id } } }"))
            .GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString()!;
        await admin.QueryAsync("mutation($id: ID!, $at: DateTime!) { publishArticle(input: { articleId: $id, publishAt: $at }) { article { status } } }",
            new { id = articleId, at = publishAt.ToString("O", CultureInfo.InvariantCulture) });
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await admin.QueryAsync("mutation($due: Date!) { planSubmission(input: { mechanism: UPR, countryCode: \"CO\", title: \"Calendar feed: UPR of Colombia\", dueOn: $due }) { submission { id } } }",
            new { due });

        var (editor, _) = await platform.SignedInAsync("feed.scheduled.editor@example.org", "EDITOR", "STAFF");
        var (staff, _) = await platform.SignedInAsync("feed.scheduled.staff@example.org", "STAFF", "STAFF");
        var (_, editorView, _) = await FetchAsync(await CreateAsync(editor));
        var (_, staffView, _) = await FetchAsync(await CreateAsync(staff));

        var publication = Assert.Single(editorView!.Events, e => e.Summary == "Publication: Calendar feed: scheduled statement");
        Assert.True(publication.DtStart!.HasTime);
        Assert.Equal(publishAt.ToUnixTimeSeconds(), new DateTimeOffset(publication.DtStart.AsUtc).ToUnixTimeSeconds());
        Assert.Contains("SCHEDULED_PUBLICATION", publication.Categories);
        // articles lists scheduled articles to editors only: so does the feed.
        Assert.DoesNotContain(staffView!.Events, e => e.Summary!.StartsWith("Publication:", StringComparison.Ordinal));

        var deadline = Assert.Single(staffView.Events, e => e.Summary == "Submission due: Calendar feed: UPR of Colombia");
        Assert.Equal(["-P1D", "-P30D", "-P7D"], deadline.Alarms.Select(a => a.Trigger!.Duration.ToString()!).Order(StringComparer.Ordinal));
        Assert.Contains("SUBMISSION_DUE", deadline.Categories);
    }

    [Fact]
    public async Task A_revoked_URL_a_replaced_URL_and_a_disabled_accounts_URL_answer_404_like_an_unknown_one()
    {
        var (person, id) = await platform.SignedInAsync("feed.revoke@example.org", "STAFF", "STAFF");
        var first = await CreateAsync(person);
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(first)).Status);

        var unknown = await RawAsync("https://localhost/calendar/ical_" + new string('A', 43) + ".ics");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);

        var revoked = await person.GraphQLAsync(Revoke);
        Assert.False(revoked.HasErrors, revoked.Raw);
        Assert.Equal(JsonValueKind.Null, (await person.GraphQLAsync("{ calendarFeed { prefix } }")).Data.GetProperty("calendarFeed").ValueKind);
        var afterRevoke = await RawAsync(first);
        Assert.Equal(HttpStatusCode.NotFound, afterRevoke.Status);
        Assert.Equal(unknown.Body, afterRevoke.Body);
        Assert.DoesNotContain("BEGIN:VCALENDAR", afterRevoke.Body, StringComparison.Ordinal);

        // A new URL replaces the previous one.
        var second = await CreateAsync(person);
        var third = await CreateAsync(person);
        Assert.Equal(HttpStatusCode.NotFound, (await RawAsync(second)).Status);
        Assert.Equal(HttpStatusCode.OK, (await RawAsync(third)).Status);

        // A disabled account's URL: nothing either.
        await platform.Admin().QueryAsync("mutation($id: ID!) { disableAccount(input: { id: $id }) { account { disabled } } }", new { id });
        var disabled = await RawAsync(third);
        Assert.Equal(HttpStatusCode.NotFound, disabled.Status);
        Assert.Equal(unknown.Body, disabled.Body);
    }

    [Fact]
    public async Task Only_the_secrets_hash_is_stored_it_is_never_logged_an_API_key_cannot_make_a_feed_and_the_URL_is_shown_once()
    {
        var (person, _) = await platform.SignedInAsync("feed.secret@example.org", "STAFF", "STAFF");
        var created = await person.GraphQLAsync(Create, new { m = "feed-once" });
        var url = created.Data.GetProperty("createCalendarFeed").GetProperty("url").GetString()!;
        var secret = url[(url.LastIndexOf('/') + 1)..^".ics".Length];
        Assert.Equal(HttpStatusCode.OK, (await RawAsync(url)).Status);

        await using (var session = platform.Services.GetRequiredService<IDocumentStore>().QuerySession())
        {
            var stored = await session.Query<Omct.Platform.Reminders.CalendarFeeds.CalendarFeed>().ToListAsync();
            var mine = Assert.Single(stored, f => f.Prefix == secret[..11]);
            Assert.NotEqual(secret, mine.SecretHash);
            Assert.Equal(64, mine.SecretHash.Length);
            Assert.DoesNotContain(stored, f => JsonSerializer.Serialize(f).Contains(secret, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(platform.Logs.Events, e => e.RenderMessage(CultureInfo.InvariantCulture).Contains(secret, StringComparison.Ordinal)
            || e.Properties.Values.Any(v => v.ToString().Contains(secret, StringComparison.Ordinal)));

        // The same clientMutationId again: the URL is not shown twice.
        var again = await person.GraphQLAsync(Create, new { m = "feed-once" });
        Assert.Equal("CONFLICT", again.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await RawAsync(url)).Status);

        // An API key is not a person: FORBIDDEN, nothing made.
        var byKey = await platform.Admin().PostAsync(Create);
        Assert.Equal("FORBIDDEN", byKey.Body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, (await platform.Admin().QueryAsync("{ calendarFeed { prefix } }")).GetProperty("calendarFeed").ValueKind);
    }

    [Fact]
    public async Task ReminderLeads_gives_staff_the_leads_of_the_reminder_jobs()
    {
        var (staff, _) = await platform.SignedInAsync("feed.leads@example.org", "STAFF", "STAFF");
        var response = await staff.GraphQLAsync("{ reminderLeads { anniversaryDays deadlineDays } }");
        Assert.False(response.HasErrors, response.Raw);
        Assert.Equal(14, response.Data.GetProperty("reminderLeads").GetProperty("anniversaryDays").GetInt32());
        Assert.Equal([30, 7, 1], response.Data.GetProperty("reminderLeads").GetProperty("deadlineDays").EnumerateArray().Select(d => d.GetInt32()));
    }

    private static async Task<string> CreateAsync(Accounts.Browser person)
    {
        var response = await person.GraphQLAsync(Create);
        Assert.False(response.HasErrors, response.Raw);
        var payload = response.Data.GetProperty("createCalendarFeed");
        Assert.StartsWith("ical_", payload.GetProperty("calendarFeed").GetProperty("prefix").GetString(), StringComparison.Ordinal);
        return payload.GetProperty("url").GetString()!;
    }

    /// <summary>The feed as a calendar application fetches it: no cookie, no key; parsed by Ical.Net.</summary>
    private async Task<(HttpStatusCode Status, IcalCalendar? Calendar, string Text)> FetchAsync(string url)
    {
        var (status, text, contentType) = await RawAsync(url);
        if (status != HttpStatusCode.OK)
        {
            return (status, null, text);
        }

        Assert.Equal("text/calendar; charset=utf-8", contentType);
        return (status, IcalCalendar.Load(text), text);
    }

    private async Task<(HttpStatusCode Status, string Body, string? ContentType)> RawAsync(string url)
    {
        using var client = platform.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), HandleCookies = false,
        });
        using var response = await client.GetAsync(new Uri(url).PathAndQuery);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
    }
}
