using Omct.Platform.Api.Tests.Security;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary>"In the future" is judged against the latest date already begun somewhere (UTC+14), not UTC's.</summary>
public sealed class CaseEventDateTests(FakeClockPlatformFactory platform) : IClassFixture<FakeClockPlatformFactory>
{
    [Fact]
    public async Task A_date_that_is_already_today_east_of_UTC_is_accepted_and_a_day_later_is_refused_for_events_openings_and_interventions()
    {
        // 23:30 UTC on 28 November: already the 29th in Geneva (00:30) and Manila (07:30), not yet the 30th anywhere.
        platform.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 28, 23, 30, 0, TimeSpan.Zero));
        var admin = platform.Admin();
        var caseId = (await admin.QueryAsync("mutation { openCase(input: { title: \"Philippines: arrest in Manila\", countryCode: \"PH\" }) { case { id openedOn } } }"))
            .GetProperty("openCase").GetProperty("case");
        Assert.Equal("2026-11-28", caseId.GetProperty("openedOn").GetString()); // a default date stays UTC's
        var id = caseId.GetProperty("id").GetString();

        var accepted = await admin.PostAsync("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: ARREST, date: \"2026-11-29\" }) { case { events { date } } } }", new { id });
        Assert.False(accepted.HasErrors, accepted.ToString());
        Assert.Equal("2026-11-29", accepted.Data.GetProperty("recordCaseEvent").GetProperty("case").GetProperty("events")[0].GetProperty("date").GetString());

        var refused = await admin.PostAsync("mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: ARREST, date: \"2026-11-30\" }) { case { id } } }", new { id });
        Assert.Equal("VALIDATION", refused.ErrorCode);
        Assert.Equal("date", refused.ErrorField);

        // The same bound for a given opening date and date of issue.
        Assert.False((await admin.PostAsync("mutation { openCase(input: { title: \"Philippines: opened in Manila\", countryCode: \"PH\", openedOn: \"2026-11-29\" }) { case { id } } }")).HasErrors);
        Assert.Equal("openedOn", (await admin.PostAsync("mutation { openCase(input: { title: \"Philippines: too early\", countryCode: \"PH\", openedOn: \"2026-11-30\" }) { case { id } } }")).ErrorField);
        var appeal = await admin.PostAsync("mutation($id: ID!) { issueIntervention(input: { caseId: $id, type: URGENT_APPEAL, issuedOn: \"2026-11-29\" }) { case { interventions { issuedOn } } } }", new { id });
        Assert.False(appeal.HasErrors, appeal.ToString());
        Assert.Equal("issuedOn", (await admin.PostAsync("mutation($id: ID!) { issueIntervention(input: { caseId: $id, type: FOLLOW_UP, issuedOn: \"2026-11-30\" }) { case { id } } }", new { id })).ErrorField);
    }
}
