using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Defenders.Domain;

namespace Omct.Platform.Defenders.Profiles;

/// <summary>
/// A defender profile as read, kept inline by <see cref="DefenderProjection"/> (decisions are made on
/// <see cref="DefenderState"/>, folded from the events). The name is decrypted while the person's key exists
/// (lists search and sort by it); the confidential details stay encrypted under the person's key, as in the events, and
/// are decrypted only for a caller who may read them (<see cref="DefenderDetails"/>). Nothing of them can be read once
/// the person is erased (a rebuild cannot bring them back: the events only hold ciphertext, and the key is gone).
/// </summary>
public sealed class Defender : IConfidential, IHasEntityId
{
    public Guid Id { get; set; }
    public string? Name { get; set; }
    public string? Pseudonym { get; set; }
    public string CountryCode { get; set; } = "";
    public Gender? Gender { get; set; }

    /// <summary>Who may know the profile exists.</summary>
    public Confidentiality Confidentiality { get; set; }

    /// <summary>
    /// Who may see the name: the profile's level with consent to publish it, at least
    /// <c>NETWORK</c> without (a name without consent is never public).
    /// </summary>
    public Confidentiality NameConfidentiality { get; set; }

    /// <summary>
    /// Who may find the profile in lists and by id: the profile's level, raised to the name's
    /// when there is no pseudonym to show in its place (so a public caller sees the person under a
    /// pseudonym, or not at all).
    /// </summary>
    public Confidentiality ListedConfidentiality { get; set; }

    public bool ConsentToPublishName { get; set; }
    public bool ConsentToPublishPortrait { get; set; }
    public DateOnly? ConsentGivenOn { get; set; }
    public string? ConsentRecordedBy { get; set; }
    public RiskLevel? RiskLevel { get; set; }

    // RESTRICTED details, encrypted under the person's key ("pd1:…", as in ConfidentialDetailsChanged).
    public string? EncryptedContact { get; set; }
    public string? EncryptedLocation { get; set; }
    public string? EncryptedFamily { get; set; }
    public string? EncryptedRiskNotes { get; set; }

    public List<string> ThematicAreas { get; set; } = [];
    public List<Guid> OrganisationIds { get; set; } = [];

    /// <summary>Affiliations that ended, oldest first (an organisation joined again is in <see cref="OrganisationIds"/> too).</summary>
    public List<EndedAffiliation> EndedAffiliations { get; set; } = [];

    /// <summary>Profiles merged into this one (their cases and situation reports count here).</summary>
    public List<Guid> MergedIds { get; set; } = [];

    /// <summary>Set when this profile was merged into another: reads redirect there.</summary>
    public Guid? MergedInto { get; set; }

    public bool Erased { get; set; }

    /// <summary>Keyset order of lists: the global sequence of the registration event.</summary>
    public long OrderKey { get; set; }

    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public void Recompute()
    {
        NameConfidentiality = DefenderState.NameLevel(Confidentiality, ConsentToPublishName);
        ListedConfidentiality = DefenderState.ListedLevel(Confidentiality, ConsentToPublishName, Pseudonym);
    }
}

public sealed record EndedAffiliation(Guid OrganisationId, DateOnly EndedOn, string? Reason);
