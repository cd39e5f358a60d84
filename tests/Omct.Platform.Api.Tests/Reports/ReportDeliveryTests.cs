using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.BuildingBlocks.Mail;
using Omct.Platform.BuildingBlocks.Webhooks;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Reports.ReportKit;

namespace Omct.Platform.Api.Tests.Reports;

/// <summary>A host whose mail is captured, whose clock the test moves, and whose webhooks may reach a receiver on the loopback.</summary>
public sealed class ReportDeliveryFactory : PlatformFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public CapturedMail Mail { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:GraphQL:RequestsPerSecondPerAddress"] = "1000000",
        ["Omct:Accounts:PublicUrl"] = "https://localhost",
        ["Omct:Reports:PublicUrl"] = ReportDeliveryTests.PublicUrl,
        ["Omct:Webhooks:AllowHttp"] = "true",
        ["Omct:Webhooks:AllowPrivateNetworks"] = "true", // the receiver listens on the loopback
    };

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<IPlatformMail>(Mail);
    }

    public Browser Browser() => new(CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true }));

    public Task<AccountsSetup.Person> PersonAsync(string email, string role = "STAFF", string clearance = "STAFF") =>
        AccountsSetup.CreateAsync(Admin(), Browser(), Mail, email, role, clearance);
}

/// <summary>
/// Issue 24: who gets a run — accounts by e-mail with links (the rows only for PUBLIC content), webhooks by a signed
/// notification without the rows, each only while its clearance reaches the run's level — admins told once of a
/// refusal, and definitions and runs in the audit trail.
/// </summary>
public sealed class ReportDeliveryTests(ReportDeliveryFactory factory) : IClassFixture<ReportDeliveryFactory>
{
    public const string PublicUrl = "https://reports.example.org";

    private const string ChangeRole = "mutation($id: ID!, $role: Role!, $clearance: Confidentiality!) { changeAccountRole(input: { id: $id, role: $role, clearance: $clearance }) { account { clearance } } }";

    private const string RunJob = "mutation { runJob(input: { name: SCHEDULED_REPORTS }) { run { items outcome error } } }";

    private const string Trail = "query($id: ID!) { auditTrail(entityId: $id) { action by clientMutationId } }";

