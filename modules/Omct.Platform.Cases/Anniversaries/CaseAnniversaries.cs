using JasperFx.Events;
using Marten.Events.Aggregation;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;

namespace Omct.Platform.Cases.Anniversaries;

/// <summary>
/// What the anniversary rules need of one case, kept inline from the case stream (so an event recorded
/// or corrected changes the anniversaries at once): the dated events that have anniversaries or end a
/// detention, the victims' levels, the case's status and level — and, derived from them, each
/// victim's detention as a caller of each clearance sees it, and the keys the window queries use:
/// <see cref="YearlyKeys"/> (month × 100 + day of the events that have yearly anniversaries now) and
/// <see cref="DetentionStarts"/> (the day a detention began, for any clearance), both GIN-indexed.
/// </summary>
public sealed class CaseAnniversaries
{
    public const string Alias = "cases_anniversaries";

    /// <summary>The case's id.</summary>
    public Guid Id { get; set; }

    public CaseStatus Status { get; set; }

    /// <summary>The case's level.</summary>
    public Confidentiality Confidentiality { get; set; }

    public List<DatedEntry> Entries { get; set; } = [];

    public List<VictimLevel> Victims { get; set; } = [];

    public List<Detention> Detentions { get; set; } = [];

    public List<int> YearlyKeys { get; set; } = [];

    public List<DateOnly> DetentionStarts { get; set; } = [];

    /// <summary>Recomputes what derives from the entries (after every event of the stream).</summary>
    public void Recompute()
    {
        Detentions = AnniversaryRules.Detentions(this);
        YearlyKeys = [.. Entries.Where(e => AnniversaryRules.HasYearlyAnniversaries(e, Status)).Select(e => e.Date.Month!.Value * 100 + e.Date.Day!.Value).Distinct().Order()];
        DetentionStarts = [.. Detentions.Select(d => d.Since).Distinct().Order()];
    }
}

/// <summary>A case event that matters to anniversaries (one of the yearly types, or an end of detention).</summary>
public sealed class DatedEntry
{
    public Guid EventId { get; set; }
    public CaseEventType Type { get; set; }
    public PartialDate Date { get; set; }
    public List<Guid> VictimIds { get; set; } = [];
    public Confidentiality Confidentiality { get; set; }
    /// <summary>Recording order, to break ties between entries of the same date.</summary>
    public int Sequence { get; set; }
}

public sealed class VictimLevel
{
    public Guid VictimId { get; set; }
    public Confidentiality Confidentiality { get; set; }
}

/// <summary>A victim detained since <see cref="Since"/> (known to the day) as a caller with <see cref="Clearance"/> sees the case events.</summary>
public sealed class Detention
{
    public Guid VictimId { get; set; }
    public Confidentiality Clearance { get; set; }
    /// <summary>The ARREST or DETENTION the detention began with.</summary>
    public Guid StartEventId { get; set; }
    public DateOnly Since { get; set; }
}

/// <summary>Keeps <see cref="CaseAnniversaries"/> from the case stream, inline (same transaction as the events).</summary>
public sealed class CaseAnniversariesProjection : SingleStreamProjection<CaseAnniversaries, Guid>
{
    public static CaseAnniversaries Create(CaseOpened e) => new() { Id = e.CaseId, Status = CaseStatus.Open, Confidentiality = e.Confidentiality };

    public static CaseAnniversaries Apply(IEvent<CaseEventRecorded> e, CaseAnniversaries a)
    {
        var r = e.Data;
        return Upsert(a, r.EventId, r.Type, r.Date, r.VictimIds, r.Confidentiality, (int)e.Version);
    }

    public static CaseAnniversaries Apply(IEvent<CaseEventCorrected> e, CaseAnniversaries a)
    {
        var r = e.Data;
        var sequence = a.Entries.FirstOrDefault(x => x.EventId == r.EventId)?.Sequence ?? (int)e.Version;
        return Upsert(a, r.EventId, r.Type, r.Date, r.VictimIds, r.Confidentiality, sequence);
    }

    public static CaseAnniversaries Apply(VictimAdded e, CaseAnniversaries a)
    {
        a.Victims.Add(new VictimLevel { VictimId = e.VictimId, Confidentiality = e.Confidentiality });
        return a;
    }

    /// <summary>A withdrawn case event has no anniversaries any more (the reminders drop theirs, see the reminders module).</summary>
    public static CaseAnniversaries Apply(CaseEventWithdrawn e, CaseAnniversaries a)
    {
        a.Entries.RemoveAll(x => x.EventId == e.CaseEventId);
        a.Recompute();
        return a;
    }

    public static CaseAnniversaries Apply(VictimWithdrawn e, CaseAnniversaries a)
    {
        a.Victims.RemoveAll(v => v.VictimId == e.VictimId);
        foreach (var entry in a.Entries)
        {
            entry.VictimIds.Remove(e.VictimId);
        }

        a.Recompute();
        return a;
    }

    public static CaseAnniversaries Apply(CaseStatusChanged e, CaseAnniversaries a)
    {
        a.Status = e.To;
        a.Recompute();
        return a;
    }

    public static CaseAnniversaries Apply(CaseConfidentialityChanged e, CaseAnniversaries a)
    {
        a.Confidentiality = e.To;
        a.Recompute();
        return a;
    }

    /// <summary>A recorded or corrected event: kept when its (new) type matters, dropped when a correction made it one that does not.</summary>
    private static CaseAnniversaries Upsert(
        CaseAnniversaries a, Guid eventId, CaseEventType type, PartialDate date, IReadOnlyList<Guid> victims, Confidentiality level, int sequence)
    {
        a.Entries.RemoveAll(x => x.EventId == eventId);
        if (AnniversaryRules.Matters(type))
        {
            a.Entries.Add(new DatedEntry { EventId = eventId, Type = type, Date = date, VictimIds = [.. victims], Confidentiality = level, Sequence = sequence });
        }

        a.Recompute();
        return a;
    }
}
