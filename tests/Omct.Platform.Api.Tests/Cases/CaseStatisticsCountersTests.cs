using System.Text.Json;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omct.Platform.Cases.CaseList;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary>
/// caseStatistics by COUNTRY, YEAR and STATUS come from counters an async projection keeps, once it
/// has caught up; they must then equal the live count for every clearance, and be right at once
/// after a write (read from the live count while the projection lags).
/// </summary>
public sealed class CaseStatisticsCountersTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private static readonly string[] Levels = ["PUBLIC", "NETWORK", "STAFF", "RESTRICTED"];

    private IDocumentStore Store => platform.Services.GetRequiredService<IDocumentStore>();

    private async Task<string> OpenAsync(string country, string level, string openedOn)
    {
        var data = await platform.Admin().QueryAsync(
            "mutation($input: OpenCaseInput!) { openCase(input: $input) { case { id } } }",
            new { input = new { title = $"Statistics {country} {level}", countryCode = country, confidentiality = level, openedOn } });
        return data.GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
    }

    private async Task<string> CreateKeyAsync(string clearance) =>
        (await platform.Admin().QueryAsync($"mutation {{ createApiKey(input: {{ name: \"stats {clearance}\", role: STAFF, clearance: {clearance} }}) {{ key }} }}"))
        .GetProperty("createApiKey").GetProperty("key").GetString()!;

    /// <summary>The three dimensions from the counters (no filter) and counted live (an opening-date filter that matches everything).</summary>
    private static async Task<(string Counters, string Live)> BothAsync(GraphQLClient client)
    {
        var data = await client.QueryAsync(
            "{ c1: caseStatistics(groupBy: COUNTRY) { key count } c2: caseStatistics(groupBy: YEAR) { key count } c3: caseStatistics(groupBy: STATUS, filter: { countries: [\"AR\", \"BO\"] }) { key count } " +
            "l1: caseStatistics(groupBy: COUNTRY, filter: { openedFrom: \"1900-01-01\" }) { key count } l2: caseStatistics(groupBy: YEAR, filter: { openedFrom: \"1900-01-01\" }) { key count } " +
            "l3: caseStatistics(groupBy: STATUS, filter: { countries: [\"AR\", \"BO\"], openedFrom: \"1900-01-01\" }) { key count } }");
        return ($"{data.GetProperty("c1")}{data.GetProperty("c2")}{data.GetProperty("c3")}", $"{data.GetProperty("l1")}{data.GetProperty("l2")}{data.GetProperty("l3")}");
    }

    [Fact]
    public async Task Counters_equal_the_live_count_for_every_clearance_and_survive_a_rebuild()
    {
        var ids = new List<string>();
        foreach (var (level, i) in Levels.Select((l, i) => (l, i)))
        {
            ids.Add(await OpenAsync("AR", level, $"201{i}-05-01"));
            ids.Add(await OpenAsync("BO", level, "2015-01-01"));
        }

        await platform.Admin().QueryAsync("mutation($id: ID!) { changeCaseStatus(input: { caseId: $id, status: CLOSED }) { case { id } } }", new { id = ids[0] });
        await platform.Admin().QueryAsync("mutation($id: ID!) { changeCaseStatus(input: { caseId: $id, status: MONITORING }) { case { id } } }", new { id = ids[5] });
        await platform.Admin().QueryAsync("mutation($id: ID!) { changeCaseConfidentiality(input: { caseId: $id, confidentiality: RESTRICTED }) { case { id } } }", new { id = ids[1] });
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(8, await CounterTotalAsync());
        var clients = new List<GraphQLClient> { platform.GraphQL() };
        foreach (var level in Levels)
        {
            clients.Add(platform.GraphQL(await CreateKeyAsync(level)));
        }

        foreach (var client in clients)
        {
            var (counters, live) = await BothAsync(client);
            Assert.Equal(live, counters);
        }

        var anonymous = await platform.GraphQL().QueryAsync("{ caseStatistics(groupBy: STATUS, filter: { countries: [\"AR\", \"BO\"] }) { key count } }");
        Assert.Equal("""[{"key":"CLOSED","count":1}]""", anonymous.GetProperty("caseStatistics").GetRawText());

        // The counters are what answered: a counter changed behind the projection's back shows.
        await ExecuteAsync("update omct.mt_doc_cases_statistics_counter set count = count + 100 where country_code = 'BO' and confidentiality = 'Network'");
        var tampered = await platform.Admin().QueryAsync("{ caseStatistics(groupBy: COUNTRY, filter: { countries: [\"BO\"] }) { key count } }");
        Assert.Equal(104, tampered.GetProperty("caseStatistics")[0].GetProperty("count").GetInt64());

        // A rebuild from the events puts them right again.
        using (var daemon = await Store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync(CaseStatisticsProjection.Name, CancellationToken.None);
        }

        Assert.Equal(8, await CounterTotalAsync());
        var (rebuilt, again) = await BothAsync(platform.Admin());
        Assert.Equal(again, rebuilt);
    }

    [Fact]
    public async Task A_case_counts_at_once_after_it_is_opened()
    {
        var before = await CountFor("PE");
        await OpenAsync("PE", "PUBLIC", "2020-02-02");
        Assert.Equal(before + 1, await CountFor("PE"));
        await platform.Admin().QueryAsync("mutation($id: ID!) { changeCaseStatus(input: { caseId: $id, status: CLOSED }) { case { id } } }", new { id = await OpenAsync("PE", "PUBLIC", "2020-02-03") });
        var statuses = (await platform.GraphQL().QueryAsync("{ caseStatistics(groupBy: STATUS, filter: { countries: [\"PE\"] }) { key count } }"))
            .GetProperty("caseStatistics").EnumerateArray().ToDictionary(b => b.GetProperty("key").GetString()!, b => b.GetProperty("count").GetInt64());
        Assert.Equal(1, statuses["CLOSED"]);
    }

    private async Task<long> CountFor(string country)
    {
        var buckets = (await platform.GraphQL().QueryAsync($"{{ caseStatistics(groupBy: COUNTRY, filter: {{ countries: [\"{country}\"] }}) {{ count }} }}"))
            .GetProperty("caseStatistics");
        return buckets.GetArrayLength() == 0 ? 0 : buckets[0].GetProperty("count").GetInt64();
    }

    private async Task<long> CounterTotalAsync()
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select coalesce(sum(count), 0)::bigint from omct.mt_doc_cases_statistics_counter where country_code in ('AR', 'BO')", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
