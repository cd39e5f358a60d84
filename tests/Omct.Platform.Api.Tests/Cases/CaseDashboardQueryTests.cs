using System.Text.Json;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary>
/// The two fields the console's dashboard reads besides the case list and statistics: interventionCount (interventions issued
/// in a period) and recentlyUpdatedCases (the latest changes), each within the caller's clearance.
/// </summary>
public sealed class CaseDashboardQueryTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task Intervention_count_counts_what_the_caller_may_see_in_the_period()
    {
        var open = await OpenAsync("Uruguay: arrest of a union leader", "PUBLIC");
        await IssueAsync(open, "URGENT_APPEAL", "2026-01-10");
        await IssueAsync(open, "FOLLOW_UP", "2026-02-05");
        var hidden = await OpenAsync("Uruguay: staff-only file", "STAFF");
        await IssueAsync(hidden, "URGENT_APPEAL", "2026-01-15");

        var network = platform.GraphQL(await FeedKit.KeyAsync(platform, "STAFF", "NETWORK"));
        const string all = "issuedFrom: null";
        const string january = "issuedFrom: \"2026-01-01\", issuedTo: \"2026-01-31\"";
        const string fromFebruary = "issuedFrom: \"2026-02-01\"";

        Assert.Equal(3, await CountAsync(platform.Admin(), all));
        Assert.Equal(2, await CountAsync(platform.Admin(), january));
        Assert.Equal(1, await CountAsync(platform.Admin(), fromFebruary));
        // The STAFF case's urgent appeal is never counted for a NETWORK or anonymous caller.
        Assert.Equal(2, await CountAsync(network, all));
        Assert.Equal(1, await CountAsync(network, january));
        Assert.Equal(2, await CountAsync(platform.GraphQL(), all));
        // The filter is the case list's: another country has none.
        var other = await platform.Admin().QueryAsync("{ interventionCount(filter: { countries: [\"PY\"] }) }");
        Assert.Equal(0, other.GetProperty("interventionCount").GetInt32());
    }

    [Fact]
    public async Task A_period_that_ends_before_it_starts_is_refused_on_its_argument()
    {
        var response = await platform.Admin().PostAsync("{ interventionCount(issuedFrom: \"2026-02-01\", issuedTo: \"2026-01-01\") }");
        Assert.Equal("VALIDATION", response.ErrorCode);
        Assert.Equal("issuedFrom", response.ErrorField);
    }

    [Fact]
    public async Task Recently_updated_cases_come_latest_change_first_within_the_callers_clearance()
    {
        var older = await OpenAsync("Bolivia: older public case", "PUBLIC", "BO");
        var staff = await OpenAsync("Bolivia: staff case changed later", "STAFF", "BO");
        var latest = await OpenAsync("Bolivia: public case changed last", "PUBLIC", "BO");
        await IssueAsync(staff, "URGENT_APPEAL", "2026-03-01");
        // Changing the oldest case brings it to the top.
        await IssueAsync(older, "URGENT_APPEAL", "2026-03-02");

        var admin = await RecentAsync(platform.Admin(), 3);
        Assert.Equal([older, staff, latest], admin);

        var network = await RecentAsync(platform.GraphQL(await FeedKit.KeyAsync(platform, "STAFF", "NETWORK")), 50);
        Assert.DoesNotContain(staff, network);
        Assert.Equal([older, latest], network.Take(2));

        var tooMany = await platform.Admin().PostAsync("{ recentlyUpdatedCases(first: 51) { id } }");
        Assert.Equal("LIMIT_EXCEEDED", tooMany.ErrorCode);
    }

    private static async Task<int> CountAsync(GraphQLClient client, string arguments)
    {
        var data = await client.QueryAsync($"{{ interventionCount({arguments}, filter: {{ countries: [\"UY\"] }}) }}");
        return data.GetProperty("interventionCount").GetInt32();
    }

    private static async Task<List<string>> RecentAsync(GraphQLClient client, int first)
    {
        var data = await client.QueryAsync($"{{ recentlyUpdatedCases(first: {first}) {{ id }} }}");
        return data.GetProperty("recentlyUpdatedCases").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
    }

    private async Task<string> OpenAsync(string title, string confidentiality, string country = "UY")
    {
        var data = await platform.Admin().QueryAsync("mutation($input: OpenCaseInput!) { openCase(input: $input) { case { id } } }",
            new { input = new { title, countryCode = country, confidentiality, openedOn = "2025-12-01" } });
        return data.GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> IssueAsync(string caseId, string type, string issuedOn) =>
        await platform.Admin().QueryAsync(
            $"mutation($id: ID!, $on: Date) {{ issueIntervention(input: {{ caseId: $id, type: {type}, issuedOn: $on }}) {{ case {{ id }} }} }}",
            new { id = caseId, on = issuedOn });
}
