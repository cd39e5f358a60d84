using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Omct.Platform.BuildingBlocks.Privacy;

/// <summary>
/// The key that protects one person's personal data (the defender's stream id), or one file's content (the file id), as
/// stored in the database: only wrapped under a master key that is not in the database (<see cref="IMasterKeys"/>), with
/// that master key's id beside it. Erasing the person destroys this document, after which no read model, rebuild,
/// export or feed can read the data again ("crypto-shredding"); a dump of the database alone reads nothing.
/// Read and made through <see cref="PersonalDataKeys"/>.
/// </summary>
public sealed class PersonalDataKey
{
    /// <summary>The owner's id.</summary>
    public Guid Id { get; set; }

    /// <summary>The master key <see cref="WrappedKey"/> is wrapped under; null only for a key stored before keys were wrapped.</summary>
    public string? MasterKeyId { get; set; }

    /// <summary>The data key wrapped (nonce | ciphertext | tag).</summary>
    public byte[]? WrappedKey { get; set; }

    /// <summary>
    /// The data key in clear, as stored before keys were wrapped (JSON <c>key</c>): wrapped at the next start
    /// (<see cref="DataKeyWrapping"/>) and removed; never written.
    /// </summary>
    [JsonPropertyName("key")]
    public byte[]? UnwrappedKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A data key unwrapped, in memory for one request or one write; never stored or cached.</summary>
public sealed class DataKey(Guid ownerId, byte[] key)
{
    public Guid OwnerId { get; } = ownerId;

    /// <summary>The 32 bytes of the AES-256 key.</summary>
    public byte[] Key { get; } = key;

    /// <summary>A new random key for <paramref name="ownerId"/>.</summary>
    public static DataKey New(Guid ownerId) => new(ownerId, RandomNumberGenerator.GetBytes(32));
}

/// <summary>AES-256-GCM encryption of personal fields under a person's <see cref="DataKey"/>.</summary>
public static class PersonalData
{
    private const string Prefix = "pd1:";

    /// <summary>Null stays null; anything else becomes <c>pd1:</c> + base64(nonce | ciphertext | tag).</summary>
    public static string? Encrypt(DataKey key, string? plaintext)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (plaintext is null)
        {
            return null;
        }

        var clear = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[12 + clear.Length + 16];
        var nonce = sealedBytes.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Key, 16);
        aes.Encrypt(nonce, clear, sealedBytes.AsSpan(12, clear.Length), sealedBytes.AsSpan(12 + clear.Length), AssociatedData(key.OwnerId));
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The plaintext, or null when there is none or the key is gone (erased).</summary>
    public static string? Decrypt(DataKey? key, string? sealedText)
    {
        if (key is null || sealedText is null || !sealedText.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var sealedBytes = Convert.FromBase64String(sealedText[Prefix.Length..]);
        var length = sealedBytes.Length - 12 - 16;
        var clear = new byte[length];
        using var aes = new AesGcm(key.Key, 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(12, length), sealedBytes.AsSpan(12 + length), clear, AssociatedData(key.OwnerId));
        return Encoding.UTF8.GetString(clear);
    }

    // Binds each ciphertext to its person: a value copied into another person's stream does not decrypt.
    private static byte[] AssociatedData(Guid personId) => personId.ToByteArray();
}
