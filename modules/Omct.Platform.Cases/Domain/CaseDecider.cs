using System.Globalization;
using System.Text.RegularExpressions;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Countries;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.Cases.Contracts;

namespace Omct.Platform.Cases.Domain;

/// <param name="Reference">The case's original reference (a case brought in from the archive), e.g. <c>CMR 001 / 0313 / OBS 021</c>; null: a new one.</param>
public sealed record OpenCase(string? Title, string? CountryCode, string? Summary, Confidentiality? Confidentiality, DateOnly? OpenedOn, string? Reference = null);

/// <summary>Only the fields given change (a summary given empty is removed).</summary>
public sealed record UpdateCase(string? Title, string? Summary, string? CountryCode, string? Reason);

/// <summary>Only the fields given change.</summary>
public sealed record CorrectIntervention(Guid InterventionId, DateOnly? IssuedOn, IReadOnlyList<string>? Addressees, string? Reason);

public sealed record RecordCaseEvent(
    CaseEventType Type, string? Date, IReadOnlyList<Guid> VictimIds, string? Description,
    PerpetratorType? PerpetratorType, string? Source, Confidentiality? Confidentiality);

public sealed record CorrectCaseEvent(Guid EventId, RecordCaseEvent Correction, string? Reason = null);

public sealed record AddVictim(Guid? DefenderId, string? Name, Confidentiality? Confidentiality = null);

public sealed record IssueIntervention(InterventionType Type, DateOnly? IssuedOn, IReadOnlyList<string> Addressees);

public sealed record ChangeCaseStatus(CaseStatus Status);

public sealed record ChangeCaseConfidentiality(Confidentiality Confidentiality);

/// <summary>The numbers a new case's reference is made of, allocated by the store before deciding.</summary>
public sealed record ReferenceNumbers(long CaseNumber, long CountrySequence, long AppealNumber);

/// <summary>
/// The decisions about a case: pure functions from the current state and a command to the events
/// it produces, or a <see cref="DomainException"/> naming the input field at fault. Each decision
/// that writes a level or names an entry of the case takes the caller's <c>clearance</c>: a level
/// above it is VALIDATION (<see cref="WriteClearance"/>), an event or victim above it is, for the
/// caller, one that does not exist.
/// </summary>
public static class CaseDecider
{
    public const int MaxTitle = 300;
    public const int MaxText = 20_000;

    /// <summary>The state a case's events lead to, one event at a time (null before <see cref="CaseOpened"/>).</summary>
    public static CaseState? Evolve(CaseState? state, object @event) => (state, @event) switch
    {
        (null, CaseOpened o) => new CaseState(o.CaseId, o.Reference, o.Confidentiality, CaseStatus.Open, [], [], [])
        {
            Title = o.Title, Summary = o.Summary, CountryCode = o.CountryCode,
        },
        (null, _) => null,
        (_, CaseEventRecorded r) => state with
        {
            Events = [.. state.Events, new CaseState.EventEntry(r.EventId, r.Type, r.Date, [.. r.VictimIds], r.Confidentiality)],
        },
        (_, CaseEventCorrected c) => state with
        {
            Events = [.. state.Events.Select(e => e.Id == c.EventId ? new CaseState.EventEntry(c.EventId, c.Type, c.Date, [.. c.VictimIds], c.Confidentiality) : e)],
        },
        (_, VictimAdded v) => state with { Victims = [.. state.Victims, new CaseState.VictimEntry(v.VictimId, v.DefenderId, v.Confidentiality)] },
        (_, InterventionIssued i) => state with
        {
            Interventions = [.. state.Interventions, i.Type],
            InterventionEntries = [.. state.InterventionEntries, new CaseState.InterventionEntry(i.InterventionId, i.IssuedOn, i.Addressees)],
        },
        (_, InterventionCorrected c) => state with
        {
            InterventionEntries = [.. state.InterventionEntries.Select(i => i.Id == c.InterventionId ? new CaseState.InterventionEntry(i.Id, c.IssuedOn, c.Addressees) : i)],
        },
        (_, CaseUpdated u) => state with { Title = u.Title, Summary = u.Summary, CountryCode = u.CountryCode },
        (_, CaseEventWithdrawn w) => state with { Events = [.. state.Events.Where(e => e.Id != w.CaseEventId)] },
        (_, VictimWithdrawn w) => state with { Victims = [.. state.Victims.Where(v => v.Id != w.VictimId)] },
        (_, CaseStatusChanged s) => state with { Status = s.To },
        (_, CaseConfidentialityChanged c) => state with { Confidentiality = c.To },
        // The situation reports and reclassifications it publishes change nothing the rules read.
        _ => state,
    };

