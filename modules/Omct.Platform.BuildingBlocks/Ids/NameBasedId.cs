using System.Security.Cryptography;
using System.Text;

namespace Omct.Platform.BuildingBlocks.Ids;

/// <summary>
/// Ids derived from what a record is about (a reminder of an occurrence, the digest of a period), so
/// that every run, on every node, computes the same id and an insert that does nothing on conflict
/// makes the record exactly once.
/// </summary>
public static class NameBasedId
{
    /// <summary>A name-based UUID (RFC 9562 version 8) from the SHA-256 of the key.</summary>
    public static Guid Of(string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
