using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Accounts;

/// <summary>
/// A staff member's (or member organisation's person's) account: the document ASP.NET Core Identity reads and
/// writes through <see cref="Identity.MartenUserStore"/>. Disabled, never deleted. Secrets are kept only as
/// Identity keeps them: the password as its PBKDF2 hash, recovery codes as SHA-256 hashes; the TOTP key must be
/// readable to check a code (see the module README).
/// </summary>
public sealed class Account
{
    public Guid Id { get; set; }
    public string DisplayName { get; set; } = "";
    public string Email { get; set; } = "";
    public string NormalizedEmail { get; set; } = "";
    public Role Role { get; set; } = Role.Staff;
    public Confidentiality Clearance { get; set; } = Confidentiality.Staff;
    public Guid? OrganisationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>Made just in time by an OpenID Connect sign-in: its role, clearance, name and organisation follow the provider's claims at each sign-in; it has no password here.</summary>
    public bool External { get; set; }

    /// <summary>The provider's subject (<c>sub</c>) of an external account: only that subject signs in as it.</summary>
    public string? ExternalSubject { get; set; }

    public string? PasswordHash { get; set; }
    public string SecurityStamp { get; set; } = "";
    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString("N");
    /// <summary>Marten's version of the document, for optimistic concurrency between two writers.</summary>
    [Marten.Schema.Version]
    public Guid Version { get; set; }
    public bool LockoutEnabled { get; set; } = true;
    public DateTimeOffset? LockoutEnd { get; set; }
    public int AccessFailedCount { get; set; }
    public string? AuthenticatorKey { get; set; }
    public bool TwoFactorEnabled { get; set; }
    /// <summary>SHA-256 (hex) of each unused recovery code.</summary>
    public List<string> RecoveryCodeHashes { get; set; } = [];
    public List<StoredPasskey> Passkeys { get; set; } = [];

    public bool Disabled => DisabledAt is not null;

    /// <summary>From STAFF clearance up, a password alone never opens a session: a TOTP code or a passkey is needed too.</summary>
    public bool RequiresSecondFactor => Clearance >= Confidentiality.Staff;

    public string CallerId => $"user:{Id}";

    public Caller ToCaller() => new(CallerId, DisplayName, Role, Clearance, OrganisationId);
}

/// <summary>A registered passkey (WebAuthn credential) as Identity describes it (<c>UserPasskeyInfo</c>).</summary>
public sealed class StoredPasskey
{
    public byte[] CredentialId { get; set; } = [];
    public byte[] PublicKey { get; set; } = [];
    public string? Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public uint SignCount { get; set; }
    public string[]? Transports { get; set; }
    public bool IsUserVerified { get; set; }
    public bool IsBackupEligible { get; set; }
    public bool IsBackedUp { get; set; }
    public byte[] AttestationObject { get; set; } = [];
    public byte[] ClientDataJson { get; set; } = [];
    /// <summary>Credential ids are compared as base64url text (a document index).</summary>
    public string CredentialKey { get; set; } = "";
}
