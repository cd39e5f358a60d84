using System.Buffers.Binary;
using System.Security.Cryptography;
using Marten;
using Omct.Platform.BuildingBlocks.Privacy;

namespace Omct.Platform.Files.Storage;

/// <summary>
/// The file's key and the sealing of its chunks, whatever stores them (<see cref="PostgresFileStore"/>,
/// <see cref="S3FileStore"/>): each chunk sealed with AES-256-GCM under the file's key with a fresh random nonce (a
/// rewritten chunk gets a new one) and the file id and chunk index as associated data — a chunk copied to another place
/// or file does not decrypt. The key is the platform's <see cref="PersonalDataKey"/> (the defenders' mechanism) in the
/// database, under the file id, wrapped under the master key (<see cref="PersonalDataKeys"/>), whichever backend holds the
/// chunks: destroying it makes every stored chunk, and every copy of it in a backup, unreadable. Scoped: a request reads
/// and unwraps the file's key once.
/// </summary>
internal sealed class FileKeys(IDocumentStore store, PersonalDataKeys keys)
{
    public const int NonceSize = 12;
    public const int TagSize = 16;

    // The keys this scope (one request) has read: a file's chunks are read one after the other. Never kept longer, so
    // that a destroyed key is gone for every later request on every node.
    private readonly Dictionary<Guid, DataKey> _keys = [];

    public async Task CreateAsync(Guid fileId, CancellationToken ct)
    {
        var (stored, _) = await keys.NewAsync(fileId, ct);
        await using var session = store.LightweightSession();
        session.Store(stored);
        await session.SaveChangesAsync(ct);
    }

    public async Task DestroyAsync(Guid fileId, CancellationToken ct)
    {
        _keys.Remove(fileId);
        await using var session = store.LightweightSession();
        session.Delete<PersonalDataKey>(fileId);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>Chunk <paramref name="index"/> sealed: its nonce and its ciphertext followed by the tag.</summary>
    public async Task<(byte[] Nonce, byte[] Sealed)> SealAsync(Guid fileId, int index, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        if (content.Length is 0 or > IFileStore.ChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(content), "A chunk holds 1 byte to 1 MiB.");
        }

        var key = await KeyAsync(fileId, ct) ?? throw new FileIntegrityException("The file's key is gone.");
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var sealedBytes = new byte[content.Length + TagSize];
        using (var aes = new AesGcm(key.Key, TagSize))
        {
            aes.Encrypt(nonce, content.Span, sealedBytes.AsSpan(0, content.Length), sealedBytes.AsSpan(content.Length), AssociatedData(fileId, index));
        }

        return (nonce, sealedBytes);
    }

    /// <summary>Chunk <paramref name="index"/> decrypted; <see cref="FileIntegrityException"/> when it does not verify or the key is gone.</summary>
    public async Task<byte[]> OpenAsync(Guid fileId, int index, ReadOnlyMemory<byte> nonce, ReadOnlyMemory<byte> sealedBytes, CancellationToken ct)
    {
        var key = await KeyAsync(fileId, ct) ?? throw new FileIntegrityException("The file's key is gone: its content cannot be read.");
        if (nonce.Length != NonceSize || sealedBytes.Length <= TagSize)
        {
            throw new FileIntegrityException($"Chunk {index} of the file is damaged.");
        }

        var length = sealedBytes.Length - TagSize;
        var content = new byte[length];
        try
        {
            using var aes = new AesGcm(key.Key, TagSize);
            aes.Decrypt(nonce.Span, sealedBytes.Span[..length], sealedBytes.Span[length..], content, AssociatedData(fileId, index));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new FileIntegrityException($"Chunk {index} of the file does not verify: it was changed, moved or damaged in storage.");
        }

        return content;
    }

    private async Task<DataKey?> KeyAsync(Guid fileId, CancellationToken ct)
    {
        if (_keys.TryGetValue(fileId, out var known))
        {
            return known;
        }

        await using var session = store.QuerySession();
        var key = await keys.KeyOfAsync(session, fileId, ct);
        if (key is not null)
        {
            _keys[fileId] = key;
        }

        return key;
    }

    /// <summary>The file id and the chunk's index (big-endian): a chunk decrypts only where it was written.</summary>
    private static byte[] AssociatedData(Guid fileId, int index)
    {
        var data = new byte[20];
        fileId.TryWriteBytes(data);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(16), index);
        return data;
    }
}
