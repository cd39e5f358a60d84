using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Omct.Platform.BuildingBlocks.Privacy;

/// <summary>
/// A stream of any length sealed under a data key in chunks, for content kept whole in one place (a report's file):
/// each chunk is AES-256-GCM with a fresh nonce, and its associated data binds it to the key's owner, its index and
/// whether it is the last — so chunks cannot be reordered, moved to another owner, or cut off at the end unnoticed.
/// Memory stays at two chunks whatever the length. The format: per chunk, its plaintext length (4 bytes, big-endian),
/// a last flag (1 byte), the nonce (12), the ciphertext and the tag (16).
/// </summary>
public static class SealedChunks
{
    public const int ChunkSize = 64 * 1024;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 4 + 1 + NonceSize;

    /// <summary>Writes <paramref name="plaintext"/> to <paramref name="output"/> sealed under <paramref name="key"/>.</summary>
    public static async Task SealAsync(Stream plaintext, Stream output, DataKey key, CancellationToken ct)
    {
        using var aes = new AesGcm(key.Key, TagSize);
        var current = new byte[ChunkSize];
        var next = new byte[ChunkSize];
        var length = await plaintext.ReadAtLeastAsync(current, ChunkSize, throwOnEndOfStream: false, ct);
        var sealedChunk = new byte[HeaderSize + ChunkSize + TagSize];
        for (long index = 0; ; index++)
        {
            var nextLength = length < ChunkSize ? 0 : await plaintext.ReadAtLeastAsync(next, ChunkSize, throwOnEndOfStream: false, ct);
            var last = nextLength == 0;
            BinaryPrimitives.WriteInt32BigEndian(sealedChunk, length);
            sealedChunk[4] = last ? (byte)1 : (byte)0;
            var nonce = sealedChunk.AsSpan(5, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            aes.Encrypt(nonce, current.AsSpan(0, length), sealedChunk.AsSpan(HeaderSize, length), sealedChunk.AsSpan(HeaderSize + length, TagSize),
                AssociatedData(key.OwnerId, index, last));
            await output.WriteAsync(sealedChunk.AsMemory(0, HeaderSize + length + TagSize), ct);
            if (last)
            {
                return;
            }

            (current, next, length) = (next, current, nextLength);
        }
    }

    /// <summary>
    /// Writes what <paramref name="sealedContent"/> holds to <paramref name="output"/>; <see cref="CryptographicException"/>
    /// when a chunk does not verify (another key, altered, reordered) or the content ends before its last chunk.
    /// </summary>
    public static async Task OpenAsync(Stream sealedContent, Stream output, DataKey key, CancellationToken ct)
    {
        using var aes = new AesGcm(key.Key, TagSize);
        var header = new byte[HeaderSize];
        var sealedChunk = new byte[ChunkSize + TagSize];
        var plain = new byte[ChunkSize];
        for (long index = 0; ; index++)
        {
            if (await sealedContent.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, ct) < HeaderSize)
            {
                throw new CryptographicException("The sealed content ends before its last chunk.");
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(header);
            if (length is < 0 or > ChunkSize || header[4] > 1)
            {
                throw new CryptographicException($"Chunk {index} of the sealed content is damaged.");
            }

            var last = header[4] == 1;
            await sealedContent.ReadExactlyAsync(sealedChunk.AsMemory(0, length + TagSize), ct);
            aes.Decrypt(header.AsSpan(5, NonceSize), sealedChunk.AsSpan(0, length), sealedChunk.AsSpan(length, TagSize), plain.AsSpan(0, length),
                AssociatedData(key.OwnerId, index, last));
            await output.WriteAsync(plain.AsMemory(0, length), ct);
            if (last)
            {
                return;
            }
        }
    }

    private static byte[] AssociatedData(Guid owner, long index, bool last)
    {
        var data = new byte[16 + 8 + 1];
        owner.TryWriteBytes(data);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(16), index);
        data[24] = last ? (byte)1 : (byte)0;
        return data;
    }
}
