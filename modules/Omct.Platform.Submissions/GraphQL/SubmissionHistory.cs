using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.Submissions.Domain;

namespace Omct.Platform.Submissions.GraphQL;

/// <summary>
/// What each event of a submission's or a call's stream says in <c>Submission.history</c> and <c>CallForInput.history</c>
/// (see <see cref="RecordHistory"/>). No summary names an organisation, and an entry about one (a co-signatory added or
/// removed, an input received) is given only to a caller who may know of it whatever the organisation's level
/// (RESTRICTED clearance), or — an input — to the organisation that gave it: otherwise the entry alone would tell that
/// an organisation the caller may not see co-signs or answered (as <c>wordLimit</c> and <c>answered</c> take care not to).
/// </summary>
internal static class SubmissionHistory
{
    public static HistoryDescriber ForSubmission(Caller caller)
    {
        var everyOrganisation = caller.CanSee(Confidentiality.Restricted);
        return e => e.Data switch
        {
            SubmissionPlanned p => new("SUBMISSION_PLANNED",
                $"Planned: {Name(p.Mechanism)} submission on {p.CountryCode}, due {p.DueOn:yyyy-MM-dd}" +
                (p.RecordedOn is { } recorded ? $"; a submission of the past, recorded as it was on {recorded:yyyy-MM-dd}" : "")),
            CoSignatoryAdded when everyOrganisation => new("CO_SIGNATORY_ADDED", "A co-signing organisation added"),
            CoSignatoryRemoved when everyOrganisation => new("CO_SIGNATORY_REMOVED", "A co-signing organisation removed"),
            SubmissionTextAttached t => new("SUBMISSION_TEXT_ATTACHED", $"Text attached: {t.WordCount:N0} words"),
            SubmissionSubmitted s => new("SUBMISSION_SUBMITTED", $"Submitted on {s.SubmittedOn:yyyy-MM-dd}"),
            OutcomeRecorded o => new("OUTCOME_RECORDED",
                $"Outcome recorded{(o.On is { } on ? $" on {on:yyyy-MM-dd}" : "")}: {o.Recommendations.Count} recommendation(s), {o.Recommendations.Count(r => r.Accepted)} accepted"),
            _ => null,
        };
    }

    public static HistoryDescriber ForCall(Caller caller)
    {
        var everyOrganisation = caller.CanSee(Confidentiality.Restricted) && caller.HasRole(Role.Staff);
        return e => e.Data switch
        {
            CallForInputOpened o => new("CALL_FOR_INPUT_OPENED",
                $"Opened, deadline {o.Deadline:yyyy-MM-dd}" + (o.RecordedOn is { } recorded ? $"; a call of the past, recorded as it was on {recorded:yyyy-MM-dd}" : "")),
            InputReceived i when everyOrganisation || i.OrganisationId == caller.OrganisationId =>
                new("INPUT_RECEIVED", $"Input received on {i.ReceivedAt:yyyy-MM-dd HH:mm} UTC{(i.OrganisationId == caller.OrganisationId ? " from your organisation" : "")}"),
            CallDeadlineExtended d => new("CALL_DEADLINE_EXTENDED", $"Deadline extended to {d.Deadline:yyyy-MM-dd}"),
            CallForInputClosed c => new("CALL_FOR_INPUT_CLOSED", $"Closed{(c.Automatically ? " automatically" : "")} on {c.ClosedAt:yyyy-MM-dd HH:mm} UTC"),
            _ => null,
        };
    }

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToConstantCase();
}
