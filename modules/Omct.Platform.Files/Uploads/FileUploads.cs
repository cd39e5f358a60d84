using System.Buffers;
using System.Security.Cryptography;
using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Storage;
using Omct.Platform.Files.Content;
using Omct.Platform.Files.Scanning;
using Omct.Platform.Files.Storage;

namespace Omct.Platform.Files.Uploads;

/// <summary>What writing to an upload came to.</summary>
internal enum AppendOutcome { Stored, Busy, OffsetMismatch, TooLong, Interrupted, Refused, Gone }

internal sealed record AppendResult(AppendOutcome Outcome, long Offset, string? Message = null);

/// <summary>
/// The uploads (scoped): creation, the owner's look-up, and appending a request body to one — streamed chunk by chunk
/// into <see cref="IFileStore"/>, never the whole body in memory (at most one 1 MiB buffer per request). The offset is
/// saved after every chunk, so an interrupted request keeps everything before its last whole chunk, and the bytes of
/// its last partial chunk too when the interruption is seen (a client that disconnects). When the last byte is in,
/// the stored chunks are read back once, decrypted, to compute the SHA-256 and check the type (the hash is of what
/// is stored, across all the requests that wrote it: no hash state has to survive between requests or nodes).
/// </summary>
internal sealed class FileUploads(IDocumentStore store, IFileStore files, TimeProvider time, IOptions<FilesOptions> options, ILogger<FileUploads> logger, ClamdScanner scanner)
{
    /// <summary>The advisory lock class of uploads ("FILE"): one writer per upload across every node.</summary>
    private const int LockClass = 0x46494C45;

    public long MaxBytes => options.Value.MaxUploadBytes;

    public async Task<FileUpload> CreateAsync(Caller caller, long length, string? fileName, string? declaredType, string? metadata, CancellationToken ct)
    {
        var upload = new FileUpload
        {
            Id = Guid.CreateVersion7(),
            Owner = caller.Id ?? throw new InvalidOperationException("An upload needs an authenticated caller."),
            Length = length,
            FileName = FileNames.Sanitise(fileName),
            DeclaredType = declaredType is { Length: <= 200 } ? declaredType : null,
            Metadata = metadata,
            CreatedAt = time.GetUtcNow(),
        };
        await files.CreateAsync(upload.Id, ct);
        await using var session = store.LightweightSession();
        session.Store(upload);
        await session.SaveChangesAsync(ct);
        return upload;
    }

    /// <summary>The caller's own upload; null for an unknown one or another caller's (the two answer alike).</summary>
    public async Task<FileUpload?> FindOwnAsync(Guid id, Caller caller, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var upload = await session.LoadAsync<FileUpload>(id, ct);
        return upload is not null && caller.Id is { } who && upload.Owner == who ? upload : null;
    }

