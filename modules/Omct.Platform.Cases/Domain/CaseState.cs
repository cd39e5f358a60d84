using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;
using Omct.Platform.Cases.Contracts;

namespace Omct.Platform.Cases.Domain;

/// <summary>
/// A case as <see cref="CaseDecider"/> decides on it: its level, status and reference, the levels
/// and defenders of its victims, what its events say, the types of its interventions — folded from
/// the case stream by <see cref="CaseDecider.Evolve"/>. What lists and screens read (title, search
/// text, order key, activity days …) is the read model's (<c>CaseDetails.Case</c>).
/// </summary>
public sealed record CaseState(
    Guid Id, string Reference, Confidentiality Confidentiality, CaseStatus Status,
    IReadOnlyList<CaseState.VictimEntry> Victims, IReadOnlyList<CaseState.EventEntry> Events, IReadOnlyList<InterventionType> Interventions)
    : IConfidential
{
    /// <summary>The title, summary and country (what <c>updateCase</c> corrects).</summary>
    public string Title { get; init; } = "";

    public string? Summary { get; init; }

    public string CountryCode { get; init; } = "";

    /// <summary>The interventions as <c>correctIntervention</c> reads them, in the order of <see cref="Interventions"/>.</summary>
    public IReadOnlyList<InterventionEntry> InterventionEntries { get; init; } = [];

    public sealed record InterventionEntry(Guid Id, DateOnly IssuedOn, IReadOnlyList<string> Addressees);

    public sealed record VictimEntry(Guid Id, Guid? DefenderId, Confidentiality Confidentiality);

    public sealed record EventEntry(Guid Id, CaseEventType Type, PartialDate Date, IReadOnlyList<Guid> VictimIds, Confidentiality Confidentiality);
}