    /// <param name="today">The default opening date (UTC's today).</param>
    /// <param name="latest">The latest date a given opening date may be (already today somewhere); <paramref name="today"/> when absent.</param>
    public static CaseOpened Open(Guid caseId, OpenCase command, ReferenceNumbers numbers, Confidentiality clearance, DateOnly today, DateOnly? latest = null)
    {
        var title = Input.Required(command.Title, "title", MaxTitle);
        var country = ValidCountry(command.CountryCode);
        var openedOn = command.OpenedOn ?? today;
        if (openedOn > (latest ?? today))
        {
            throw DomainException.Validation("openedOn", "The opening date cannot be in the future.");
        }

        var reference = OriginalReference(command.Reference, country, openedOn) is { } original
            ? original.Reference
            : FormatReference(country, numbers, openedOn);
        return new CaseOpened(caseId, numbers.CaseNumber, reference, title, country.Code,
            Input.Optional(command.Summary, "summary", MaxText), WriteClearance.Writable(command.Confidentiality, clearance), openedOn);
    }

    /// <summary>Validates the country before any reference number is allocated for it.</summary>
    public static Country ValidCountry(string? code) => Input.Country(code);

    /// <summary>A case's original reference as given, checked, and the numbers it holds.</summary>
    public sealed record Original(string Reference, long CountrySequence, long AppealNumber);

