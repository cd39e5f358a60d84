using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Defenders.Domain;

// The events of a defender stream (aliases "defenders.*", see DefendersModule). Personal fields
// (name, contact, location, family, risk notes) are stored only encrypted with the person's
// PersonalDataKey ("pd1:…"): erasing the person destroys the key.

public sealed record DefenderRegistered(
    Guid DefenderId, string EncryptedName, string? Pseudonym, string CountryCode, Gender? Gender,
    Confidentiality Confidentiality, bool ConsentToPublishName, IReadOnlyList<string> ThematicAreas);

/// <summary>
/// Only the fields given change. <see cref="ListedFrom"/>/<see cref="ListedTo"/>: who could find
/// the profile before and after, when the update changed it (the change feed tells a caller who
/// loses sight of it); null when it did not, and in events written before they were recorded.
/// </summary>
public sealed record DefenderProfileUpdated(
    string? EncryptedName, string? Pseudonym, string? CountryCode, Gender? Gender, Confidentiality? Confidentiality,
    IReadOnlyList<string>? ThematicAreas, Confidentiality? ListedFrom = null, Confidentiality? ListedTo = null);

/// <summary>Consent as given; <see cref="ListedFrom"/>/<see cref="ListedTo"/> as on <see cref="DefenderProfileUpdated"/> (withdrawn consent can hide a profile without a pseudonym).</summary>
public sealed record ConsentRecorded(
    bool ToPublishName, bool ToPublishPortrait, DateOnly GivenOn, string RecordedBy, Confidentiality? ListedFrom = null, Confidentiality? ListedTo = null);

public sealed record RiskLevelSet(RiskLevel Level);

/// <summary>
/// What staff learnt of the person's situation outside any case (went into hiding, was seen at
/// liberty): it counts with the cases' reports, latest by date, for callers who may see it.
/// </summary>
public sealed record DefenderSituationRecorded(Guid DefenderId, Guid ReportId, Situation Situation, PartialDate Date, Confidentiality Confidentiality, string RecordedBy);

/// <summary>The confidential details, all RESTRICTED; a null field is cleared.</summary>
public sealed record ConfidentialDetailsChanged(string? EncryptedContact, string? EncryptedLocation, string? EncryptedFamily, string? EncryptedRiskNotes);

public sealed record DefenderAffiliated(Guid OrganisationId);

public sealed record DefenderDisaffiliated(Guid OrganisationId);

/// <summary>The defender's affiliation with the organisation ended on <see cref="EndedOn"/>; recorded by <see cref="EndedBy"/> (caller id). The profile keeps it as history.</summary>
public sealed record AffiliationEnded(Guid OrganisationId, DateOnly EndedOn, string? Reason, string EndedBy);

/// <summary>This profile was found to be the same person as <see cref="TargetId"/>: it now redirects there.</summary>
public sealed record DefenderMergedInto(Guid TargetId);

/// <summary>The profile <see cref="SourceId"/> was merged into this one (its cases and reports now count here).</summary>
public sealed record DefenderAbsorbed(Guid SourceId, IReadOnlyList<Guid> OrganisationIds);

/// <summary>The person's personal data was erased on request (its key destroyed).</summary>
public sealed record PersonalDataErased(DateTimeOffset ErasedAt);

public sealed record OrganisationRegistered(
    Guid OrganisationId, string Name, string CountryCode, bool NetworkMember, DateOnly? MemberSince, Confidentiality Confidentiality);

/// <summary>Only the fields given change; <see cref="From"/>: the level before, when <see cref="Confidentiality"/> changes it.</summary>
public sealed record OrganisationUpdated(string? Name, string? CountryCode, Confidentiality? Confidentiality, Confidentiality? From = null);

public sealed record NetworkMembershipChanged(bool Member, DateOnly? Since);
