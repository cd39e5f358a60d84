using System.Net;
using Omct.Platform.Api.Tests.Accounts;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Reports.ReportKit;

namespace Omct.Platform.Api.Tests.Reports;

/// <summary>
/// Issue 24: a report runs with its owner's clearance as it is at each run, and reaches only recipients whose clearance
/// reaches its level — an account lowered below it gets neither the run nor its files, an address outside the accounts
/// only a PUBLIC report.
/// </summary>
public sealed class ReportClearanceTests(AccountsFactory factory) : IClassFixture<AccountsFactory>
{
    private const string ChangeRole = "mutation($id: ID!, $clearance: Confidentiality!) { changeAccountRole(input: { id: $id, role: STAFF, clearance: $clearance }) { account { clearance } } }";

    private const string Query = "query { cases(filter: { countries: [\"PY\"] }, first: 100) { nodes { reference title } } }";

    [Fact]
    public async Task A_recipient_lowered_below_the_level_gets_nothing_and_a_lowered_owner_stops_the_report()
    {
        var admin = factory.Admin();
        await admin.QueryAsync("mutation { openCase(input: { title: \"Paraguay staff case\", countryCode: \"PY\", confidentiality: STAFF }) { case { id } } }");
        var owner = await AccountsSetup.CreateAsync(factory, "report.owner@example.org");
        var reader = await AccountsSetup.CreateAsync(factory, "report.reader@example.org");
        var ownerSession = await AccountsSetup.SignInAsync(factory, owner);
        var readerSession = await AccountsSetup.SignInAsync(factory, reader);

        // An address outside the accounts never gets a report above PUBLIC; nor an account below the level.
        var refused = await ownerSession.GraphQLAsync(Create, new { input = Input("Paraguay weekly", "STAFF", emails: ["outside@example.net"]) });
        Assert.Equal(("VALIDATION", "emailRecipients"), (refused.ErrorCode, refused.ErrorField));
        var tooHigh = await ownerSession.GraphQLAsync(Create, new { input = Input("Paraguay restricted", "RESTRICTED", accounts: [reader.Id]) });
        Assert.Equal(("VALIDATION", "confidentiality"), (tooHigh.ErrorCode, tooHigh.ErrorField));

        var created = await ownerSession.GraphQLAsync(Create, new { input = Input("Paraguay weekly", "STAFF", accounts: [reader.Id]) });
        Assert.False(created.HasErrors, created.Raw);
        var id = created.Data.GetProperty("createReportDefinition").GetProperty("reportDefinition").GetProperty("id").GetString()!;

        var delivered = (await ownerSession.GraphQLAsync(RunNow, new { id })).Data.GetProperty("runReportNow").GetProperty("reportRun");
        Assert.Equal("SUCCEEDED", delivered.GetProperty("status").GetString());
        Assert.Single(delivered.GetProperty("deliveredTo").EnumerateArray(), d => d.GetString()!.StartsWith("user:", StringComparison.Ordinal));
        using (var file = await readerSession.Http.GetAsync(FileUrl(delivered, ".csv")))
        {
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Contains("Paraguay staff case", await file.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // The reader's clearance is lowered: the next run is withheld from it, and no file of any run reaches it.
        await admin.QueryAsync(ChangeRole, new { id = reader.Id, clearance = "NETWORK" });
        readerSession = await AccountsSetup.SignInAsync(factory, reader);
        var withheld = (await ownerSession.GraphQLAsync(RunNow, new { id })).Data.GetProperty("runReportNow").GetProperty("reportRun");
        Assert.Equal(0, withheld.GetProperty("deliveredTo").GetArrayLength());
        Assert.Single(withheld.GetProperty("withheld").EnumerateArray());
        foreach (var url in new[] { FileUrl(withheld, ".csv"), FileUrl(delivered, ".csv") })
        {
            using var file = await readerSession.Http.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
        }

        var notSeen = await readerSession.GraphQLAsync(Runs, new { id });
        Assert.Equal("NOT_FOUND", notSeen.ErrorCode);

        // The owner's clearance is lowered: the report no longer runs, and says why.
        var mailsBefore = factory.Mail.Sent.Count;
        await admin.QueryAsync(ChangeRole, new { id = owner.Id, clearance = "NETWORK" });
        var stopped = (await admin.QueryAsync(RunNow, new { id })).GetProperty("runReportNow").GetProperty("reportRun");
        Assert.Equal("REFUSED", stopped.GetProperty("status").GetString());
        Assert.Contains("clearance (NETWORK) is now below the report's level (STAFF)", stopped.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, stopped.GetProperty("files").GetArrayLength());
        Assert.Equal(mailsBefore, factory.Mail.Sent.Count);
        Assert.Contains(factory.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Report definition {DefinitionId} ({Name}) of {Owner} refused to run", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_public_report_goes_to_an_address_outside_the_accounts_and_a_staff_one_never_does()
    {
        var admin = factory.Admin();
        await admin.QueryAsync("mutation { openCase(input: { title: \"Public Paraguay case\", countryCode: \"PY\", confidentiality: PUBLIC }) { case { id } } }");
        var id = await CreateAsync(admin, Input("Paraguay public", "PUBLIC", emails: ["press@example.net"]));
        var run = (await admin.QueryAsync(RunNow, new { id })).GetProperty("runReportNow").GetProperty("reportRun");
        Assert.Equal(["email:press@example.net"], run.GetProperty("deliveredTo").EnumerateArray().Select(d => d.GetString()));
        var mail = Assert.Single(factory.Mail.Sent, m => m.To == "press@example.net");
        Assert.Contains("Public Paraguay case", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Paraguay staff case", mail.Text, StringComparison.Ordinal);

        // Raised to STAFF, the address must go first: the report is never sent above PUBLIC to it.
        var raised = await admin.PostAsync("mutation($id: ID!) { updateReportDefinition(input: { reportDefinitionId: $id, confidentiality: STAFF }) { reportDefinition { id } } }", new { id });
        Assert.Equal(("VALIDATION", "emailRecipients"), (raised.ErrorCode, raised.ErrorField));
    }

    private static object Input(string name, string level, string[]? emails = null, string[]? accounts = null) => new
    {
        name, query = Query, listPath = "cases.nodes",
        columns = new[] { new { path = "reference", headingEn = "Reference" }, new { path = "title", headingEn = "Title" } },
        formats = new[] { "CSV" }, confidentiality = level, emailRecipients = emails, accountRecipientIds = accounts,
    };
}
