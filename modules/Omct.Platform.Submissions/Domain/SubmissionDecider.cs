using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Countries;

namespace Omct.Platform.Submissions.Domain;

public sealed record PlanSubmission(
    Mechanism Mechanism, string? CountryCode, string? Title, DateOnly DueOn, string? Session, CatStage? CatStage,
    Guid? LeadOrganisationId, IReadOnlyList<Guid> CoSignatoryIds, Confidentiality? Confidentiality, DateOnly? SessionStartsOn = null, bool Historical = false);

public sealed record OpenCallForInput(
    string? Title, string? Question, DateOnly Deadline, IReadOnlyList<string> AudienceCountryCodes, Confidentiality? Confidentiality,
    IReadOnlyList<BuildingBlocks.Countries.Region>? AudienceRegions = null, bool Historical = false);

/// <summary>
/// The rules of submissions and calls for input: pure functions from state and command to events. A
/// level is written only up to the caller's <c>clearance</c> (<see cref="WriteClearance"/>).
/// </summary>
public static class SubmissionDecider
{
    /// <summary>UPR word limits: one organisation, and a joint submission.</summary>
    public const int UprWordLimitSingle = 2_815;
    public const int UprWordLimitJoint = 5_630;

    /// <summary>The state a submission's events lead to, one event at a time (null before <see cref="SubmissionPlanned"/>).</summary>
    public static SubmissionState? Evolve(SubmissionState? state, object @event) => (state, @event) switch
    {
        (null, SubmissionPlanned p) => new SubmissionState(
            p.SubmissionId, p.Mechanism, SubmissionStatus.Planned, p.LeadOrganisationId, [.. p.CoSignatoryIds], null, p.Confidentiality, p.RecordedOn),
        (null, _) => null,
        (_, CoSignatoryAdded a) => state with { CoSignatoryIds = [.. state.CoSignatoryIds, a.OrganisationId] },
        (_, CoSignatoryRemoved r) => state with { CoSignatoryIds = Without(state.CoSignatoryIds, r.OrganisationId) },
        (_, SubmissionTextAttached t) => state with { WordCount = t.WordCount, Status = SubmissionStatus.Drafting },
        (_, SubmissionSubmitted s) => state with { Status = SubmissionStatus.Submitted, SubmittedOn = s.SubmittedOn },
        (_, OutcomeRecorded) => state with { Status = SubmissionStatus.OutcomeRecorded },
        _ => state,
    };

    /// <summary>
    /// The state a call's events lead to, one event at a time (null before <see cref="CallForInputOpened"/>):
    /// it addresses the countries listed and every country of the regions listed.
    /// </summary>
    public static CallState? Evolve(CallState? state, object @event) => (state, @event) switch
    {
        (null, CallForInputOpened o) => new CallState(o.CallId, CallStatus.Open, o.Deadline,
            [.. o.AudienceCountryCodes.Union(Country.CodesIn(o.AudienceRegions ?? [])).Order(StringComparer.Ordinal)], o.Confidentiality, o.RecordedOn),
        (null, _) => null,
        (_, InputReceived i) => state with { LastInputAt = state.LastInputAt is { } last && last > i.ReceivedAt ? last : i.ReceivedAt },
        (_, CallDeadlineExtended e) => state with { Deadline = e.Deadline, Status = CallStatus.Open, ClosedAt = null },
        (_, CallForInputClosed c) => state with { Status = CallStatus.Closed, ClosedAt = c.ClosedAt },
        _ => state,
    };

    /// <summary>The list without the first occurrence of <paramref name="id"/> (as <c>List.Remove</c>).</summary>
    private static List<Guid> Without(IReadOnlyList<Guid> ids, Guid id)
    {
        var list = ids.ToList();
        list.Remove(id);
        return list;
    }

    public static SubmissionPlanned Plan(Guid id, PlanSubmission c, DateOnly today, Confidentiality clearance)
    {
        var level = WriteClearance.Writable(c.Confidentiality, clearance);
        var title = Input.Required(c.Title, "title", 300);
        var country = Input.Country(c.CountryCode).Code;
        if (c.DueOn < today && !c.Historical)
        {
            throw DomainException.Validation("dueOn", "The due date is in the past (a submission of the past is recorded with historical: true).");
        }

        if (c.CatStage is not null && c.Mechanism != Mechanism.Cat)
        {
            throw DomainException.Validation("catStage", "A CAT stage is given only for a submission to the Committee against Torture.");
        }

        if (c.SessionStartsOn is { } session && session < c.DueOn)
        {
            throw DomainException.Validation("sessionStartsOn", "The session opens after the submission is due.");
        }

        var cosigners = c.CoSignatoryIds.Distinct().Where(o => o != c.LeadOrganisationId).ToList();
        return new SubmissionPlanned(id, c.Mechanism, country, title, c.DueOn, Input.Optional(c.Session, "session", 100), c.CatStage,
            c.LeadOrganisationId, cosigners, level, c.SessionStartsOn, c.Historical ? today : null);
    }

