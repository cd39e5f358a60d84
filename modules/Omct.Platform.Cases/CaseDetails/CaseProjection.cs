using JasperFx.Events;
using Marten.Events.Aggregation;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;

namespace Omct.Platform.Cases.CaseDetails;

/// <summary>Keeps <see cref="Case"/> from the case stream, inline.</summary>
public sealed class CaseProjection : SingleStreamProjection<Case, Guid>
{
    public static Case Create(IEvent<CaseOpened> e)
    {
        var opened = e.Data;
        var created = new Case
        {
            Id = opened.CaseId,
            CaseNumber = opened.CaseNumber,
            Reference = opened.Reference,
            Title = opened.Title,
            CountryCode = opened.CountryCode,
            Summary = opened.Summary,
            Confidentiality = opened.Confidentiality,
            OpenedOn = opened.OpenedOn,
            FromArchive = opened.FromArchive,
            Status = CaseStatus.Open,
            OrderKey = Case.OrderKeyFor(opened.OpenedOn, opened.CaseNumber),
            SearchText = Case.SearchTextOf(opened.Title, opened.Summary),
            CreatedAt = e.Timestamp,
        };
        created.ActiveOn(opened.OpenedOn);
        created.ActiveAt(e.Timestamp);
        return Touch(created, e);
    }

    public static Case Apply(IEvent<CaseEventRecorded> e, Case c)
    {
        var r = e.Data;
        c.Events.Add(new TimelineEvent
        {
            Id = r.EventId, Type = r.Type, Date = r.Date, VictimIds = [.. r.VictimIds], Description = r.Description,
            PerpetratorType = r.PerpetratorType, Source = r.Source, Confidentiality = r.Confidentiality,
            Sequence = c.Events.Count + 1, RecordedAt = e.Timestamp,
        });
        c.ActiveAt(e.Timestamp);
        return Touch(c, e);
    }

    public static Case Apply(IEvent<CaseEventCorrected> e, Case c)
    {
        var r = e.Data;
        var existing = c.Events.Single(x => x.Id == r.EventId);
        existing.Type = r.Type;
        existing.Date = r.Date;
        existing.VictimIds = [.. r.VictimIds];
        existing.Description = r.Description;
        existing.PerpetratorType = r.PerpetratorType;
        existing.Source = r.Source;
        existing.Confidentiality = r.Confidentiality;
        return Touch(c, e);
    }

    public static Case Apply(IEvent<VictimAdded> e, Case c)
    {
        c.Victims.Add(new Victim { Id = e.Data.VictimId, DefenderId = e.Data.DefenderId, Name = e.Data.Name, Confidentiality = e.Data.Confidentiality });
        if (e.Data.DefenderId is { } defenderId)
        {
            c.DefenderIds.Add(defenderId);
        }

        return Touch(c, e);
    }

    public static Case Apply(IEvent<InterventionIssued> e, Case c)
    {
        var i = e.Data;
        c.Interventions.Add(new Intervention
        {
            Id = i.InterventionId, Type = i.Type, Number = i.Number, Reference = i.Reference, IssuedOn = i.IssuedOn,
            Addressees = [.. i.Addressees], RecordedAt = e.Timestamp,
        });
        c.ActiveOn(i.IssuedOn);
        c.ActiveAt(e.Timestamp);
        return Touch(c, e);
    }

    public static Case Apply(IEvent<CaseStatusChanged> e, Case c)
    {
        c.Status = e.Data.To;
        return Touch(c, e);
    }

    public static Case Apply(IEvent<CaseConfidentialityChanged> e, Case c)
    {
        c.Confidentiality = e.Data.To;
        return Touch(c, e);
    }

    public static Case Apply(IEvent<CaseUpdated> e, Case c)
    {
        var u = e.Data;
        c.Title = u.Title;
        c.Summary = u.Summary;
        c.CountryCode = u.CountryCode;
        c.SearchText = Case.SearchTextOf(u.Title, u.Summary);
        return Touch(c, e);
    }

    /// <summary>A withdrawn case event leaves the case (lists, search, statistics, exports read it from here).</summary>
    public static Case Apply(IEvent<CaseEventWithdrawn> e, Case c)
    {
        c.Events.RemoveAll(x => x.Id == e.Data.CaseEventId);
        return Touch(c, e);
    }

    public static Case Apply(IEvent<VictimWithdrawn> e, Case c)
    {
        var victim = c.Victims.FirstOrDefault(v => v.Id == e.Data.VictimId);
        if (victim is not null)
        {
            c.Victims.Remove(victim);
            if (victim.DefenderId is { } defenderId)
            {
                c.DefenderIds.Remove(defenderId);
            }
        }

        return Touch(c, e);
    }

    public static Case Apply(IEvent<InterventionCorrected> e, Case c)
    {
        var i = c.Interventions.Single(x => x.Id == e.Data.InterventionId);
        i.IssuedOn = e.Data.IssuedOn;
        i.Addressees = [.. e.Data.Addressees];
        c.ActiveOn(i.IssuedOn);
        return Touch(c, e);
    }

    /// <summary>An erasure's redaction: the texts as they are now (see <see cref="CaseTextRedacted"/>).</summary>
    public static Case Apply(IEvent<CaseTextRedacted> e, Case c)
    {
        foreach (var t in e.Data.Texts)
        {
            switch (t.Field)
            {
                case RedactedCaseText.Title:
                    c.Title = t.Text ?? c.Title;
                    break;
                case RedactedCaseText.Summary:
                    c.Summary = t.Text;
                    break;
                case RedactedCaseText.EventDescription when c.Events.FirstOrDefault(x => x.Id == t.ItemId) is { } ev:
                    ev.Description = t.Text;
                    break;
                case RedactedCaseText.EventSource when c.Events.FirstOrDefault(x => x.Id == t.ItemId) is { } ev:
                    ev.Source = t.Text;
                    break;
                case RedactedCaseText.VictimName when c.Victims.FirstOrDefault(x => x.Id == t.ItemId) is { } victim:
                    victim.Name = t.Text;
                    break;
                case RedactedCaseText.InterventionAddressees when c.Interventions.FirstOrDefault(x => x.Id == t.ItemId) is { } intervention:
                    intervention.Addressees = [.. t.Values ?? []];
                    break;
            }
        }

        c.SearchText = Case.SearchTextOf(c.Title, c.Summary);
        return Touch(c, e);
    }

    // The published reports change nothing on the case itself; they still move its version.
    public static Case Apply(IEvent<DefenderSituationReported> e, Case c) => Touch(c, e);

    public static Case Apply(IEvent<DefenderSituationRetracted> e, Case c) => Touch(c, e);

    // The level itself came with CaseEventCorrected.
    public static Case Apply(IEvent<CaseEventReclassified> e, Case c) => Touch(c, e);

    private static Case Touch(Case c, IEvent e)
    {
        c.Version = (int)e.Version;
        c.UpdatedAt = e.Timestamp;
        return c;
    }
}