    [Fact]
    public async Task An_account_at_the_level_is_mailed_links_without_the_rows_one_below_is_withheld_and_only_public_content_is_in_a_mail()
    {
        var admin = factory.Admin();
        await admin.QueryAsync("mutation { openCase(input: { title: \"Bolivia staff case\", countryCode: \"BO\", confidentiality: STAFF }) { case { id } } }");
        await admin.QueryAsync("mutation { openCase(input: { title: \"Bolivia public case\", countryCode: \"BO\", confidentiality: PUBLIC }) { case { id } } }");
        var reader = await factory.PersonAsync("delivery.reader@example.org");
        var lowered = await factory.PersonAsync("delivery.lowered@example.org");

        var created = await admin.PostAsync(Create, new { input = Input("Bolivia weekly", "STAFF", accounts: [reader.Id, lowered.Id], clientMutationId: "create-bolivia") });
        Assert.False(created.HasErrors, created.Raw);
        var id = created.Data.GetProperty("createReportDefinition").GetProperty("reportDefinition").GetProperty("id").GetString()!;
        await admin.QueryAsync("mutation($id: ID!) { updateReportDefinition(input: { reportDefinitionId: $id, name: \"Bolivia weekly (renamed)\", clientMutationId: \"rename\" }) { reportDefinition { id } } }", new { id });
        await admin.QueryAsync(ChangeRole, new { id = lowered.Id, role = "STAFF", clearance = "NETWORK" });

        var run = (await admin.QueryAsync(RunNow, new { id })).GetProperty("runReportNow").GetProperty("reportRun");
        Assert.Equal("SUCCEEDED", run.GetProperty("status").GetString());
        Assert.Equal([$"user:{IdOf(reader.Id)}"], run.GetProperty("deliveredTo").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal([$"user:{IdOf(lowered.Id)}"], run.GetProperty("withheld").EnumerateArray().Select(d => d.GetString()));

        // One mail to the reader: what it is, its figures and absolute links — never the rows of a STAFF report.
        var mail = Assert.Single(Reports(reader.Email));
        Assert.Equal("Report: Bolivia weekly (renamed) (" + run.GetProperty("forDay").GetString() + ")", mail.Subject);
        Assert.Contains("2 rows", mail.Text, StringComparison.Ordinal);
        Assert.Contains(PublicUrl + FileUrl(run, ".csv"), mail.Text, StringComparison.Ordinal);
        Assert.Contains(PublicUrl + FileUrl(run, ".html"), mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bolivia staff case", mail.Text, StringComparison.Ordinal);
        Assert.Empty(Reports(lowered.Email));

        // PUBLIC content: the table itself may travel, to the account and to an address outside the accounts.
        var open = await CreateAsync(admin, Input("Bolivia public", "PUBLIC", accounts: [reader.Id], emails: ["press.bolivia@example.net"]));
        var published = (await admin.QueryAsync(RunNow, new { id = open })).GetProperty("runReportNow").GetProperty("reportRun");
        Assert.Equal(2, published.GetProperty("deliveredTo").GetArrayLength());
        Assert.Contains("Bolivia public case", Assert.Single(Reports("press.bolivia@example.net")).Text, StringComparison.Ordinal);
        var readerPublic = Assert.Single(Reports(reader.Email), m => m.Subject.StartsWith("Report: Bolivia public", StringComparison.Ordinal));
        Assert.Contains("Bolivia public case", readerPublic.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bolivia staff case", readerPublic.Text, StringComparison.Ordinal);

        // The definition's changes and runs are in its audit trail, with who did them.
        var trail = (await admin.QueryAsync(Trail, new { id })).GetProperty("auditTrail").EnumerateArray().ToList();
        Assert.Equal(["digests.report_definition_created", "digests.report_definition_updated", "digests.report_run_started", "digests.report_run_succeeded"],
            trail.Select(e => e.GetProperty("action").GetString()));
        Assert.All(trail, e => Assert.StartsWith("apikey:", e.GetProperty("by").GetString(), StringComparison.Ordinal));
        Assert.Equal(["create-bolivia", "rename", null, null], trail.Select(e => e.GetProperty("clientMutationId").GetString()));

        // Deleted: nothing of it remains for anyone, its trail included (as for an unknown id).
        await admin.QueryAsync("mutation($id: ID!) { deleteReportDefinition(input: { reportDefinitionId: $id }) { reportDefinition { id } } }", new { id });
        Assert.Equal(0, (await admin.QueryAsync(Trail, new { id })).GetProperty("auditTrail").GetArrayLength());
    }

    [Fact]
    public async Task A_webhook_whose_registrant_is_below_the_level_gets_nothing_and_one_at_the_level_one_signed_notification_without_the_rows()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = factory.Admin();
        await admin.QueryAsync("mutation { openCase(input: { title: \"Chile staff case\", countryCode: \"CL\", confidentiality: STAFF }) { case { id } } }");
        var staffPerson = await factory.PersonAsync("hook.staff@example.org");
        var staffSession = await AccountsSetup.SignInAsync(factory.Browser(), staffPerson);
        var networkSession = await AccountsSetup.SignInAsync(factory.Browser(), await factory.PersonAsync("hook.network@example.org", clearance: "NETWORK"));
        var (atLevel, secret) = await RegisterAsync(staffSession, receiver.Url + "?at=staff");
        var (below, _) = await RegisterAsync(networkSession, receiver.Url + "?at=network");

        // Only a webhook the caller manages may be named: the NETWORK registrant may not name the STAFF one.
        var foreign = await networkSession.GraphQLAsync(Create, new { input = Input("Chile for someone else's hook", "PUBLIC", webhooks: [atLevel]) });
        Assert.Equal(("VALIDATION", "webhookRecipientIds[0]"), (foreign.ErrorCode, foreign.ErrorField));

        var id = await CreateAsync(admin, Input("Chile weekly", "STAFF", webhooks: [atLevel, below]));
        var run = (await admin.QueryAsync(RunNow, new { id })).GetProperty("runReportNow").GetProperty("reportRun");
        Assert.Equal("SUCCEEDED", run.GetProperty("status").GetString());
        Assert.Equal([$"webhook:{IdOf(atLevel)}", $"user:{IdOf(staffPerson.Id)}"], run.GetProperty("deliveredTo").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal([$"webhook:{IdOf(below)}"], run.GetProperty("withheld").EnumerateArray().Select(d => d.GetString()));

        var notification = Assert.Single(receiver.Received, r => r.Event == "report.run_succeeded");
        Assert.True(WebhookSignature.Verify(secret, notification.Signature, notification.Body, factory.Clock.GetUtcNow()));
        var body = notification.Json;
        Assert.Equal(id, body.GetProperty("definition").GetProperty("id").GetString());
        Assert.Equal("Chile weekly", body.GetProperty("definition").GetProperty("name").GetString());
        Assert.Equal(run.GetProperty("id").GetString(), body.GetProperty("run").GetProperty("id").GetString());
        Assert.Equal(1, body.GetProperty("run").GetProperty("rows").GetInt32());
        Assert.Equal(PublicUrl + FileUrl(run, ".csv"), body.GetProperty("run").GetProperty("files")[0].GetProperty("url").GetString());
        Assert.DoesNotContain("Chile staff case", System.Text.Encoding.UTF8.GetString(notification.Body), StringComparison.Ordinal);

        // The link works for whom the webhook acts (its registrant), not for the one it was withheld from.
        using (var file = await staffSession.Http.GetAsync(FileUrl(run, ".csv")))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, file.StatusCode);
            Assert.Contains("Chile staff case", await file.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var file = await networkSession.Http.GetAsync(FileUrl(run, ".csv")))
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, file.StatusCode);
        }

        // A failed attempt is retried by the job with the same delivery id, and then the webhook joins deliveredTo.
        receiver.Respond(503);
        var retried = (await admin.QueryAsync(RunNow, new { id })).GetProperty("runReportNow").GetProperty("reportRun");
        Assert.DoesNotContain($"webhook:{IdOf(atLevel)}", retried.GetProperty("deliveredTo").EnumerateArray().Select(d => d.GetString()));
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        await admin.QueryAsync(RunJob);
        var attempts = receiver.Received.Where(r => r.Event == "report.run_succeeded" && r.DeliveryId != notification.DeliveryId).ToList();
        Assert.Equal([503, 200], attempts.Select(a => a.AnsweredWith));
        Assert.Single(attempts.Select(a => a.DeliveryId).Distinct());
        var after = (await RunsAsync(admin, id)).Single(r => r.GetProperty("id").GetString() == retried.GetProperty("id").GetString());
        Assert.Contains($"webhook:{IdOf(atLevel)}", after.GetProperty("deliveredTo").EnumerateArray().Select(d => d.GetString()));
    }

