using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Profiles;

namespace Omct.Platform.Defenders.Domain;

public sealed record RegisterDefender(
    string? Name, string? Pseudonym, string? CountryCode, Gender? Gender, bool ConsentToPublishName,
    Confidentiality? Confidentiality, IReadOnlyList<string> ThematicAreas, string? Contact, string? Location,
    IReadOnlyList<Guid>? OrganisationIds = null);

public sealed record UpdateDefender(string? Name, string? Pseudonym, string? CountryCode, Gender? Gender, Confidentiality? Confidentiality, IReadOnlyList<string>? ThematicAreas);

public sealed record RecordConsent(bool ToPublishName, bool ToPublishPortrait, DateOnly? GivenOn);

public sealed record RecordSituation(Situation Situation, string? Date, Confidentiality? Confidentiality);

public sealed record SetConfidentialDetails(string? Contact, string? Location, string? Family, string? RiskNotes);

public sealed record RegisterOrganisation(string? Name, string? CountryCode, bool NetworkMember, DateOnly? MemberSince, Confidentiality? Confidentiality);

/// <summary>
/// The decisions about defenders and organisations: pure functions, state and command to events.
/// Each decision that writes a level or a confidential value takes the caller's <c>clearance</c>:
/// nothing is written above it (<see cref="WriteClearance"/>: VALIDATION on the field).
/// </summary>
public static class DefenderDecider
{
    /// <summary>The state a defender stream's events lead to, one event at a time (null before <see cref="DefenderRegistered"/>).</summary>
    public static DefenderState? Evolve(DefenderState? state, object @event) => (state, @event) switch
    {
        (null, DefenderRegistered r) => new DefenderState(
            r.DefenderId, r.Confidentiality, r.Pseudonym, r.ConsentToPublishName, false, null, [], null, false),
        (null, _) => null,
        (_, DefenderProfileUpdated u) => state with
        {
            Pseudonym = u.Pseudonym ?? state.Pseudonym, Confidentiality = u.Confidentiality ?? state.Confidentiality,
        },
        (_, ConsentRecorded c) => state with { ConsentToPublishName = c.ToPublishName, ConsentToPublishPortrait = c.ToPublishPortrait },
        (_, RiskLevelSet r) => state with { RiskLevel = r.Level },
        (_, DefenderAffiliated a) when !state.OrganisationIds.Contains(a.OrganisationId) => state with
        {
            OrganisationIds = [.. state.OrganisationIds, a.OrganisationId], FormerOrganisationIds = [.. state.FormerOrganisationIds.Where(o => o != a.OrganisationId)],
        },
        (_, AffiliationEnded e) => state with
        {
            OrganisationIds = [.. state.OrganisationIds.Where(o => o != e.OrganisationId)], FormerOrganisationIds = [.. state.FormerOrganisationIds, e.OrganisationId],
        },
        (_, DefenderDisaffiliated a) => state with { OrganisationIds = [.. state.OrganisationIds.Where(o => o != a.OrganisationId)] },
        (_, DefenderMergedInto m) => state with { MergedInto = m.TargetId },
        (_, DefenderAbsorbed a) => state with { OrganisationIds = [.. state.OrganisationIds.Union(a.OrganisationIds)] },
        (_, PersonalDataErased) => state with { Erased = true },
        _ => state,
    };

    /// <summary>The state an organisation's events lead to, one event at a time (null before <see cref="OrganisationRegistered"/>).</summary>
    public static OrganisationState? Evolve(OrganisationState? state, object @event) => (state, @event) switch
    {
        (null, OrganisationRegistered r) => new OrganisationState(r.OrganisationId, r.NetworkMember, r.MemberSince, r.Confidentiality),
        (null, _) => null,
        (_, OrganisationUpdated u) => state with { Confidentiality = u.Confidentiality ?? state.Confidentiality },
        (_, NetworkMembershipChanged m) => state with { NetworkMember = m.Member, MemberSince = m.Member ? m.Since ?? state.MemberSince : null },
        _ => state,
    };

