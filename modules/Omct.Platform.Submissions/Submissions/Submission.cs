using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Submissions.Domain;

namespace Omct.Platform.Submissions.Submissions;

/// <summary>A submission to a UN mechanism, kept inline from its stream.</summary>
public sealed class Submission : IConfidential, IHasEntityId
{
    public Guid Id { get; set; }
    public Mechanism Mechanism { get; set; }
    public string CountryCode { get; set; } = "";
    public string Title { get; set; } = "";
    public DateOnly DueOn { get; set; }
    public string? Session { get; set; }
    /// <summary>When the mechanism's session opens (a deadline of its own).</summary>
    public DateOnly? SessionStartsOn { get; set; }
    public CatStage? CatStage { get; set; }
    public Guid? LeadOrganisationId { get; set; }
    public List<Guid> CoSignatoryIds { get; set; } = [];
    public SubmissionStatus Status { get; set; }
    public int? WordCount { get; set; }
    public string? FileReference { get; set; }

    /// <summary>The text last attached (null when only its word count and a file reference were given).</summary>
    public string? Text { get; set; }

    public DateOnly? SubmittedOn { get; set; }
    public List<Recommendation> Recommendations { get; set; } = [];

    /// <summary>The day of the outcome (null before one, and for outcomes recorded before it was kept).</summary>
    public DateOnly? OutcomeOn { get; set; }

    /// <summary>A submission of the past recorded as it was: the day it was entered (its dates before it make no reminder, no digest entry).</summary>
    public DateOnly? RecordedOn { get; set; }
    public Confidentiality Confidentiality { get; set; }
    public long OrderKey { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A joint submission has co-signatories besides the lead organisation.</summary>
    public bool IsJoint => CoSignatoryIds.Count > 0;
}

public sealed class SubmissionProjection : SingleStreamProjection<Submission, Guid>
{
    public static async Task<Submission> Create(IEvent<SubmissionPlanned> e, IQuerySession session) => Touch(new Submission
    {
        Id = e.Data.SubmissionId, Mechanism = e.Data.Mechanism, CountryCode = e.Data.CountryCode, Title = e.Data.Title, DueOn = e.Data.DueOn,
        Session = e.Data.Session, SessionStartsOn = e.Data.SessionStartsOn, CatStage = e.Data.CatStage, LeadOrganisationId = e.Data.LeadOrganisationId, CoSignatoryIds = [.. e.Data.CoSignatoryIds],
        Status = SubmissionStatus.Planned, Confidentiality = e.Data.Confidentiality, RecordedOn = e.Data.RecordedOn,
        OrderKey = await SubmissionsModule.OrderKeys.NextAsync(session, CancellationToken.None), CreatedAt = e.Timestamp,
    }, e);

    public static Submission Apply(IEvent<CoSignatoryAdded> e, Submission s)
    {
        s.CoSignatoryIds.Add(e.Data.OrganisationId);
        return Touch(s, e);
    }

    public static Submission Apply(IEvent<CoSignatoryRemoved> e, Submission s)
    {
        s.CoSignatoryIds.Remove(e.Data.OrganisationId);
        return Touch(s, e);
    }

    public static Submission Apply(IEvent<SubmissionTextAttached> e, Submission s)
    {
        (s.WordCount, s.FileReference, s.Text, s.Status) = (e.Data.WordCount, e.Data.FileReference, e.Data.Text, SubmissionStatus.Drafting);
        return Touch(s, e);
    }

    public static Submission Apply(IEvent<SubmissionSubmitted> e, Submission s)
    {
        (s.Status, s.SubmittedOn) = (SubmissionStatus.Submitted, e.Data.SubmittedOn);
        return Touch(s, e);
    }

    public static Submission Apply(IEvent<OutcomeRecorded> e, Submission s)
    {
        (s.Status, s.Recommendations, s.OutcomeOn) = (SubmissionStatus.OutcomeRecorded, [.. e.Data.Recommendations], e.Data.On);
        return Touch(s, e);
    }

    private static Submission Touch(Submission s, IEvent e)
    {
        s.Version = (int)e.Version;
        s.UpdatedAt = e.Timestamp;
        return s;
    }
}
