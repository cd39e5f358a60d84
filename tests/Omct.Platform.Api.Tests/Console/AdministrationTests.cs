using System.Net;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The console's Administration area (/console/admin/…) in Debian's Chromium: an API key created (shown once), used
/// against /graphql and revoked; a job run with its progress; an invitation mailed; the audit trail filtered and paged
/// in the URL; the health panel; a STAFF person without the entry and refused by the API; axe and screenshots in EN/FR/ES.
/// </summary>
public sealed class AdministrationTests(ConsoleFixture fixture, ITestOutputHelper output) : IClassFixture<ConsoleFixture>
{
    private static readonly string[] Tabs = ["accounts", "keys", "webhooks", "jobs", "audit", "health"];

    private GraphQLClient Client(string? key) => new(new HttpClient { BaseAddress = fixture.BaseUrl }, key);

    private Task<IPage> AdminPageAsync(string name, string language = "en") =>
        ConsolePages.SignedInPageAsync(fixture, $"admin.{name}@example.org", "ADMIN", "RESTRICTED", language);

    [Fact]
    public async Task An_API_key_created_in_the_console_is_shown_once_works_against_graphql_and_once_revoked_is_refused()
    {
        var page = await AdminPageAsync("keys");
        await page.GetByRole(AriaRole.Link, new() { Name = "Administration" }).ClickAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "API keys" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/admin/keys$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create a key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name").FillAsync("console dashboard key");
        await ConsolePages.ChooseAsync(page, dialog.GetByRole(AriaRole.Combobox, new() { Name = "Role" }), "Staff");
        await ConsolePages.ChooseAsync(page, dialog.GetByRole(AriaRole.Combobox, new() { Name = "Clearance" }), "Network");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create a key" }).ClickAsync();

        var shown = page.GetByTestId("created-key");
        await Expect(shown).ToBeVisibleAsync();
        var key = (await shown.TextContentAsync())!.Trim();
        Assert.True(key.Length >= 32, key);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeVisibleAsync();
        await ConsolePages.AssertAccessibleAsync(page, "admin: key shown once", output);
        await ConsolePages.ScreenshotAsync(page, "admin-key-created-en");
        // Never stored in the browser: not in localStorage, sessionStorage or a cookie readable by script.
        var stored = await page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie");
        Assert.DoesNotContain(key, stored, StringComparison.Ordinal);

        // The key works against /graphql with what it was made for.
        var me = (await Client(key).QueryAsync("{ me { role clearance } }")).GetProperty("me");
        Assert.Equal(("STAFF", "NETWORK"), (me.GetProperty("role").GetString(), me.GetProperty("clearance").GetString()));

        await page.GetByRole(AriaRole.Button, new() { Name = "I have stored it" }).ClickAsync();
        await Expect(shown).ToHaveCountAsync(0);
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal); // shown once: gone with its dialog

        var row = page.Locator("[data-testid=admin-keys] tr[data-name='console dashboard key']");
        await Expect(row.GetByTestId("key-state")).ToHaveTextAsync("Active");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke: console dashboard key" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Expect(row.GetByTestId("key-state")).ToContainTextAsync("Revoked on");

