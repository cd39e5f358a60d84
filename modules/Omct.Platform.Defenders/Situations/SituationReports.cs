using Marten.Events.Projections;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Defenders.Domain;

namespace Omct.Platform.Defenders.Situations;

/// <summary>
/// What the cases have published about one defender (through Omct.Platform.Cases.Contracts, never
/// the cases' internals): one report per case event, kept inline so a recorded arrest shows at once.
/// </summary>
public sealed class SituationReports
{
    /// <summary>The defender's id.</summary>
    public Guid Id { get; set; }

    public List<SituationReport> Reports { get; set; } = [];

    /// <summary>The situation as a caller with each clearance sees it (for the list filter).</summary>
    public Dictionary<Confidentiality, Situation> ByClearance { get; set; } = [];

    /// <summary>The latest report by date among those the caller may see; UNKNOWN without one.</summary>
    public static Situation SeenWith(IEnumerable<SituationReport> reports, Confidentiality clearance) =>
        reports.Where(r => r.Confidentiality <= clearance)
            .OrderBy(r => r.Date).ThenBy(r => r.Sequence)
            .Select(r => (Situation?)(r.Recorded ?? ToSituation(r.Situation)))
            .LastOrDefault() ?? Situation.Unknown;

    public static Situation ToSituation(ReportedSituation reported) => reported switch
    {
        ReportedSituation.Detained => Situation.Detained,
        ReportedSituation.Released => Situation.AtLiberty,
        ReportedSituation.Disappeared => Situation.Disappeared,
        ReportedSituation.Killed => Situation.Killed,
        _ => Situation.Unknown,
    };

    public void Recompute()
    {
        foreach (var level in Enum.GetValues<Confidentiality>())
        {
            ByClearance[level] = SeenWith(Reports, level);
        }
    }
}

public sealed class SituationReport
{
    /// <summary>The case the report comes from; empty for one staff recorded on the profile.</summary>
    public Guid CaseId { get; set; }
    public Guid CaseEventId { get; set; }
    public ReportedSituation Situation { get; set; }
    /// <summary>For a report staff recorded on the profile: the situation itself (it can be IN_HIDING, which no case event says).</summary>
    public Situation? Recorded { get; set; }
    public PartialDate Date { get; set; }
    public Confidentiality Confidentiality { get; set; }
    public long Sequence { get; set; }
}

public sealed class SituationReportsProjection : MultiStreamProjection<SituationReports, Guid>
{
    public SituationReportsProjection()
    {
        Identity<DefenderSituationReported>(e => e.DefenderId);
        Identity<DefenderSituationRetracted>(e => e.DefenderId);
        Identity<DefenderSituationRecorded>(e => e.DefenderId);
    }

    public static SituationReports Apply(JasperFx.Events.IEvent<DefenderSituationRecorded> e, SituationReports s)
    {
        s.Id = e.Data.DefenderId;
        s.Reports.Add(new SituationReport
        {
            CaseEventId = e.Data.ReportId, Recorded = e.Data.Situation, Date = e.Data.Date, Confidentiality = e.Data.Confidentiality, Sequence = e.Sequence,
        });
        s.Recompute();
        return s;
    }

    public static SituationReports Apply(JasperFx.Events.IEvent<DefenderSituationReported> e, SituationReports s)
    {
        s.Id = e.Data.DefenderId;
        s.Reports.RemoveAll(r => r.CaseEventId == e.Data.CaseEventId);
        s.Reports.Add(new SituationReport
        {
            CaseId = e.Data.CaseId, CaseEventId = e.Data.CaseEventId, Situation = e.Data.Situation, Date = e.Data.Date,
            Confidentiality = e.Data.Confidentiality, Sequence = e.Sequence,
        });
        s.Recompute();
        return s;
    }

    public static SituationReports Apply(DefenderSituationRetracted e, SituationReports s)
    {
        s.Id = e.DefenderId;
        s.Reports.RemoveAll(r => r.CaseEventId == e.CaseEventId);
        s.Recompute();
        return s;
    }
}