    public static IReadOnlyList<object> Register(Guid id, RegisterDefender c, DataKey key, Confidentiality clearance)
    {
        var name = Input.Required(c.Name, "name", 300);
        var country = ValidCountry(c.CountryCode);
        var level = WriteClearance.Writable(c.Confidentiality, clearance);
        EnsureMayWriteDetails(clearance, new SetConfidentialDetails(c.Contact, c.Location, null, null), always: false);
        var registered = new DefenderRegistered(id, PersonalData.Encrypt(key, name)!, Input.Optional(c.Pseudonym, "pseudonym", 100), country,
            c.Gender, level, c.ConsentToPublishName, Areas(c.ThematicAreas));
        List<object> events = [registered];
        if (c.Contact is not null || c.Location is not null)
        {
            events.Add(Details(key, new SetConfidentialDetails(c.Contact, c.Location, null, null)));
        }

        events.AddRange((c.OrganisationIds ?? []).Distinct().Select(o => new DefenderAffiliated(o)));
        return events;
    }

    public static IReadOnlyList<object> Update(DefenderState d, UpdateDefender c, DataKey? key, Confidentiality clearance)
    {
        EnsureActive(d);
        if (c.Confidentiality is { } raisedTo)
        {
            WriteClearance.Ensure(raisedTo, clearance, "confidentiality");
        }

        var name = c.Name is null ? null : Input.Required(c.Name, "name", 300);
        if (name is not null && key is null)
        {
            throw DomainException.Validation("name", "This person's personal data was erased.");
        }

        var update = new DefenderProfileUpdated(name is null ? null : PersonalData.Encrypt(key!, name), Input.Optional(c.Pseudonym, "pseudonym", 100),
            c.CountryCode is null ? null : ValidCountry(c.CountryCode), c.Gender, c.Confidentiality, c.ThematicAreas is null ? null : Areas(c.ThematicAreas));
        if (update == new DefenderProfileUpdated(null, null, null, null, null, null))
        {
            throw DomainException.Validation("input", "Nothing to change.");
        }

        var listedTo = DefenderState.ListedLevel(update.Confidentiality ?? d.Confidentiality, d.ConsentToPublishName, update.Pseudonym ?? d.Pseudonym);
        return [listedTo == d.ListedConfidentiality ? update : update with { ListedFrom = d.ListedConfidentiality, ListedTo = listedTo }];
    }

    /// <summary>
    /// Records the consent; when whether a portrait may be published changes, also publishes
    /// <see cref="DefenderPortraitConsentChanged"/> for the news module (an erased person's portrait never may).
    /// </summary>
    public static IReadOnlyList<object> RecordConsent(DefenderState d, RecordConsent c, string recordedBy, DateOnly today, Confidentiality clearance)
    {
        EnsureActive(d);
        // What was consented, when and by whom is read from STAFF (Defender.consent): written from there too.
        WriteClearance.EnsureMayWrite(clearance, Confidentiality.Staff, "toPublishName");
        var givenOn = c.GivenOn ?? today;
        if (givenOn > today)
        {
            throw DomainException.Validation("givenOn", "Consent cannot be given in the future.");
        }

        var consent = new ConsentRecorded(c.ToPublishName, c.ToPublishPortrait, givenOn, recordedBy);
        var listedTo = DefenderState.ListedLevel(d.Confidentiality, c.ToPublishName, d.Pseudonym);
        List<object> events = [listedTo == d.ListedConfidentiality ? consent : consent with { ListedFrom = d.ListedConfidentiality, ListedTo = listedTo }];
        var portrait = c.ToPublishPortrait && !d.Erased;
        if (portrait != PortraitMayBePublished(d))
        {
            events.Add(new DefenderPortraitConsentChanged(d.Id, portrait));
        }

        return events;
    }

    public static IReadOnlyList<object> SetRiskLevel(DefenderState d, RiskLevel level, Confidentiality clearance)
    {
        EnsureActive(d);
        WriteClearance.EnsureMayWrite(clearance, DefenderFieldRules.RiskLevel, "level");
        return d.RiskLevel == level ? throw DomainException.Validation("level", $"The risk level is already {level}.") : [new RiskLevelSet(level)];
    }

