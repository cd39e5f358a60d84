using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.Files.Storage;

namespace Omct.Platform.Files.Scanning;

/// <summary>
/// The scanner hook (optional): when <c>Omct:Files:Clamd</c> names a ClamAV daemon, a completed upload's content is
/// streamed to it (clamd's INSTREAM command: <c>zINSTREAM\0</c>, then chunks each prefixed by its length as 4 bytes
/// big-endian, then a zero length) before it can be attached. <c>stream: OK</c> lets it through; a signature found, an
/// error, no answer or no clamd at all refuses it (fail closed) — the caller then deletes the content. Not configured:
/// no scan. The content goes one decrypted chunk at a time, never the whole file in memory.
/// </summary>
internal sealed class ClamdScanner(IFileStore files, IOptions<FilesOptions> options, ILogger<ClamdScanner> logger)
{
    /// <summary>Null when the upload may be attached (clean, or no scanner configured); otherwise why it is refused.</summary>
    public async Task<string?> RefusalAsync(Guid uploadId, long length, CancellationToken ct)
    {
        if (options.Value.ClamdEndpoint() is not { } clamd)
        {
            return null;
        }

        string answer;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.ClamdTimeoutSeconds));
            answer = await ScanAsync(clamd.Host, clamd.Port, uploadId, length, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogError("Upload {UploadId} refused: the virus scanner (clamd at {Clamd}) could not be asked: {Reason}", uploadId, options.Value.Clamd, e.Message);
            return "The virus scanner could not check this file, so it was not accepted; try again later.";
        }

        if (answer.EndsWith(" FOUND", StringComparison.Ordinal))
        {
            var signature = answer["stream: ".Length..^" FOUND".Length];
            logger.LogWarning("Upload {UploadId} refused and deleted: the virus scanner found {Signature}", uploadId, signature);
            return $"The virus scanner found {signature} in this file: it was not accepted and its content was deleted.";
        }

        if (answer != "stream: OK")
        {
            logger.LogError("Upload {UploadId} refused: the virus scanner (clamd at {Clamd}) answered {Answer}", uploadId, options.Value.Clamd, answer);
            return "The virus scanner could not check this file, so it was not accepted.";
        }

        logger.LogInformation("Upload {UploadId} scanned by clamd: no virus found", uploadId);
        return null;
    }

    private async Task<string> ScanAsync(string host, int port, Guid uploadId, long length, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, ct);
        await using var stream = client.GetStream();
        await stream.WriteAsync("zINSTREAM\0"u8.ToArray(), ct);
        var prefix = new byte[4];
        var chunks = (int)((length + IFileStore.ChunkSize - 1) / IFileStore.ChunkSize);
        long sent = 0;
        try
        {
            for (var i = 0; i < chunks; i++)
            {
                var chunk = await files.ReadChunkAsync(uploadId, i, ct) ?? throw new FileIntegrityException($"Chunk {i} of the upload is missing.");
                var part = (int)Math.Min(chunk.Length, length - sent);
                BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)part);
                await stream.WriteAsync(prefix, ct);
                await stream.WriteAsync(chunk.AsMemory(0, part), ct);
                sent += part;
            }

            BinaryPrimitives.WriteUInt32BigEndian(prefix, 0);
            await stream.WriteAsync(prefix, ct);
        }
        catch (IOException)
        {
            // clamd closes the connection when the stream passes its StreamMaxLength: its answer says so.
        }

        // The answer, up to its terminating zero (or the end of the connection).
        var answer = new List<byte>();
        var buffer = new byte[256];
        while (answer.Count < 4096)
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0)
            {
                break;
            }

            var end = Array.IndexOf(buffer, (byte)0, 0, read);
            answer.AddRange(buffer.AsSpan(0, end >= 0 ? end : read));
            if (end >= 0)
            {
                break;
            }
        }

        return answer.Count == 0 ? throw new IOException("clamd closed the connection without an answer.") : Encoding.UTF8.GetString([.. answer]).Trim();
    }
}
