using System.Security.Claims;

namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>
/// Which claims of the organisation's identity provider carry a person's role, clearance, name and member
/// organisation — the settings of <c>Omct:Security:Jwt</c> (<see cref="Section"/>), read once here for both the
/// bearer tokens (Access module) and the OpenID Connect sign-in (Accounts module), so that the provider's claims
/// mean the same in both.
/// </summary>
public class CallerClaimMapping
{
    /// <summary>The section the mapping is read from (the bearer-token settings).</summary>
    public const string Section = "Omct:Security:Jwt";

    /// <summary>The claim holding the platform role (ADMIN, EDITOR, STAFF, NETWORK_MEMBER, INTEGRATOR).</summary>
    public string RoleClaim { get; set; } = "omct_role";

    /// <summary>The claim holding the clearance (PUBLIC, NETWORK, STAFF, RESTRICTED).</summary>
    public string ClearanceClaim { get; set; } = "omct_clearance";

    public string NameClaim { get; set; } = "name";

    /// <summary>The claim holding a member organisation's id (a GUID), for its staff.</summary>
    public string OrganisationClaim { get; set; } = "omct_organisation";

    /// <summary>
    /// The role, clearance, name and organisation the claims give, or null when the role (never ANONYMOUS or SYSTEM)
    /// or the clearance is missing or not a valid value.
    /// </summary>
    public MappedClaims? Map(ClaimsIdentity claims, string fallbackName)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (!TryParse<Role>(claims.FindFirst(RoleClaim)?.Value, out var role) || role is Role.Anonymous or Role.System
            || !TryParse<Confidentiality>(claims.FindFirst(ClearanceClaim)?.Value, out var clearance))
        {
            return null;
        }

        Guid? organisation = Guid.TryParse(claims.FindFirst(OrganisationClaim)?.Value, out var organisationId) ? organisationId : null;
        var name = claims.FindFirst(NameClaim)?.Value;
        return new MappedClaims(string.IsNullOrWhiteSpace(name) ? fallbackName : name, role, clearance, organisation);
    }

    /// <summary>Accepts the schema's names (NETWORK_MEMBER) and the enum's (NetworkMember).</summary>
    private static bool TryParse<T>(string? value, out T parsed) where T : struct, Enum =>
        Enum.TryParse(value?.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out parsed) && Enum.IsDefined(parsed);
}

/// <summary>What <see cref="CallerClaimMapping.Map"/> read from a provider's claims.</summary>
public sealed record MappedClaims(string Name, Role Role, Confidentiality Clearance, Guid? OrganisationId);