    /// <summary>
    /// A situation staff learnt outside a case. UNKNOWN is not a report (it is what no report means);
    /// the report is at least as confidential as the profile.
    /// </summary>
    public static IReadOnlyList<object> RecordSituation(DefenderState d, Guid reportId, RecordSituation c, string recordedBy, DateOnly today, Confidentiality clearance)
    {
        EnsureActive(d);
        if (c.Confidentiality is { } asked)
        {
            WriteClearance.Ensure(asked, clearance, "confidentiality");
        }

        if (c.Situation == Situation.Unknown)
        {
            throw DomainException.Validation("situation", "UNKNOWN is what no report means; record what is known.");
        }

        if (!PartialDate.TryParse(c.Date, out var date))
        {
            throw DomainException.Validation("date", $"'{c.Date}' is not a date (yyyy, yyyy-MM or yyyy-MM-dd).");
        }

        if (date.Value.IsAfter(today))
        {
            throw DomainException.Validation("date", "The date cannot be in the future.");
        }

        var level = c.Confidentiality is { } given && given > d.Confidentiality ? given : d.Confidentiality;
        return [new DefenderSituationRecorded(d.Id, reportId, c.Situation, date.Value, level, recordedBy)];
    }

    /// <summary>Replaces the four RESTRICTED details (an absent one is cleared): only a caller who may read them may write them.</summary>
    public static IReadOnlyList<object> SetDetails(DefenderState d, SetConfidentialDetails c, DataKey? key, Confidentiality clearance)
    {
        EnsureActive(d);
        EnsureMayWriteDetails(clearance, c, always: true);
        return key is null ? throw DomainException.Validation("defenderId", "This person's personal data was erased.") : [Details(key, c)];
    }

    /// <param name="organisationId">The organisation, when it exists and the caller may see it; null otherwise.</param>
    public static IReadOnlyList<object> Affiliate(DefenderState d, Guid? organisationId)
    {
        EnsureActive(d);
        if (organisationId is not { } id)
        {
            throw DomainException.Validation("organisationId", "No such organisation.");
        }

        return d.OrganisationIds.Contains(id)
            ? throw DomainException.Validation("organisationId", "The defender is already affiliated with this organisation.")
            : [new DefenderAffiliated(id)];
    }

    /// <summary>
    /// Ends a current affiliation on <paramref name="endedOn"/> (default today, not in the future). An organisation
    /// the caller may not see is refused word for word as one the defender is not affiliated with.
    /// </summary>
    /// <param name="organisationId">The organisation, when it exists and the caller may see it; null otherwise.</param>
    public static IReadOnlyList<object> EndAffiliation(
        DefenderState d, Guid? organisationId, DateOnly? endedOn, string? reason, string endedBy, DateOnly today, Confidentiality clearance)
    {
        EnsureActive(d);
        if (reason is not null)
        {
            // The reason is read from STAFF (Affiliation.reason): written from there too.
            WriteClearance.EnsureMayWrite(clearance, DefenderFieldRules.AffiliationReason, "reason");
        }

        if (organisationId is not { } id || !(d.OrganisationIds.Contains(id) || d.FormerOrganisationIds.Contains(id)))
        {
            throw DomainException.Validation("organisationId", "The defender is not affiliated with this organisation.");
        }

        if (!d.OrganisationIds.Contains(id))
        {
            throw DomainException.Validation("organisationId", "This affiliation has already ended.");
        }

        if (endedOn > today)
        {
            throw DomainException.Validation("endedOn", "An affiliation cannot end in the future.");
        }

        return [new AffiliationEnded(id, endedOn ?? today, RecordHistory.Reason(reason), endedBy)];
    }

    /// <summary>Merging <paramref name="source"/> into <paramref name="target"/>: one event on each stream.</summary>
    public static (object OnSource, object OnTarget) Merge(DefenderState source, DefenderState target)
    {
        if (source.Id == target.Id)
        {
            throw DomainException.Validation("targetId", "A profile cannot be merged into itself.");
        }

        EnsureActive(source, "sourceId");
        EnsureActive(target, "targetId");
        return (new DefenderMergedInto(target.Id), new DefenderAbsorbed(source.Id, source.OrganisationIds));
    }

