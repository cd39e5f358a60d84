using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Omct.Platform.BuildingBlocks.Storage;

namespace Omct.Platform.Access.ApiKeys;

/// <summary>
/// Listens (PostgreSQL <c>LISTEN</c>, one connection per host) for changes to stored keys and empties the
/// <see cref="ApiKeyCache"/> when one is notified. The cache is used only while this connection is up: when it
/// breaks, or stays silent past a probe, the cache is switched off and the listener reconnects.
/// </summary>
internal sealed class ApiKeyChangeListener(IDocumentStore store, ApiKeyCache cache, ILogger<ApiKeyChangeListener> log) : BackgroundService
{
    /// <summary>How long the connection may be silent before a probe checks that it is still there.</summary>
    internal static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                cache.SetListening(false);
                log.LogWarning("The API key change listener lost its connection ({Error}); stored keys are looked up on every request until it reconnects.", e.Message);
                try
                {
                    await Task.Delay(RetryDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        cache.SetListening(false);
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await store.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, _) => cache.Invalidate();
        await ListenOnceAsync(connection, stoppingToken);
        cache.SetListening(true);
        try
        {
            while (true)
            {
                if (!await connection.WaitAsync(ProbeInterval, stoppingToken))
                {
                    // Silent for a while: make sure the connection is still there (a dropped one would never wake up).
                    await ListenOnceAsync(connection, stoppingToken);
                }

                if (connection.State != System.Data.ConnectionState.Open)
                {
                    throw new InvalidOperationException("The connection was closed.");
                }
            }
        }
        finally
        {
            cache.SetListening(false);
        }
    }

    /// <summary>The statement of this connection, also its probe (listening again to the same channel changes nothing).</summary>
    internal const string Listen = $"listen {ApiKeyCache.Channel}";

    private static async Task ListenOnceAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.Sql(Listen);
        command.CommandTimeout = 5;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
