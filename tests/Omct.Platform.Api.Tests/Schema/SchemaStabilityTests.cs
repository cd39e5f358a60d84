using System.Diagnostics;
using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Schema;

/// <summary>
/// The public schema is a promise (api-contract.md): the SDL of the running host is checked in as
/// schema.graphql, and the schema never breaks what was released (schema/released/*.graphql).
/// After an intended change: <c>OMCT_UPDATE_SCHEMA=1 build/test.sh --filter SchemaStability</c>
/// rewrites schema.graphql; review the diff and commit it.
/// </summary>
public sealed class SchemaStabilityTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private static readonly string CheckedIn = Path.Combine(RepositoryRoot.Path, "schema.graphql");
    private static readonly string Released = Path.Combine(RepositoryRoot.Path, "schema", "released", "v1.graphql");
    private static readonly string Diff = Path.Combine(RepositoryRoot.Path, "build", "web", "schema-diff.mjs");

    private string RunningSchema()
    {
        var schema = platform.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        return schema.Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true }).ReplaceLineEndings("\n").TrimEnd() + "\n";
    }

    [Fact]
    public void The_running_schema_is_the_checked_in_schema_graphql()
    {
        var running = RunningSchema();
        if (Environment.GetEnvironmentVariable("OMCT_UPDATE_SCHEMA") == "1")
        {
            File.WriteAllText(CheckedIn, running);
        }

        Assert.True(File.Exists(CheckedIn), "schema.graphql is missing: run OMCT_UPDATE_SCHEMA=1 build/test.sh --filter SchemaStability");
        var checkedIn = File.ReadAllText(CheckedIn).ReplaceLineEndings("\n");
        if (checkedIn != running)
        {
            var (a, b) = (checkedIn.Split('\n'), running.Split('\n'));
            var first = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
            Assert.Fail($"The running schema differs from schema.graphql from line {first + 1}:\n  checked in: {a.ElementAtOrDefault(first)}\n  running:    {b.ElementAtOrDefault(first)}\n" +
                        "If the change is intended: OMCT_UPDATE_SCHEMA=1 build/test.sh --filter SchemaStability, review and commit schema.graphql.");
        }
    }

    [Fact]
    public async Task Nothing_released_is_broken()
    {
        var current = Path.Combine(Path.GetTempPath(), $"omct-schema-{Guid.NewGuid():N}.graphql");
        await File.WriteAllTextAsync(current, RunningSchema());
        try
        {
            var (exitCode, output) = await NodeAsync(Diff, Released, current);
            Assert.True(exitCode == 0, $"Breaking changes against {Released}:\n{output}");
            Assert.Contains("0 breaking", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(current);
        }
    }

    [Fact]
    public async Task The_check_catches_a_removed_field_and_a_new_required_argument()
    {
        var released = await File.ReadAllTextAsync(Released);
        var broken = released.Replace("  caseByReference(", "  caseByReferenceRenamed(", StringComparison.Ordinal)
            .Replace("  caseStatistics(", "  caseStatistics(mandatory: Int!, ", StringComparison.Ordinal);
        Assert.NotEqual(released, broken);
        var path = Path.Combine(Path.GetTempPath(), $"omct-schema-{Guid.NewGuid():N}.graphql");
        await File.WriteAllTextAsync(path, broken);
        try
        {
            var (exitCode, output) = await NodeAsync(Diff, Released, path);
            Assert.Equal(1, exitCode);
            Assert.Contains("FIELD_REMOVED: Query.caseByReference was removed", output, StringComparison.Ordinal);
            Assert.Contains("REQUIRED_ARG_ADDED", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Every_deprecated_field_says_why_and_what_to_use()
    {
        var schema = platform.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        var missing = schema.AllTypes.OfType<IComplexGraphType>()
            .SelectMany(t => t.Fields.Select(f => (Type: t.Name, Field: f)))
            .Where(x => x.Field.DeprecationReason is { } reason && reason.Trim().Length < 10)
            .Select(x => $"{x.Type}.{x.Field.Name}")
            .ToList();
        Assert.True(missing.Count == 0, "Deprecated without a reason: " + string.Join(", ", missing));
    }

    [Fact]
    public void Only_the_contracts_scalars_appear()
    {
        // Instants are DateTime (IsoDateTimeGraphType): GraphQL.NET's own DateTimeOffset, DateOnly … scalars are not in the
        // contract, and the console's code generator knows only the contract's.
        var schema = platform.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        var scalars = schema.AllTypes.OfType<ScalarGraphType>().Where(t => t is not EnumerationGraphType).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Boolean", "CountryCode", "Date", "DateTime", "Float", "ID", "Int", "Long", "PartialDate", "String"], scalars);
    }

    private static async Task<(int ExitCode, string Output)> NodeAsync(params string[] arguments)
    {
        Assert.True(Directory.Exists(Path.Combine(RepositoryRoot.Path, "build", "web", "node_modules", "graphql")),
            "build/web/node_modules is missing: run build/web-assets.sh (build/test.sh does).");
        var start = new ProcessStartInfo("node", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
