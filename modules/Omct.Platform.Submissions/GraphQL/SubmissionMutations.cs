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
    [RequireRole(Role.Staff)]
    public async Task<Payload<Submission>> PlanSubmission(PlanSubmissionInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.PlanAsync(new PlanSubmission(input.Mechanism, input.CountryCode, input.Title, input.DueOn, input.Session, input.CatStage,
            input.LeadOrganisationId is null ? null : Organisation(input.LeadOrganisationId, "leadOrganisationId"),
            (input.CoSignatoryIds ?? []).Select((o, n) => Organisation(o, $"coSignatoryIds[{n}]")).ToList(), input.Confidentiality ?? Confidentiality.Network,
            input.SessionStartsOn), input.ClientMutationId, ct), input.ClientMutationId);

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

    [Description("Records the recommendations received, each accepted or noted.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Submission>> RecordOutcome(RecordOutcomeInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.RecordOutcomeAsync(SubmissionId(input), input.ExpectedVersion, input.Recommendations.Select((r, n) => new Recommendation(r.Text, r.Accepted,
            (r.CaseIds ?? []).Select((id, m) => Id(id, "Case", $"recommendations[{n}].caseIds[{m}]")).ToList())).ToList(), input.ClientMutationId, ct),
            input.ClientMutationId);

    [RequireRole(Role.Staff)]
    public async Task<Payload<CallForInput>> OpenCallForInput(OpenCallForInputInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.OpenCallAsync(new OpenCallForInput(input.Title, input.Question, input.Deadline, input.AudienceCountryCodes ?? [],
            input.Confidentiality ?? Confidentiality.Network, input.AudienceRegions), input.ClientMutationId, ct), input.ClientMutationId);

    [Description("A member organisation's answer (its own; staff may record one for any member), replaceable until the deadline; " +
                 "shareWithNetwork lets the other members the call addresses read it.")]
    [RequireRole(Role.NetworkMember)]
    public async Task<Payload<CallForInput>> ReceiveInput(ReceiveInputInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.ReceiveInputAsync(CallId(input.CallId), input.ExpectedVersion, Organisation(input.OrganisationId, "organisationId"), input.Text,
            input.ShareWithNetwork ?? false, input.ClientMutationId, ct), input.ClientMutationId);

    [RequireRole(Role.Staff)]
    public async Task<Payload<CallForInput>> ExtendCallDeadline(ExtendCallDeadlineInput input, [FromServices] SubmissionCommands commands, CancellationToken ct) =>
        new(await commands.ExtendDeadlineAsync(CallId(input.CallId), input.ExpectedVersion, input.Deadline, input.ClientMutationId, ct), input.ClientMutationId);

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
}

internal sealed class ExtendCallDeadlineInput : MutationInput
{
    [Id] public string CallId { get; set; } = "";
    public DateOnly Deadline { get; set; }
}