    [Fact]
    public async Task A_refusal_mails_the_admins_once_across_scheduled_fires_until_the_definition_changes_and_is_in_the_audit_trail()
    {
        var admin = factory.Admin();
        var owner = await factory.PersonAsync("refused.owner@example.org");
        var ownerSession = await AccountsSetup.SignInAsync(factory.Browser(), owner);
        var seniorAdmin = await factory.PersonAsync("senior.admin@example.org", "ADMIN", "RESTRICTED");
        var juniorAdmin = await factory.PersonAsync("junior.admin@example.org", "ADMIN", "NETWORK");
        var created = await ownerSession.GraphQLAsync(Create, new { input = Input("Peru hourly", "STAFF", cron: "0 0 * * * ?") });
        Assert.False(created.HasErrors, created.Raw);
        var id = created.Data.GetProperty("createReportDefinition").GetProperty("reportDefinition").GetProperty("id").GetString()!;
        await admin.QueryAsync(ChangeRole, new { id = owner.Id, role = "STAFF", clearance = "NETWORK" });

        // Three hourly fires, each refused: the admin whose clearance reaches the report is told once; the one below never.
        for (var fire = 0; fire < 3; fire++)
        {
            factory.Clock.Advance(TimeSpan.FromHours(1));
            Assert.Equal("SUCCEEDED", (await admin.QueryAsync(RunJob)).GetProperty("runJob").GetProperty("run").GetProperty("outcome").GetString());
        }

        var runs = await RunsAsync(admin, id);
        Assert.Equal(3, runs.Count(r => r.GetProperty("status").GetString() == "REFUSED"));
        var told = Assert.Single(Refusals(seniorAdmin.Email));
        Assert.Contains("Peru hourly", told.Subject, StringComparison.Ordinal);
        Assert.Contains("clearance (NETWORK) is now below the report's level (STAFF)", told.Text, StringComparison.Ordinal);
        Assert.Empty(Refusals(juniorAdmin.Email));

        var trail = (await admin.QueryAsync(Trail, new { id })).GetProperty("auditTrail").EnumerateArray().ToList();
        Assert.Equal(3, trail.Count(e => e.GetProperty("action").GetString() == "digests.report_run_refused"));
        Assert.All(trail.Where(e => e.GetProperty("action").GetString() == "digests.report_run_refused"), e => Assert.Equal("system:scheduled-reports", e.GetProperty("by").GetString()));
        Assert.Equal($"user:{IdOf(owner.Id)}", trail[0].GetProperty("by").GetString());

        // Changed, the definition's next refusal is news again; given back the clearance, it runs.
        await admin.QueryAsync("mutation($id: ID!) { updateReportDefinition(input: { reportDefinitionId: $id, name: \"Peru hourly (checked)\" }) { reportDefinition { id } } }", new { id });
        factory.Clock.Advance(TimeSpan.FromHours(1));
        await admin.QueryAsync(RunJob);
        Assert.Equal(2, Refusals(seniorAdmin.Email).Count);
        await admin.QueryAsync(ChangeRole, new { id = owner.Id, role = "STAFF", clearance = "STAFF" });
        factory.Clock.Advance(TimeSpan.FromHours(1));
        await admin.QueryAsync(RunJob);
        Assert.Equal("SUCCEEDED", (await RunsAsync(admin, id))[0].GetProperty("status").GetString());
        Assert.Equal(2, Refusals(seniorAdmin.Email).Count);
    }

