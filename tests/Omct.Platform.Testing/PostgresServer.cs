using Npgsql;
using Testcontainers.PostgreSql;

namespace Omct.Platform.Testing;

/// <summary>
/// The one PostgreSQL server of the test run: <c>OMCT_TEST_POSTGRES</c> when set (build/test.sh
/// sets it to the embedded cluster it starts), otherwise a Testcontainers container when a Docker
/// engine answers. Each test class then gets a database of its own on it.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    public static Task<string> ConnectionStringAsync() => Server.Value;

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("OMCT_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        try
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return container.GetConnectionString();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                "No PostgreSQL for the tests: OMCT_TEST_POSTGRES is not set and Testcontainers could not start a " +
                $"container ({e.GetType().Name}: {e.Message}). Run build/test.sh, which starts an embedded PostgreSQL, " +
                "or set OMCT_TEST_POSTGRES to a connection string of a server where databases may be created.", e);
        }
    }
}

/// <summary>A database of its own for one test class, dropped at the end.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private TestDatabase(string serverConnectionString, string name, string connectionString)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var server = await PostgresServer.ConnectionStringAsync();
        var name = $"omct_test_{Guid.NewGuid():N}"[..30];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name, IncludeErrorDetail = true };
        return new TestDatabase(server, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
