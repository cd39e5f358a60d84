using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Files.Storage;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// <see cref="FileStoreTests{TFactory}"/> over the S3 backend (<c>Omct:Files:Store</c> = <c>s3</c>), against a real
/// S3-compatible server (npm's s3rver, <see cref="S3Server"/>): the chunks are objects <c>files/{id}/{index}</c>, the keys
/// still in the database.
/// </summary>
public sealed class S3FileStoreTests(S3PlatformFactory platform) : FileStoreTests<S3PlatformFactory>(platform)
{
    [Fact]
    public void The_host_stores_its_chunks_in_the_object_store()
    {
        using var scope = Platform.Services.CreateScope();
        Assert.IsType<S3FileStore>(scope.ServiceProvider.GetRequiredService<IFileStore>());
    }

    protected override async Task FlipBitAsync(Guid fileId, int index)
    {
        var key = S3Chunks.ChunkKey(fileId, index);
        var body = await GetAsync(key);
        // Past the 12-byte nonce, as in the PostgreSQL test: byte 1000 of the ciphertext.
        body[FileKeys.NonceSize + 1000] ^= 1;
        await PutAsync(key, body);
    }

    protected override async Task SwapAsync(Guid fileId, int a, int b)
    {
        var (keyA, keyB) = (S3Chunks.ChunkKey(fileId, a), S3Chunks.ChunkKey(fileId, b));
        var (bodyA, bodyB) = (await GetAsync(keyA), await GetAsync(keyB));
        await PutAsync(keyA, bodyB);
        await PutAsync(keyB, bodyA);
    }

    protected override async Task<int> StoredChunksAsync(Guid fileId)
    {
        var listed = await Bucket.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket.Name, Prefix = S3Chunks.FilePrefix(fileId) });
        return listed.S3Objects?.Count ?? 0;
    }

    private S3Chunks Bucket => Platform.Services.GetRequiredService<S3Chunks>();

    private async Task<byte[]> GetAsync(string key)
    {
        using var response = await Bucket.Client.GetObjectAsync(Bucket.Name, key);
        using var memory = new MemoryStream();
        await response.ResponseStream.CopyToAsync(memory);
        return memory.ToArray();
    }

    private async Task PutAsync(string key, byte[] body) =>
        await Bucket.Client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket.Name, Key = key, InputStream = new MemoryStream(body), UseChunkEncoding = false });
}

/// <summary>The host with <c>Omct:Files:Store</c> = <c>s3</c> on its own <see cref="S3Server"/>.</summary>
public sealed class S3PlatformFactory : PlatformFactory
{
    private S3Server? _server;

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            // Started when the host is configured (the fixture's start), once.
            _server ??= S3Server.Start("omct-files");
            return new Dictionary<string, string?>
            {
                ["Omct:Files:Store"] = "s3",
                ["Omct:Files:S3:ServiceUrl"] = _server.Url,
                ["Omct:Files:S3:Bucket"] = _server.Bucket,
                ["Omct:Files:S3:AccessKey"] = S3Server.AccessKey,
                ["Omct:Files:S3:SecretKey"] = S3Server.SecretKey,
                ["Omct:Files:S3:Region"] = "us-east-1",
            };
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _server?.Dispose();
            _server = null;
        }
    }
}

/// <summary>
/// A real S3-compatible server (npm's s3rver, run by build/web/s3-server.mjs) on a free port of the loopback, its objects
/// in a temporary directory; it stops when disposed or when the test process ends (its stdin closes).
/// </summary>
public sealed class S3Server : IDisposable
{
    /// <summary>s3rver's own credentials (it checks the signatures).</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly Process _process;
    private readonly string _directory;

    private S3Server(Process process, string directory, string url, string bucket) => (_process, _directory, Url, Bucket) = (process, directory, url, bucket);

    public string Url { get; }

    public string Bucket { get; }

    public static S3Server Start(string bucket)
    {
        var web = Path.Combine(RepositoryRoot.Path, "build", "web");
        Assert.True(Directory.Exists(Path.Combine(web, "node_modules", "s3rver")),
            "build/web/node_modules/s3rver is missing: run build/web-assets.sh (build/test.sh does).");
        var directory = Path.Combine(Path.GetTempPath(), "omct-s3", Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("node", [Path.Combine(web, "s3-server.mjs"), "--dir", directory, "--bucket", bucket, "--port", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"s3-server did not start: {line} {process.StandardError.ReadToEnd()}");
        }

        return new S3Server(process, directory, $"http://127.0.0.1:{line["listening ".Length..]}", bucket);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5_000))
            {
                _process.Kill();
            }
        }

        _process.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
