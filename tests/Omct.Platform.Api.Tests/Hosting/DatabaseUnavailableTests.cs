using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Hosting;

/// <summary>
/// A host whose connection to PostgreSQL goes through a TCP relay of the test: stopping the relay makes the
/// database unreachable for this host alone (the shared server keeps running).
/// </summary>
public sealed class UnreachableDatabasePlatformFactory : PlatformFactory
{
    public TcpRelay Relay { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var direct = new NpgsqlConnectionStringBuilder(ConnectionString);
        Relay.Start(direct.Host!, direct.Port);
        builder.UseSetting("ConnectionStrings:Postgres",
            new NpgsqlConnectionStringBuilder(ConnectionString) { Host = "127.0.0.1", Port = Relay.Port, Timeout = 3 }.ConnectionString);
    }
}

/// <summary>Forwards TCP connections from a local port to a server until stopped; stopping cuts every open connection.</summary>
public sealed class TcpRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _connections = [];

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Start(string host, int port)
    {
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                var server = new TcpClient();
                _connections.Add(client);
                _connections.Add(server);
                try
                {
                    await server.ConnectAsync(host, port, _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                    client.Dispose();
                    continue;
                }

                _ = PumpAsync(client, server);
                _ = PumpAsync(server, client);
            }
        });
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            to.Dispose();
        }
    }

    /// <summary>Refuses new connections and cuts the open ones.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var connection in _connections)
        {
            connection.Dispose();
        }
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            Stop();
        }

        _stop.Dispose();
    }
}

public sealed class DatabaseUnavailableTests(UnreachableDatabasePlatformFactory platform) : IClassFixture<UnreachableDatabasePlatformFactory>
{
    [Fact]
    public async Task While_the_database_is_unreachable_requests_answer_503_UNAVAILABLE_with_Retry_After()
    {
        Assert.Equal(0, (await platform.Admin().QueryAsync("{ cases { totalCount } }")).GetProperty("cases").GetProperty("totalCount").GetInt32());
        var key = (await platform.Admin().QueryAsync("mutation { createApiKey(input: { name: \"outage\", role: STAFF, clearance: STAFF }) { key } }"))
            .GetProperty("createApiKey").GetProperty("key").GetString();

        platform.Relay.Stop();

        // A resolver that reads (the bootstrap key needs no database), a stored key's lookup, a write, an export.
        foreach (var (apiKey, document) in new[]
                 {
                     (PlatformFactory.AdminKey, "{ cases { totalCount } }"),
                     (key, "{ me { role } }"),
                     (PlatformFactory.AdminKey, "mutation { openCase(input: { title: \"Outage\", countryCode: \"NE\" }) { case { id } } }"),
                 })
        {
            var response = await platform.GraphQL(apiKey).PostAsync(document);
            Assert.True(HttpStatusCode.ServiceUnavailable == response.Status, response.ToString());
            Assert.Equal("UNAVAILABLE", response.ErrorCode);
            Assert.DoesNotContain("INTERNAL", response.Raw, StringComparison.Ordinal);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("{\"query\":\"{ cases { totalCount } }\"}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        using var raw = await platform.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, raw.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), raw.Headers.RetryAfter?.Delta);

        using var export = new HttpRequestMessage(HttpMethod.Get, "/export/cases");
        export.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        using var exported = await platform.CreateClient().SendAsync(export);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, exported.StatusCode);
        Assert.Contains("\"UNAVAILABLE\"", await exported.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(exported.Headers.RetryAfter);
    }
}
