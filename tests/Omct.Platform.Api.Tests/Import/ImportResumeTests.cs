using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Import;

/// <summary>
/// The host as its own process, with the Quartz scheduler on (clustered store): an import killed midway (the process
/// killed, no graceful stop) resumes when the host is started again, and ends with each row carried out once.
/// </summary>
public sealed class ImportResumeTests : IAsyncLifetime
{
    private const int Rows = 500;
    private static readonly Dictionary<string, string> Settings = new() { ["Omct__Jobs__Enabled"] = "true" };
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_host_killed_mid_import_resumes_after_a_restart_and_each_row_is_written_once()
    {
        var file = ImportKit.Csv(new[] { new[] { "ref", "name", "country" } }.Concat(Enumerable.Range(0, Rows).Select(i => new[] { $"K{i:D4}", $"Resumed {i:D4}", "CM" })));
        string runId;
        long doneAtKill;
        await using (var first = await HostProcess.StartAsync(_database.ConnectionString, Settings))
        {
            var kit = Kit(first);
            await kit.SaveMappingAsync("resume-orgs", "ORGANISATION", "ref", new Dictionary<string, string> { ["name"] = "name", ["country"] = "countryCode" });
            var importFile = await kit.CreateFileAsync(file, "resume.csv");
            runId = await kit.StartAsync(importFile.GetProperty("id").GetString()!, "resume-orgs", dryRun: false);

            var until = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            JsonElement run;
            do
            {
                await Task.Delay(50);
                run = await kit.RunAsync(runId);
                Assert.True(DateTime.UtcNow < until, $"The run did not get going: {run}\n{first.Output}");
            }
            while (run.GetProperty("rowsDone").GetInt64() < 40);

            doneAtKill = run.GetProperty("rowsDone").GetInt64();
            // Leaving the block kills the process (no graceful stop): the run is left RUNNING, its Quartz firing unfinished.
        }

        Assert.True(doneAtKill < Rows, $"The run finished before the host was killed ({doneAtKill} rows): the test proves nothing.");
        await using var second = await HostProcess.StartAsync(_database.ConnectionString, Settings);
        var again = Kit(second);
        var finished = await again.FinishedAsync(runId, timeout: TimeSpan.FromMinutes(4));

        Assert.Equal("SUCCEEDED", finished.GetProperty("status").GetString());
        Assert.Equal((long)Rows, finished.GetProperty("rowsDone").GetInt64());
        Assert.Equal((long)Rows, finished.GetProperty("created").GetInt64() + finished.GetProperty("unchanged").GetInt64());
        Assert.Equal(0, finished.GetProperty("errorRows").GetInt64());
        // Each row once: as many organisations as rows, every name once, one stream each.
        var names = new List<string>();
        string? after = null;
        do
        {
            var page = (await second.Admin().QueryAsync("query($a: String) { organisations(filter: { text: \"Resumed\" }, first: 100, after: $a) { pageInfo { hasNextPage endCursor } nodes { name } } }",
                new { a = after })).GetProperty("organisations");
            names.AddRange(page.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()!));
            after = page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? page.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
        }
        while (after is not null);

        Assert.Equal(Rows, names.Count);
        Assert.Equal(Rows, names.Distinct().Count());
        Assert.Equal(Rows, await again.ScalarAsync("select count(*) from omct.mt_events where type = 'defenders.organisation_registered'"));
        Assert.Equal(Rows, await again.ScalarAsync("select count(*) from omct.mt_doc_import_key"));
    }

    private ImportKit Kit(HostProcess host)
    {
        var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromMinutes(2) };
        return new ImportKit(key => host.GraphQL(key ?? PlatformFactory.AdminKey), async (key, content, name) =>
        {
            var location = await TusOverHttp.CreateAsync(http, content.Length, name, "text/csv", key);
            await TusOverHttp.ResumeAsync(http, location, content, key);
            return location[(location.LastIndexOf('/') + 1)..];
        }, _database.ConnectionString);
    }
}
