using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Access.ApiKeys;

/// <summary>An API key as stored: only the SHA-256 of the secret is kept, never the secret.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public Role Role { get; set; }
    public Confidentiality Clearance { get; set; }
    /// <summary>Hex SHA-256 of the key. The key has 256 bits of entropy, so a fast hash is enough.</summary>
    public string KeyHash { get; set; } = "";
    /// <summary>The first characters of the key, to recognise it in a list.</summary>
    public string Prefix { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    /// <summary>The member organisation the key acts for (calls for input, co-signing).</summary>
    public Guid? OrganisationId { get; set; }
    /// <summary>The key may run only persisted operations (documents registered by an admin, sent by hash).</summary>
    public bool PersistedOperationsOnly { get; set; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public Caller ToCaller() => new($"apikey:{Id}", Name, Role, Clearance, OrganisationId, PersistedOperationsOnly);
}

/// <summary>
/// When a key was last used. Kept apart from <see cref="ApiKey"/> so that recording a use can never
/// overwrite a concurrent revocation.
/// </summary>
public sealed class ApiKeyUsage
{
    public Guid Id { get; set; }
    public DateTimeOffset LastUsedAt { get; set; }
}
