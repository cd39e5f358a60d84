using System.Globalization;
using System.Security.Claims;

namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>
/// A <see cref="Caller"/> as an ASP.NET Core principal and back: what every authentication handler of the
/// host (API key, bearer token, later the cookie session) produces, and what the rest of the pipeline reads.
/// Claims only, so a principal can be serialised (a cookie ticket) and read back into the same caller.
/// </summary>
public static class CallerPrincipal
{
    public const string IdClaim = "omct:id";
    public const string NameClaim = "omct:name";
    public const string RoleClaim = "omct:role";
    public const string ClearanceClaim = "omct:clearance";
    public const string OrganisationClaim = "omct:organisation";
    public const string PersistedOperationsOnlyClaim = "omct:persisted-operations-only";

    public static ClaimsPrincipal ToPrincipal(this Caller caller, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var claims = new List<Claim>
        {
            new(IdClaim, caller.Id ?? ""),
            new(NameClaim, caller.Name),
            new(RoleClaim, caller.Role.ToString()),
            new(ClearanceClaim, caller.Clearance.ToString()),
        };
        if (caller.OrganisationId is { } organisation)
        {
            claims.Add(new Claim(OrganisationClaim, organisation.ToString("D", CultureInfo.InvariantCulture)));
        }

        if (caller.PersistedOperationsOnly)
        {
            claims.Add(new Claim(PersistedOperationsOnlyClaim, "true"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, NameClaim, RoleClaim));
    }

    /// <summary>The caller of an authenticated principal made by <see cref="ToPrincipal"/>; the anonymous caller otherwise.</summary>
    public static Caller ToCaller(this ClaimsPrincipal? principal)
    {
        if (principal?.Identity is not { IsAuthenticated: true }
            || principal.FindFirst(IdClaim)?.Value is not { Length: > 0 } id
            || !Enum.TryParse<Role>(principal.FindFirst(RoleClaim)?.Value, out var role) || role == Role.Anonymous
            || !Enum.TryParse<Confidentiality>(principal.FindFirst(ClearanceClaim)?.Value, out var clearance))
        {
            return Caller.Anonymous;
        }

        Guid? organisation = Guid.TryParse(principal.FindFirst(OrganisationClaim)?.Value, out var organisationId) ? organisationId : null;
        return new Caller(id, principal.FindFirst(NameClaim)?.Value ?? id, role, clearance, organisation,
            principal.HasClaim(PersistedOperationsOnlyClaim, "true"));
    }
}