    /// <summary>Removes an upload that is not attached, with its content and key (tus termination, a refused type).</summary>
    public async Task DeleteAsync(FileUpload upload, CancellationToken ct)
    {
        await files.DeleteAsync(upload.Id, ct);
        await using var session = store.LightweightSession();
        session.Delete<FileUpload>(upload.Id);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// How long a request waits for another that is writing to the same upload: a PATCH whose connection dropped ends
    /// (and releases the upload) when the host notices, usually at once; one from a half-open connection when Kestrel's
    /// minimum data rate ends it, within seconds.
    /// </summary>
    internal static readonly TimeSpan WriterWait = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Waits (up to <see cref="WriterWait"/>) until no request is writing to the upload, so that the offset read next is
    /// where the next PATCH goes on (tus HEAD after an interrupted PATCH: what it had received is stored by then).
    /// False when a writer still holds it after the wait.
    /// </summary>
    public async Task<bool> SettledAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!await WaitForLockAsync(connection, transaction, "pg_advisory_xact_lock_shared", id, ct))
        {
            return false;
        }

        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// The upload's lock (across every node), held until disposed: while it is held nothing else writes to the upload,
    /// attaches it or deletes it. With <paramref name="wait"/> it waits up to <see cref="WriterWait"/> for the one holding
    /// it; null when it is still held by another (at once without <paramref name="wait"/>).
    /// </summary>
    public async Task<IAsyncDisposable?> HoldAsync(Guid id, bool wait, CancellationToken ct)
    {
        var connection = await store.OpenConnectionAsync(ct);
        try
        {
            bool taken;
            if (wait)
            {
                // A session lock, taken in a transaction only so that the wait's lock_timeout ends with it.
                await using var transaction = await connection.BeginTransactionAsync(ct);
                taken = await WaitForLockAsync(connection, transaction, "pg_advisory_lock", id, ct);
                await transaction.CommitAsync(ct);
            }
            else
            {
                await using var take = connection.Sql("select pg_try_advisory_lock(@class, @key)").Bind("class", LockClass).Bind("key", LockKey(id));
                taken = (bool)(await take.ExecuteScalarAsync(ct))!;
            }

            if (taken)
            {
                return new HeldUpload(connection, LockKey(id));
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    /// <summary>Appends <paramref name="body"/> at <paramref name="offset"/> (tus PATCH), once no other request writes to the upload.</summary>
    public async Task<AppendResult> AppendAsync(Guid id, long offset, Stream body, CancellationToken ct)
    {
        await using var held = await HoldAsync(id, wait: true, ct);
        if (held is null)
        {
            return new(AppendOutcome.Busy, offset, "Another request is writing to this upload.");
        }

        FileUpload? upload;
        await using (var query = store.QuerySession())
        {
            upload = await query.LoadAsync<FileUpload>(id, ct);
        }

        if (upload is null)
        {
            // Deleted (tus termination, refused, or cleaned up) since the request looked it up.
            return new(AppendOutcome.Gone, offset, "The upload was not found.");
        }

        if (upload.Offset != offset)
        {
            return new(AppendOutcome.OffsetMismatch, upload.Offset, $"Upload-Offset is {offset}; the upload has {upload.Offset} bytes.");
        }

        var result = await StreamAsync(upload, body, ct);
        if (result.Outcome == AppendOutcome.Stored && upload.Offset == upload.Length && !upload.Complete)
        {
            return await CompleteAsync(upload, ct);
        }

        return result;
    }

    /// <summary>The upload's advisory lock on its own connection, released (and the connection returned) on dispose.</summary>
    private sealed class HeldUpload(Npgsql.NpgsqlConnection connection, int key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var release = connection.Sql("select pg_advisory_unlock(@class, @key)").Bind("class", LockClass).Bind("key", key);
                await release.ExecuteScalarAsync(CancellationToken.None);
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static int LockKey(Guid id) => (int)(BitConverter.ToUInt32(id.ToByteArray(), 12) & 0x7FFFFFFF);

    /// <summary>Takes the upload's advisory lock with <paramref name="function"/>, waiting at most <see cref="WriterWait"/> (in the open transaction).</summary>
    private static async Task<bool> WaitForLockAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, string function, Guid id, CancellationToken ct)
    {
        await using (var timeout = connection.Sql($"set local lock_timeout = {(int)WriterWait.TotalMilliseconds}", transaction))
        {
            await timeout.ExecuteNonQueryAsync(ct);
        }

        try
        {
            await using var take = connection.Sql($"select {function}(@class, @key)", transaction).Bind("class", LockClass).Bind("key", LockKey(id));
            await take.ExecuteNonQueryAsync(ct);
            return true;
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.LockNotAvailable)
        {
            return false;
        }
    }

    private async Task<AppendResult> StreamAsync(FileUpload upload, Stream body, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(IFileStore.ChunkSize);
        var index = (int)(upload.Offset / IFileStore.ChunkSize);
        var filled = (int)(upload.Offset % IFileStore.ChunkSize);
        var kept = filled;
        try
        {
            if (filled > 0)
            {
                // The partial last chunk grows: what it holds up to the offset, then the new bytes (written again, with a new nonce).
                var partial = await files.ReadChunkAsync(upload.Id, index, ct) ?? throw new FileIntegrityException($"Chunk {index} of the upload is missing.");
                partial.AsSpan(0, filled).CopyTo(buffer);
            }

            var allowed = upload.Length - upload.Offset;
            long received = 0;
            while (true)
            {
                // One byte more than the upload still takes, to notice a body longer than Upload-Length.
                var ask = (int)Math.Min(IFileStore.ChunkSize - filled, allowed - received + 1);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(filled, ask), ct);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // The client went away mid-body: keep what arrived, so that it resumes from there (HEAD tells it where).
                    await SaveAsync(upload, index, buffer, filled, kept, CancellationToken.None);
                    logger.LogWarning("Upload {UploadId} was interrupted at {Offset} bytes ({Reason}); it resumes from there", upload.Id, upload.Offset, e.Message);
                    return new(AppendOutcome.Interrupted, upload.Offset, "The request ended before its body did.");
                }

                if (read == 0)
                {
                    break;
                }

                if (received + read > allowed)
                {
                    filled += (int)(allowed - received);
                    await SaveAsync(upload, index, buffer, filled, kept, ct);
                    return new(AppendOutcome.TooLong, upload.Offset, "The body is longer than the rest of Upload-Length.");
                }

                filled += read;
                received += read;
                if (filled == IFileStore.ChunkSize)
                {
                    await SaveAsync(upload, index, buffer, filled, kept, ct);
                    index++;
                    filled = kept = 0;
                }
            }

            await SaveAsync(upload, index, buffer, filled, kept, ct);
            return new(AppendOutcome.Stored, upload.Offset);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes chunk <paramref name="index"/> (its first <paramref name="filled"/> bytes) when it holds new bytes, and then the new offset.</summary>
    private async Task SaveAsync(FileUpload upload, int index, byte[] buffer, int filled, int kept, CancellationToken ct)
    {
        if (filled <= kept)
        {
            return;
        }

        await files.WriteChunkAsync(upload.Id, index, buffer.AsMemory(0, filled), ct);
        upload.Offset = (long)index * IFileStore.ChunkSize + filled;
        upload.LastWrittenAt = time.GetUtcNow();
        await using var session = store.LightweightSession();
        session.Store(upload);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>The whole content is in: its SHA-256 and type from the stored chunks; a type off the list removes the upload.</summary>
    private async Task<AppendResult> CompleteAsync(FileUpload upload, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var text = new TextCheck();
        byte[]? head = null;
        var chunks = (int)((upload.Length + IFileStore.ChunkSize - 1) / IFileStore.ChunkSize);
        long total = 0;
        for (var i = 0; i < chunks; i++)
        {
            var chunk = await files.ReadChunkAsync(upload.Id, i, ct) ?? throw new FileIntegrityException($"Chunk {i} of the upload is missing.");
            var expected = (int)Math.Min(IFileStore.ChunkSize, upload.Length - total);
            var part = chunk.AsSpan(0, Math.Min(chunk.Length, expected));
            sha.AppendData(part);
            text.Add(part, last: i == chunks - 1);
            head ??= part[..Math.Min(part.Length, FileTypes.HeadSize)].ToArray();
            total += part.Length;
        }

        var type = FileTypes.Detect(head, () => new StoredContentStream(files, upload.Id, upload.Length));
        if (type is null || (type == FileTypes.Text && !text.IsText))
        {
            await DeleteAsync(upload, ct);
            return new(AppendOutcome.Refused, upload.Offset,
                "This type of file is not accepted (its content, not its name, decides): PDF, JPEG, PNG, WebP, DOCX, XLSX, ODT, ODS or UTF-8 text.");
        }

        if (await scanner.RefusalAsync(upload.Id, upload.Length, ct) is { } infectedOrUnscanned)
        {
            await DeleteAsync(upload, ct);
            return new(AppendOutcome.Refused, upload.Offset, infectedOrUnscanned);
        }

        upload.Sha256 = Convert.ToHexStringLower(sha.GetHashAndReset());
        upload.TypeName = type.Name;
        upload.CompletedAt = time.GetUtcNow();
        await using var session = store.LightweightSession();
        session.Store(upload);
        await session.SaveChangesAsync(ct);
        return new(AppendOutcome.Stored, upload.Offset);
    }
}
