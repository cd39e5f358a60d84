using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using GraphQLParser.AST;
using Omct.Platform.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Omct.Platform.Api.Tests.Docs;

/// <summary>The built host as its own process, on a database of its own, with the demo data (as <c>build/run.sh</c> starts it).</summary>
public sealed class SeededHostProcess : IAsyncLifetime
{
    private TestDatabase? _database;

    public HostProcess Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        Host = await HostProcess.StartAsync(_database.ConnectionString, new Dictionary<string, string> { ["Omct__SeedDemoData"] = "true" });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _database!.DisposeAsync();
    }
}

/// <summary>
/// Every GraphQL and curl example of README.md, extracted from its fenced blocks and run in the
/// README's order against the demo data: each GraphQL operation through the running host with the
/// admin key (no errors; a query's root fields non-empty unless listed below), each bash block with
/// curl by bash against the same host process (<c>$ADMIN_KEY</c> read from <c>.local/admin-api-key</c>
/// as the README says; a curl answer with <c>errors</c> or an HTTP error fails it). So the README
/// cannot drift from what the platform does.
/// </summary>
public sealed partial class ReadmeExamplesTests(SeededHostProcess fixture, ITestOutputHelper output) : IClassFixture<SeededHostProcess>
{
    /// <summary>Root fields the demo data leaves empty at that point of the README (said so next to the example).</summary>
    private static readonly HashSet<string> MayBeEmpty = ["digests", "reminders", "reports", "deadlines"];

