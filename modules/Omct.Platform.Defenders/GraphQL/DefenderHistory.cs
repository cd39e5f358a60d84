using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Profiles;

namespace Omct.Platform.Defenders.GraphQL;

/// <summary>
/// What each event of a defender's stream says in <c>Defender.history</c> (see <see cref="RecordHistory"/>), for STAFF
/// and above only (a profile's history is staff work; below STAFF it is empty). Summaries never carry personal data
/// (names, contact, location … are encrypted in the events and erasable): a profile update names the fields it
/// changed, not their values. The risk level, the confidential details, a situation report and an affiliation's
/// reason give an entry (or the reason) only to callers whose clearance reaches them, as the fields that show them.
/// </summary>
internal static class DefenderHistory
{
    public static HistoryDescriber For(Caller caller) => e => !caller.HasRole(Role.Staff) ? null : e.Data switch
    {
        DefenderRegistered r => new("DEFENDER_REGISTERED", $"Profile registered ({r.CountryCode}, {Name(r.Confidentiality)})"),
        DefenderProfileUpdated u => new("DEFENDER_UPDATED", $"Profile updated: {string.Join(", ", Fields(u))}"),
        ConsentRecorded c => new("CONSENT_RECORDED",
            $"Consent recorded on {c.GivenOn:yyyy-MM-dd}: name {(c.ToPublishName ? "may" : "may not")} be published, portrait {(c.ToPublishPortrait ? "may" : "may not")}"),
        RiskLevelSet r when caller.CanSee(DefenderFieldRules.RiskLevel) => new("RISK_LEVEL_SET", $"Risk level set to {Name(r.Level)}"),
        DefenderSituationRecorded s when caller.CanSee(s.Confidentiality) =>
            new("SITUATION_RECORDED", $"Situation recorded: {Name(s.Situation)} on {s.Date} ({Name(s.Confidentiality)})"),
        ConfidentialDetailsChanged when caller.CanSee(DefenderFieldRules.ConfidentialDetails) =>
            new("CONFIDENTIAL_DETAILS_CHANGED", "Confidential details changed"),
        DefenderAffiliated => new("AFFILIATION_ADDED", "Affiliated with an organisation"),
        DefenderDisaffiliated => new("AFFILIATION_REMOVED", "Affiliation removed"),
        AffiliationEnded a => new("AFFILIATION_ENDED", $"Affiliation ended on {a.EndedOn:yyyy-MM-dd}",
            caller.CanSee(DefenderFieldRules.AffiliationReason) ? a.Reason : null),
        DefenderMergedInto => new("DEFENDER_MERGED", "Profile merged into another (the same person)"),
        DefenderAbsorbed => new("DEFENDER_ABSORBED", "Another profile of the same person merged into this one"),
        PersonalDataErased p => new("PERSONAL_DATA_ERASED", $"Personal data erased on {p.ErasedAt:yyyy-MM-dd}"),
        _ => null,
    };

    private static IEnumerable<string> Fields(DefenderProfileUpdated u)
    {
        if (u.EncryptedName is not null)
        {
            yield return "name";
        }

        if (u.Pseudonym is not null)
        {
            yield return "pseudonym";
        }

        if (u.CountryCode is not null)
        {
            yield return $"country {u.CountryCode}";
        }

        if (u.Gender is not null)
        {
            yield return "gender";
        }

        if (u.Confidentiality is { } level)
        {
            yield return $"confidentiality {Name(level)}";
        }

        if (u.ThematicAreas is not null)
        {
            yield return "thematic areas";
        }
    }

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToConstantCase();
}
