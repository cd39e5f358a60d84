using System.Security.Cryptography;
using System.Text;
using Marten;

namespace Omct.Platform.Accounts.Links;

public enum LinkPurpose
{
    /// <summary>Set a password and enrol the second factor: a new account.</summary>
    Invitation,
    /// <summary>Enrol a second factor again after an admin reset it (the password stays).</summary>
    SecondFactor,
    /// <summary>Set a new password (the second factor stays).</summary>
    Reset,
}

/// <summary>A link sent by e-mail, usable once before it expires. Only the SHA-256 of its token is stored (the id).</summary>
public sealed class OneTimeLink
{
    public string Id { get; set; } = "";
    public Guid AccountId { get; set; }
    public LinkPurpose Purpose { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    [Marten.Schema.Version]
    public Guid Version { get; set; }

    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string IdOf(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

internal static class OneTimeLinks
{
    /// <summary>The link of <paramref name="token"/> if it may be used now (unused, unexpired), else null.</summary>
    public static async Task<OneTimeLink?> FindUsableAsync(IQuerySession session, string? token, DateTimeOffset now, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var link = await session.LoadAsync<OneTimeLink>(OneTimeLink.IdOf(token), ct);
        return link is { UsedAt: null } && link.ExpiresAt > now ? link : null;
    }
}
