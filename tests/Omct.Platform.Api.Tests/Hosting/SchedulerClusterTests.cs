using Npgsql;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Hosting;

/// <summary>A host with the scheduler on, as node <paramref name="nodeId"/>, on a shared database.</summary>
public sealed class SchedulerNode(string connectionString, string nodeId) : PlatformFactory(connectionString)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:Jobs:Enabled"] = "true",
        ["Omct:Jobs:NodeId"] = nodeId,
    };
}

public sealed class SchedulerClusterTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Two_hosts_join_one_Quartz_cluster_on_tables_they_create_idempotently()
    {
        await using var first = new SchedulerNode(_database.ConnectionString, "node-a");
        await first.InitializeAsync();
        await using var second = new SchedulerNode(_database.ConnectionString, "node-b");
        await second.InitializeAsync();

        // Each node checks in when its scheduler starts and then every few seconds.
        var nodes = await Eventually.GetAsync(() => ClusterNodesAsync(_database.ConnectionString), n => n.Count == 2);

        Assert.Equal(["node-a", "node-b"], nodes);
        var ready = await second.CreateClient().GetAsync("/health/ready");
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }

    private static async Task<List<string>> ClusterNodesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select instance_name from qrtz_scheduler_state order by instance_name", connection);
        var nodes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            nodes.Add(reader.GetString(0));
        }

        return nodes;
    }
}
