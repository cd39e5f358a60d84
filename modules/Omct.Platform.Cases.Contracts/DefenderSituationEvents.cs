using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Dates;

namespace Omct.Platform.Cases.Contracts;

/// <summary>What a case event says of a registered defender's situation.</summary>
public enum ReportedSituation
{
    /// <summary>An arrest or a detention.</summary>
    Detained,
    /// <summary>A release, a provisional release or an acquittal.</summary>
    Released,
    Disappeared,
    Killed,
}

/// <summary>
/// Published in the case stream, next to the case event it comes from, when a recorded or
/// corrected case event concerns a registered defender and changes what is known of that
/// defender's situation. Consumers (the defenders module) keep the latest report per defender by
/// <see cref="Date"/>; a report carries the case event's confidentiality, which a reader's
/// clearance must reach before the report may count for it.
/// </summary>
public sealed record DefenderSituationReported(
    Guid DefenderId, Guid CaseId, Guid CaseEventId, ReportedSituation Situation, PartialDate Date, Confidentiality Confidentiality);

/// <summary>
/// A correction took back an earlier report: the case event no longer says this of the defender
/// (its type, its victims or its date changed). A corrected event that still says something
/// publishes a new <see cref="DefenderSituationReported"/> after this.
/// </summary>
public sealed record DefenderSituationRetracted(Guid DefenderId, Guid CaseId, Guid CaseEventId);

/// <summary>
/// Published in the case stream when a correction changes a case event's confidentiality, for the
/// modules that keep copies of its level (the reminders): a case event raised above a caller's
/// clearance must vanish from what they show that caller too. The victims' levels never change.
/// </summary>
public sealed record CaseEventReclassified(Guid CaseId, Guid CaseEventId, Confidentiality Confidentiality);

/// <summary>
/// The case's own confidentiality changed (<c>changeCaseConfidentiality</c>), in the case stream
/// (its id is the stream's). Public so that the modules that keep copies of the level (the
/// reminders) follow it; <see cref="From"/> says who could see the case until now (the change feed).
/// </summary>
public sealed record CaseConfidentialityChanged(Confidentiality From, Confidentiality To);

/// <summary>
/// A case event recorded by mistake was withdrawn (<c>withdrawCaseEvent</c>), in the case stream: it stays in
/// the stream and the case's history but leaves the case's read models, and the modules that keep copies of it
/// (the reminders of its anniversaries) drop them. <see cref="Confidentiality"/> is the withdrawn event's level:
/// only callers who could see the event learn of its withdrawal. The situations it reported are retracted with it
/// (<see cref="DefenderSituationRetracted"/>, same transaction).
/// </summary>
public sealed record CaseEventWithdrawn(Guid CaseId, Guid CaseEventId, Confidentiality Confidentiality, string? Reason);

/// <summary>
/// A victim added by mistake was withdrawn (<c>withdrawVictim</c>), as <see cref="CaseEventWithdrawn"/>: kept in the
/// stream and the history, gone from the read models and the copies (reminders); <see cref="Confidentiality"/> is the
/// victim entry's level.
/// </summary>
public sealed record VictimWithdrawn(Guid CaseId, Guid VictimId, Confidentiality Confidentiality, string? Reason);
