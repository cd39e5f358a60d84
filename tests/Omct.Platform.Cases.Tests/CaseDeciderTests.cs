using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Xunit;

namespace Omct.Platform.Cases.Tests;

/// <summary>Given a case, when a command, then events or an error — no database.</summary>
public sealed class CaseDeciderTests
{
    private static readonly DateOnly Today = new(2013, 3, 20);

    private static CaseState OpenedCase(params object[] history)
    {
        var opened = CaseDecider.Open(Guid.NewGuid(), new OpenCase("Cameroon: arbitrary arrest", "CM", null, Confidentiality.Public, new DateOnly(2013, 3, 1)),
            new ReferenceNumbers(1, 1, 21), Confidentiality.Restricted, Today);
        return WriteModel.Fold<CaseState>(CaseDecider.Evolve, [opened, .. history])!;
    }

    private static void Refused(string field, Action act)
    {
        var error = Assert.Throws<DomainException>(act);
        Assert.Equal(ErrorCodes.Validation, error.Code);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Opening_formats_the_OMCT_reference()
    {
        var opened = CaseDecider.Open(Guid.NewGuid(), new OpenCase(" Title ", "cm", null, Confidentiality.Staff, new DateOnly(2013, 3, 1)),
            new ReferenceNumbers(7, 1, 21), Confidentiality.Restricted, Today);
        Assert.Equal("CMR 001 / 0313 / OBS 021", opened.Reference);
        Assert.Equal("Title", opened.Title);
        Assert.Equal("CM", opened.CountryCode);
    }

    [Theory]
    [InlineData("", "CM", "2013-03-01", "title")]
    [InlineData("T", "XX", "2013-03-01", "countryCode")]
    [InlineData("T", "CM", "2013-03-21", "openedOn")]
    public void Opening_refuses_bad_input(string title, string country, string openedOn, string field) =>
        Refused(field, () => CaseDecider.Open(Guid.NewGuid(), new OpenCase(title, country, null, Confidentiality.Public, DateOnly.Parse(openedOn)),
            new ReferenceNumbers(1, 1, 1), Confidentiality.Restricted, Today));

    [Theory]
    [InlineData("2013-02-30")]
    [InlineData("13-02")]
    [InlineData("2013-13")]
    [InlineData("2014")]
    [InlineData("2013-03-21")]
    public void Recording_refuses_dates_that_are_not_dates_or_in_the_future(string date) =>
        Refused("date", () => CaseDecider.Record(OpenedCase(), Guid.NewGuid(), new RecordCaseEvent(CaseEventType.Arrest, date, [], null, null, null, null), Confidentiality.Restricted, Today));

    [Fact]
    public void Recording_accepts_partial_dates_and_the_victims_of_the_case()
    {
        var victim = new VictimAdded(Guid.NewGuid(), null, "Nasako Besingi", Confidentiality.Public);
        var recorded = (CaseEventRecorded)CaseDecider.Record(OpenedCase(victim), Guid.NewGuid(),
            new RecordCaseEvent(CaseEventType.Arrest, "2013-03", [victim.VictimId], "Arrested", PerpetratorType.Police, "SEFE", null), Confidentiality.Restricted, Today).Single();
        Assert.Equal("2013-03", recorded.Date.ToString());
        Assert.Equal([victim.VictimId], recorded.VictimIds);
        Assert.Equal(Confidentiality.Staff, recorded.Confidentiality);
    }

    [Fact]
    public void Recording_refuses_a_victim_not_on_the_case() =>
        Refused("victimIds[0]", () => CaseDecider.Record(OpenedCase(), Guid.NewGuid(),
            new RecordCaseEvent(CaseEventType.Arrest, "2013", [Guid.NewGuid()], null, null, null, null), Confidentiality.Restricted, Today));

    [Fact]
    public void Recording_refuses_an_event_on_a_closed_case() =>
        Refused("caseId", () => CaseDecider.Record(OpenedCase(new CaseStatusChanged(CaseStatus.Open, CaseStatus.Closed)), Guid.NewGuid(),
            new RecordCaseEvent(CaseEventType.Release, "2013", [], null, null, null, null), Confidentiality.Restricted, Today));

    [Fact]
    public void A_follow_up_needs_the_urgent_appeal_and_is_numbered()
    {
        Refused("type", () => CaseDecider.Issue(OpenedCase(), Guid.NewGuid(), new IssueIntervention(InterventionType.FollowUp, Today, []), Today));

        var appeal = CaseDecider.Issue(OpenedCase(), Guid.NewGuid(), new IssueIntervention(InterventionType.UrgentAppeal, Today, ["President"]), Today);
        Assert.Equal("CMR 001 / 0313 / OBS 021", appeal.Reference);
        var first = CaseDecider.Issue(OpenedCase(appeal), Guid.NewGuid(), new IssueIntervention(InterventionType.FollowUp, Today, []), Today);
        var second = CaseDecider.Issue(OpenedCase(appeal, first), Guid.NewGuid(), new IssueIntervention(InterventionType.FollowUp, Today, []), Today);
        Assert.Equal("CMR 001 / 0313 / OBS 021.1", first.Reference);
        Assert.Equal("CMR 001 / 0313 / OBS 021.2", second.Reference);
        Refused("type", () => CaseDecider.Issue(OpenedCase(appeal), Guid.NewGuid(), new IssueIntervention(InterventionType.UrgentAppeal, Today, []), Today));
    }

    [Fact]
    public void A_victim_is_a_defender_or_a_name_not_both() =>
        Refused("defenderId", () => CaseDecider.AddVictim(OpenedCase(), Guid.NewGuid(), new AddVictim(Guid.NewGuid(), "Both"), Confidentiality.Restricted));

    [Fact]
    public void A_closed_case_can_be_reopened_but_not_closed_twice()
    {
        var closed = OpenedCase(new CaseStatusChanged(CaseStatus.Open, CaseStatus.Closed));
        Assert.Equal(CaseStatus.Open, CaseDecider.ChangeStatus(closed, new ChangeCaseStatus(CaseStatus.Open)).To);
        Refused("status", () => CaseDecider.ChangeStatus(closed, new ChangeCaseStatus(CaseStatus.Closed)));
    }

    [Fact]
    public void An_arrest_of_a_registered_defender_is_published_and_a_named_victim_is_not()
    {
        var defenderId = Guid.NewGuid();
        var defender = new VictimAdded(Guid.NewGuid(), defenderId, null, Confidentiality.Public);
        var named = new VictimAdded(Guid.NewGuid(), null, "A relative", Confidentiality.Public);
        var state = OpenedCase(defender, named);

        var events = CaseDecider.Record(state, Guid.NewGuid(),
            new RecordCaseEvent(CaseEventType.Arrest, "2013-03-18", [defender.VictimId, named.VictimId], null, null, null, Confidentiality.Staff), Confidentiality.Restricted, Today);

        var report = Assert.IsType<DefenderSituationReported>(events[1]);
        Assert.Equal(2, events.Count);
        Assert.Equal((defenderId, ReportedSituation.Detained, Confidentiality.Staff, state.Id), (report.DefenderId, report.Situation, report.Confidentiality, report.CaseId));
        Assert.Single(CaseDecider.Record(state, Guid.NewGuid(), new RecordCaseEvent(CaseEventType.Threat, "2013-03-18", [defender.VictimId], null, null, null, null), Confidentiality.Restricted, Today));
    }

    [Fact]
    public void A_report_is_as_confidential_as_the_strictest_of_the_case_the_event_and_the_victim_entry()
    {
        var publicVictim = new VictimAdded(Guid.NewGuid(), Guid.NewGuid(), null, Confidentiality.Public);
        var restrictedVictim = new VictimAdded(Guid.NewGuid(), Guid.NewGuid(), null, Confidentiality.Restricted);
        var state = OpenedCase(publicVictim, restrictedVictim);

        // A PUBLIC event about a RESTRICTED victim entry: the report is RESTRICTED, not PUBLIC.
        var reports = CaseDecider.Record(state, Guid.NewGuid(),
            new RecordCaseEvent(CaseEventType.Arrest, "2013-03-18", [publicVictim.VictimId, restrictedVictim.VictimId], null, null, null, Confidentiality.Public), Confidentiality.Restricted, Today)
            .OfType<DefenderSituationReported>().ToDictionary(r => r.DefenderId, r => r.Confidentiality);
        Assert.Equal(Confidentiality.Public, reports[publicVictim.DefenderId!.Value]);
        Assert.Equal(Confidentiality.Restricted, reports[restrictedVictim.DefenderId!.Value]);

        // A PUBLIC event in a STAFF case: STAFF.
        state = state with { Confidentiality = Confidentiality.Staff };
        var inStaffCase = CaseDecider.Record(state, Guid.NewGuid(),
            new RecordCaseEvent(CaseEventType.Release, "2013-03-19", [publicVictim.VictimId], null, null, null, Confidentiality.Public), Confidentiality.Restricted, Today);
        Assert.Equal(Confidentiality.Staff, Assert.IsType<DefenderSituationReported>(inStaffCase[1]).Confidentiality);
    }

    [Theory]
    [InlineData(CaseEventType.Release, ReportedSituation.Released)]
    [InlineData(CaseEventType.ProvisionalRelease, ReportedSituation.Released)]
    [InlineData(CaseEventType.Acquittal, ReportedSituation.Released)]
    [InlineData(CaseEventType.Detention, ReportedSituation.Detained)]
    [InlineData(CaseEventType.Disappearance, ReportedSituation.Disappeared)]
    [InlineData(CaseEventType.Killing, ReportedSituation.Killed)]
    public void Event_types_say_a_situation(CaseEventType type, ReportedSituation situation) =>
        Assert.Equal(situation, CaseDecider.SituationOf(type));

    [Fact]
    public void A_correction_that_changes_what_an_event_says_retracts_and_republishes()
    {
        var defender = new VictimAdded(Guid.NewGuid(), Guid.NewGuid(), null, Confidentiality.Public);
        var state = OpenedCase(defender);
        var arrest = (CaseEventRecorded)CaseDecider.Record(state, Guid.NewGuid(),
            new RecordCaseEvent(CaseEventType.Arrest, "2013-03-18", [defender.VictimId], null, null, null, null), Confidentiality.Restricted, Today)[0];
        state = OpenedCase(defender, arrest);

        var wording = CaseDecider.Correct(state, new CorrectCaseEvent(arrest.EventId,
            new RecordCaseEvent(CaseEventType.Arrest, "2013-03-18", [defender.VictimId], "Arrested at home", null, null, null)), Confidentiality.Restricted, Today);
        Assert.IsType<CaseEventCorrected>(Assert.Single(wording));

        var retyped = CaseDecider.Correct(state, new CorrectCaseEvent(arrest.EventId,
            new RecordCaseEvent(CaseEventType.Threat, "2013-03-18", [defender.VictimId], null, null, null, null)), Confidentiality.Restricted, Today);
        Assert.Equal([typeof(CaseEventCorrected), typeof(DefenderSituationRetracted)], retyped.Select(e => e.GetType()));

        var redated = CaseDecider.Correct(state, new CorrectCaseEvent(arrest.EventId,
            new RecordCaseEvent(CaseEventType.Arrest, "2013-03-17", [defender.VictimId], null, null, null, null)), Confidentiality.Restricted, Today);
        Assert.Equal([typeof(CaseEventCorrected), typeof(DefenderSituationRetracted), typeof(DefenderSituationReported)], redated.Select(e => e.GetType()));
    }

    [Fact]
    public void A_correction_that_changes_an_events_level_publishes_it_for_the_modules_that_copy_it()
    {
        var victim = new VictimAdded(Guid.NewGuid(), null, "Named", Confidentiality.Public);
        var state = OpenedCase(victim);
        var conviction = (CaseEventRecorded)CaseDecider.Record(state, Guid.NewGuid(),
            new RecordCaseEvent(CaseEventType.Conviction, "2011-11-24", [victim.VictimId], null, null, null, Confidentiality.Public), Confidentiality.Restricted, Today)[0];
        state = OpenedCase(victim, conviction);

        var raised = CaseDecider.Correct(state, new CorrectCaseEvent(conviction.EventId,
            new RecordCaseEvent(CaseEventType.Conviction, "2011-11-24", [victim.VictimId], null, null, null, Confidentiality.Restricted)), Confidentiality.Restricted, Today);
        var reclassified = Assert.IsType<CaseEventReclassified>(raised[1]);
        Assert.Equal((state.Id, conviction.EventId, Confidentiality.Restricted), (reclassified.CaseId, reclassified.CaseEventId, reclassified.Confidentiality));

        var same = CaseDecider.Correct(state, new CorrectCaseEvent(conviction.EventId,
            new RecordCaseEvent(CaseEventType.Conviction, "2011-11-24", [victim.VictimId], "Reworded", null, null, Confidentiality.Public)), Confidentiality.Restricted, Today);
        Assert.DoesNotContain(same, e => e is CaseEventReclassified);
    }

    [Fact]
    public void A_victim_is_STAFF_unless_given_a_level_and_at_least_as_closed_as_its_case()
    {
        Assert.Equal(Confidentiality.Staff, CaseDecider.AddVictim(OpenedCase(), Guid.NewGuid(), new AddVictim(null, "Named"), Confidentiality.Restricted).Confidentiality);
        Assert.Equal(Confidentiality.Public, CaseDecider.AddVictim(OpenedCase(), Guid.NewGuid(), new AddVictim(null, "Named", Confidentiality.Public), Confidentiality.Restricted).Confidentiality);
        // A caller below STAFF gets its own clearance by default.
        Assert.Equal(Confidentiality.Network, CaseDecider.AddVictim(OpenedCase(), Guid.NewGuid(), new AddVictim(null, "Named"), Confidentiality.Network).Confidentiality);
        var restricted = OpenedCase(new CaseConfidentialityChanged(Confidentiality.Public, Confidentiality.Restricted));
        Assert.Equal(Confidentiality.Restricted, CaseDecider.AddVictim(restricted, Guid.NewGuid(), new AddVictim(null, "Named"), Confidentiality.Restricted).Confidentiality);
    }

    [Theory]
    [InlineData(Confidentiality.Public, Confidentiality.Network)]
    [InlineData(Confidentiality.Staff, Confidentiality.Restricted)]
    [InlineData(Confidentiality.Network, Confidentiality.Staff)]
    public void Nothing_is_written_above_the_callers_clearance(Confidentiality clearance, Confidentiality above)
    {
        var victim = new VictimAdded(Guid.NewGuid(), null, "Named", Confidentiality.Public);
        var arrest = new CaseEventRecorded(Guid.NewGuid(), CaseEventType.Arrest, new BuildingBlocks.Dates.PartialDate(2013, 3, 5), [], null, null, null, Confidentiality.Public);
        var state = OpenedCase(victim, arrest);
        Refused("confidentiality", () => CaseDecider.Open(Guid.NewGuid(), new OpenCase("T", "CM", null, above, Today), new ReferenceNumbers(1, 1, 1), clearance, Today));
        Refused("confidentiality", () => CaseDecider.Record(state, Guid.NewGuid(), new RecordCaseEvent(CaseEventType.Threat, "2013", [], null, null, null, above), clearance, Today));
        Refused("confidentiality", () => CaseDecider.Correct(state, new CorrectCaseEvent(arrest.EventId,
            new RecordCaseEvent(CaseEventType.Arrest, "2013", [], null, null, null, above)), clearance, Today));
        Refused("confidentiality", () => CaseDecider.AddVictim(state, Guid.NewGuid(), new AddVictim(null, "Named", above), clearance));
        Refused("confidentiality", () => CaseDecider.ChangeConfidentiality(state, new ChangeCaseConfidentiality(above), clearance));
    }

    [Fact]
    public void Events_and_victims_above_the_callers_clearance_are_ones_the_case_does_not_have()
    {
        var hiddenVictim = new VictimAdded(Guid.NewGuid(), Guid.NewGuid(), null, Confidentiality.Restricted);
        var hiddenEvent = new CaseEventRecorded(Guid.NewGuid(), CaseEventType.Torture, new BuildingBlocks.Dates.PartialDate(2013, 3, 5), [], null, null, null, Confidentiality.Restricted);
        var state = OpenedCase(hiddenVictim, hiddenEvent);

        var unknown = Assert.Throws<DomainException>(() => CaseDecider.Correct(state, new CorrectCaseEvent(Guid.NewGuid(),
            new RecordCaseEvent(CaseEventType.Threat, "2013", [], null, null, null, Confidentiality.Public)), Confidentiality.Staff, Today));
        var hidden = Assert.Throws<DomainException>(() => CaseDecider.Correct(state, new CorrectCaseEvent(hiddenEvent.EventId,
            new RecordCaseEvent(CaseEventType.Threat, "2013", [], null, null, null, Confidentiality.Public)), Confidentiality.Staff, Today));
        Assert.Equal((unknown.Code, unknown.Field, unknown.Message), (hidden.Code, hidden.Field, hidden.Message));

        Refused("victimIds[0]", () => CaseDecider.Record(state, Guid.NewGuid(),
            new RecordCaseEvent(CaseEventType.Arrest, "2013", [hiddenVictim.VictimId], null, null, null, null), Confidentiality.Staff, Today));
        // The hidden victim's defender may be added at the caller's level: refusing would tell the caller they are on the case.
        Assert.Equal(Confidentiality.Staff, CaseDecider.AddVictim(state, Guid.NewGuid(), new AddVictim(hiddenVictim.DefenderId, null), Confidentiality.Staff).Confidentiality);
        Refused("defenderId", () => CaseDecider.AddVictim(state, Guid.NewGuid(), new AddVictim(hiddenVictim.DefenderId, null), Confidentiality.Restricted));
    }

    [Fact]
    public void A_correction_without_a_level_keeps_the_events_own()
    {
        var restricted = new CaseEventRecorded(Guid.NewGuid(), CaseEventType.Torture, new BuildingBlocks.Dates.PartialDate(2013, 3, 5), [], null, null, null, Confidentiality.Restricted);
        var corrected = CaseDecider.Correct(OpenedCase(restricted), new CorrectCaseEvent(restricted.EventId,
            new RecordCaseEvent(CaseEventType.Torture, "2013-03-06", [], "Reworded", null, null, null)), Confidentiality.Restricted, Today);
        Assert.Equal(Confidentiality.Restricted, Assert.IsType<CaseEventCorrected>(Assert.Single(corrected)).Confidentiality);
    }

    [Fact]
    public void Changing_the_confidentiality_records_both_levels()
    {
        var state = OpenedCase();
        var events = CaseDecider.ChangeConfidentiality(state, new ChangeCaseConfidentiality(Confidentiality.Staff), Confidentiality.Restricted);
        Assert.Equal([new CaseConfidentialityChanged(Confidentiality.Public, Confidentiality.Staff)], events);
        var raised = OpenedCase(events[0]);
        Assert.Equal(Confidentiality.Staff, raised.Confidentiality);
        Assert.Equal(new CaseConfidentialityChanged(Confidentiality.Staff, Confidentiality.Network),
            CaseDecider.ChangeConfidentiality(raised, new ChangeCaseConfidentiality(Confidentiality.Network), Confidentiality.Staff)[0]);
    }

    [Fact]
    public void Raising_a_case_publishes_its_situation_reports_again_at_the_new_level()
    {
        var defender = new VictimAdded(Guid.NewGuid(), Guid.NewGuid(), null, Confidentiality.Public);
        var arrest = new CaseEventRecorded(Guid.NewGuid(), CaseEventType.Arrest, new BuildingBlocks.Dates.PartialDate(2013, 3, 2), [defender.VictimId], null, null, null, Confidentiality.Public);
        var threat = new CaseEventRecorded(Guid.NewGuid(), CaseEventType.Threat, new BuildingBlocks.Dates.PartialDate(2013, 3, 3), [defender.VictimId], null, null, null, Confidentiality.Public);
        var state = OpenedCase(defender, arrest, threat);

        var events = CaseDecider.ChangeConfidentiality(state, new ChangeCaseConfidentiality(Confidentiality.Staff), Confidentiality.Restricted);
        Assert.IsType<CaseConfidentialityChanged>(events[0]);
        var report = Assert.IsType<DefenderSituationReported>(Assert.Single(events.Skip(1)));
        Assert.Equal((defender.DefenderId!.Value, arrest.EventId, ReportedSituation.Detained, Confidentiality.Staff),
            (report.DefenderId, report.CaseEventId, report.Situation, report.Confidentiality));
    }

    [Fact]
    public void Changing_the_confidentiality_refuses_the_same_level_and_one_above_the_callers_clearance()
    {
        Refused("confidentiality", () => CaseDecider.ChangeConfidentiality(OpenedCase(), new ChangeCaseConfidentiality(Confidentiality.Public), Confidentiality.Restricted));
        Refused("confidentiality", () => CaseDecider.ChangeConfidentiality(OpenedCase(), new ChangeCaseConfidentiality(Confidentiality.Restricted), Confidentiality.Staff));
    }

    [Fact]
    public void A_lowered_case_keeps_its_events_levels()
    {
        var recorded = new CaseEventRecorded(Guid.NewGuid(), CaseEventType.Threat, new BuildingBlocks.Dates.PartialDate(2013, null, null), [], null, null, null, Confidentiality.Staff);
        var state = OpenedCase(new CaseConfidentialityChanged(Confidentiality.Public, Confidentiality.Staff), recorded,
            new CaseConfidentialityChanged(Confidentiality.Staff, Confidentiality.Public));
        Assert.Equal(Confidentiality.Public, state.Confidentiality);
        Assert.Equal(Confidentiality.Staff, Assert.Single(state.Events).Confidentiality);
    }
}