    public static CoSignatoryAdded AddCoSignatory(SubmissionState s, Guid organisationId)
    {
        EnsureNotSubmitted(s, "organisationId");
        return s.CoSignatoryIds.Contains(organisationId) || s.LeadOrganisationId == organisationId
            ? throw DomainException.Validation("organisationId", "The organisation already signs this submission.")
            : new CoSignatoryAdded(organisationId);
    }

    public static CoSignatoryRemoved RemoveCoSignatory(SubmissionState s, Guid organisationId)
    {
        EnsureNotSubmitted(s, "organisationId");
        return s.CoSignatoryIds.Contains(organisationId)
            ? new CoSignatoryRemoved(organisationId)
            : throw DomainException.Validation("organisationId", "The organisation does not co-sign this submission.");
    }

    public static SubmissionTextAttached AttachText(SubmissionState s, string? text, int? wordCount, string? fileReference)
    {
        EnsureNotSubmitted(s, "submissionId");
        var body = Input.Optional(text, "text", 500_000);
        var words = body is not null ? CountWords(body) : wordCount ?? throw DomainException.Validation("wordCount", "Give the text, or its word count and a file reference.");
        if (words < 0)
        {
            throw DomainException.Validation("wordCount", "The word count cannot be negative.");
        }

        return new SubmissionTextAttached(words, Input.Optional(fileReference, "fileReference", 500), body);
    }

    /// <summary>
    /// Submits once; a UPR submission within its word limit (2,815 alone, 5,630 jointly).
    /// <paramref name="jointForCaller"/>: whether the caller may see a co-signatory — one it may not see
    /// does not count for it (the joint limit would tell it that one exists).
    /// </summary>
    public static SubmissionSubmitted Submit(SubmissionState s, DateOnly? submittedOn, DateOnly today, bool jointForCaller)
    {
        EnsureNotSubmitted(s, "submissionId");
        if (s.WordCount is null)
        {
            throw DomainException.Validation("submissionId", "Attach the text (or its word count) before submitting.");
        }

        if (s.Mechanism == Mechanism.Upr)
        {
            var limit = jointForCaller ? UprWordLimitJoint : UprWordLimitSingle;
            if (s.WordCount > limit)
            {
                throw DomainException.Validation("wordCount",
                    $"A {(jointForCaller ? "joint" : "single-organisation")} UPR submission has at most {limit:N0} words; this one has {s.WordCount:N0}.");
            }
        }

        if (submittedOn is null && s.Historical)
        {
            throw DomainException.Validation("submittedOn", "A submission of the past is marked submitted with the day it was submitted.");
        }

        var on = submittedOn ?? today;
        return on > today ? throw DomainException.Validation("submittedOn", "The submission date cannot be in the future.") : new SubmissionSubmitted(on);
    }

    /// <summary>
    /// The recommendations received, on <paramref name="outcomeOn"/> (today when not given; a submission of
    /// the past gives it): not in the future, not before the submission was submitted.
    /// </summary>
    public static OutcomeRecorded RecordOutcome(SubmissionState s, IReadOnlyList<Recommendation> recommendations, DateOnly? outcomeOn, DateOnly today)
    {
        if (s.Status is not (SubmissionStatus.Submitted or SubmissionStatus.OutcomeRecorded))
        {
            throw DomainException.Validation("submissionId", "The outcome is recorded after the submission was submitted.");
        }

        for (var i = 0; i < recommendations.Count; i++)
        {
            _ = Input.Required(recommendations[i].Text, $"recommendations[{i}].text", 5_000);
        }

        if (outcomeOn is null && s.Historical)
        {
            throw DomainException.Validation("outcomeOn", "A submission of the past records its outcome with the day of the outcome.");
        }

        var on = outcomeOn ?? today;
        if (on > today)
        {
            throw DomainException.Validation("outcomeOn", "The outcome date cannot be in the future.");
        }

        return s.SubmittedOn is { } submitted && on < submitted
            ? throw DomainException.Validation("outcomeOn", $"The outcome date is before the submission was submitted ({submitted:yyyy-MM-dd}).")
            : new OutcomeRecorded(recommendations, on);
    }

