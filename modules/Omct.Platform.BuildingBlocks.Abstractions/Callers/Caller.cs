namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>Who is asking: an anonymous visitor, an API key, a signed-in user or the platform itself.</summary>
/// <param name="Id">Stable identifier recorded in the audit trail (e.g. <c>apikey:…</c>); null when anonymous.</param>
/// <param name="Name">Display name.</param>
/// <param name="Role">What the caller may do.</param>
/// <param name="Clearance">What the caller may see.</param>
/// <param name="OrganisationId">For a member organisation's key or user: the organisation it acts for.</param>
/// <param name="PersistedOperationsOnly">The caller may run only registered (persisted) documents, sent by hash.</param>
public sealed record Caller(
    string? Id, string Name, Role Role, Confidentiality Clearance, Guid? OrganisationId = null, bool PersistedOperationsOnly = false)
{
    public static Caller Anonymous { get; } = new(null, "anonymous", Role.Anonymous, Confidentiality.Public);

    /// <summary>The identity jobs and seeding run under: it sees everything it is given clearance for.</summary>
    public static Caller System(string name, Confidentiality clearance = Confidentiality.Restricted) =>
        new($"system:{name}", name, Role.System, clearance);

    public bool IsAuthenticated => Role != Role.Anonymous;

    public bool CanSee(Confidentiality level) => Clearance >= level;

    public bool CanSee(IConfidential record) => CanSee(record.Confidentiality);

    /// <summary>
    /// True when the caller's role includes <paramref name="minimum"/>. Roles form two lines that
    /// meet at staff: anonymous &lt; network member &lt; staff &lt; editor &lt; admin &lt; system, and
    /// anonymous &lt; integrator &lt; staff. An integrator pulls data (reads, the change feed,
    /// exports); it is not a network member and may not do what staff do. Staff and above may
    /// pull what an integrator may (so <c>RequireRole(Integrator)</c> means INTEGRATOR, STAFF,
    /// EDITOR, ADMIN); a network member may not.
    /// </summary>
    public bool HasRole(Role minimum) => Includes(Role, minimum);

    public static bool Includes(Role role, Role minimum) => (role, minimum) switch
    {
        (_, Role.Anonymous) => true,
        (Role.System, _) => true,
        (Role.Admin, not Role.System) => true,
        (Role.Integrator, _) => minimum == Role.Integrator,
        (_, Role.Integrator) => role >= Role.Staff,
        _ => role >= minimum,
    };
}
