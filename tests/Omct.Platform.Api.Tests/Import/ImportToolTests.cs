using System.Diagnostics;
using System.Text;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Import;

/// <summary>
/// <c>build/import.sh</c> as a person runs it, against the host as its own process (scheduler on): a dry run reports the bad
/// rows with their line and column, saves the error report and writes nothing (exit 1); the corrected file imports (exit 0)
/// and again writes nothing new; an unknown mapping starts nothing (exit 3).
/// </summary>
public sealed class ImportToolTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Settings = new() { ["Omct__Jobs__Enabled"] = "true" };
    private TestDatabase _database = null!;
    private HostProcess _host = null!;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"omct-import-tool-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _host = await HostProcess.StartAsync(_database.ConnectionString, Settings);
        Directory.CreateDirectory(_folder);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_dry_run_names_the_bad_rows_and_writes_nothing_then_the_corrected_file_imports_once()
    {
        await _host.Admin().QueryAsync(
            "mutation { saveImportMapping(input: { name: \"tool-orgs\", kind: ORGANISATION, keyColumn: \"ref\", " +
            "columns: [{ column: \"name\", field: \"name\" }, { column: \"country\", field: \"countryCode\" }] }) { importMapping { id } } }");
        var good = Enumerable.Range(0, 30).Select(i => $"T{i:D3},Tool organisation {i:D3},CM").ToList();
        var bad = good.ToList();
        bad[6] = "T006,Tool organisation 006,XX";   // line 8 of the file (the header is line 1)
        bad[19] = "T019,,CM";                       // line 21
        var badFile = Write("organisations.csv", bad);

        var dry = await ImportAsync(badFile, "--mapping", "tool-orgs", "--dry-run");
        Assert.True(dry.ExitCode == 1, dry.Output);
        Says(dry, "line 8, country");
        Says(dry, "line 21, name");
        Says(dry, "Dry run done: nothing was written");
        Says(dry, "30 of 30 rows checked");
        var report = await File.ReadAllLinesAsync(badFile + ".errors.csv");
        Assert.Equal(3, report.Length);
        Assert.StartsWith("line,column,message", report[0], StringComparison.Ordinal);
        Assert.Equal(0, await OrganisationsAsync());

        var goodFile = Write("organisations-fixed.csv", good);
        var real = await ImportAsync(goodFile, "--mapping", "tool-orgs");
        Assert.True(real.ExitCode == 0, real.Output);
        Says(real, "Import done.");
        Says(real, "30 of 30 rows done");
        Assert.Equal(30, await OrganisationsAsync());
        Assert.False(File.Exists(goodFile + ".errors.csv"));

        var again = await ImportAsync(goodFile, "--mapping", "tool-orgs");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Equal(30, await OrganisationsAsync());
    }

    [Fact]
    public async Task An_unknown_mapping_or_a_wrong_key_starts_nothing_and_says_why()
    {
        var file = Write("nothing.csv", ["N001,Never imported,CM"]);
        var unknown = await ImportAsync(file, "--mapping", "no-such-mapping");
        Assert.True(unknown.ExitCode == 3, unknown.Output);
        Says(unknown, "No mapping named \"no-such-mapping\"");

        var wrongKey = await ImportAsync(file, "--mapping", "no-such-mapping", "--api-key", "not-a-key-of-this-platform-0123456789");
        Assert.True(wrongKey.ExitCode == 3, wrongKey.Output);
        Says(wrongKey, "API key");

        var missing = await ImportAsync(Path.Combine(_folder, "missing.csv"), "--mapping", "no-such-mapping");
        Assert.True(missing.ExitCode == 3, missing.Output);
        Says(missing, "No such file");
    }

    private static void Says((int ExitCode, string Output) result, string text) =>
        Assert.True(result.Output.Contains(text, StringComparison.Ordinal), $"Not in the output: {text}\n{result.Output}");

    private string Write(string name, IEnumerable<string> rows)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, "ref,name,country\n" + string.Join("\n", rows) + "\n", Encoding.UTF8);
        return path;
    }

    private async Task<long> OrganisationsAsync() =>
        (await _host.Admin().QueryAsync("{ organisations(filter: { text: \"Tool organisation\" }, first: 100) { totalCount } }"))
        .GetProperty("organisations").GetProperty("totalCount").GetInt64();

    /// <summary>Runs build/import.sh as a person would (the API key given unless the arguments name one).</summary>
    private async Task<(int ExitCode, string Output)> ImportAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "build", "import.sh"), .. arguments, "--url", _host.Address.ToString(), "--poll-ms", "100"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _folder,
        };
        if (!arguments.Contains("--api-key"))
        {
            start.Environment["OMCT_API_KEY"] = PlatformFactory.AdminKey;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
