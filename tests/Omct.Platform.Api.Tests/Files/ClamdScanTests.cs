using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// The scanner hook with <c>Omct:Files:Clamd</c> set, against a small fake clamd speaking INSTREAM (<see cref="FakeClamd"/>):
/// the EICAR test file is refused and its content deleted, a clean file attaches, and the scanner saw the whole content.
/// </summary>
public sealed class ClamdScanTests(ClamdPlatformFactory platform) : IClassFixture<ClamdPlatformFactory>
{
    /// <summary>The EICAR anti-virus test file (every scanner reports it; harmless).</summary>
    private static readonly byte[] Eicar = Encoding.ASCII.GetBytes(@"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");

    [Fact]
    public async Task The_EICAR_file_is_refused_and_deleted_and_a_clean_file_is_scanned_whole_and_attaches()
    {
        var admin = new TusKit(platform, PlatformFactory.AdminKey);
        var location = await admin.CreateAsync(Eicar.Length, "eicar.txt", "text/plain");
        var refused = await admin.PatchAsync(location, 0, Eicar);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal("VALIDATION", TusKit.ErrorCode(body));
        Assert.Contains("Eicar-Test-Signature", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(admin.Request(HttpMethod.Head, location))).StatusCode);
        Assert.Equal(0, await ChunksAsync(location));
        Assert.Contains(platform.Logs.Events, e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)
            .Contains("refused and deleted: the virus scanner found \"Eicar-Test-Signature\"", StringComparison.Ordinal));
        var caseId = (await platform.Admin().QueryAsync("mutation { openCase(input: { title: \"Belarus: scan\", countryCode: \"BY\" }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        const string Attach = "mutation($r: ID!, $u: ID!) { attachFile(input: { recordId: $r, uploadId: $u }) { file { id } } }";
        Assert.NotNull((await platform.Admin().PostAsync(Attach, new { r = caseId, u = TusKit.IdOf(location) })).ErrorCode);

        // A clean file over two chunks: clamd receives all of it, in order, then it attaches.
        var clean = TusKit.Pdf((1024 * 1024) + 777, seed: 5);
        var uploadId = await admin.UploadAsync(clean);
        Assert.Equal(clean, platform.Clamd.LastScanned);
        var attached = await platform.Admin().QueryAsync("mutation($r: ID!, $u: ID!) { attachFile(input: { recordId: $r, uploadId: $u }) { file { size } } }", new { r = caseId, u = uploadId });
        Assert.Equal(clean.Length, attached.GetProperty("attachFile").GetProperty("file").GetProperty("size").GetInt32());
    }

    private async Task<long> ChunksAsync(string location)
    {
        BuildingBlocks.Ids.GlobalId.TryDecode(TusKit.IdOf(location), "Upload", out var id);
        var schema = platform.Services.GetRequiredService<IDocumentStore>().Options.DatabaseSchemaName;
        await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select count(*) from {schema}.files_chunk where file_id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>With <c>Omct:Files:Clamd</c> naming a port nothing listens on: uploads fail closed.</summary>
public sealed class ClamdUnreachableTests(ClamdUnreachableFactory platform) : IClassFixture<ClamdUnreachableFactory>
{
    [Fact]
    public async Task With_clamd_unreachable_a_completed_upload_is_refused_deleted_and_logged()
    {
        var admin = new TusKit(platform, PlatformFactory.AdminKey);
        var location = await admin.CreateAsync(3000);
        var refused = await admin.PatchAsync(location, 0, TusKit.Pdf(3000));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Contains("virus scanner could not check this file", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(admin.Request(HttpMethod.Head, location))).StatusCode);
        Assert.Contains(platform.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Error && e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)
            .Contains("could not be asked", StringComparison.Ordinal));
    }
}

public sealed class ClamdPlatformFactory : PlatformFactory
{
    public FakeClamd Clamd { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Omct:Files:Clamd"] = $"127.0.0.1:{Clamd.Port}" };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Clamd.Dispose();
        }
    }
}

public sealed class ClamdUnreachableFactory : PlatformFactory
{
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Omct:Files:Clamd"] = $"127.0.0.1:{ClosedPort()}" };
}

/// <summary>
/// A fake clamd on a free loopback port: reads <c>zINSTREAM\0</c>, then chunks (4-byte big-endian length, the bytes) until
/// a zero length, and answers <c>stream: Eicar-Test-Signature FOUND\0</c> when the content holds the EICAR string,
/// <c>stream: OK\0</c> otherwise, as clamd does.
/// </summary>
public sealed class FakeClamd : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public FakeClamd()
    {
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The content of the last INSTREAM received.</summary>
    public byte[]? LastScanned { get; private set; }

    private async Task AcceptAsync()
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

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            await using var stream = client.GetStream();
            var command = new byte["zINSTREAM\0".Length];
            await stream.ReadExactlyAsync(command);
            if (Encoding.ASCII.GetString(command) != "zINSTREAM\0")
            {
                await stream.WriteAsync("UNKNOWN COMMAND\0"u8.ToArray());
                return;
            }

            using var content = new MemoryStream();
            var prefix = new byte[4];
            while (true)
            {
                await stream.ReadExactlyAsync(prefix);
                var length = (int)BinaryPrimitives.ReadUInt32BigEndian(prefix);
                if (length == 0)
                {
                    break;
                }

                var chunk = new byte[length];
                await stream.ReadExactlyAsync(chunk);
                content.Write(chunk);
            }

            LastScanned = content.ToArray();
            var infected = Encoding.ASCII.GetString(LastScanned).Contains("EICAR-STANDARD-ANTIVIRUS-TEST-FILE", StringComparison.Ordinal);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(infected ? "stream: Eicar-Test-Signature FOUND\0" : "stream: OK\0"));
        }
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
