using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Submissions.Domain;

/// <summary>
/// A submission as <see cref="SubmissionDecider"/> decides on it: mechanism, status, signatories,
/// word count and level — folded from the submission stream by <see cref="SubmissionDecider.Evolve(SubmissionState?, object)"/>.
/// Title, dates, file reference, recommendations and order key are the read model's (<c>Submissions.Submission</c>).
/// </summary>
public sealed record SubmissionState(
    Guid Id, Mechanism Mechanism, SubmissionStatus Status, Guid? LeadOrganisationId, IReadOnlyList<Guid> CoSignatoryIds, int? WordCount,
    Confidentiality Confidentiality, DateOnly? RecordedOn = null, DateOnly? SubmittedOn = null) : IConfidential
{
    /// <summary>A submission of the past recorded as it was (<see cref="SubmissionPlanned.RecordedOn"/>).</summary>
    public bool Historical => RecordedOn is not null;
}

/// <summary>
/// A call for input as <see cref="SubmissionDecider"/> decides on it (and as its visibility is
/// judged): status, deadline, the countries it addresses and its level — folded from the call's
/// stream by <see cref="SubmissionDecider.Evolve(CallState?, object)"/>. Title, question and inputs are the read
/// model's (<c>CallsForInput.CallForInput</c>).
/// </summary>
public sealed record CallState(
    Guid Id, CallStatus Status, DateOnly Deadline, IReadOnlyList<string> AudienceCountryCodes, Confidentiality Confidentiality,
    DateOnly? RecordedOn = null, DateTimeOffset? ClosedAt = null, DateTimeOffset? LastInputAt = null) : IConfidential
{
    /// <summary>A call of the past recorded as it was (<see cref="CallForInputOpened.RecordedOn"/>).</summary>
    public bool Historical => RecordedOn is not null;

    /// <summary>The end of its deadline day (UTC): an input is received by then.</summary>
    public DateTimeOffset DeadlineEnd => new(Deadline.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
