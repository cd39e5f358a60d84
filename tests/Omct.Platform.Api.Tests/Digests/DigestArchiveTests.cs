using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Digests.DigestKit;

namespace Omct.Platform.Api.Tests.Digests;

/// <summary>A case brought in from the archive (opened with its original reference) is not new work of the period it was recorded in.</summary>
public sealed class DigestArchiveTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task A_2013_case_from_the_archive_with_its_2013_event_and_appeal_is_not_in_todays_digest_but_a_new_event_on_it_is()
    {
        var admin = platform.Admin();
        var asOf = TodayInGeneva().AddDays(1); // the daily digest made tomorrow covers today, when all of this is recorded
        var archive = (await admin.QueryAsync(
                "mutation { openCase(input: { title: \"Burkina: ARCHIVE-CASE-TITLE\", countryCode: \"BF\", openedOn: \"2013-03-15\", reference: \"BFA 001 / 0313 / OBS 009\", confidentiality: STAFF }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        await admin.QueryAsync("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: ARREST, date: \"2013-03-14\", description: \"ARCHIVE-EVENT-TEXT\" }) { case { id } } }", new { id = archive });
        await admin.QueryAsync("mutation($id: ID!) { issueIntervention(input: { caseId: $id, type: URGENT_APPEAL, issuedOn: \"2013-03-15\" }) { case { id } } }", new { id = archive });
        var fresh = await OpenCaseAsync(admin, "Burkina: NEW-CASE-TITLE", "BF", "STAFF");
        // Another case from the archive, on which something new happens today: that is news.
        var followed = (await admin.QueryAsync(
                "mutation { openCase(input: { title: \"Burkina: FOLLOWED-ARCHIVE-CASE\", countryCode: \"BF\", openedOn: \"2013-03-20\", reference: \"BFA 002 / 0313 / OBS 010\", confidentiality: STAFF }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        await RecordEventAsync(admin, followed, "ARREST", Iso(LatestEventDate()), "LATER-EVENT-TEXT", "STAFF");
        var (subscription, _) = await SubscribeAsync(admin, new { name = "Burkina STAFF", period = "DAILY", audience = "STAFF", countries = new[] { "BF" }, emailRecipients = new[] { "bf@example.org" } });

        await RunAsync(admin, "DIGEST", asOf);
        var text = AllText(Of(await DigestsAsync(admin), subscription));
        Assert.Contains("NEW-CASE-TITLE", text, StringComparison.Ordinal);
        Assert.Contains("LATER-EVENT-TEXT", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ARCHIVE-CASE-TITLE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BFA 001 / 0313 / OBS 009", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ARCHIVE-EVENT-TEXT", text, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(fresh));
    }
}