    private List<(string To, string Subject, string Text)> Reports(string to) =>
        [.. factory.Mail.Sent.Where(m => m.To == to && m.Subject.StartsWith("Report: ", StringComparison.Ordinal))];

    private List<(string To, string Subject, string Text)> Refusals(string to) =>
        [.. factory.Mail.Sent.Where(m => m.To == to && m.Subject.StartsWith("Report refused: ", StringComparison.Ordinal))];

    private static async Task<(string Id, string Secret)> RegisterAsync(Browser session, string url)
    {
        var registered = await session.GraphQLAsync("mutation($url: String!) { registerWebhook(input: { name: \"reports\", url: $url }) { secret webhook { id } } }", new { url });
        Assert.False(registered.HasErrors, registered.Raw);
        var payload = registered.Data.GetProperty("registerWebhook");
        return (payload.GetProperty("webhook").GetProperty("id").GetString()!, payload.GetProperty("secret").GetString()!);
    }

    /// <summary>The account's (or webhook's) own id inside its global id, as deliveredTo and withheld name it.</summary>
    private static Guid IdOf(string globalId) =>
        Omct.Platform.BuildingBlocks.Ids.GlobalId.TryDecode(globalId, out _, out var id) ? id : throw new ArgumentException("Not a global id.", nameof(globalId));

    private static object Input(string name, string level, string[]? accounts = null, string[]? emails = null, string[]? webhooks = null, string? cron = null,
        string? clientMutationId = null) => new
    {
        name, query = "query { cases(filter: { countries: [\"" + CountryOf(name) + "\"] }, first: 100) { nodes { reference title } } }", listPath = "cases.nodes",
        columns = new[] { new { path = "reference", headingEn = "Reference" }, new { path = "title", headingEn = "Title" } }, formats = new[] { "CSV", "HTML" },
        confidentiality = level, accountRecipientIds = accounts, emailRecipients = emails, webhookRecipientIds = webhooks, cron, clientMutationId,
    };

    private static string CountryOf(string name) => name.Split(' ')[0] switch { "Bolivia" => "BO", "Chile" => "CL", _ => "PE" };
}
