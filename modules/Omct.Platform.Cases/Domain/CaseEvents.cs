using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;

namespace Omct.Platform.Cases.Domain;

// The events of a case stream. Aliases are module-prefixed (see CasesModule).

public sealed record CaseOpened(
    Guid CaseId, long CaseNumber, string Reference, string Title, string CountryCode, string? Summary,
    Confidentiality Confidentiality, DateOnly OpenedOn);

public sealed record CaseEventRecorded(
    Guid EventId, CaseEventType Type, PartialDate Date, IReadOnlyList<Guid> VictimIds, string? Description,
    PerpetratorType? PerpetratorType, string? Source, Confidentiality Confidentiality);

public sealed record CaseEventCorrected(
    Guid EventId, CaseEventType Type, PartialDate Date, IReadOnlyList<Guid> VictimIds, string? Description,
    PerpetratorType? PerpetratorType, string? Source, Confidentiality Confidentiality);

/// <summary>
/// A victim: a registered defender (<see cref="DefenderId"/>) or a person named on the case alone,
/// visible to callers whose clearance reaches <see cref="Confidentiality"/>.
/// </summary>
public sealed record VictimAdded(Guid VictimId, Guid? DefenderId, string? Name, Confidentiality Confidentiality);

public sealed record InterventionIssued(
    Guid InterventionId, InterventionType Type, int Number, string Reference, DateOnly IssuedOn, IReadOnlyList<string> Addressees);

public sealed record CaseStatusChanged(CaseStatus From, CaseStatus To);