        var refused = await Client(key).PostAsync("{ me { role } }");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("UNAUTHENTICATED", refused.ErrorCode);
    }

    [Fact]
    public async Task A_job_run_from_the_console_shows_its_progress_until_it_finishes()
    {
        var admin = Client(PlatformFactory.AdminKey);
        // The first run does its one day; the console's run ten days later catches up ten days.
        await admin.QueryAsync("mutation { runJob(input: { name: DEADLINE_REMINDERS, asOf: \"2012-10-01\" }) { run { outcome } } }");
        var page = await AdminPageAsync("jobs");
        await page.GotoAsync(fixture.Url("/admin/jobs"));
        await page.GetByLabel("Day to run DEADLINE_REMINDERS for").FillAsync("2012-10-11");

        var store = fixture.Host.Services.GetRequiredService<IDocumentStore>();
        await using var holder = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await holder.OpenAsync();
        var transaction = await holder.BeginTransactionAsync();
        // Holding the job's progress row (as a second host running it would) keeps the run at its first day while we look.
        await using (var hold = new NpgsqlCommand(
                         $"select 1 from {store.Options.DatabaseSchemaName}.{JobProgress.TableName} where job = 'DEADLINE_REMINDERS' for update", holder, transaction))
        {
            Assert.Equal(1, await hold.ExecuteScalarAsync());
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Run now: DEADLINE_REMINDERS" }).ClickAsync();
        var progress = page.GetByTestId("job-progress");
        await Expect(progress).ToContainTextAsync("DEADLINE_REMINDERS is running: 0 of 10 done");
        await Expect(page.GetByTestId("job-progressbar")).ToHaveAttributeAsync("data-total", "10");
        await Expect(progress.GetByRole(AriaRole.Progressbar, new() { Name = "Progress of DEADLINE_REMINDERS" })).ToHaveAttributeAsync("aria-valuenow", "0");
        await ConsolePages.ScreenshotAsync(page, "admin-job-running-en");
        // Released at once: the job's own wait for the row has the database command timeout (30 s), which axe on a
        // loaded machine can outlast (the run then fails, as it should, with the timeout).
        var axe = await ConsolePages.AxeFailuresAsync(page, "admin: job running", output);
        await transaction.RollbackAsync();
        Assert.True(axe.Count == 0, string.Join(Environment.NewLine, axe));
        var finished = page.GetByTestId("job-finished");
        await Expect(finished).ToHaveAttributeAsync("data-outcome", "SUCCEEDED");
        await Expect(finished).ToContainTextAsync("10 of 10 steps.");
        await Expect(progress).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=admin-jobs] tr[data-job=DEADLINE_REMINDERS]")).ToContainTextAsync("Succeeded");
        await ConsolePages.ScreenshotAsync(page, "admin-job-finished-en");
    }

    [Fact]
    public async Task A_STAFF_person_has_no_Administration_entry_and_the_URL_shows_the_APIs_FORBIDDEN()
    {
        var page = await ConsolePages.SignedInPageAsync(fixture, "staff.noadmin@example.org", "STAFF", "RESTRICTED");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Cases" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Administration" })).ToHaveCountAsync(0);

        // webhooks is not ADMIN-only in the API: a STAFF person may read their own (none here), never another's.
        var admin = Client(PlatformFactory.AdminKey);
        await RegisterWebhookAsync(admin, "crm sync hidden from staff");
        await page.GotoAsync(fixture.Url("/admin/webhooks"));
        await Expect(page.GetByText("No webhook is registered.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("admin-webhook")).ToHaveCountAsync(0);

        foreach (var tab in Tabs.Where(t => t is not "audit" and not "webhooks"))
        {
            await page.GotoAsync(fixture.Url($"/admin/{tab}"));
            var refusal = page.GetByTestId("admin-refusal");
            await Expect(refusal).ToContainTextAsync("Not allowed");
            await Expect(refusal.GetByTestId("admin-error-code")).ToHaveTextAsync("FORBIDDEN");
        }

        await page.GotoAsync(fixture.Url("/admin/audit?entity=" + Uri.EscapeDataString(await OpenCaseAsync(Client(PlatformFactory.AdminKey), "Audit refused"))));
        await Expect(page.GetByTestId("admin-error-code")).ToHaveTextAsync("FORBIDDEN");
        await ConsolePages.AssertAccessibleAsync(page, "admin: forbidden", output);
        await ConsolePages.ScreenshotAsync(page, "admin-forbidden-en");
    }

    [Fact]
    public async Task An_invitation_sent_from_the_console_reaches_the_persons_mailbox()
    {
        var page = await AdminPageAsync("invite");
        await page.GotoAsync(fixture.Url("/admin/accounts"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite a person" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("E-mail").FillAsync("new.officer@example.org");
        await dialog.GetByLabel("Name").FillAsync("New Officer");
        await ConsolePages.ChooseAsync(page, dialog.GetByRole(AriaRole.Combobox, new() { Name = "Clearance" }), "Network");
        await ConsolePages.AssertAccessibleAsync(page, "admin: invite", output);
        await ConsolePages.ScreenshotAsync(page, "admin-invite-en");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }).ClickAsync();

        await Expect(page.GetByTestId("admin-accounts-status")).ToContainTextAsync("Invitation sent to new.officer@example.org");
        var row = page.Locator("[data-testid=admin-accounts] tr[data-email='new.officer@example.org']");
        await Expect(row).ToContainTextAsync("Invited (no password yet)");
        await Expect(row).ToContainTextAsync("Network");
        var mail = await Eventually.GetAsync(() => fixture.Host.Mail.Sent.Where(m => m.To == "new.officer@example.org").ToList(), m => m.Count > 0);
        var invitation = Assert.Single(mail);
        Assert.Contains("/account/link?token=", invitation.Text, StringComparison.Ordinal);

        // The API made it with what the form said.
        var account = (await Client(PlatformFactory.AdminKey).QueryAsync("{ accounts(first: 100) { nodes { email role clearance } } }"))
            .GetProperty("accounts").GetProperty("nodes").EnumerateArray().Single(a => a.GetProperty("email").GetString() == "new.officer@example.org");
        Assert.Equal(("STAFF", "NETWORK"), (account.GetProperty("role").GetString(), account.GetProperty("clearance").GetString()));
    }

    [Fact]
    public async Task The_audit_trail_is_filtered_and_paged_with_the_filters_and_page_in_the_URL()
    {
        var admin = Client(PlatformFactory.AdminKey);
        var caseId = await OpenCaseAsync(admin, "Audit trail in the console");
        var second = Client((await admin.QueryAsync("mutation { createApiKey(input: { name: \"audit second\", role: ADMIN, clearance: RESTRICTED }) { key } }"))
            .GetProperty("createApiKey").GetProperty("key").GetString());
        for (var i = 0; i < 22; i++)
        {
            await second.QueryAsync("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: ARREST, date: \"2019-02\" }) { case { id } } }", new { id = caseId });
        }

        var trail = (await admin.QueryAsync("query($id: ID!) { auditTrail(entityId: $id) { by } }", new { id = caseId })).GetProperty("auditTrail")
            .EnumerateArray().Select(e => e.GetProperty("by").GetString()!).ToList();
        Assert.Equal(23, trail.Count);
        var secondBy = trail[^1];
        Assert.NotEqual(trail[0], secondBy);

        var page = await AdminPageAsync("audit");
        await page.GotoAsync(fixture.Url("/admin/audit"));
        await page.GetByLabel("Record id").FillAsync(caseId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.GetByTestId("audit-count")).ToHaveTextAsync("Entries: 23");
        await Expect(page.Locator("[data-testid=admin-audit] tbody tr")).ToHaveCountAsync(20);

        // The caller filter is the server's: 22 entries, the next page (the API's cursor) holds the last 2.
        var by = page.GetByRole(AriaRole.Textbox, new() { Name = "By", Exact = true });
        await by.FillAsync(secondBy);
        await by.PressAsync("Enter");
        await Expect(page.GetByTestId("audit-count")).ToHaveTextAsync("Entries: 22");
        await Expect(page.Locator("[data-testid=admin-audit] tbody tr")).ToHaveCountAsync(20);
        await Expect(page.Locator("[data-testid=admin-audit] tbody")).Not.ToContainTextAsync(trail[0]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(page.Locator("[data-testid=admin-audit] tbody tr")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("audit-page")).ToHaveTextAsync("Page 2");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeDisabledAsync();
        Assert.Contains("after=", page.Url, StringComparison.Ordinal);
        Assert.Contains("by=", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("[data-testid=admin-audit] tbody")).Not.ToContainTextAsync(trail[0]);

        // The URL is the view: opened again, the same filter and page; back to the first page.
        var shared = page.Url;
        await page.GotoAsync("about:blank");
        await page.GotoAsync(shared);
        await Expect(page.GetByTestId("audit-count")).ToHaveTextAsync("Entries: 22");
        await Expect(page.Locator("[data-testid=admin-audit] tbody tr")).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Button, new() { Name = "Previous page" }).ClickAsync();
        await Expect(page.Locator("[data-testid=admin-audit] tbody tr")).ToHaveCountAsync(20);
        Assert.DoesNotContain("after=", page.Url, StringComparison.Ordinal);

        // The days: from yesterday, all 22; up to yesterday (included), none.
        var yesterday = DateTime.Now.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GotoAsync(shared.Split("&after=")[0] + "&from=" + yesterday);
        await Expect(page.GetByTestId("audit-count")).ToHaveTextAsync("Entries: 22");
        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "From (day)" })).ToHaveValueAsync(yesterday);
        await page.GotoAsync(shared.Split("&after=")[0] + "&to=" + yesterday);
        await Expect(page.GetByTestId("audit-count")).ToHaveTextAsync("Entries: 0");

        await page.GotoAsync(shared);
        await Expect(page.Locator("[data-testid=admin-audit] tbody tr")).ToHaveCountAsync(2);
        await ConsolePages.ChooseAsync(page, page.GetByRole(AriaRole.Combobox, new() { Name = "Kind" }), "Read of restricted data");
        await Expect(page.GetByTestId("audit-count")).ToHaveTextAsync("Entries: 0");
        Assert.Contains("kind=RESTRICTED_READ", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("after=", page.Url, StringComparison.Ordinal);

        // What the API refuses is said on its field: a caller id must be one.
        await by.FillAsync("nobody");
        await by.PressAsync("Enter");
        await Expect(by).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByText("A caller id: apikey:")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_health_panel_shows_the_projections_and_the_scheduler_node()
    {
        var admin = Client(PlatformFactory.AdminKey);
        await OpenCaseAsync(admin, "Something to project");
        var health = (await admin.QueryAsync("{ platformHealth { node projections { name } } }")).GetProperty("platformHealth");
        var shards = health.GetProperty("projections").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
        Assert.NotEmpty(shards);

        var page = await AdminPageAsync("health");
        await page.GotoAsync(fixture.Url("/admin/health"));
        await Expect(page.Locator("[data-testid=health-projections] tbody tr")).ToHaveCountAsync(shards.Count);
        foreach (var shard in shards)
        {
            await Expect(page.Locator($"[data-testid=health-projections] tr[data-shard='{shard}']")).ToBeVisibleAsync();
        }

        var node = page.Locator($"[data-testid=health-nodes] tr[data-node='{health.GetProperty("node").GetString()}']");
        await Expect(node).ToContainTextAsync("this host");
        await Expect(node).ToContainTextAsync("Scheduler off"); // Omct:Jobs:Enabled=false in the test host
        await Expect(page.GetByTestId("health-summary")).ToContainTextAsync("high-water mark");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("fr")]
    [InlineData("es")]
    public async Task Every_tab_is_accessible_and_screenshotted_in_each_language(string language)
    {
        var admin = Client(PlatformFactory.AdminKey);
        var caseId = await OpenCaseAsync(admin, $"Audit screenshot {language}");
        await RegisterWebhookAsync(admin, $"crm sync {language}");

        var page = await AdminPageAsync($"tabs.{language}", language);
        var english = new Dictionary<string, string> { ["fr"] = "Administration", ["es"] = "Administración", ["en"] = "Administration" };
        await page.GetByRole(AriaRole.Link, new() { Name = english[language] }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/admin/accounts$"));
        foreach (var tab in Tabs)
        {
            await page.GotoAsync(fixture.Url($"/admin/{tab}" + (tab == "audit" ? "?entity=" + Uri.EscapeDataString(caseId) : "")));
            await Expect(page.GetByRole(AriaRole.Tab, new() { Selected = true })).ToBeVisibleAsync();
            var ready = tab switch
            {
                "accounts" => page.Locator("[data-testid=admin-accounts] tbody tr").First,
                "keys" => page.Locator("[data-testid=admin-keys] tbody tr").First,
                "webhooks" => page.GetByTestId("admin-webhook").First,
                "jobs" => page.Locator("[data-testid=admin-jobs] tbody tr").First,
                "audit" => page.Locator("[data-testid=admin-audit] tbody tr").First,
                _ => page.Locator("[data-testid=health-nodes] tbody tr").First,
            };
            await Expect(ready).ToBeVisibleAsync();
            await ConsolePages.AssertAccessibleAsync(page, $"admin {tab} ({language})", output);
            await ConsolePages.ScreenshotAsync(page, $"admin-{tab}-{language}");
        }

        // No English label left on a French or Spanish tab.
        if (language != "en")
        {
            await page.GotoAsync(fixture.Url("/admin/jobs"));
            await Expect(page.Locator("[data-testid=admin-jobs]")).ToBeVisibleAsync();
            var main = await page.Locator("main").InnerTextAsync();
            Assert.DoesNotContain("Run now", main, StringComparison.Ordinal);

            // Every job's description is translated (the API's is English), the reminder leads in the page's numbers.
            var jobs = (await admin.QueryAsync("{ scheduledJobs { name description } }")).GetProperty("scheduledJobs").EnumerateArray().ToList();
            Assert.NotEmpty(jobs);
            await Expect(page.GetByTestId("job-description")).ToHaveCountAsync(jobs.Count);
            foreach (var job in jobs)
            {
                var description = job.GetProperty("description").GetString()!;
                Assert.DoesNotContain(description, main, StringComparison.Ordinal);
                await Expect(page.Locator($"[data-testid=admin-jobs] tr[data-job='{job.GetProperty("name").GetString()}'] [data-testid=job-description]"))
                    .Not.ToHaveTextAsync(description);
            }

            if (language == "fr")
            {
                await Expect(page.Locator("tr[data-job=DEADLINE_REMINDERS] [data-testid=job-description]"))
                    .ToHaveTextAsync("Rappels des échéances, 30, 7 et 1 jours à l’avance.");
                await Expect(page.Locator("tr[data-job=PUBLISH_SCHEDULED_ARTICLES] [data-testid=job-description]"))
                    .ToHaveTextAsync("Publie les articles programmés dont l’heure de publication est venue.");
            }
        }
    }

    private async Task RegisterWebhookAsync(GraphQLClient admin, string name)
    {
        var integrator = Client((await admin.QueryAsync("mutation($name: String!) { createApiKey(input: { name: $name, role: INTEGRATOR, clearance: NETWORK }) { key } }", new { name }))
            .GetProperty("createApiKey").GetProperty("key").GetString());
        await integrator.QueryAsync("mutation($name: String!) { registerWebhook(input: { name: $name, url: \"https://crm.example.org/omct/hooks\", entityTypes: [CASE] }) { secret } }",
            new { name });
    }

    private static async Task<string> OpenCaseAsync(GraphQLClient admin, string title) =>
        (await admin.QueryAsync("mutation($input: OpenCaseInput!) { openCase(input: $input) { case { id } } }",
            new { input = new { title, countryCode = "KE", confidentiality = "STAFF" } })).GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
}
