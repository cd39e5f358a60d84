using System.Security.Cryptography;
using System.Text;

namespace Omct.Platform.Access.ApiKeys;

/// <summary>Generation and hashing of API key secrets.</summary>
internal static class ApiKeySecret
{
    private const string Marker = "omct_";

    public static string Generate() =>
        Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string PrefixOf(string key) => key[..Math.Min(key.Length, Marker.Length + 6)];

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}
