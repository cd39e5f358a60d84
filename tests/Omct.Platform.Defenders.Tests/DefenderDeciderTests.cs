using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Domain;
using Xunit;

namespace Omct.Platform.Defenders.Tests;

/// <summary>Given a defender's or an organisation's events, when a command, then events or an error — no database.</summary>
public sealed class DefenderDeciderTests
{
    private static readonly DateOnly Today = new(2024, 2, 1);
    private static readonly DateTimeOffset Now = new(2024, 2, 1, 12, 0, 0, TimeSpan.Zero);

    private static RegisterDefender Registration(Confidentiality? level = Confidentiality.Public, string? pseudonym = null, bool consent = true) =>
        new("Nasako Besingi", pseudonym, "cm", Gender.Male, consent, level, ["Land rights"], null, null);

    private static (DefenderState State, DataKey Key) Defender(RegisterDefender? registration = null, params object[] then)
    {
        var id = Guid.NewGuid();
        var key = DataKey.New(id);
        var registered = DefenderDecider.Register(id, registration ?? Registration(), key, Confidentiality.Restricted);
        return (WriteModel.Fold<DefenderState>(DefenderDecider.Evolve, [.. registered, .. then])!, key);
    }

    private static DefenderState Given(params object[] then) => Defender(null, then).State;

    private static OrganisationState Organisation(params object[] then) => WriteModel.Fold<OrganisationState>(DefenderDecider.Evolve,
        [DefenderDecider.RegisterOrganisation(Guid.NewGuid(), new RegisterOrganisation("SEFE", "cm", false, null, Confidentiality.Public), Confidentiality.Staff), .. then])!;

