namespace Omct.Platform.Files.Storage;

/// <summary>
/// Where a file's bytes live: in fixed-size chunks (<see cref="ChunkSize"/>, the last one shorter), each encrypted
/// under the file's own key. PostgreSQL (<see cref="PostgresFileStore"/>) by default; an object store (S3) is another
/// implementation of this interface. A chunk is written whole and may be rewritten (the partial last chunk of an
/// upload grows as bytes arrive); nothing else of the upload's bookkeeping lives here.
/// </summary>
internal interface IFileStore
{
    /// <summary>1 MiB: no stored row (or object) is larger than this and its tag.</summary>
    const int ChunkSize = 1024 * 1024;

    /// <summary>Creates the file's key; its chunks can be written from now on.</summary>
    Task CreateAsync(Guid fileId, CancellationToken ct);

    /// <summary>Encrypts and writes chunk <paramref name="index"/> (replacing what was there).</summary>
    Task WriteChunkAsync(Guid fileId, int index, ReadOnlyMemory<byte> content, CancellationToken ct);

    /// <summary>
    /// Chunk <paramref name="index"/> decrypted, or null when it was never written. A chunk that does not decrypt
    /// (tampered, swapped with another chunk or file, or its key destroyed) throws <see cref="FileIntegrityException"/>.
    /// </summary>
    Task<byte[]?> ReadChunkAsync(Guid fileId, int index, CancellationToken ct);

    /// <summary>Removes the chunks and the key (an upload refused or abandoned).</summary>
    Task DeleteAsync(Guid fileId, CancellationToken ct);

    /// <summary>Destroys the key only: the stored chunks can never be read again (erasure).</summary>
    Task DestroyKeyAsync(Guid fileId, CancellationToken ct);
}

/// <summary>Stored content that does not verify: a chunk that does not decrypt, a missing chunk, or a SHA-256 that differs from the one recorded.</summary>
internal sealed class FileIntegrityException(string message) : Exception(message);