    /// <summary>
    /// The original reference given to <c>openCase</c> (null when none): <c>AAA NNN / MMYY / OBS NNN</c> (3 to 5 digits
    /// each), AAA the case's country (alpha-3) and MMYY its opening month — VALIDATION on <c>reference</c> otherwise.
    /// A follow-up's suffix (<c>.1</c>) is an intervention's reference, never a case's.
    /// </summary>
    public static Original? OriginalReference(string? reference, Country country, DateOnly openedOn)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }

        var trimmed = reference.Trim();
        var match = ReferencePattern.Match(trimmed);
        if (!match.Success)
        {
            throw DomainException.Validation("reference", "A reference reads like CMR 001 / 0313 / OBS 021 (country, number / month and year opened / OBS appeal number).");
        }

        if (match.Groups[1].Value != country.Alpha3)
        {
            throw DomainException.Validation("reference", $"The reference's country must be the case's ({country.Alpha3}).");
        }

        if (int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) != openedOn.Month
            || int.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture) != openedOn.Year % 100)
        {
            throw DomainException.Validation("reference", $"The reference's month and year must be the opening date's ({openedOn.Month:00}{openedOn.Year % 100:00}).");
        }

        var sequence = long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        var appeal = long.Parse(match.Groups[5].Value, CultureInfo.InvariantCulture);
        return sequence == 0 || appeal == 0
            ? throw DomainException.Validation("reference", "The numbers of a reference start at 001.")
            : new Original(trimmed, sequence, appeal);
    }

    private static readonly Regex ReferencePattern = new(@"^([A-Z]{3}) ([0-9]{3,5}) / ([0-9]{2})([0-9]{2}) / OBS ([0-9]{3,5})$", RegexOptions.CultureInvariant);

    public static string FormatReference(Country country, ReferenceNumbers numbers, DateOnly openedOn) =>
        $"{country.Alpha3} {numbers.CountrySequence:000} / {openedOn.Month:00}{openedOn.Year % 100:00} / OBS {numbers.AppealNumber:000}";

    /// <summary>
    /// Records a case event, followed by what it says of the registered defenders among its victims
    /// (<see cref="DefenderSituationReported"/>, published for the defenders module).
    /// </summary>
    public static IReadOnlyList<object> Record(CaseState state, Guid eventId, RecordCaseEvent command, Confidentiality clearance, DateOnly today)
    {
        EnsureNotClosed(state);
        var (date, victims) = ValidEventDetails(state, command, clearance, today);
        var recorded = new CaseEventRecorded(eventId, command.Type, date, victims, Input.Optional(command.Description, "description", MaxText),
            command.PerpetratorType, Input.Optional(command.Source, "source", 2_000),
            WriteClearance.Writable(command.Confidentiality, clearance, floor: state.Confidentiality));
        return [recorded, .. Reports(state, eventId, recorded.Type, recorded.Date, recorded.VictimIds, recorded.Confidentiality)];
    }

    /// <summary>
    /// Corrects a recorded event. When the correction changes what the event says of a registered
    /// defender, the earlier reports are retracted and the new ones published. An event above the
    /// caller's clearance is, for the caller, an event the case does not have; a correction that
    /// names no level keeps the event's own.
    /// </summary>
    public static IReadOnlyList<object> Correct(CaseState state, CorrectCaseEvent command, Confidentiality clearance, DateOnly today)
    {
        var existing = state.Events.FirstOrDefault(e => e.Id == command.EventId && e.Confidentiality <= clearance)
                       ?? throw NoSuchEvent();
        var c = command.Correction;
        var (date, victims) = ValidEventDetails(state, c, clearance, today);
        var corrected = new CaseEventCorrected(command.EventId, c.Type, date, victims, Input.Optional(c.Description, "description", MaxText),
            c.PerpetratorType, Input.Optional(c.Source, "source", 2_000), WriteClearance.Writable(c.Confidentiality ?? existing.Confidentiality, clearance),
            RecordHistory.Reason(command.Reason));

        var before = Reports(state, existing.Id, existing.Type, existing.Date, existing.VictimIds, existing.Confidentiality);
        var after = Reports(state, corrected.EventId, corrected.Type, corrected.Date, corrected.VictimIds, corrected.Confidentiality);
        // Other modules keep copies of the event's level (reminders): they learn of a new one through the contracts.
        IReadOnlyList<object> reclassified = corrected.Confidentiality == existing.Confidentiality
            ? []
            : [new CaseEventReclassified(state.Id, corrected.EventId, corrected.Confidentiality)];
        if (before.SequenceEqual(after))
        {
            return [corrected, .. reclassified];
        }

        return [corrected, .. reclassified, .. before.Select(r => new DefenderSituationRetracted(r.DefenderId, r.CaseId, r.CaseEventId)), .. after];
    }

    /// <summary>
    /// Corrects the title, summary or country (only the fields given; a summary given empty is removed). The reference
    /// stays as it is, also when the country changes. Nothing to change writes nothing.
    /// </summary>
    public static IReadOnlyList<object> Update(CaseState state, UpdateCase command)
    {
        var changed = new List<string>();
        var title = state.Title;
        if (command.Title is not null && Input.Required(command.Title, "title", MaxTitle) is var newTitle && newTitle != title)
        {
            title = newTitle;
            changed.Add("title");
        }

        var summary = state.Summary;
        if (command.Summary is not null && Input.Optional(command.Summary, "summary", MaxText) is var newSummary && newSummary != summary)
        {
            summary = newSummary;
            changed.Add("summary");
        }

        var country = state.CountryCode;
        if (command.CountryCode is not null && ValidCountry(command.CountryCode).Code is var newCountry && newCountry != country)
        {
            country = newCountry;
            changed.Add("countryCode");
        }

        var reason = RecordHistory.Reason(command.Reason);
        return changed.Count == 0 ? [] : [new CaseUpdated(title, summary, country, changed, reason)];
    }

    /// <summary>
    /// Withdraws a case event recorded by mistake: it stays in the stream (and the history) but leaves the read
    /// models; the situations it reported of registered defenders are retracted. An event above the caller's
    /// clearance is NOT_FOUND, word for word an unknown one.
    /// </summary>
    public static IReadOnlyList<object> WithdrawEvent(CaseState state, Guid eventId, string? reason, Confidentiality clearance)
    {
        var existing = state.Events.FirstOrDefault(e => e.Id == eventId && e.Confidentiality <= clearance)
                       ?? throw DomainException.NotFound("The case event");
        var withdrawn = new CaseEventWithdrawn(state.Id, eventId, existing.Confidentiality, RecordHistory.Reason(reason));
        var reports = Reports(state, existing.Id, existing.Type, existing.Date, existing.VictimIds, existing.Confidentiality);
        return [withdrawn, .. reports.Select(r => new DefenderSituationRetracted(r.DefenderId, r.CaseId, r.CaseEventId))];
    }

    /// <summary>
    /// Withdraws a victim added by mistake, as <see cref="WithdrawEvent"/>. A victim that a case event still names
    /// (any, whatever its level) cannot be withdrawn (VALIDATION on <c>victimId</c>): withdraw the event, or correct
    /// it to leave the victim out, first — an event naming nobody it names is never left behind. The refusal is the
    /// same whichever events name the victim, and names none.
    /// </summary>
    public static VictimWithdrawn WithdrawVictim(CaseState state, Guid victimId, string? reason, Confidentiality clearance)
    {
        var existing = state.Victims.FirstOrDefault(v => v.Id == victimId && v.Confidentiality <= clearance)
                       ?? throw DomainException.NotFound("The victim");
        if (state.Events.Any(e => e.VictimIds.Contains(victimId)))
        {
            throw DomainException.Validation("victimId", "Case events name this victim: withdraw them, or correct them to leave the victim out, first.");
        }

        return new VictimWithdrawn(state.Id, victimId, existing.Confidentiality, RecordHistory.Reason(reason));
    }

    /// <summary>Corrects an intervention's date of issue or addressees (only those given); nothing to change writes nothing.</summary>
    /// <param name="latest">The latest date of issue (already today somewhere).</param>
    public static IReadOnlyList<object> CorrectIntervention(CaseState state, CorrectIntervention command, DateOnly latest)
    {
        var existing = state.InterventionEntries.FirstOrDefault(i => i.Id == command.InterventionId)
                       ?? throw DomainException.NotFound("The intervention");
        var issuedOn = command.IssuedOn ?? existing.IssuedOn;
        if (issuedOn > latest)
        {
            throw DomainException.Validation("issuedOn", "The date of an intervention cannot be in the future.");
        }

        var addressees = command.Addressees is null ? existing.Addressees : ValidAddressees(command.Addressees);
        var reason = RecordHistory.Reason(command.Reason);
        return issuedOn == existing.IssuedOn && addressees.SequenceEqual(existing.Addressees)
            ? []
            : [new InterventionCorrected(existing.Id, issuedOn, addressees, reason)];
    }

    private static List<string> ValidAddressees(IReadOnlyList<string> given)
    {
        var addressees = given.Select(a => a.Trim()).Where(a => a.Length > 0).ToList();
        return addressees.Any(a => a.Length > 500) || addressees.Count > 100
            ? throw DomainException.Validation("addressees", "At most 100 addressees of at most 500 characters each.")
            : addressees;
    }

    /// <summary>The situation a case event type says a victim is in, if it says one.</summary>
    public static ReportedSituation? SituationOf(CaseEventType type) => type switch
    {
        CaseEventType.Arrest or CaseEventType.Detention => ReportedSituation.Detained,
        CaseEventType.Release or CaseEventType.ProvisionalRelease or CaseEventType.Acquittal => ReportedSituation.Released,
        CaseEventType.Disappearance => ReportedSituation.Disappeared,
        CaseEventType.Killing => ReportedSituation.Killed,
        _ => null,
    };

    private static List<DefenderSituationReported> Reports(
        CaseState state, Guid eventId, CaseEventType type, PartialDate date, IReadOnlyList<Guid> victimIds, Confidentiality confidentiality,
        Confidentiality? caseLevel = null)
    {
        if (SituationOf(type) is not { } situation)
        {
            return [];
        }

        // A report may be seen only by whoever may see all it comes from: the case, the case event
        // and the victim entry (a PUBLIC event in a STAFF case says nothing to a PUBLIC caller).
        return state.Victims
            .Where(v => v.DefenderId is not null && victimIds.Contains(v.Id))
            .Select(v => new DefenderSituationReported(
                v.DefenderId!.Value, state.Id, eventId, situation, date, Strictest(caseLevel ?? state.Confidentiality, confidentiality, v.Confidentiality)))
            .ToList();
    }

    private static Confidentiality Strictest(params ReadOnlySpan<Confidentiality> levels)
    {
        var strictest = Confidentiality.Public;
        foreach (var level in levels)
        {
            strictest = level > strictest ? level : strictest;
        }

        return strictest;
    }

    /// <summary>
    /// Adds a victim. Only the victims the caller may see count as already there: a defender who is a
    /// victim on the case above the caller's clearance may be added again at the caller's level
    /// (refusing would tell the caller what it may not see).
    /// </summary>
    public static VictimAdded AddVictim(CaseState state, Guid victimId, AddVictim command, Confidentiality clearance)
    {
        if ((command.DefenderId is null) == string.IsNullOrWhiteSpace(command.Name))
        {
            throw DomainException.Validation("defenderId", "Give exactly one of defenderId and name.");
        }

        if (command.DefenderId is { } defenderId && state.Victims.Any(v => v.DefenderId == defenderId && v.Confidentiality <= clearance))
        {
            throw DomainException.Validation("defenderId", "This defender is already a victim in the case.");
        }

        var name = command.Name is null ? null : Input.Required(command.Name, "name", 300);
        return new VictimAdded(victimId, command.DefenderId, name, WriteClearance.Writable(command.Confidentiality, clearance, floor: state.Confidentiality));
    }

    /// <summary>The answer for an event id the case does not have — or has above the caller's clearance.</summary>
    public static DomainException NoSuchEvent() => DomainException.Validation("eventId", "The case has no such event.");

    /// <param name="today">The default date of issue (UTC's today).</param>
    /// <param name="latest">The latest date a given date of issue may be (already today somewhere); <paramref name="today"/> when absent.</param>
    public static InterventionIssued Issue(CaseState state, Guid interventionId, IssueIntervention command, DateOnly today, DateOnly? latest = null)
    {
        EnsureNotClosed(state);
        var issuedOn = command.IssuedOn ?? today;
        if (issuedOn > (latest ?? today))
        {
            throw DomainException.Validation("issuedOn", "The date of an intervention cannot be in the future.");
        }

        var hasAppeal = state.Interventions.Contains(InterventionType.UrgentAppeal);
        var addressees = ValidAddressees(command.Addressees);

        switch (command.Type)
        {
            case InterventionType.UrgentAppeal when hasAppeal:
                throw DomainException.Validation("type", "The case already has its urgent appeal; issue a follow-up.");
            case InterventionType.FollowUp or InterventionType.Closing when !hasAppeal:
                throw DomainException.Validation("type", "A follow-up or closing needs the urgent appeal first.");
        }

        var number = command.Type == InterventionType.FollowUp
            ? state.Interventions.Count(t => t == InterventionType.FollowUp) + 1
            : 0;
        var reference = number > 0 ? $"{state.Reference}.{number}" : state.Reference;
        return new InterventionIssued(interventionId, command.Type, number, reference, issuedOn, addressees);
    }

    public static CaseStatusChanged ChangeStatus(CaseState state, ChangeCaseStatus command) =>
        state.Status == command.Status
            ? throw DomainException.Validation("status", $"The case is already {command.Status}.")
            : new CaseStatusChanged(state.Status, command.Status);

    /// <summary>
    /// Raises or lowers who may see the case. Its events and victims keep their own levels (a
    /// lowered case does not open what was recorded as confidential on it). A caller may not set a
    /// level above its own clearance: the case would vanish from under it. The change is a contract
    /// event (the modules that keep copies of the level follow); the situation reports of its events
    /// whose level changes are published again at the levels that now follow (a report is never
    /// more open than its case).
    /// </summary>
    public static IReadOnlyList<object> ChangeConfidentiality(CaseState state, ChangeCaseConfidentiality command, Confidentiality callerClearance)
    {
        if (state.Confidentiality == command.Confidentiality)
        {
            throw DomainException.Validation("confidentiality", $"The case is already {command.Confidentiality}.");
        }

        if (command.Confidentiality > callerClearance)
        {
            throw DomainException.Validation("confidentiality", "A case cannot be given a level above your own clearance.");
        }

        List<object> events = [new CaseConfidentialityChanged(state.Confidentiality, command.Confidentiality)];
        foreach (var e in state.Events)
        {
            var before = Reports(state, e.Id, e.Type, e.Date, e.VictimIds, e.Confidentiality);
            var after = Reports(state, e.Id, e.Type, e.Date, e.VictimIds, e.Confidentiality, command.Confidentiality);
            if (!before.SequenceEqual(after))
            {
                events.AddRange(after);
            }
        }

        return events;
    }

    private static (PartialDate Date, IReadOnlyList<Guid> Victims) ValidEventDetails(CaseState state, RecordCaseEvent command, Confidentiality clearance, DateOnly today)
    {
        if (!PartialDate.TryParse(command.Date, out var date))
        {
            throw DomainException.Validation("date", $"'{command.Date}' is not a date (yyyy, yyyy-MM or yyyy-MM-dd).");
        }

        if (date.Value.IsAfter(today))
        {
            throw DomainException.Validation("date", "The date of a case event cannot be in the future.");
        }

        for (var i = 0; i < command.VictimIds.Count; i++)
        {
            if (!state.Victims.Any(v => v.Id == command.VictimIds[i] && v.Confidentiality <= clearance))
            {
                throw DomainException.Validation($"victimIds[{i}]", "The case has no such victim.");
            }
        }

        return (date.Value, command.VictimIds.Distinct().ToList());
    }

    private static void EnsureNotClosed(CaseState state)
    {
        if (state.Status == CaseStatus.Closed)
        {
            throw DomainException.Validation("caseId", "The case is closed; reopen it first.");
        }
    }
}
