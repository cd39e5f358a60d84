using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Countries;

namespace Omct.Platform.Submissions.Domain;

public sealed record PlanSubmission(
    Mechanism Mechanism, string? CountryCode, string? Title, DateOnly DueOn, string? Session, CatStage? CatStage,
    Guid? LeadOrganisationId, IReadOnlyList<Guid> CoSignatoryIds, Confidentiality? Confidentiality, DateOnly? SessionStartsOn = null);

public sealed record OpenCallForInput(
    string? Title, string? Question, DateOnly Deadline, IReadOnlyList<string> AudienceCountryCodes, Confidentiality? Confidentiality,
    IReadOnlyList<BuildingBlocks.Countries.Region>? AudienceRegions = null);

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
            p.SubmissionId, p.Mechanism, SubmissionStatus.Planned, p.LeadOrganisationId, [.. p.CoSignatoryIds], null, p.Confidentiality),
        (null, _) => null,
        (_, CoSignatoryAdded a) => state with { CoSignatoryIds = [.. state.CoSignatoryIds, a.OrganisationId] },
        (_, CoSignatoryRemoved r) => state with { CoSignatoryIds = Without(state.CoSignatoryIds, r.OrganisationId) },
        (_, SubmissionTextAttached t) => state with { WordCount = t.WordCount, Status = SubmissionStatus.Drafting },
        (_, SubmissionSubmitted) => state with { Status = SubmissionStatus.Submitted },
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
            [.. o.AudienceCountryCodes.Union(Country.CodesIn(o.AudienceRegions ?? [])).Order(StringComparer.Ordinal)], o.Confidentiality),
        (null, _) => null,
        (_, CallDeadlineExtended e) => state with { Deadline = e.Deadline, Status = CallStatus.Open },
        (_, CallForInputClosed) => state with { Status = CallStatus.Closed },
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
        if (c.DueOn < today)
        {
            throw DomainException.Validation("dueOn", "The due date is in the past.");
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
            c.LeadOrganisationId, cosigners, level, c.SessionStartsOn);
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

        var on = submittedOn ?? today;
        return on > today ? throw DomainException.Validation("submittedOn", "The submission date cannot be in the future.") : new SubmissionSubmitted(on);
    }

    public static OutcomeRecorded RecordOutcome(SubmissionState s, IReadOnlyList<Recommendation> recommendations)
    {
        if (s.Status is not (SubmissionStatus.Submitted or SubmissionStatus.OutcomeRecorded))
        {
            throw DomainException.Validation("submissionId", "The outcome is recorded after the submission was submitted.");
        }

        for (var i = 0; i < recommendations.Count; i++)
        {
            _ = Input.Required(recommendations[i].Text, $"recommendations[{i}].text", 5_000);
        }

        return new OutcomeRecorded(recommendations);
    }

    public static CallForInputOpened Open(Guid id, OpenCallForInput c, DateOnly today, Confidentiality clearance)
    {
        var level = WriteClearance.Writable(c.Confidentiality, clearance);
        var deadline = c.Deadline < today ? throw DomainException.Validation("deadline", "The deadline is in the past.") : c.Deadline;
        return new CallForInputOpened(id, Input.Required(c.Title, "title", 300), Input.Required(c.Question, "question", 5_000), deadline,
            c.AudienceCountryCodes.Select((code, i) => Input.Country(code, $"audienceCountryCodes[{i}]").Code).Distinct().ToList(), level,
            (c.AudienceRegions ?? []).Distinct().ToList());
    }

    /// <summary>One input per organisation, replaceable until the deadline; only from the audience.</summary>
    public static InputReceived Receive(
        CallState call, Guid organisationId, string organisationCountry, string? text, bool shareWithNetwork, string receivedBy, DateTimeOffset now, DateOnly today)
    {
        if (call.Status == CallStatus.Closed || today > call.Deadline)
        {
            throw DomainException.Validation("callId", "The call is closed; its deadline has passed.");
        }

        if (call.AudienceCountryCodes.Count > 0 && !call.AudienceCountryCodes.Contains(organisationCountry))
        {
            throw DomainException.Validation("organisationId", "The call is not addressed to this organisation's country.");
        }

        return new InputReceived(organisationId, Input.Required(text, "text", 100_000), now, receivedBy, shareWithNetwork);
    }

    public static CallDeadlineExtended Extend(CallState call, DateOnly deadline, DateOnly today) =>
        deadline <= call.Deadline || deadline < today
            ? throw DomainException.Validation("deadline", "The new deadline must be later than the current one and not in the past.")
            : new CallDeadlineExtended(deadline);

    /// <summary>Closed automatically once its deadline day is over; nothing when already closed.</summary>
    public static IReadOnlyList<object> CloseIfExpired(CallState call, DateTimeOffset now, DateOnly today) =>
        call.Status == CallStatus.Open && today > call.Deadline ? [new CallForInputClosed(now, Automatically: true)] : [];

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
