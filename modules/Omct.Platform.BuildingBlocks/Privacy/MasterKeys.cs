using System.Security.Cryptography;
using System.Text;

namespace Omct.Platform.BuildingBlocks.Privacy;

/// <summary>A data key as stored: wrapped (encrypted) under the master key <see cref="MasterKeyId"/>.</summary>
public sealed record WrappedKey(string MasterKeyId, byte[] Wrapped);

/// <summary>
/// The master keys that wrap the data keys (<see cref="PersonalDataKey"/>: one per person, one per file). They are never
/// in the database: <see cref="LocalMasterKeys"/> reads them from a key file or an environment secret; a KMS
/// (AWS KMS, Azure Key Vault, HashiCorp Vault's transit engine) can implement this interface instead — wrap and unwrap
/// are its encrypt and decrypt of 32 bytes, and the key id is the KMS key's version.
/// </summary>
public interface IMasterKeys
{
    /// <summary>The key new data keys are wrapped under, and that re-wrapping moves every data key to.</summary>
    string CurrentKeyId { get; }

    /// <summary>Keys still readable but retired: the data keys under them are re-wrapped under the current key.</summary>
    IReadOnlyList<string> PreviousKeyIds { get; }

    /// <summary>Wraps <paramref name="dataKey"/> of <paramref name="ownerId"/> under the current key (bound to the owner: it unwraps for no other).</summary>
    ValueTask<WrappedKey> WrapAsync(Guid ownerId, ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken);

    /// <summary>The data key of <paramref name="ownerId"/>; <see cref="MasterKeyUnavailableException"/> when its master key is not configured here.</summary>
    ValueTask<byte[]> UnwrapAsync(Guid ownerId, WrappedKey wrapped, CancellationToken cancellationToken);
}

/// <summary>A data key is wrapped under a master key this host does not have (a retired key removed too early, another installation's key).</summary>
public sealed class MasterKeyUnavailableException(string message) : Exception(message);

/// <summary>
/// The master keys of <see cref="PrivacyOptions"/>: AES-256-GCM wrapping of each 32-byte data key under a 256-bit
/// master key, with a fresh nonce, the owner's id and the master key's id as associated data (a wrapped key copied to
/// another row does not unwrap). A key's id is derived from the key (<c>mk-</c> and 16 hex digits of a SHA-256 of it),
/// so that it needs no configuration and two hosts given the same key agree on its id. Nothing is cached but the master keys.
/// </summary>
public sealed class LocalMasterKeys : IMasterKeys
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public LocalMasterKeys(byte[] current, IEnumerable<byte[]> previous)
    {
        CurrentKeyId = Add(current);
        PreviousKeyIds = [.. previous.Select(Add).Where(id => id != CurrentKeyId).Distinct()];
    }

    public string CurrentKeyId { get; }

    public IReadOnlyList<string> PreviousKeyIds { get; }

    /// <summary>The id of a master key: <c>mk-</c> and the first 8 bytes of SHA-256("omct-master-key-id:" | key), in hex.</summary>
    public static string IdOf(ReadOnlySpan<byte> key)
    {
        var hash = SHA256.HashData([.. "omct-master-key-id:"u8, .. key]);
        return "mk-" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    public ValueTask<WrappedKey> WrapAsync(Guid ownerId, ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken)
    {
        var wrapped = new byte[NonceSize + dataKey.Length + TagSize];
        var nonce = wrapped.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_keys[CurrentKeyId], TagSize))
        {
            aes.Encrypt(nonce, dataKey.Span, wrapped.AsSpan(NonceSize, dataKey.Length), wrapped.AsSpan(NonceSize + dataKey.Length), AssociatedData(ownerId, CurrentKeyId));
        }

        return ValueTask.FromResult(new WrappedKey(CurrentKeyId, wrapped));
    }

    public ValueTask<byte[]> UnwrapAsync(Guid ownerId, WrappedKey wrapped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (!_keys.TryGetValue(wrapped.MasterKeyId, out var master))
        {
            throw new MasterKeyUnavailableException(
                $"The data key of {ownerId} is wrapped under the master key {wrapped.MasterKeyId}, which this host does not have: " +
                $"give it in {PrivacyOptions.Describe(nameof(PrivacyOptions.PreviousMasterKeys))} until every data key is re-wrapped under the current key.");
        }

        var length = wrapped.Wrapped.Length - NonceSize - TagSize;
        if (length <= 0)
        {
            throw new CryptographicException($"The wrapped data key of {ownerId} is damaged.");
        }

        var key = new byte[length];
        using var aes = new AesGcm(master, TagSize);
        aes.Decrypt(wrapped.Wrapped.AsSpan(0, NonceSize), wrapped.Wrapped.AsSpan(NonceSize, length), wrapped.Wrapped.AsSpan(NonceSize + length), key,
            AssociatedData(ownerId, wrapped.MasterKeyId));
        return ValueTask.FromResult(key);
    }

    private string Add(byte[] key)
    {
        var id = IdOf(key);
        _keys[id] = key;
        return id;
    }

    private static byte[] AssociatedData(Guid ownerId, string masterKeyId) =>
        [.. "omct-data-key:v1:"u8, .. ownerId.ToByteArray(), .. Encoding.ASCII.GetBytes(masterKeyId)];
}
