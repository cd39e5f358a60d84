using System.Security.Cryptography;
using System.Text;

namespace Omct.Platform.Access.PersistedOperations;

/// <summary>A registered GraphQL document. Its id is the SHA-256 of its text, so it never changes once registered.</summary>
public sealed class PersistedOperation
{
    /// <summary>Lowercase hex SHA-256 of <see cref="Document"/> (UTF-8).</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Document { get; set; } = "";
    public DateTimeOffset RegisteredAt { get; set; }
    public string? RegisteredBy { get; set; }

    /// <summary>Registered by the platform for a report definition's runs: requests cannot send it until an admin registers the same document.</summary>
    public bool ReportsOnly { get; set; }

    public static string HashOf(string document) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));
}
