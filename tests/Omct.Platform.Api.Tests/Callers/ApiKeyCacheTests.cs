using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omct.Platform.Access.ApiKeys;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Callers;

/// <summary>A second host on the same database, for the stored keys' cache.</summary>
public sealed class KeyCacheNode(string connectionString) : PlatformFactory(connectionString);

/// <summary>
/// Stored keys are cached by each host for a short while (ApiKeyCache) and a revocation still applies at once on
/// every host: the revoking transaction notifies every host's listener (PostgreSQL LISTEN/NOTIFY).
/// </summary>
public sealed class ApiKeyCacheTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string Me = "{ me { role } }";

    /// <summary>Long enough for a NOTIFY to cross hosts on a loaded machine; each wait polls and ends as soon as it holds.</summary>
    private static readonly TimeSpan NotifyRoundTrip = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_key_revoked_through_one_host_is_refused_at_once_by_another_that_had_it_cached()
    {
        await using var other = new KeyCacheNode(platform.ConnectionString);
        await other.InitializeAsync();
        await ListeningAsync(platform);
        await ListeningAsync(other);

        var (key, id) = await CreateKeyAsync("two hosts");
        // Used on both hosts: each keeps it, and its next use asks nothing of the database.
        Assert.Equal(HttpStatusCode.OK, (await platform.GraphQL(key).PostAsync(Me)).Status);
        Assert.Equal(HttpStatusCode.OK, (await other.GraphQL(key).PostAsync(Me)).Status);
        Assert.NotNull(Cache(other).Find(ApiKeySecret.Hash(key)));
        var (cached, commands) = await RequestCommands.RunAsync(other, key, Me);
        Assert.Equal(HttpStatusCode.OK, cached.Status);
        Assert.Empty(commands);

        await platform.Admin().QueryAsync("mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { revokedAt } } }", new { id });

        // On the revoking host at once; on the other as soon as the notification arrives (no sleep: a bounded poll).
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.GraphQL(key).PostAsync(Me)).Status);
        var waited = await UntilAsync(() => Cache(other).Find(ApiKeySecret.Hash(key)) is null);
        Assert.True(waited < NotifyRoundTrip, $"the other host still had the key after {waited.TotalMilliseconds} ms");
        var refused = await other.GraphQL(key).PostAsync(Me);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("UNAUTHENTICATED", refused.ErrorCode);
    }

    [Fact]
    public async Task An_unknown_key_is_not_cached_and_is_looked_up_every_time()
    {
        await ListeningAsync(platform);
        const string unknown = "omct_not-a-key-this-cache-has-ever-seen";
        for (var i = 0; i < 2; i++)
        {
            var (response, commands) = await RequestCommands.RunAsync(platform, unknown, Me);
            Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
            Assert.Contains(commands, c => c.Contains("mt_doc_access_api_key", StringComparison.Ordinal));
        }

        Assert.Null(Cache(platform).Find(ApiKeySecret.Hash(unknown)));
    }

    [Fact]
    public async Task A_lost_listener_switches_the_cache_off_until_it_reconnects()
    {
        await ListeningAsync(platform);
        var (key, _) = await CreateKeyAsync("lost listener");
        Assert.Equal(HttpStatusCode.OK, (await platform.GraphQL(key).PostAsync(Me)).Status);
        Assert.NotNull(Cache(platform).Find(ApiKeySecret.Hash(key)));

        // The listener's connection ends (a network failure, a restart of PostgreSQL): the host notices, keeps nothing
        // and looks keys up again, so a key revoked meanwhile by hand — without a notification — is refused at once.
        var database = new NpgsqlConnectionStringBuilder(platform.ConnectionString).Database;
        await ExecuteAsync($"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{database}' and query = '{ApiKeyChangeListener.Listen}'");
        var noticed = await UntilAsync(() => !Cache(platform).IsListening || Cache(platform).Find(ApiKeySecret.Hash(key)) is null);
        Assert.True(noticed < NotifyRoundTrip, "the host did not notice that its listener was gone");
        Assert.Null(Cache(platform).Find(ApiKeySecret.Hash(key)));
        await ExecuteAsync($"update omct.mt_doc_access_api_key set data = jsonb_set(data, '{{revokedAt}}', to_jsonb(now())) where data->>'keyHash' = '{ApiKeySecret.Hash(key)}'");
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.GraphQL(key).PostAsync(Me)).Status);

        // It reconnects by itself, and caches again.
        await ListeningAsync(platform);
        var (other, _) = await CreateKeyAsync("after reconnecting");
        Assert.Equal(HttpStatusCode.OK, (await platform.GraphQL(other).PostAsync(Me)).Status);
        Assert.NotNull(Cache(platform).Find(ApiKeySecret.Hash(other)));
    }

    private static ApiKeyCache Cache(PlatformFactory host) => host.Services.GetRequiredService<ApiKeyCache>();

    private static async Task ListeningAsync(PlatformFactory host)
    {
        var waited = await UntilAsync(() => Cache(host).IsListening, TimeSpan.FromSeconds(30));
        Assert.True(Cache(host).IsListening, $"the host's key listener did not connect in {waited.TotalSeconds} s");
    }

    /// <summary>Polls every few milliseconds until <paramref name="condition"/> holds or the bound passes; how long it took.</summary>
    private static async Task<TimeSpan> UntilAsync(Func<bool> condition, TimeSpan? bound = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < (bound ?? NotifyRoundTrip))
        {
            await Task.Delay(5);
        }

        return clock.Elapsed;
    }

    private async Task<(string Key, string Id)> CreateKeyAsync(string name)
    {
        var created = await platform.Admin().QueryAsync(
            "mutation($name: String!) { createApiKey(input: { name: $name, role: STAFF, clearance: NETWORK }) { key apiKey { id } } }", new { name });
        var payload = created.GetProperty("createApiKey");
        return (payload.GetProperty("key").GetString()!, payload.GetProperty("apiKey").GetProperty("id").GetString()!);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
