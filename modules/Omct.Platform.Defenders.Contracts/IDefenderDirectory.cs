using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Defenders.Contracts;

/// <summary>
/// What other modules may ask the defenders module about defenders, in one query per call
/// (never one per row). Answers respect the caller's clearance: a defender the caller may not
/// find is reported as not existing. A profile merged into another answers as that other one.
/// </summary>
public interface IDefenderDirectory
{
    /// <summary>The subset of <paramref name="defenderIds"/> that exist and that <paramref name="caller"/> may find.</summary>
    Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// The profiles (opaque objects rendered by the schema's <c>Defender</c> type) of the given ids
    /// that the caller may find, following merges; ids it may not find are absent.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, object>> ProfilesAsync(IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// The ids that stand for this defender: the profile's own and those merged into it; empty
    /// when the caller may not find the profile (so a filter by it matches nothing).
    /// </summary>
    Task<IReadOnlyList<Guid>> IdentitiesAsync(Guid defenderId, Caller caller, CancellationToken cancellationToken);

    /// <summary>The id of a profile found by its exact name (demo data and imports); null when none or hidden.</summary>
    Task<Guid?> FindByNameAsync(string name, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// How the caller may name each of these defenders, following merges: the name where the caller may
    /// see it (never public without consent), else the pseudonym; absent when the caller may not find the
    /// profile or it has neither (an erased person without pseudonym).
    /// </summary>
    Task<IReadOnlyDictionary<Guid, string>> DisplayNamesAsync(IReadOnlyCollection<Guid> defenderIds, Caller caller, CancellationToken cancellationToken);

    /// <summary>The organisations of the given ids the caller may see (opaque objects rendered by the schema's <c>Organisation</c> type).</summary>
    Task<IReadOnlyDictionary<Guid, object>> OrganisationsAsync(IReadOnlyCollection<Guid> organisationIds, Caller caller, CancellationToken cancellationToken);

    /// <summary>What other modules need to know of organisations (country, membership), whatever the caller.</summary>
    Task<IReadOnlyDictionary<Guid, OrganisationInfo>> OrganisationInfoAsync(IReadOnlyCollection<Guid> organisationIds, CancellationToken cancellationToken);

    /// <summary>The network's member organisations in these countries (all members when none given).</summary>
    Task<IReadOnlyList<OrganisationInfo>> NetworkMembersAsync(IReadOnlyCollection<string> countryCodes, CancellationToken cancellationToken);
}

public sealed record OrganisationInfo(Guid Id, string CountryCode, bool NetworkMember);