    private static void Refused(string field, Action act)
    {
        var error = Assert.Throws<DomainException>(act);
        Assert.Equal(ErrorCodes.Validation, error.Code);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Registering_stores_the_name_only_encrypted_with_the_details_and_affiliations()
    {
        var id = Guid.NewGuid();
        var key = DataKey.New(id);
        var organisation = Guid.NewGuid();
        var events = DefenderDecider.Register(id, Registration() with { Contact = "+237 …", OrganisationIds = [organisation, organisation] }, key, Confidentiality.Restricted);

        var registered = Assert.IsType<DefenderRegistered>(events[0]);
        Assert.DoesNotContain("Nasako", registered.EncryptedName);
        Assert.Equal("Nasako Besingi", PersonalData.Decrypt(key, registered.EncryptedName));
        Assert.Equal(("CM", Confidentiality.Public), (registered.CountryCode, registered.Confidentiality));
        Assert.Equal("+237 …", PersonalData.Decrypt(key, Assert.IsType<ConfidentialDetailsChanged>(events[1]).EncryptedContact));
        Assert.Equal(new DefenderAffiliated(organisation), Assert.Single(events.OfType<DefenderAffiliated>()));
        Assert.Equal(3, events.Count);
    }

    [Fact]
    public void Registering_refuses_bad_input_and_writing_above_the_callers_clearance()
    {
        var key = DataKey.New(Guid.NewGuid());
        Refused("name", () => DefenderDecider.Register(Guid.NewGuid(), Registration() with { Name = " " }, key, Confidentiality.Staff));
        Refused("countryCode", () => DefenderDecider.Register(Guid.NewGuid(), Registration() with { CountryCode = "XX" }, key, Confidentiality.Staff));
        Refused("confidentiality", () => DefenderDecider.Register(Guid.NewGuid(), Registration(Confidentiality.Restricted), key, Confidentiality.Staff));
        // The details are RESTRICTED: a STAFF caller may not write them.
        Refused("location", () => DefenderDecider.Register(Guid.NewGuid(), Registration() with { Location = "Buea" }, key, Confidentiality.Staff));
        Refused("thematicAreas", () => DefenderDecider.Register(Guid.NewGuid(), Registration() with { ThematicAreas = [new string('a', 101)] }, key, Confidentiality.Staff));
    }

    [Fact]
    public void An_update_changes_only_what_is_given_and_says_when_who_may_find_the_profile_changes()
    {
        var (state, key) = Defender(Registration(consent: false, pseudonym: "N.B."));
        Refused("input", () => DefenderDecider.Update(state, new UpdateDefender(null, null, null, null, null, null), key, Confidentiality.Staff));
        Refused("confidentiality", () => DefenderDecider.Update(state, new UpdateDefender(null, null, null, null, Confidentiality.Restricted, null), key, Confidentiality.Staff));

        var renamed = Assert.IsType<DefenderProfileUpdated>(Assert.Single(DefenderDecider.Update(state, new UpdateDefender("N. Besingi", null, null, null, null, null), key, Confidentiality.Staff)));
        Assert.Equal("N. Besingi", PersonalData.Decrypt(key, renamed.EncryptedName));
        Assert.Null(renamed.ListedFrom);

        // Listed at PUBLIC under its pseudonym; raised to STAFF, only STAFF finds it.
        var raised = (DefenderProfileUpdated)DefenderDecider.Update(state, new UpdateDefender(null, null, null, null, Confidentiality.Staff, null), key, Confidentiality.Staff)[0];
        Assert.Equal((Confidentiality.Public, Confidentiality.Staff), (raised.ListedFrom, raised.ListedTo));
    }

    [Fact]
    public void An_erased_persons_name_cannot_be_written_again()
    {
        var erased = Given(new PersonalDataErased(Now));
        Refused("name", () => DefenderDecider.Update(erased, new UpdateDefender("New name", null, null, null, null, null), null, Confidentiality.Staff));
        Refused("defenderId", () => DefenderDecider.SetDetails(erased, new SetConfidentialDetails("c", null, null, null), null, Confidentiality.Restricted));
        Refused("defenderId", () => DefenderDecider.Erase(erased, Now));
    }

    [Fact]
    public void Withdrawn_consent_hides_a_profile_without_a_pseudonym_from_the_public()
    {
        var state = Given();
        Assert.Equal(Confidentiality.Public, state.ListedConfidentiality);
        var consent = Assert.IsType<ConsentRecorded>(Assert.Single(DefenderDecider.RecordConsent(state, new RecordConsent(false, false, null), "staff:1", Today, Confidentiality.Staff)));
        Assert.Equal((Today, "staff:1", Confidentiality.Public, Confidentiality.Network), (consent.GivenOn, consent.RecordedBy, consent.ListedFrom, consent.ListedTo));
        Assert.Equal(Confidentiality.Network, DefenderDecider.Evolve(state, consent)!.ListedConfidentiality);
    }

    [Fact]
    public void Consent_to_a_portrait_is_published_for_the_news_module_when_it_changes()
    {
        var state = Given();
        var given = DefenderDecider.RecordConsent(state, new RecordConsent(true, true, Today.AddDays(-3)), "staff:1", Today, Confidentiality.Staff);
        Assert.Equal(new DefenderPortraitConsentChanged(state.Id, true), given[1]);

        var withPortrait = DefenderDecider.Evolve(state, given[0])!;
        Assert.Single(DefenderDecider.RecordConsent(withPortrait, new RecordConsent(false, true, null), "staff:1", Today, Confidentiality.Staff));
        Assert.Equal(new DefenderPortraitConsentChanged(state.Id, false),
            DefenderDecider.RecordConsent(withPortrait, new RecordConsent(true, false, null), "staff:1", Today, Confidentiality.Staff)[1]);
    }

    [Fact]
    public void Consent_is_recorded_by_staff_and_not_in_the_future()
    {
        Refused("toPublishName", () => DefenderDecider.RecordConsent(Given(), new RecordConsent(true, false, null), "member:1", Today, Confidentiality.Network));
        Refused("givenOn", () => DefenderDecider.RecordConsent(Given(), new RecordConsent(true, false, Today.AddDays(1)), "staff:1", Today, Confidentiality.Staff));
    }

    [Fact]
    public void The_risk_level_is_set_by_staff_and_only_when_it_changes()
    {
        Assert.Equal([new RiskLevelSet(RiskLevel.High)], DefenderDecider.SetRiskLevel(Given(), RiskLevel.High, Confidentiality.Staff));
        Refused("level", () => DefenderDecider.SetRiskLevel(Given(new RiskLevelSet(RiskLevel.High)), RiskLevel.High, Confidentiality.Staff));
        Refused("level", () => DefenderDecider.SetRiskLevel(Given(), RiskLevel.High, Confidentiality.Network));
    }

    [Fact]
    public void A_situation_report_is_at_least_as_confidential_as_the_profile()
    {
        var staffProfile = Defender(Registration(Confidentiality.Staff)).State;
        var reportId = Guid.NewGuid();
        var report = Assert.IsType<DefenderSituationRecorded>(Assert.Single(DefenderDecider.RecordSituation(
            staffProfile, reportId, new RecordSituation(Situation.InHiding, "2024-01", Confidentiality.Public), "staff:1", Today, Confidentiality.Staff)));
        Assert.Equal((staffProfile.Id, reportId, Situation.InHiding, "2024-01", Confidentiality.Staff),
            (report.DefenderId, report.ReportId, report.Situation, report.Date.ToString(), report.Confidentiality));
        Assert.Equal(Confidentiality.Restricted, ((DefenderSituationRecorded)DefenderDecider.RecordSituation(
            staffProfile, reportId, new RecordSituation(Situation.Detained, "2024", Confidentiality.Restricted), "staff:1", Today, Confidentiality.Restricted)[0]).Confidentiality);
    }

    [Theory]
    [InlineData(Situation.Unknown, "2024-01-01", null, "situation")]
    [InlineData(Situation.Detained, "2024-02-30", null, "date")]
    [InlineData(Situation.Detained, "2024-02-02", null, "date")]
    [InlineData(Situation.Detained, "2024", Confidentiality.Restricted, "confidentiality")]
    public void A_situation_report_refuses_bad_input(Situation situation, string date, Confidentiality? level, string field) =>
        Refused(field, () => DefenderDecider.RecordSituation(Given(), Guid.NewGuid(), new RecordSituation(situation, date, level), "staff:1", Today, Confidentiality.Staff));

    [Fact]
    public void The_confidential_details_are_written_only_at_RESTRICTED()
    {
        var (state, key) = Defender();
        var details = Assert.IsType<ConfidentialDetailsChanged>(Assert.Single(
            DefenderDecider.SetDetails(state, new SetConfidentialDetails(null, "Buea", null, "Threatened"), key, Confidentiality.Restricted)));
        Assert.Equal(("Buea", (string?)null, "Threatened"), (PersonalData.Decrypt(key, details.EncryptedLocation), details.EncryptedContact, PersonalData.Decrypt(key, details.EncryptedRiskNotes)));
        Refused("location", () => DefenderDecider.SetDetails(state, new SetConfidentialDetails(null, "Buea", null, null), key, Confidentiality.Staff));
        // Clearing them all is a write too.
        Refused("contact", () => DefenderDecider.SetDetails(state, new SetConfidentialDetails(null, null, null, null), key, Confidentiality.Staff));
    }

    [Fact]
    public void A_defender_is_affiliated_once_with_an_organisation_the_caller_may_see()
    {
        var organisation = Guid.NewGuid();
        Assert.Equal([new DefenderAffiliated(organisation)], DefenderDecider.Affiliate(Given(), organisation));
        Refused("organisationId", () => DefenderDecider.Affiliate(Given(), null));
        Refused("organisationId", () => DefenderDecider.Affiliate(Given(new DefenderAffiliated(organisation)), organisation));
    }

    [Fact]
    public void An_affiliation_ends_once_is_kept_as_former_and_may_start_again()
    {
        var organisation = Guid.NewGuid();
        var affiliated = Given(new DefenderAffiliated(organisation));

        var ended = Assert.IsType<AffiliationEnded>(Assert.Single(
            DefenderDecider.EndAffiliation(affiliated, organisation, new DateOnly(2023, 5, 1), " Left the board ", "apikey:staff", Today, Confidentiality.Staff)));
        Assert.Equal(new AffiliationEnded(organisation, new DateOnly(2023, 5, 1), "Left the board", "apikey:staff"), ended);
        Assert.Equal(Today, Assert.IsType<AffiliationEnded>(Assert.Single(
            DefenderDecider.EndAffiliation(affiliated, organisation, null, null, "apikey:staff", Today, Confidentiality.Network))).EndedOn);

        var former = DefenderDecider.Evolve(affiliated, ended)!;
        Assert.Empty(former.OrganisationIds);
        Assert.Equal([organisation], former.FormerOrganisationIds);

        // Already ended; never affiliated; an organisation the caller may not see (null) is answered as one never affiliated.
        Refused("organisationId", () => DefenderDecider.EndAffiliation(former, organisation, null, null, "apikey:staff", Today, Confidentiality.Staff));
        var notAffiliated = Assert.Throws<DomainException>(() => DefenderDecider.EndAffiliation(affiliated, Guid.NewGuid(), null, null, "apikey:staff", Today, Confidentiality.Staff));
        var hidden = Assert.Throws<DomainException>(() => DefenderDecider.EndAffiliation(affiliated, null, null, null, "apikey:staff", Today, Confidentiality.Staff));
        Assert.Equal((ErrorCodes.Validation, "organisationId", notAffiliated.Message), (hidden.Code, hidden.Field, hidden.Message));
        Refused("endedOn", () => DefenderDecider.EndAffiliation(affiliated, organisation, Today.AddDays(1), null, "apikey:staff", Today, Confidentiality.Staff));
        // The reason is STAFF information: written from STAFF.
        Refused("reason", () => DefenderDecider.EndAffiliation(affiliated, organisation, null, "Left", "apikey:member", Today, Confidentiality.Network));

        // Joined again: current, no longer former, and it may end again.
        var again = DefenderDecider.Evolve(former, Assert.Single(DefenderDecider.Affiliate(former, organisation)))!;
        Assert.Equal([organisation], again.OrganisationIds);
        Assert.Empty(again.FormerOrganisationIds);
        Assert.Single(DefenderDecider.EndAffiliation(again, organisation, null, null, "apikey:staff", Today, Confidentiality.Staff));

        var merged = DefenderDecider.Evolve(affiliated, new DefenderMergedInto(Guid.NewGuid()))!;
        Refused("defenderId", () => DefenderDecider.EndAffiliation(merged, organisation, null, null, "apikey:staff", Today, Confidentiality.Staff));
    }

    [Fact]
    public void Merging_moves_the_organisations_and_a_merged_profile_no_longer_changes()
    {
        var organisation = Guid.NewGuid();
        var source = Given(new DefenderAffiliated(organisation));
        var target = Given();
        var (onSource, onTarget) = DefenderDecider.Merge(source, target);
        Assert.Equal(new DefenderMergedInto(target.Id), onSource);
        var absorbed = Assert.IsType<DefenderAbsorbed>(onTarget);
        Assert.Equal((source.Id, organisation), (absorbed.SourceId, Assert.Single(absorbed.OrganisationIds)));
        Assert.Equal([organisation], DefenderDecider.Evolve(target, absorbed)!.OrganisationIds);

        Refused("targetId", () => DefenderDecider.Merge(source, source));
        var merged = DefenderDecider.Evolve(source, onSource)!;
        Refused("sourceId", () => DefenderDecider.Merge(merged, target));
        Refused("targetId", () => DefenderDecider.Merge(target, merged));
        Refused("defenderId", () => DefenderDecider.SetRiskLevel(merged, RiskLevel.Low, Confidentiality.Staff));
        Refused("defenderId", () => DefenderDecider.RecordConsent(merged, new RecordConsent(true, true, null), "staff:1", Today, Confidentiality.Staff));
    }

    [Fact]
    public void Erasing_takes_the_portrait_consent_with_it_and_tells_the_other_modules()
    {
        var withPortrait = Given(new ConsentRecorded(true, true, Today, "staff:1"));
        var events = DefenderDecider.Erase(withPortrait, Now);
        Assert.Equal([typeof(PersonalDataErased), typeof(DefenderPortraitConsentChanged), typeof(DefenderPersonalDataErased)], events.Select(e => e.GetType()));
        Assert.Equal(new DefenderPortraitConsentChanged(withPortrait.Id, false), events[1]);
        Assert.Equal(2, DefenderDecider.Erase(Given(), Now).Count);

        // An erased person's portrait never may be published again: renewed consent publishes no change.
        var erased = events.Aggregate(withPortrait, (state, e) => DefenderDecider.Evolve(state, e)!);
        Assert.True(erased.Erased);
        Assert.IsType<ConsentRecorded>(Assert.Single(DefenderDecider.RecordConsent(erased, new RecordConsent(true, true, null), "staff:1", Today, Confidentiality.Staff)));
    }

    [Fact]
    public void The_defender_state_follows_the_events_and_holds_no_personal_data()
    {
        var organisation = Guid.NewGuid();
        var state = Given(new DefenderProfileUpdated(null, "N.B.", null, null, Confidentiality.Network, null),
            new ConsentRecorded(false, true, Today, "staff:1"), new RiskLevelSet(RiskLevel.Critical),
            new DefenderAffiliated(organisation), new DefenderAffiliated(organisation), new DefenderSituationRecorded(Guid.NewGuid(), Guid.NewGuid(),
                Situation.InHiding, new BuildingBlocks.Dates.PartialDate(2024, null, null), Confidentiality.Staff, "staff:1"));
        Assert.Equal(("N.B.", Confidentiality.Network, false, true, RiskLevel.Critical),
            (state.Pseudonym, state.Confidentiality, state.ConsentToPublishName, state.ConsentToPublishPortrait, state.RiskLevel!.Value));
        Assert.Equal([organisation], state.OrganisationIds);
        Assert.Empty(DefenderDecider.Evolve(state, new DefenderDisaffiliated(organisation))!.OrganisationIds);
        Assert.DoesNotContain(typeof(DefenderState).GetProperties(), p => p.Name is "Name" or "Contact" or "Location" or "Family" or "RiskNotes");
        Assert.Null(DefenderDecider.Evolve((DefenderState?)null, new RiskLevelSet(RiskLevel.Low)));
    }

    [Fact]
    public void An_organisation_is_registered_within_the_callers_clearance()
    {
        var registered = DefenderDecider.RegisterOrganisation(Guid.NewGuid(), new RegisterOrganisation(" Viasna ", "by", true, new DateOnly(2020, 1, 1), null), Confidentiality.Staff);
        Assert.Equal(("Viasna", "BY", true, new DateOnly(2020, 1, 1), Confidentiality.Staff),
            (registered.Name, registered.CountryCode, registered.NetworkMember, registered.MemberSince!.Value, registered.Confidentiality));
        Assert.Null(DefenderDecider.RegisterOrganisation(Guid.NewGuid(), new RegisterOrganisation("X", "by", false, new DateOnly(2020, 1, 1), null), Confidentiality.Staff).MemberSince);
        Refused("confidentiality", () => DefenderDecider.RegisterOrganisation(Guid.NewGuid(), new RegisterOrganisation("X", "BY", false, null, Confidentiality.Staff), Confidentiality.Network));
        Refused("name", () => DefenderDecider.RegisterOrganisation(Guid.NewGuid(), new RegisterOrganisation("", "BY", false, null, null), Confidentiality.Staff));
    }

    [Fact]
    public void An_organisation_update_changes_what_is_given_and_records_the_level_it_had()
    {
        var organisation = Organisation();
        Refused("input", () => DefenderDecider.UpdateOrganisation(organisation, null, null, null, Confidentiality.Staff));
        Refused("confidentiality", () => DefenderDecider.UpdateOrganisation(organisation, null, null, Confidentiality.Restricted, Confidentiality.Staff));
        Assert.Equal(new OrganisationUpdated("SEFE Cameroon", null, null), DefenderDecider.UpdateOrganisation(organisation, "SEFE Cameroon", null, null, Confidentiality.Staff));
        var raised = DefenderDecider.UpdateOrganisation(organisation, null, null, Confidentiality.Staff, Confidentiality.Staff);
        Assert.Equal((Confidentiality.Staff, Confidentiality.Public), (raised.Confidentiality!.Value, raised.From!.Value));
        Assert.Null(DefenderDecider.UpdateOrganisation(DefenderDecider.Evolve(organisation, raised)!, null, null, Confidentiality.Staff, Confidentiality.Staff).From);
    }

    [Fact]
    public void Membership_changes_once_and_not_from_the_future()
    {
        var organisation = Organisation();
        var joined = DefenderDecider.ChangeMembership(organisation, true, null, Today);
        Assert.Equal(new NetworkMembershipChanged(true, Today), joined);
        Refused("since", () => DefenderDecider.ChangeMembership(organisation, true, Today.AddDays(1), Today));
        Refused("member", () => DefenderDecider.ChangeMembership(organisation, false, null, Today));

        var member = DefenderDecider.Evolve(organisation, joined)!;
        Assert.Equal((true, Today), (member.NetworkMember, member.MemberSince!.Value));
        Refused("member", () => DefenderDecider.ChangeMembership(member, true, null, Today));
        // A member keeps its date when its membership is confirmed with none; a new date replaces it.
        Assert.Equal(new NetworkMembershipChanged(true, Today.AddDays(-10)), DefenderDecider.ChangeMembership(member, true, Today.AddDays(-10), Today));
        var left = DefenderDecider.Evolve(member, DefenderDecider.ChangeMembership(member, false, null, Today))!;
        Assert.Equal((false, (DateOnly?)null), (left.NetworkMember, left.MemberSince));
    }
}
