using System.Security.Cryptography;
using System.Text;
using Marten;

namespace Omct.Platform.BuildingBlocks.Privacy;

/// <summary>
/// The key that protects one person's personal data in the (append-only) event store. Personal
/// fields are stored in events only encrypted with it; erasing the person destroys the key, after
/// which no read model, rebuild, export or feed can read them again ("crypto-shredding").
/// </summary>
public sealed class PersonalDataKey
{
    /// <summary>The person's id (the defender's stream id).</summary>
    public Guid Id { get; set; }

    public byte[] Key { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>AES-256-GCM encryption of personal fields under a <see cref="PersonalDataKey"/>.</summary>
public static class PersonalData
{
    private const string Prefix = "pd1:";

    public static PersonalDataKey NewKey(Guid personId, DateTimeOffset now) =>
        new() { Id = personId, Key = RandomNumberGenerator.GetBytes(32), CreatedAt = now };

    /// <summary>Null stays null; anything else becomes <c>pd1:</c> + base64(nonce | ciphertext | tag).</summary>
    public static string? Encrypt(PersonalDataKey key, string? plaintext)
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
        aes.Encrypt(nonce, clear, sealedBytes.AsSpan(12, clear.Length), sealedBytes.AsSpan(12 + clear.Length), AssociatedData(key.Id));
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The plaintext, or null when there is none or the key is gone (erased).</summary>
    public static string? Decrypt(PersonalDataKey? key, string? sealedText)
    {
        if (key is null || sealedText is null || !sealedText.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var sealedBytes = Convert.FromBase64String(sealedText[Prefix.Length..]);
        var length = sealedBytes.Length - 12 - 16;
        var clear = new byte[length];
        using var aes = new AesGcm(key.Key, 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(12, length), sealedBytes.AsSpan(12 + length), clear, AssociatedData(key.Id));
        return Encoding.UTF8.GetString(clear);
    }

    /// <summary>Loads a person's key; null once erased.</summary>
    public static Task<PersonalDataKey?> KeyOfAsync(this IQuerySession session, Guid personId, CancellationToken ct) =>
        session.LoadAsync<PersonalDataKey>(personId, ct);

    // Binds each ciphertext to its person: a value copied into another person's stream does not decrypt.
    private static byte[] AssociatedData(Guid personId) => personId.ToByteArray();
}