    /// <summary>
    /// Erases the personal data; a portrait consent goes with it (the news module stops showing the
    /// portraits), and <see cref="DefenderPersonalDataErased"/> tells the other modules to remove the
    /// copies of the name they keep (the digests module's stored digests).
    /// </summary>
    public static IReadOnlyList<object> Erase(DefenderState d, DateTimeOffset now)
    {
        if (d.Erased)
        {
            throw DomainException.Validation("defenderId", "This person's personal data is already erased.");
        }

        List<object> events = [new PersonalDataErased(now)];
        if (PortraitMayBePublished(d))
        {
            events.Add(new DefenderPortraitConsentChanged(d.Id, false));
        }

        events.Add(new DefenderPersonalDataErased(d.Id, now));
        return events;
    }

    /// <summary>
    /// The RESTRICTED details: refused below their level on the first one given, or on <c>contact</c>
    /// when <paramref name="always"/> (replacing them all clears those not given: that is a write too).
    /// </summary>
    private static void EnsureMayWriteDetails(Confidentiality clearance, SetConfidentialDetails c, bool always)
    {
        var given = c.Contact is not null ? "contact" : c.Location is not null ? "location" : c.Family is not null ? "family" : c.RiskNotes is not null ? "riskNotes" : null;
        if (given is not null || always)
        {
            WriteClearance.EnsureMayWrite(clearance, DefenderFieldRules.ConfidentialDetails, given ?? "contact");
        }
    }

    private static bool PortraitMayBePublished(DefenderState d) => d.ConsentToPublishPortrait && !d.Erased;

    public static OrganisationRegistered RegisterOrganisation(Guid id, RegisterOrganisation c, Confidentiality clearance) =>
        new(id, Input.Required(c.Name, "name", 300), ValidCountry(c.CountryCode), c.NetworkMember, c.NetworkMember ? c.MemberSince : null,
            WriteClearance.Writable(c.Confidentiality, clearance));

    public static OrganisationUpdated UpdateOrganisation(OrganisationState o, string? name, string? countryCode, Confidentiality? confidentiality, Confidentiality clearance)
    {
        if (confidentiality is { } asked)
        {
            WriteClearance.Ensure(asked, clearance, "confidentiality");
        }

        var update = new OrganisationUpdated(name is null ? null : Input.Required(name, "name", 300),
            countryCode is null ? null : ValidCountry(countryCode), confidentiality);
        return update == new OrganisationUpdated(null, null, null) ? throw DomainException.Validation("input", "Nothing to change.")
            : confidentiality is { } level && level != o.Confidentiality ? update with { From = o.Confidentiality }
            : update;
    }

    public static NetworkMembershipChanged ChangeMembership(OrganisationState o, bool member, DateOnly? since, DateOnly today)
    {
        if (since > today)
        {
            throw DomainException.Validation("since", "Membership cannot start in the future.");
        }

        return o.NetworkMember == member && since is null
            ? throw DomainException.Validation("member", member ? "The organisation is already a member." : "The organisation is not a member.")
            : new NetworkMembershipChanged(member, member ? since ?? o.MemberSince ?? today : null);
    }

    private static ConfidentialDetailsChanged Details(DataKey key, SetConfidentialDetails c) => new(
        PersonalData.Encrypt(key, Input.Optional(c.Contact, "contact", 2_000)), PersonalData.Encrypt(key, Input.Optional(c.Location, "location", 2_000)),
        PersonalData.Encrypt(key, Input.Optional(c.Family, "family", 5_000)), PersonalData.Encrypt(key, Input.Optional(c.RiskNotes, "riskNotes", 10_000)));

    private static void EnsureActive(DefenderState d, string field = "defenderId")
    {
        if (d.MergedInto is not null)
        {
            throw DomainException.Validation(field, "This profile was merged into another; change that one.");
        }
    }

    private static string ValidCountry(string? code) => Input.Country(code).Code;

    private static List<string> Areas(IReadOnlyList<string> areas)
    {
        var list = areas.Select(a => a.Trim()).Where(a => a.Length > 0).Distinct().ToList();
        return list.Count > 20 || list.Any(a => a.Length > 100)
            ? throw DomainException.Validation("thematicAreas", "At most 20 thematic areas of at most 100 characters.")
            : list;
    }
}
