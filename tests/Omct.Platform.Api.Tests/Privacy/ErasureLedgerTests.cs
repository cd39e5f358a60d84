using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Privacy;

/// <summary>A host whose erasure ledger is a given file (<c>Omct:Privacy:ErasureLedger</c>), on a shared database.</summary>
public sealed class LedgerNode(string connectionString, string ledger) : PlatformFactory(connectionString)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Omct:Privacy:ErasureLedger"] = ledger };
}

/// <summary>
/// The erasure ledger in the host: an erasure is appended to it (an id and a time, never the name), and a host started
/// with a ledger that lacks an erasure the database knows adds it. Erasing again from the ledger on a restored database
/// is the restore drill's (<see cref="Operations.RestoreDrillTests"/>, with pg_basebackup and WAL replay).
/// </summary>
public sealed class ErasureLedgerTests(PlatformFactory platform) : IClassFixture<PlatformFactory>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("omct-ledger-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task An_erasure_is_written_to_the_ledger_and_a_ledger_lacking_it_gets_it_at_the_next_start()
    {
        var first = Path.Combine(_folder, "first.ndjson");
        await using var node = new LedgerNode(platform.ConnectionString, first);
        var admin = node.Admin();
        const string name = "Ledger Person Ozturk";
        var id = (await admin.QueryAsync("mutation($name: String!) { registerDefender(input: { name: $name, pseudonym: \"L-1\", countryCode: \"TR\", confidentiality: STAFF }) { defender { id } } }",
            new { name })).GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        await admin.QueryAsync("mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { erased } } }", new { id });

        Assert.True(GlobalId.TryDecode(id, "Defender", out var uuid));
        var line = Assert.Single(await File.ReadAllLinesAsync(first));
        Assert.Contains(uuid.ToString(), line, StringComparison.Ordinal);
        Assert.DoesNotContain("Ozturk", line, StringComparison.Ordinal);

        // Another host, its ledger empty (the setting given later, or the file lost): the database's erasure is added.
        var second = Path.Combine(_folder, "second.ndjson");
        await using var other = new LedgerNode(platform.ConnectionString, second);
        await other.InitializeAsync();
        Assert.Contains(uuid.ToString(), await File.ReadAllTextAsync(second), StringComparison.Ordinal);
    }
}
