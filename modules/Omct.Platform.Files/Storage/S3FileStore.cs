using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Omct.Platform.Files.Storage;

/// <summary>
/// The files in an S3-compatible object store (<c>Omct:Files:Store</c> = <c>s3</c>), for deployments that outgrow the
/// database: one object per chunk, <c>files/{file id}/{chunk index}</c>, holding the chunk's nonce and its sealed bytes
/// exactly as <see cref="FileKeys"/> seals them for <see cref="PostgresFileStore"/>. The file's key stays in the database,
/// so destroying it (<see cref="DestroyKeyAsync"/>) makes the objects unreadable wherever they were copied to.
/// Scoped (its <see cref="FileKeys"/>); the client is the module's singleton <see cref="S3Chunks"/>.
/// </summary>
internal sealed class S3FileStore(S3Chunks bucket, FileKeys keys) : IFileStore
{
    public Task CreateAsync(Guid fileId, CancellationToken ct) => keys.CreateAsync(fileId, ct);

    public async Task WriteChunkAsync(Guid fileId, int index, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var (nonce, sealedBytes) = await keys.SealAsync(fileId, index, content, ct);
        var body = new byte[nonce.Length + sealedBytes.Length];
        nonce.CopyTo(body, 0);
        sealedBytes.CopyTo(body, nonce.Length);
        using var stream = new MemoryStream(body, writable: false);
        await bucket.Client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket.Name,
            Key = S3Chunks.ChunkKey(fileId, index),
            InputStream = stream,
            ContentType = "application/octet-stream",
            AutoCloseStream = false,
            UseChunkEncoding = false,
        }, ct);
    }

    public async Task<byte[]?> ReadChunkAsync(Guid fileId, int index, CancellationToken ct)
    {
        byte[] body;
        try
        {
            using var response = await bucket.Client.GetObjectAsync(bucket.Name, S3Chunks.ChunkKey(fileId, index), ct);
            // At most 1 MiB and its nonce and tag: read whole, as the PostgreSQL store reads its row.
            using var memory = new MemoryStream(response.ContentLength is > 0 and <= int.MaxValue ? (int)response.ContentLength : 0);
            await response.ResponseStream.CopyToAsync(memory, ct);
            body = memory.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (body.Length <= FileKeys.NonceSize)
        {
            throw new FileIntegrityException($"Chunk {index} of the file is damaged.");
        }

        return await keys.OpenAsync(fileId, index, body.AsMemory(0, FileKeys.NonceSize), body.AsMemory(FileKeys.NonceSize), ct);
    }

    public async Task DeleteAsync(Guid fileId, CancellationToken ct)
    {
        // One request per object (DeleteObjects needs a Content-MD5 some S3-compatible stores check differently); a
        // file has at most a few thousand chunks, and this runs for refused and abandoned uploads only.
        var request = new ListObjectsV2Request { BucketName = bucket.Name, Prefix = S3Chunks.FilePrefix(fileId) };
        while (true)
        {
            var listed = await bucket.Client.ListObjectsV2Async(request, ct);
            foreach (var item in listed.S3Objects ?? [])
            {
                await bucket.Client.DeleteObjectAsync(bucket.Name, item.Key, ct);
            }

            if (listed.IsTruncated != true || string.IsNullOrEmpty(listed.NextContinuationToken))
            {
                break;
            }

            request.ContinuationToken = listed.NextContinuationToken;
        }

        await DestroyKeyAsync(fileId, ct);
    }

    public Task DestroyKeyAsync(Guid fileId, CancellationToken ct) => keys.DestroyAsync(fileId, ct);
}

/// <summary>The object store's client, its bucket and the chunks' object keys (a singleton: the client keeps its connections).</summary>
internal sealed class S3Chunks : IDisposable
{
    public S3Chunks(IOptions<FilesOptions> options)
    {
        var s3 = options.Value.S3;
        Name = s3.Bucket!;
        var config = new AmazonS3Config
        {
            ServiceURL = s3.ServiceUrl,
            AuthenticationRegion = s3.Region,
            ForcePathStyle = s3.ForcePathStyle,
            // Checksums only where S3 requires them: S3-compatible stores do not all know the newer trailing checksums.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        Client = new AmazonS3Client(new BasicAWSCredentials(s3.AccessKey, s3.SecretKey), config);
    }

    public string Name { get; }

    public IAmazonS3 Client { get; }

    public static string FilePrefix(Guid fileId) => $"files/{fileId:D}/";

    public static string ChunkKey(Guid fileId, int index) => FilePrefix(fileId) + index.ToString("D6", CultureInfo.InvariantCulture);

    public void Dispose() => Client.Dispose();
}