    /// <summary>A call for input; its deadline not in the past, unless the call is one of the past recorded as it was (<c>historical</c>).</summary>
    public static CallForInputOpened Open(Guid id, OpenCallForInput c, DateOnly today, Confidentiality clearance)
    {
        var level = WriteClearance.Writable(c.Confidentiality, clearance);
        var deadline = c.Deadline < today && !c.Historical
            ? throw DomainException.Validation("deadline", "The deadline is in the past (a call of the past is recorded with historical: true).")
            : c.Deadline;
        return new CallForInputOpened(id, Input.Required(c.Title, "title", 300), Input.Required(c.Question, "question", 5_000), deadline,
            c.AudienceCountryCodes.Select((code, i) => Input.Country(code, $"audienceCountryCodes[{i}]").Code).Distinct().ToList(), level,
            (c.AudienceRegions ?? []).Distinct().ToList(), c.Historical ? today : null);
    }

    /// <summary>
    /// One input per organisation, replaceable until the deadline; only from the audience. <paramref name="receivedAt"/>
    /// (staff): when it was received, if earlier — not in the future, not after the deadline day nor after the call
    /// closed; a call of the past takes such inputs also once its deadline has passed or it was closed.
    /// </summary>
    public static InputReceived Receive(
        CallState call, Guid organisationId, string organisationCountry, string? text, bool shareWithNetwork, string receivedBy, DateTimeOffset now, DateOnly today,
        DateTimeOffset? receivedAt = null)
    {
        if ((call.Status == CallStatus.Closed || today > call.Deadline) && !(receivedAt is not null && call.Historical))
        {
            throw DomainException.Validation("callId", "The call is closed; its deadline has passed.");
        }

        if (receivedAt is { } at)
        {
            if (at > now)
            {
                throw DomainException.Validation("receivedAt", "The reception time cannot be in the future.");
            }

            if (at >= call.DeadlineEnd)
            {
                throw DomainException.Validation("receivedAt", $"The reception time is after the call's deadline ({call.Deadline:yyyy-MM-dd}).");
            }

            if (call.ClosedAt is { } closed && at > closed)
            {
                throw DomainException.Validation("receivedAt", "The reception time is after the call was closed.");
            }
        }

        if (call.AudienceCountryCodes.Count > 0 && !call.AudienceCountryCodes.Contains(organisationCountry))
        {
            throw DomainException.Validation("organisationId", "The call is not addressed to this organisation's country.");
        }

        return new InputReceived(organisationId, Input.Required(text, "text", 100_000), receivedAt ?? now, receivedBy, shareWithNetwork);
    }

    /// <summary>
    /// Closed by staff: now, or — a call of the past only — at <paramref name="closedAt"/>, not in the future
    /// and not before an input it received.
    /// </summary>
    public static CallForInputClosed Close(CallState call, DateTimeOffset? closedAt, DateTimeOffset now)
    {
        if (call.Status == CallStatus.Closed)
        {
            throw DomainException.Validation("callId", "The call is already closed.");
        }

        if (closedAt is not { } at)
        {
            return new CallForInputClosed(now, Automatically: false);
        }

        if (!call.Historical)
        {
            throw DomainException.Validation("closedAt", "Only a call of the past (recorded with historical: true) is closed at an earlier moment.");
        }

        if (at > now)
        {
            throw DomainException.Validation("closedAt", "The closing time cannot be in the future.");
        }

        return call.LastInputAt is { } last && at < last
            ? throw DomainException.Validation("closedAt", "The closing time is before an input the call received.")
            : new CallForInputClosed(at, Automatically: false);
    }

    public static CallDeadlineExtended Extend(CallState call, DateOnly deadline, DateOnly today) =>
        deadline <= call.Deadline || deadline < today
            ? throw DomainException.Validation("deadline", "The new deadline must be later than the current one and not in the past.")
            : new CallDeadlineExtended(deadline);

    /// <summary>
    /// Closed automatically once its deadline day is over; nothing when already closed. A call of the past is
    /// closed as it was: at the end of its deadline day (not at the moment the job came by).
    /// </summary>
    public static IReadOnlyList<object> CloseIfExpired(CallState call, DateTimeOffset now, DateOnly today) =>
        call.Status == CallStatus.Open && today > call.Deadline
            ? [new CallForInputClosed(call.Historical && call.DeadlineEnd < now ? call.DeadlineEnd : now, Automatically: true)]
            : [];

    public static int CountWords(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;

    private static void EnsureNotSubmitted(SubmissionState s, string field)
    {
        if (s.Status is SubmissionStatus.Submitted or SubmissionStatus.OutcomeRecorded)
        {
            throw DomainException.Validation(field, "The submission was submitted; it no longer changes.");
        }
    }
}
