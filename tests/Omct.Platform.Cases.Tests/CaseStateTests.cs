using JasperFx.Events;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Xunit;

namespace Omct.Platform.Cases.Tests;

/// <summary>The write model (<see cref="CaseState"/>) says what the read model says of everything the decider reads.</summary>
public sealed class CaseStateTests
{
    [Fact]
    public void The_write_model_folded_from_a_history_agrees_with_the_read_model()
    {
        var caseId = Guid.NewGuid();
        var defender = new VictimAdded(Guid.NewGuid(), Guid.NewGuid(), null, Confidentiality.Public);
        var named = new VictimAdded(Guid.NewGuid(), null, "A relative", Confidentiality.Restricted);
        var arrest = new CaseEventRecorded(Guid.NewGuid(), CaseEventType.Arrest, new PartialDate(2013, 3, 2), [defender.VictimId], "Arrested", null, null, Confidentiality.Public);
        var threat = new CaseEventRecorded(Guid.NewGuid(), CaseEventType.Threat, new PartialDate(2013, 3, null), [], null, null, null, Confidentiality.Staff);
        object[] history =
        [
            new CaseOpened(caseId, 7, "CMR 001 / 0313 / OBS 021", "Title", "CM", null, Confidentiality.Public, new DateOnly(2013, 3, 1)),
            defender, named, arrest, threat,
            new DefenderSituationReported(defender.DefenderId!.Value, caseId, arrest.EventId, ReportedSituation.Detained, arrest.Date, Confidentiality.Public),
            new CaseEventCorrected(arrest.EventId, CaseEventType.Detention, new PartialDate(2013, 3, 3), [defender.VictimId, named.VictimId], null, null, null, Confidentiality.Network),
            new CaseEventReclassified(caseId, arrest.EventId, Confidentiality.Network),
            new InterventionIssued(Guid.NewGuid(), InterventionType.UrgentAppeal, 0, "CMR 001 / 0313 / OBS 021", new DateOnly(2013, 3, 4), ["President"]),
            new InterventionIssued(Guid.NewGuid(), InterventionType.FollowUp, 1, "CMR 001 / 0313 / OBS 021.1", new DateOnly(2013, 3, 5), []),
            new CaseConfidentialityChanged(Confidentiality.Public, Confidentiality.Staff),
            new CaseStatusChanged(CaseStatus.Open, CaseStatus.Closed),
        ];

        var state = WriteModel.Fold<CaseState>(CaseDecider.Evolve, history)!;
        var read = ReadModel(history);

        Assert.Equal((read.Id, read.Reference, read.Confidentiality, read.Status), (state.Id, state.Reference, state.Confidentiality, state.Status));
        Assert.Equal(read.Victims.Select(v => (v.Id, v.DefenderId, v.Confidentiality)), state.Victims.Select(v => (v.Id, v.DefenderId, v.Confidentiality)));
        Assert.Equal(read.Events.Select(e => (e.Id, e.Type, e.Date, string.Join(",", e.VictimIds), e.Confidentiality)),
            state.Events.Select(e => (e.Id, e.Type, e.Date, string.Join(",", e.VictimIds), e.Confidentiality)));
        Assert.Equal(read.Interventions.Select(i => i.Type), state.Interventions);
        // The correction replaced the event in place: still two events, the first one now a detention of both victims.
        Assert.Equal((CaseEventType.Detention, 2, Confidentiality.Network), (state.Events[0].Type, state.Events[0].VictimIds.Count, state.Events[0].Confidentiality));
    }

    [Fact]
    public void Nothing_before_the_opening_makes_a_case() =>
        Assert.Null(CaseDecider.Evolve(null, new CaseStatusChanged(CaseStatus.Open, CaseStatus.Closed)));

    private static Case ReadModel(IReadOnlyList<object> history)
    {
        var read = CaseProjection.Create(new Event<CaseOpened>((CaseOpened)history[0]));
        foreach (var e in history.Skip(1))
        {
            read = e switch
            {
                VictimAdded v => CaseProjection.Apply(new Event<VictimAdded>(v), read),
                CaseEventRecorded r => CaseProjection.Apply(new Event<CaseEventRecorded>(r), read),
                CaseEventCorrected c => CaseProjection.Apply(new Event<CaseEventCorrected>(c), read),
                InterventionIssued i => CaseProjection.Apply(new Event<InterventionIssued>(i), read),
                CaseStatusChanged s => CaseProjection.Apply(new Event<CaseStatusChanged>(s), read),
                CaseConfidentialityChanged c => CaseProjection.Apply(new Event<CaseConfidentialityChanged>(c), read),
                DefenderSituationReported r => CaseProjection.Apply(new Event<DefenderSituationReported>(r), read),
                CaseEventReclassified r => CaseProjection.Apply(new Event<CaseEventReclassified>(r), read),
                _ => throw new ArgumentException(e.GetType().Name),
            };
        }

        return read;
    }
}
