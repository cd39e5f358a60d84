using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Submissions.Domain;

public enum Mechanism { Upr, Cat, HrcSpecialProcedure, Other }

public enum CatStage { ListOfIssuesPriorToReporting, ListOfIssues, PeriodicReview, FollowUp }

public enum SubmissionStatus { Planned, Drafting, Submitted, OutcomeRecorded }

public enum CallStatus { Open, Closed }

// The events of a submission stream and of a call-for-input stream (aliases "submissions.*").

/// <summary>
/// A submission planned, or — with <see cref="RecordedOn"/>, the day it was entered — one of the past recorded
/// as it was (its dates may have passed; no reminder or digest is made for a date before that day).
/// </summary>
public sealed record SubmissionPlanned(
    Guid SubmissionId, Mechanism Mechanism, string CountryCode, string Title, DateOnly DueOn, string? Session, CatStage? CatStage,
    Guid? LeadOrganisationId, IReadOnlyList<Guid> CoSignatoryIds, Confidentiality Confidentiality, DateOnly? SessionStartsOn = null, DateOnly? RecordedOn = null);

public sealed record CoSignatoryAdded(Guid OrganisationId);

public sealed record CoSignatoryRemoved(Guid OrganisationId);

/// <summary>The text (or its word count and a file reference) attached; the submission is being drafted.</summary>
public sealed record SubmissionTextAttached(int WordCount, string? FileReference, string? Text);

public sealed record SubmissionSubmitted(DateOnly SubmittedOn);

public sealed record Recommendation(string Text, bool Accepted, IReadOnlyList<Guid> CaseIds);

/// <summary>The recommendations received; <see cref="On"/>: the day of the outcome (null in events written before it was recorded).</summary>
public sealed record OutcomeRecorded(IReadOnlyList<Recommendation> Recommendations, DateOnly? On = null);

/// <summary>
/// The audience: the countries listed and every country of the regions listed; nothing listed: every member.
/// <see cref="RecordedOn"/>: a call of the past recorded as it was, on that day (its deadline may have passed;
/// staff record its inputs with their dates and close it; no reminder or digest for a date before that day).
/// </summary>
public sealed record CallForInputOpened(
    Guid CallId, string Title, string Question, DateOnly Deadline, IReadOnlyList<string> AudienceCountryCodes, Confidentiality Confidentiality,
    IReadOnlyList<BuildingBlocks.Countries.Region>? AudienceRegions = null, DateOnly? RecordedOn = null);

/// <summary>
/// An organisation's input; a later one from the same organisation replaces it (until the deadline).
/// <see cref="ReceivedAt"/>: when it was received — the moment recorded, or an earlier one staff gave (an input
/// that came by other means, or one of a call of the past).
/// <see cref="SharedWithNetwork"/>: the other member organisations the call addresses may read it.
/// </summary>
public sealed record InputReceived(Guid OrganisationId, string Text, DateTimeOffset ReceivedAt, string ReceivedBy, bool SharedWithNetwork = false);

public sealed record CallDeadlineExtended(DateOnly Deadline);

public sealed record CallForInputClosed(DateTimeOffset ClosedAt, bool Automatically);
