using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Defenders.Domain;

namespace Omct.Platform.Defenders.Profiles;

/// <summary>
/// Who sees which field of a defender profile: one place for the GraphQL type and the export.
/// The name only where its level allows (never public without consent; nothing once erased);
/// the risk level from STAFF; contact, location, family and risk notes only at RESTRICTED.
/// </summary>
internal static class DefenderFieldRules
{
    public const Confidentiality RiskLevel = Confidentiality.Staff;
    public const Confidentiality ConfidentialDetails = Confidentiality.Restricted;
    public const Confidentiality AffiliationReason = Confidentiality.Staff;

    public static string? VisibleName(Defender defender, Caller caller) => caller.CanSee(defender.NameConfidentiality) ? defender.Name : null;

    /// <summary>Who may find the profile (lists, node(id), the feed, the export): its listed level.</summary>
    public static bool Findable(Defender defender, Caller caller) => caller.CanSee(defender.ListedConfidentiality);

    /// <summary>The same rule for the write model (the command handlers' NOT_FOUND).</summary>
    public static bool Findable(DefenderState defender, Caller caller) => caller.CanSee(defender.ListedConfidentiality);
}
