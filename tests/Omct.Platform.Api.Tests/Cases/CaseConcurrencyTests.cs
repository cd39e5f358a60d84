using System.Text;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary>What must hold when several clients write at once.</summary>
public sealed class CaseConcurrencyTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task The_same_clientMutationId_sent_ten_times_at_once_opens_one_case_and_answers_it_ten_times()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => platform.Admin().PostAsync(
            "mutation { openCase(input: { title: \"Togo: at once\", countryCode: \"TG\", clientMutationId: \"same-at-once\", confidentiality: PUBLIC }) { case { id reference } } }")));

        Assert.All(attempts, a => Assert.False(a.HasErrors, a.ToString()));
        var ids = attempts.Select(a => a.Data.GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()).Distinct().ToList();
        Assert.Single(ids);
        var count = await platform.Admin().QueryAsync("{ cases(filter: { countries: [\"TG\"] }) { totalCount } }");
        Assert.Equal(1, count.GetProperty("cases").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Concurrent_events_without_expectedVersion_all_land()
    {
        var id = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Kenya: many hands\", countryCode: \"KE\", confidentiality: PUBLIC }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
        var results = await Task.WhenAll(Enumerable.Range(1, 6).Select(day => platform.Admin().PostAsync(
            $"mutation($id: ID!) {{ recordCaseEvent(input: {{ caseId: $id, type: THREAT, date: \"2013-01-0{day}\" }}) {{ case {{ version }} }} }}", new { id })));

        Assert.All(results, r => Assert.False(r.HasErrors, r.ToString()));
        var after = await platform.Admin().QueryAsync("query($id: ID!) { case(id: $id) { version events { date } } }", new { id });
        Assert.Equal(7, after.GetProperty("case").GetProperty("version").GetInt32());
        Assert.Equal(6, after.GetProperty("case").GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task Paging_through_1000_cases_while_another_client_opens_cases_repeats_and_skips_nothing()
    {
        // 1,000 cases opened over ten years, 50 per request.
        var existing = new List<string>();
        for (var batch = 0; batch < 20; batch++)
        {
            existing.AddRange(await OpenBatchAsync(Enumerable.Range(batch * 50, 50).Select(i => new DateOnly(2010, 1, 1).AddDays(i * 3)).ToList()));
        }

        Assert.Equal(1000, existing.Distinct().Count());

        using var stop = new CancellationTokenSource();
        var opened = 0;
        // Released after each batch the writer got an answer for: the reader waits for one before each
        // page, so writes land between the pages however slowly either side runs.
        using var acknowledged = new SemaphoreSlim(0);
        var writer = Task.Run(async () =>
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                // Before, inside and after the range being paged through.
                var dates = Enumerable.Range(0, 5).Select(_ => new DateOnly(2009, 6, 1).AddDays(random.Next(0, 4000))).ToList();
                Interlocked.Add(ref opened, (await OpenBatchAsync(dates)).Count);
                acknowledged.Release();
            }
        });

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            while (acknowledged.Wait(0))
            {
                // only a write acknowledged after the previous page counts
            }

            if (!await acknowledged.WaitAsync(TimeSpan.FromSeconds(60)))
            {
                await stop.CancelAsync();
                await writer; // surfaces the writer's failure, if that is why
                Assert.Fail("the writer acknowledged no write while the reader paged");
            }

            var page = (await platform.GraphQL().QueryAsync(
                "query($after: String) { cases(filter: { countries: [\"UY\"] }, first: 100, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }",
                new { after })).GetProperty("cases");
            seen.AddRange(page.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("id").GetString()!));
            pages++;
            after = page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean()
                ? page.GetProperty("pageInfo").GetProperty("endCursor").GetString()
                : null;
        }
        while (after is not null);

        await stop.CancelAsync();
        await writer;

        Assert.True(opened >= 5 * pages, $"{opened} cases opened over {pages} pages");
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(existing.Except(seen));
        Assert.True(pages >= 10);
    }

    private async Task<List<string>> OpenBatchAsync(IReadOnlyList<DateOnly> dates)
    {
        var query = new StringBuilder("mutation {");
        for (var i = 0; i < dates.Count; i++)
        {
            query.Append($" c{i}: openCase(input: {{ title: \"Uruguay: case {Guid.NewGuid():N}\", countryCode: \"UY\", openedOn: \"{dates[i]:yyyy-MM-dd}\", confidentiality: PUBLIC }}) {{ case {{ id }} }}");
        }

        var data = await platform.Admin().QueryAsync(query.Append(" }").ToString());
        return data.EnumerateObject().Select(p => p.Value.GetProperty("case").GetProperty("id").GetString()!).ToList();
    }
}

/// <summary>References are allocated by PostgreSQL, so two host processes never hand out the same one.</summary>
public sealed class CaseReferencesAcrossProcessesTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Two_processes_opening_cases_at_the_same_moment_get_different_references()
    {
        await using var first = await HostProcess.StartAsync(_database.ConnectionString);
        await using var second = await HostProcess.StartAsync(_database.ConnectionString);

        using var go = new ManualResetEventSlim();
        var calls = new[] { first, second }
            .SelectMany(host => Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
            {
                go.Wait();
                return await host.Admin().PostAsync(
                    "mutation { openCase(input: { title: \"Cameroon: at the same moment\", countryCode: \"CM\", openedOn: \"2013-03-21\", confidentiality: PUBLIC }) { case { reference } } }");
            })))
            .ToList();
        go.Set();
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.False(r.HasErrors, r.ToString()));
        var references = responses.Select(r => r.Data.GetProperty("openCase").GetProperty("case").GetProperty("reference").GetString()).ToList();
        Assert.Equal(20, references.Distinct().Count());
        Assert.All(references, r => Assert.Matches(@"^CMR \d{3} / 0313 / OBS \d{3}$", r));
        var sequences = references.Select(r => int.Parse(r!.AsSpan(4, 3), System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 20), sequences);
    }
}
