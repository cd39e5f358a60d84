using GraphQL;
using JasperFx.Events;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;

namespace Omct.Platform.Cases.GraphQL;

/// <summary>
/// What each event of a case stream says in <c>Case.history</c> (see <see cref="RecordHistory"/>): an event or
/// victim above the caller's clearance gives no entry (its recording, correction and withdrawal alike: the
/// events carry the entry's level), and no summary names one (a summary names victims by the name given on
/// the case only when the caller may see that victim entry). The contract events published for other
/// modules (situation reports, reclassifications) give none either: the change they follow has its own.
/// </summary>
internal static class CaseHistory
{
    public static HistoryDescriber For(Caller caller)
    {
        // What later entries name (a withdrawn event, victim; a corrected intervention), as the caller may see it.
        var events = new Dictionary<Guid, string>();
        var victims = new Dictionary<Guid, string>();
        var interventions = new Dictionary<Guid, string>();
        return e =>
        {
            switch (e.Data)
            {
                case CaseEventRecorded r:
                    events[r.EventId] = $"{Name(r.Type)} on {r.Date}";
                    break;
                case CaseEventCorrected c:
                    events[c.EventId] = $"{Name(c.Type)} on {c.Date}";
                    break;
                case VictimAdded v:
                    victims[v.VictimId] = v.Name ?? "a registered defender";
                    break;
                case InterventionIssued i:
                    interventions[i.InterventionId] = $"{Name(i.Type)} {i.Reference}";
                    break;
            }

            return Describe(e);
        };

        HistoryDescription? Describe(IEvent e) => e.Data switch
        {
            CaseOpened o => new("CASE_OPENED", $"Case {o.Reference} opened on {o.OpenedOn:yyyy-MM-dd}: {o.Title}"),
            CaseEventRecorded r when caller.CanSee(r.Confidentiality) =>
                new("CASE_EVENT_RECORDED", $"Case event recorded: {Name(r.Type)} on {r.Date} ({Name(r.Confidentiality)})"),
            CaseEventCorrected c when caller.CanSee(c.Confidentiality) =>
                new("CASE_EVENT_CORRECTED", $"Case event corrected: {Name(c.Type)} on {c.Date} ({Name(c.Confidentiality)})", c.Reason),
            CaseEventWithdrawn w when caller.CanSee(w.Confidentiality) && events.TryGetValue(w.CaseEventId, out var withdrawn) =>
                new("CASE_EVENT_WITHDRAWN", $"Case event withdrawn: {withdrawn}", w.Reason),
            VictimWithdrawn w when caller.CanSee(w.Confidentiality) =>
                new("VICTIM_WITHDRAWN", $"Victim withdrawn: {victims.GetValueOrDefault(w.VictimId, "a victim")}", w.Reason),
            CaseUpdated u => new("CASE_UPDATED", $"Case corrected: {string.Join(", ", u.Changed.Select(f => Changed(f, u)))}", u.Reason),
            InterventionCorrected i => new("INTERVENTION_CORRECTED",
                $"{interventions.GetValueOrDefault(i.InterventionId, "Intervention")} corrected: issued on {i.IssuedOn:yyyy-MM-dd}, {i.Addressees.Count} addressee(s)", i.Reason),
            VictimAdded v when caller.CanSee(v.Confidentiality) =>
                new("VICTIM_ADDED", v.Name is { } name ? $"Victim added: {name} ({Name(v.Confidentiality)})" : $"Victim added: a registered defender ({Name(v.Confidentiality)})"),
            InterventionIssued i => new("INTERVENTION_ISSUED", $"{Name(i.Type)} {i.Reference} issued on {i.IssuedOn:yyyy-MM-dd}"),
            CaseStatusChanged s => new("CASE_STATUS_CHANGED", $"Status changed from {Name(s.From)} to {Name(s.To)}"),
            CaseConfidentialityChanged c => new("CASE_CONFIDENTIALITY_CHANGED", $"Confidentiality changed from {Name(c.From)} to {Name(c.To)}"),
            // Says which texts, never whose name: who was erased is not the case's history.
            CaseTextRedacted t => new("CASE_TEXT_REDACTED", $"A name redacted by an erasure from: {string.Join(", ", t.Texts.Select(x => x.Field).Distinct())}"),
            _ => null,
        };
    }

    private static string Changed(string field, CaseUpdated u) => field switch
    {
        "title" => $"title \"{u.Title}\"",
        "summary" => u.Summary is null ? "summary removed" : "summary",
        "countryCode" => $"country {u.CountryCode} (the reference stays)",
        _ => field,
    };

    /// <summary>An enum value as the API spells it (CONSTANT_CASE).</summary>
    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToConstantCase();
}
