using System.ComponentModel;
using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.Handling;
using CallForInput = Omct.Platform.Submissions.CallsForInput.CallForInput;
using Submission = Omct.Platform.Submissions.Submissions.Submission;

namespace Omct.Platform.Submissions.GraphQL;

[MutationFields]
internal sealed class SubmissionMutations
{
    [Description("Plans a submission; with historical: true, records one of the past as it was (its due date may have passed; then markSubmitted " +
                 "and recordOutcome with their past dates). No deadline, reminder or digest entry for its dates before today.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Submission>> PlanSubmission(PlanSubmissionInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.PlanAsync(new PlanSubmission(input.Mechanism, input.CountryCode, input.Title, input.DueOn, input.Session, input.CatStage,
            input.LeadOrganisationId is null ? null : Organisation(input.LeadOrganisationId, "leadOrganisationId"),
            (input.CoSignatoryIds ?? []).Select((o, n) => Organisation(o, $"coSignatoryIds[{n}]")).ToList(), input.Confidentiality ?? Confidentiality.Network,
            input.SessionStartsOn, input.Historical ?? false), input.ClientMutationId, ct), input.ClientMutationId);

    [Description("Adds a co-signing organisation (not after submission).")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Submission>> AddCoSignatory(AddCoSignatoryInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.AddCoSignatoryAsync(SubmissionId(input), input.ExpectedVersion, Organisation(input.OrganisationId, "organisationId"), input.ClientMutationId, ct),
            input.ClientMutationId);

    [Description("Removes a co-signing organisation (not after submission).")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Submission>> RemoveCoSignatory(RemoveCoSignatoryInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.RemoveCoSignatoryAsync(SubmissionId(input), input.ExpectedVersion, Organisation(input.OrganisationId, "organisationId"), input.ClientMutationId, ct),
            input.ClientMutationId);

    [Description("Attaches the text (its words are counted) or its word count and a file reference.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Submission>> AttachSubmissionText(AttachSubmissionTextInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.AttachTextAsync(SubmissionId(input), input.ExpectedVersion, input.Text, input.WordCount, input.FileReference, input.ClientMutationId, ct),
            input.ClientMutationId);

    [Description("Marks it submitted, once; checks the UPR word limits.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Submission>> MarkSubmitted(MarkSubmittedInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.SubmitAsync(SubmissionId(input), input.ExpectedVersion, input.SubmittedOn, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("Records the recommendations received, each accepted or noted, on outcomeOn (today when not given; required for a submission of the past).")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Submission>> RecordOutcome(RecordOutcomeInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.RecordOutcomeAsync(SubmissionId(input), input.ExpectedVersion, input.Recommendations.Select((r, n) => new Recommendation(r.Text, r.Accepted,
            (r.CaseIds ?? []).Select((id, m) => Id(id, "Case", $"recommendations[{n}].caseIds[{m}]")).ToList())).ToList(), input.OutcomeOn, input.ClientMutationId, ct),
            input.ClientMutationId);

    [Description("Opens a call for input; with historical: true, records a call of the past (its deadline may have passed): staff then record its inputs " +
                 "with receiveInput(receivedAt) and close it with closeCallForInput(closedAt). No deadline, reminder or digest entry for the past.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<CallForInput>> OpenCallForInput(OpenCallForInputInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.OpenCallAsync(new OpenCallForInput(input.Title, input.Question, input.Deadline, input.AudienceCountryCodes ?? [],
            input.Confidentiality ?? Confidentiality.Network, input.AudienceRegions, input.Historical ?? false), input.ClientMutationId, ct), input.ClientMutationId);

    [Description("A member organisation's answer (its own; staff may record one for any member), replaceable until the deadline; " +
                 "shareWithNetwork lets the other members the call addresses read it. Staff may give receivedAt, when it was received (not in the future, " +
                 "by the deadline day): how the inputs of a call of the past are recorded, also after its deadline or its closing.")]
    [RequireRole(Role.NetworkMember)]
    public async Task<Payload<CallForInput>> ReceiveInput(ReceiveInputInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.ReceiveInputAsync(CallId(input.CallId), input.ExpectedVersion, Organisation(input.OrganisationId, "organisationId"), input.Text,
            input.ShareWithNetwork ?? false, input.ReceivedAt, input.ClientMutationId, ct), input.ClientMutationId);

    [RequireRole(Role.Staff)]
    public async Task<Payload<CallForInput>> ExtendCallDeadline(ExtendCallDeadlineInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.ExtendDeadlineAsync(CallId(input.CallId), input.ExpectedVersion, input.Deadline, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("STAFF: closes an open call now, or — a call of the past (historical) — at closedAt (not in the future, not before an input it received).")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<CallForInput>> CloseCallForInput(CloseCallForInputInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.CloseCallAsync(CallId(input.CallId), input.ExpectedVersion, input.ClosedAt, input.ClientMutationId, ct), input.ClientMutationId);

    private static Guid SubmissionId(SubmissionInput input) =>
        GlobalId.TryDecode(input.SubmissionId, SubmissionIds.Submission, out var id) ? id : throw DomainException.NotFound("The submission");

    private static Guid CallId(string? value) =>
        GlobalId.TryDecode(value, SubmissionIds.CallForInput, out var id) ? id : throw DomainException.NotFound("The call for input");

    private static Guid Organisation(string? value, string field) => Id(value, DefenderIds.Organisation, field);

    /// <summary>
    /// An id that is not one of ours (malformed, or of another type) names nothing: NOT_FOUND, as in
    /// every module. A well-formed id of something that does not exist or is hidden is refused
    /// further on (VALIDATION on the input field for a linked record, NOT_FOUND for the one changed).
    /// </summary>
    private static Guid Id(string? value, string type, string field) =>
        GlobalId.TryDecode(value, type, out var id) ? id : throw DomainException.NotFound($"The {type.ToLowerInvariant()} ({field})");
}

internal sealed class PlanSubmissionInput : IdempotentInput
{
    public Mechanism Mechanism { get; set; }
    [CountryCode, Description("The State under review (one per submission).")]
    public string CountryCode { get; set; } = "";
    public string Title { get; set; } = "";
    public DateOnly DueOn { get; set; }
    public string? Session { get; set; }
    [Description("When the mechanism's session opens: a deadline of its own.")]
    public DateOnly? SessionStartsOn { get; set; }
    public CatStage? CatStage { get; set; }
    [Id] public string? LeadOrganisationId { get; set; }
    [Id] public List<string>? CoSignatoryIds { get; set; }
    [Description(WriteClearance.DefaultDescription)]
    public Confidentiality? Confidentiality { get; set; }
    [DefaultValue(false), Description("A submission of the past, recorded as it was: dueOn and sessionStartsOn may have passed.")]
    public bool? Historical { get; set; }
}

/// <summary>The input of a mutation on one submission: its id first.</summary>
internal abstract class SubmissionInput : MutationInput
{
    [Id] public string SubmissionId { get; set; } = "";
}

internal abstract class CoSignatoryInput : SubmissionInput
{
    [Id] public string OrganisationId { get; set; } = "";
}

internal sealed class AddCoSignatoryInput : CoSignatoryInput;

internal sealed class RemoveCoSignatoryInput : CoSignatoryInput;

internal sealed class AttachSubmissionTextInput : SubmissionInput
{
    public string? Text { get; set; }
    public int? WordCount { get; set; }
    public string? FileReference { get; set; }
}

internal sealed class MarkSubmittedInput : SubmissionInput
{
    [Description("Today when not given (required for a submission of the past); not in the future.")]
    public DateOnly? SubmittedOn { get; set; }
}

internal sealed class RecommendationInput
{
    public string Text { get; set; } = "";
    public bool Accepted { get; set; }
    [Id] public List<string>? CaseIds { get; set; }
}

internal sealed class RecordOutcomeInput : SubmissionInput
{
    public List<RecommendationInput> Recommendations { get; set; } = [];
    [Description("The day of the outcome: today when not given (required for a submission of the past); not in the future, not before submittedOn.")]
    public DateOnly? OutcomeOn { get; set; }
}

internal sealed class OpenCallForInputInput : IdempotentInput
{
    public string Title { get; set; } = "";
    public string Question { get; set; } = "";
    public DateOnly Deadline { get; set; }
    [CountryCode, Description("With audienceRegions; both empty: all members.")]
    public List<string>? AudienceCountryCodes { get; set; }
    [Description("Every member organisation in these regions.")]
    public List<BuildingBlocks.Countries.Region>? AudienceRegions { get; set; }
    [Description(WriteClearance.DefaultDescription)]
    public Confidentiality? Confidentiality { get; set; }
    [DefaultValue(false), Description("A call of the past, recorded as it was: the deadline may have passed.")]
    public bool? Historical { get; set; }
}

internal sealed class ReceiveInputInput : IdempotentInput
{
    [Description("The call's version as you read it; CONFLICT when it has changed since.")]
    public int? ExpectedVersion { get; set; }
    [Id] public string CallId { get; set; } = "";
    [Id, Description("A member organisation of the network.")]
    public string OrganisationId { get; set; } = "";
    public string Text { get; set; } = "";
    [DefaultValue(false), Description("Let the other member organisations the call addresses read this input (default: only staff and your organisation).")]
    public bool? ShareWithNetwork { get; set; }
    [Description("STAFF: when it was received, if earlier than now (not in the future, by the end of the deadline day, not after the call closed).")]
    public DateTimeOffset? ReceivedAt { get; set; }
}

internal sealed class ExtendCallDeadlineInput : MutationInput
{
    [Id] public string CallId { get; set; } = "";
    public DateOnly Deadline { get; set; }
}

internal sealed class CloseCallForInputInput : MutationInput
{
    [Id] public string CallId { get; set; } = "";
    [Description("A call of the past only: when it was closed (not in the future, not before an input). Now when not given.")]
    public DateTimeOffset? ClosedAt { get; set; }
}
