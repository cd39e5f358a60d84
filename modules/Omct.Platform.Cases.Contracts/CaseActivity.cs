using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Cases.Contracts;

/// <summary>
/// A period of the platform's work on cases, for the digests and the reports: the instants
/// [<see cref="From"/>, <see cref="To"/>) and the calendar days [<see cref="FromDay"/>,
/// <see cref="ToDay"/>] they cover in the reader's time zone. Dated things (an opening date, an
/// intervention's issue date) fall in it by day; recorded things (a case event) by instant.
/// </summary>
public sealed record CaseActivityPeriod(DateTimeOffset From, DateTimeOffset To, DateOnly FromDay, DateOnly ToDay);

/// <summary>A victim of a case as the caller may see it: a registered defender (name from the defenders module) or a person named on the case.</summary>
public sealed record VictimSummary(Guid Id, Guid? DefenderId, string? Name);

/// <summary>
/// A case as the caller may see it, with only the case events and victims the caller may see. <see cref="Title"/> (and a
/// case event's description) is as stored: a defender in it is a mention, <c>@[id]</c> (BuildingBlocks' <c>Mentions</c>),
/// which the consumer renders for its reader — named through the defenders directory, or withheld.
/// </summary>
public sealed record CaseSummary(
    Guid Id, string Reference, string Title, string CountryCode, string Status, DateOnly OpenedOn, Confidentiality Confidentiality,
    DateTimeOffset CreatedAt, IReadOnlyDictionary<Guid, CaseEventSummary> Events, IReadOnlyDictionary<Guid, VictimSummary> Victims);

/// <summary>A case event the caller may see; <see cref="Date"/> is the partial date as written (2013, 2013-03, 2013-03-21).</summary>
public sealed record CaseEventSummary(
    Guid CaseId, Guid EventId, string Type, string Date, string? Description, IReadOnlyList<VictimSummary> Victims, DateTimeOffset? RecordedAt,
    Confidentiality Confidentiality);

public sealed record InterventionSummary(Guid CaseId, Guid InterventionId, string Type, string Reference, DateOnly IssuedOn, DateTimeOffset? RecordedAt);

/// <summary>
/// What happened on the cases in a period, as the caller may see it: cases opened (by their opening
/// date, or recorded on the platform in the period), case events recorded, interventions issued (by
/// their issue date, or recorded in the period); <see cref="Cases"/> holds every case they belong to.
/// </summary>
public sealed record CaseActivity(
    IReadOnlyList<CaseSummary> Opened, IReadOnlyList<CaseEventSummary> Events, IReadOnlyList<InterventionSummary> Interventions,
    IReadOnlyDictionary<Guid, CaseSummary> Cases);

public enum CaseStatisticKind { Country, Year, EventType, Status }

public sealed record StatisticCount(string Key, long Count);
