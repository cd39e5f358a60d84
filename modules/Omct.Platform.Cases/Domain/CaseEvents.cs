using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;

namespace Omct.Platform.Cases.Domain;

// The events of a case stream. Aliases are module-prefixed (see CasesModule).

/// <param name="FromArchive">Opened with its original reference (a case brought in from the archive): what is dated
/// before it came onto the platform is its history, not new work (see <c>CaseActivitySource</c>).</param>
public sealed record CaseOpened(
    Guid CaseId, long CaseNumber, string Reference, string Title, string CountryCode, string? Summary,
    Confidentiality Confidentiality, DateOnly OpenedOn, bool FromArchive = false);

public sealed record CaseEventRecorded(
    Guid EventId, CaseEventType Type, PartialDate Date, IReadOnlyList<Guid> VictimIds, string? Description,
    PerpetratorType? PerpetratorType, string? Source, Confidentiality Confidentiality);

/// <summary>A case event corrected; <see cref="Reason"/>: why, when given (null in events written before it was kept).</summary>
public sealed record CaseEventCorrected(
    Guid EventId, CaseEventType Type, PartialDate Date, IReadOnlyList<Guid> VictimIds, string? Description,
    PerpetratorType? PerpetratorType, string? Source, Confidentiality Confidentiality, string? Reason = null);

/// <summary>
/// The case's title, summary or country corrected (<c>updateCase</c>): the values after the correction, and
/// <see cref="Changed"/>, the input fields it changed (<c>title</c>, <c>summary</c>, <c>countryCode</c>). The
/// reference is kept, also when the country changes.
/// </summary>
public sealed record CaseUpdated(string Title, string? Summary, string CountryCode, IReadOnlyList<string> Changed, string? Reason);

/// <summary>An intervention's date of issue or addressees corrected (<c>correctIntervention</c>); its type, number and reference stay.</summary>
public sealed record InterventionCorrected(Guid InterventionId, DateOnly IssuedOn, IReadOnlyList<string> Addressees, string? Reason);

/// <summary>
/// A victim: a registered defender (<see cref="DefenderId"/>) or a person named on the case alone,
/// visible to callers whose clearance reaches <see cref="Confidentiality"/>.
/// </summary>
public sealed record VictimAdded(Guid VictimId, Guid? DefenderId, string? Name, Confidentiality Confidentiality);

// InterventionIssued is in Omct.Platform.Cases.Contracts (Interventions.cs): the teamwork module's task templates follow it.

public sealed record CaseStatusChanged(CaseStatus From, CaseStatus To);

/// <summary>
/// A person's name redacted from the case's text by their erasure (<c>eraseDefenderPersonalData</c>): the texts as they
/// are now, which hold no name. The erasure also rewrote the earlier events of the stream in place, so a rebuild reads the
/// same; this event moves the read model at once and tells the change feed the case changed. It says nothing of whom.
/// </summary>
public sealed record CaseTextRedacted(IReadOnlyList<RedactedCaseText> Texts, DateTimeOffset At);

/// <summary>
/// One text after redaction: <see cref="Field"/> is <c>title</c>, <c>summary</c>, <c>event.description</c>,
/// <c>event.source</c>, <c>victim.name</c> (<see cref="ItemId"/>: the case event's or victim's id) or
/// <c>intervention.addressees</c> (<see cref="Values"/>, the whole list).
/// </summary>
public sealed record RedactedCaseText(string Field, Guid? ItemId, string? Text, IReadOnlyList<string>? Values = null)
{
    public const string Title = "title";
    public const string Summary = "summary";
    public const string EventDescription = "event.description";
    public const string EventSource = "event.source";
    public const string VictimName = "victim.name";
    public const string InterventionAddressees = "intervention.addressees";
}
