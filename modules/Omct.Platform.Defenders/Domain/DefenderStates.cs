using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Defenders.Domain;

/// <summary>
/// A defender profile as <see cref="DefenderDecider"/> decides on it — level, pseudonym, consent,
/// risk level, organisations, merge and erasure — folded from the defender stream by
/// <see cref="DefenderDecider.Evolve(DefenderState?, object)"/>. It holds no personal data (the
/// events hold it only encrypted; the read model <c>Profiles.Defender</c> decrypts it) and needs
/// no key to be built.
/// </summary>
public sealed record DefenderState(
    Guid Id, Confidentiality Confidentiality, string? Pseudonym, bool ConsentToPublishName, bool ConsentToPublishPortrait, RiskLevel? RiskLevel,
    IReadOnlyList<Guid> OrganisationIds, Guid? MergedInto, bool Erased)
{
    /// <summary>The organisations whose affiliation ended (and that the defender has not joined again).</summary>
    public IReadOnlyList<Guid> FormerOrganisationIds { get; init; } = [];

    /// <summary>Who may find the profile (<see cref="ListedLevel"/>).</summary>
    public Confidentiality ListedConfidentiality => ListedLevel(Confidentiality, ConsentToPublishName, Pseudonym);

    /// <summary>
    /// Who may see the name: the profile's level with consent to publish it, at least
    /// <c>NETWORK</c> without (a name without consent is never public).
    /// </summary>
    public static Confidentiality NameLevel(Confidentiality profile, bool consentToPublishName) =>
        consentToPublishName ? profile : Max(profile, Confidentiality.Network);

    /// <summary>
    /// Who may find the profile in lists and by id: the profile's level, raised to the name's when
    /// there is no pseudonym to show in its place.
    /// </summary>
    public static Confidentiality ListedLevel(Confidentiality profile, bool consentToPublishName, string? pseudonym) =>
        string.IsNullOrEmpty(pseudonym) ? NameLevel(profile, consentToPublishName) : profile;

    private static Confidentiality Max(Confidentiality a, Confidentiality b) => a > b ? a : b;
}

/// <summary>
/// An organisation as <see cref="DefenderDecider"/> decides on it: membership and level, folded
/// from its stream by <see cref="DefenderDecider.Evolve(OrganisationState?, object)"/>. Its name
/// and order key are the read model's (<c>Organisations.Organisation</c>).
/// </summary>
public sealed record OrganisationState(Guid Id, bool NetworkMember, DateOnly? MemberSince, Confidentiality Confidentiality) : IConfidential;