    [Fact]
    public async Task Every_graphql_and_curl_example_of_the_readme_runs_against_the_demo_data()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "README.md"));
        var blocks = Block().Matches(readme).Select(m => (Language: m.Groups[1].Value, Text: m.Groups[2].Value)).ToList();
        var ids = await DemoIdsAsync();
        var work = Directory.CreateTempSubdirectory("omct-readme-").FullName;
        Directory.CreateDirectory(Path.Combine(work, ".local"));
        await File.WriteAllTextAsync(Path.Combine(work, ".local", "admin-api-key"), PlatformFactory.AdminKey);
        var state = Path.Combine(work, ".state.sh");
        await File.WriteAllTextAsync(state, "");
        var (operations, scripts) = (0, 0);
        var harvested = new Dictionary<string, string>();
        try
        {
            foreach (var (language, text) in blocks)
            {
                if (language == "graphql")
                {
                    operations += await RunGraphQLAsync(Substitute(text, ids), harvested);
                }
                else if (language == "bash" && (text.Contains("curl ", StringComparison.Ordinal) || text.Contains("ADMIN_KEY=", StringComparison.Ordinal)))
                {
                    await RunBashAsync(text, work, state);
                    scripts++;
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        Assert.True(operations >= 18, $"only {operations} GraphQL operations found in README.md");
        Assert.True(scripts >= 6, $"only {scripts} curl blocks found in README.md");
    }

    private async Task<int> RunGraphQLAsync(string block, Dictionary<string, string> harvested)
    {
        var document = GraphQLParser.Parser.Parse(block);
        var count = 0;
        foreach (var operation in document.Definitions.OfType<GraphQLOperationDefinition>())
        {
            var text = block[operation.Location.Start..operation.Location.End];
            var variables = (operation.Variables?.Items ?? []).ToDictionary(
                v => v.Variable.Name.StringValue,
                v => (object?)(harvested.TryGetValue(v.Variable.Name.StringValue, out var value)
                    ? value
                    : throw new InvalidOperationException($"README: no value for ${v.Variable.Name.StringValue} in:\n{text}")));
            var response = await fixture.Host.Admin().PostAsync(text, variables);
            output.WriteLine($"{text}\n→ {response.Raw[..Math.Min(response.Raw.Length, 400)]}\n");
            Assert.False(response.HasErrors, $"README example failed:\n{text}\n→ {response}");
            Assert.Equal(JsonValueKind.Object, response.Data.ValueKind);
            if (operation.Operation == OperationType.Query)
            {
                foreach (var field in response.Data.EnumerateObject().Where(f => !MayBeEmpty.Contains(f.Name)))
                {
                    Assert.True(NonEmpty(field.Value), $"README example answers nothing for {field.Name} on the demo data:\n{text}\n→ {response}");
                }
            }

            Harvest(response.Data, harvested);
            count++;
        }

        return count;
    }

    /// <summary>The values later operations take as variables: the id of what a mutation made (<c>$id</c>) and its last victim (<c>$victim</c>).</summary>
    private static void Harvest(JsonElement data, Dictionary<string, string> harvested)
    {
        if (FirstId(data) is { } id)
        {
            harvested["id"] = id;
        }

        if (Victims(data).LastOrDefault() is { } victim)
        {
            harvested["victim"] = victim;
        }
    }

    private static string? FirstId(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : e.EnumerateObject().Select(p => FirstId(p.Value)).FirstOrDefault(x => x is not null),
        JsonValueKind.Array => e.EnumerateArray().Select(FirstId).FirstOrDefault(x => x is not null),
        _ => null,
    };

    private static IEnumerable<string> Victims(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => p.Name == "victims" && p.Value.ValueKind == JsonValueKind.Array
            ? p.Value.EnumerateArray().Select(v => v.TryGetProperty("id", out var id) ? id.GetString() : null).OfType<string>()
            : Victims(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Victims),
        _ => [],
    };

    /// <summary>Not null, and a list or a connection with at least one item.</summary>
    private static bool NonEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => false,
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.Object when value.TryGetProperty("nodes", out var nodes) => nodes.GetArrayLength() > 0,
        JsonValueKind.Object when value.TryGetProperty("edges", out var edges) => edges.GetArrayLength() > 0,
        _ => true,
    };

    private async Task RunBashAsync(string block, string work, string state)
    {
        var script = $$"""
            set -euo pipefail
            source {{state}}
            __before=$(compgen -v)
            # Every curl answer must be a success without GraphQL errors.
            curl() {
              local out
              out=$(command curl -sS --fail-with-body --max-time 60 "$@") || { echo "curl failed: $out" >&2; return 1; }
              if [[ "$out" == *'"errors"'* ]]; then echo "errors in: $out" >&2; return 1; fi
              printf '%s\n' "$out"
            }
            {{block.Replace("http://127.0.0.1:5080", fixture.Host.Address.ToString().TrimEnd('/'), StringComparison.Ordinal)}}
            for __v in $(compgen -v); do
              if ! grep -qx -- "$__v" <<<"$__before" && [[ "$__v" =~ ^[A-Z][A-Z_]*$ && "$__v" != BASH* && "$__v" != PIPESTATUS ]]; then declare -p "$__v" >> {{state}}; fi
            done
            """;
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        var (o, e) = (await stdout, await stderr);
        output.WriteLine($"{block}\n→ {o[..Math.Min(o.Length, 600)]}{e}\n");
        Assert.True(process.ExitCode == 0, $"README curl example failed ({process.ExitCode}):\n{block}\n{e}\n{o}");
        var defined = await File.ReadAllTextAsync(state);
        foreach (var name in new[] { "KEY", "REPORT_ID", "HASH", "ADMIN_KEY" }.Where(n => Regex.IsMatch(block, $@"(?m)^{n}=\$\(")))
        {
            // A variable the README defines holds a real value (jq prints "null" for a missing one).
            Assert.Matches($"declare -- {name}=\"(?!null\")[^\"]+\"", defined);
        }
    }

    /// <summary>The demo records the README's placeholders stand for.</summary>
    private async Task<Dictionary<string, string>> DemoIdsAsync()
    {
        var data = await fixture.Host.Admin().QueryAsync(
            "{ viasna: organisations(filter: { text: \"Viasna\" }) { nodes { id } } cijp: organisations(filter: { text: \"CIJP\" }) { nodes { id } } " +
            "belarus: caseByReference(reference: \"BLR 001 / 0811 / OBS 001\") { id } " +
            "bialiatski: defenders(filter: { text: \"Bialiatski\" }) { nodes { id } } " +
            "submissions(filter: { countries: [\"CO\"] }) { nodes { id } } }");
        var belarus = data.GetProperty("belarus").GetProperty("id").GetString()!;
        return new Dictionary<string, string>
        {
            ["<Viasna's id>"] = data.GetProperty("viasna").GetProperty("nodes")[0].GetProperty("id").GetString()!,
            ["<organisation id>"] = data.GetProperty("cijp").GetProperty("nodes")[0].GetProperty("id").GetString()!,
            ["<case id>"] = belarus,
            ["<any id>"] = belarus,
            ["<defender id>"] = data.GetProperty("bialiatski").GetProperty("nodes")[0].GetProperty("id").GetString()!,
            ["<submission id>"] = data.GetProperty("submissions").GetProperty("nodes")[0].GetProperty("id").GetString()!,
        };
    }

    private static string Substitute(string text, Dictionary<string, string> ids)
    {
        foreach (var (placeholder, id) in ids)
        {
            text = text.Replace(placeholder, id, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch("\"<[^>]+>\"", text); // every placeholder is known
        return text;
    }

    [GeneratedRegex(@"^```(\w+)\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Block();
}
