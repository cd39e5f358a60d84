using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary>
/// The case list's filters, order and statistics, and the clearance they apply. The class's data
/// is opened once (see <see cref="InitializeAsync"/>) in countries no other test here uses.
/// </summary>
public sealed class CaseQueryTests(PlatformFactory platform) : IClassFixture<PlatformFactory>, IAsyncLifetime
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static bool _seeded;

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_seeded)
            {
                return;
            }

            // Peru: three public cases, one of them closed; one STAFF case; one public case whose only torture event is RESTRICTED.
            var a = await OpenAsync("Peru: arrest of journalists in Lima", "PE", "PUBLIC", "2012-05-01", "Journalists detained after a protest.");
            await RecordAsync(a, "ARREST", "2012-04-30", "PUBLIC", "secret-word-alpha in a public event");
            var b = await OpenAsync("Peru: threats against a lawyer", "PE", "PUBLIC", "2013-06-01", "A lawyer received threats.");
            await RecordAsync(b, "THREAT", "2013-05", "PUBLIC", null);
            await Admin("mutation($id: ID!) { changeCaseStatus(input: { caseId: $id, status: CLOSED }) { case { id } } }", new { id = b });
            var c = await OpenAsync("Peru: staff-only file", "PE", "STAFF", "2013-07-01", "Confidential matter.");
            await RecordAsync(c, "TORTURE", "2013-06-20", "STAFF", null);
            var d = await OpenAsync("Peru: community leaders", "PE", "PUBLIC", "2014-01-10", "Leaders of a community.");
            await RecordAsync(d, "TORTURE", "2014-01-05", "RESTRICTED", "zyxwv-restricted-detail");
            await RecordAsync(d, "INTIMIDATION", "2014-01-06", "PUBLIC", null);
            _seeded = true;
        }
        finally
        {
            Once.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Filters_by_status_event_type_dates_and_text_combine()
    {
        Assert.Equal(3, await CountAsync("{ countries: [\"PE\"] }", anonymous: true));
        Assert.Equal(4, await CountAsync("{ countries: [\"PE\"] }"));
        Assert.Equal(1, await CountAsync("{ countries: [\"PE\"], statuses: [CLOSED] }"));
        Assert.Equal(1, await CountAsync("{ countries: [\"PE\"], eventTypes: [ARREST] }", anonymous: true));
        Assert.Equal(2, await CountAsync("{ countries: [\"PE\"], openedFrom: \"2013-01-01\", openedTo: \"2013-12-31\" }"));
        Assert.Equal(1, await CountAsync("{ countries: [\"PE\"], text: \"lawyer\" }", anonymous: true));
        Assert.Equal(1, await CountAsync("{ countries: [\"PE\"], text: \"journalist detained\" }", anonymous: true)); // stemmed
        Assert.Equal(0, await CountAsync("{ countries: [\"PE\"], text: \"lawyer -threats\" }", anonymous: true));
    }

    [Fact]
    public async Task Filters_never_match_what_the_caller_may_not_see()
    {
        // The only TORTURE events are STAFF and RESTRICTED: an anonymous caller must not learn they exist.
        Assert.Equal(0, await CountAsync("{ countries: [\"PE\"], eventTypes: [TORTURE] }", anonymous: true));
        Assert.Equal(2, await CountAsync("{ countries: [\"PE\"], eventTypes: [TORTURE] }"));
        // Free text looks at the title and summary only, never at the timeline.
        Assert.Equal(0, await CountAsync("{ countries: [\"PE\"], text: \"zyxwv\" }"));
        Assert.Equal(0, await CountAsync("{ countries: [\"PE\"], text: \"alpha\" }"));
    }

    [Fact]
    public async Task Order_by_opening_date_both_ways()
    {
        var newest = await Titles("{ countries: [\"PE\"] }", null);
        var oldest = await Titles("{ countries: [\"PE\"] }", "OPENED_ON_ASC");
        Assert.Equal("Peru: community leaders", newest[0]);
        Assert.Equal("Peru: arrest of journalists in Lima", oldest[0]);
        Assert.Equal(newest.AsEnumerable().Reverse(), oldest);
    }

    [Fact]
    public async Task Statistics_count_only_what_the_caller_may_see()
    {
        var anonymous = await StatisticsAsync("COUNTRY", anonymous: true);
        var admin = await StatisticsAsync("COUNTRY", anonymous: false);
        Assert.Equal(3, anonymous["PE"]);
        Assert.Equal(4, admin["PE"]);

        var years = await StatisticsAsync("YEAR", anonymous: true);
        Assert.Equal(new Dictionary<string, int> { ["2012"] = 1, ["2013"] = 1, ["2014"] = 1 }, years);

        var statuses = await StatisticsAsync("STATUS", anonymous: true);
        Assert.Equal(new Dictionary<string, int> { ["OPEN"] = 2, ["CLOSED"] = 1 }, statuses);

        var events = await StatisticsAsync("EVENT_TYPE", anonymous: true);
        Assert.False(events.ContainsKey("TORTURE"));
        Assert.Equal(1, events["ARREST"]);
        Assert.Equal(2, (await StatisticsAsync("EVENT_TYPE", anonymous: false))["TORTURE"]);
    }

    [Fact]
    public async Task A_victim_above_the_callers_clearance_is_not_shown_and_not_matched()
    {
        var id = await OpenAsync("Chile: protected witness", "CL", "PUBLIC", "2015-01-01", null);
        var defender = await RegisterDefenderAsync("Witness", "NETWORK");
        await Admin("mutation($id: ID!, $d: ID!) { addVictim(input: { caseId: $id, defenderId: $d, confidentiality: STAFF }) { case { id } } }",
            new { id, d = defender });
        await Admin("mutation($id: ID!) { addVictim(input: { caseId: $id, name: \"Public name\", confidentiality: PUBLIC }) { case { id } } }", new { id });

        var anonymous = await platform.GraphQL().QueryAsync("query($id: ID!) { case(id: $id) { victims { name defenderId } } }", new { id });
        var victims = anonymous.GetProperty("case").GetProperty("victims");
        Assert.Equal(1, victims.GetArrayLength());
        Assert.Equal("Public name", victims[0].GetProperty("name").GetString());

        Assert.Equal(0, await CountAsync($"{{ victimId: \"{defender}\" }}", anonymous: true));
        Assert.Equal(1, await CountAsync($"{{ victimId: \"{defender}\" }}"));
    }

    [Fact]
    public async Task A_victim_must_be_an_existing_defender_and_their_detention_is_published()
    {
        var id = await OpenAsync("Chile: arrest of a defender", "CL", "PUBLIC", "2015-02-01", null);
        var unknown = await platform.Admin().PostAsync("mutation($id: ID!, $d: ID!) { addVictim(input: { caseId: $id, defenderId: $d, confidentiality: PUBLIC }) { case { id } } }",
            new { id, d = GlobalId.Encode("Defender", Guid.CreateVersion7()) });
        Assert.Equal("VALIDATION", unknown.ErrorCode);
        Assert.Equal("defenderId", unknown.ErrorField);

        var defender = await RegisterDefenderAsync("Arrested defender", "PUBLIC");
        GlobalId.TryDecode(defender, "Defender", out var defenderId);
        var store = platform.Services.GetRequiredService<IDocumentStore>();

        var withVictim = await Admin("mutation($id: ID!, $d: ID!) { addVictim(input: { caseId: $id, defenderId: $d, confidentiality: PUBLIC }) { case { victims { id } } } }",
            new { id, d = defender });
        var victim = withVictim.GetProperty("addVictim").GetProperty("case").GetProperty("victims")[0].GetProperty("id").GetString();
        var recorded = await Admin("mutation($id: ID!, $v: ID!) { recordCaseEvent(input: { caseId: $id, type: DETENTION, date: \"2015-01-30\", victimIds: [$v], confidentiality: PUBLIC }) { case { version } } }",
            new { id, v = victim });

        GlobalId.TryDecode(id, "Case", out var caseId);
        await using var query = store.QuerySession();
        var events = await query.Events.FetchStreamAsync(caseId);
        var report = Assert.Single(events.Select(e => e.Data).OfType<DefenderSituationReported>());
        Assert.Equal((defenderId, ReportedSituation.Detained, "2015-01-30"), (report.DefenderId, report.Situation, report.Date.ToString()));
        // The case's version follows its stream, published events included, so expectedVersion keeps working.
        Assert.Equal(events.Count, recorded.GetProperty("recordCaseEvent").GetProperty("case").GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("{ victimId: \"not-an-id\" }", "filter.victimId")]
    [InlineData("{ openedFrom: \"2014-01-01\", openedTo: \"2013-01-01\" }", "filter.openedFrom")]
    public async Task Bad_filters_are_refused_naming_the_field(string filter, string field)
    {
        var response = await platform.GraphQL().PostAsync($"{{ cases(filter: {filter}) {{ totalCount }} }}");
        Assert.Equal("VALIDATION", response.ErrorCode);
        Assert.Equal(field, response.ErrorField);
    }

    private async Task<string> RegisterDefenderAsync(string name, string confidentiality)
    {
        var data = await Admin("mutation($name: String!, $level: Confidentiality) { registerDefender(input: { name: $name, countryCode: \"CL\", confidentiality: $level, consentToPublishName: true }) { defender { id } } }",
            new { name, level = confidentiality });
        return data.GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> Admin(string query, object? variables = null) => await platform.Admin().QueryAsync(query, variables);

    private async Task<string> OpenAsync(string title, string country, string confidentiality, string openedOn, string? summary)
    {
        var data = await Admin("mutation($input: OpenCaseInput!) { openCase(input: $input) { case { id } } }",
            new { input = new { title, countryCode = country, confidentiality, openedOn, summary } });
        return data.GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
    }

    private Task<JsonElement> RecordAsync(string caseId, string type, string date, string confidentiality, string? description) =>
        Admin($"mutation($id: ID!, $d: String) {{ recordCaseEvent(input: {{ caseId: $id, type: {type}, date: \"{date}\", confidentiality: {confidentiality}, description: $d }}) {{ case {{ id }} }} }}",
            new { id = caseId, d = description });

    private async Task<int> CountAsync(string filter, bool anonymous = false)
    {
        var client = anonymous ? platform.GraphQL() : platform.Admin();
        var data = await client.QueryAsync($"{{ cases(filter: {filter}) {{ totalCount }} }}");
        return data.GetProperty("cases").GetProperty("totalCount").GetInt32();
    }

    private async Task<List<string>> Titles(string filter, string? order)
    {
        var data = await platform.Admin().QueryAsync($"{{ cases(filter: {filter}{(order is null ? "" : $", orderBy: {order}")}) {{ nodes {{ title }} }} }}");
        return data.GetProperty("cases").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("title").GetString()!).ToList();
    }

    private async Task<Dictionary<string, int>> StatisticsAsync(string dimension, bool anonymous)
    {
        var client = anonymous ? platform.GraphQL() : platform.Admin();
        var data = await client.QueryAsync($"{{ caseStatistics(groupBy: {dimension}, filter: {{ countries: [\"PE\"] }}) {{ key count }} }}");
        return data.GetProperty("caseStatistics").EnumerateArray().ToDictionary(b => b.GetProperty("key").GetString()!, b => b.GetProperty("count").GetInt32());
    }
}
