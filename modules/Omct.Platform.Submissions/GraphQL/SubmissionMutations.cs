using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.Handling;

namespace Omct.Platform.Submissions.GraphQL;

internal static class SubmissionMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PayloadGraphType<SubmissionGraphType>>>("planSubmission")
            .Argument<NonNullGraphType<PlanSubmissionInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<PlanSubmissionInput>("input");
                var s = await Commands(ctx).PlanAsync(new PlanSubmission(i.Mechanism, i.CountryCode, i.Title, i.DueOn, i.Session, i.CatStage,
                    i.LeadOrganisationId is null ? null : Organisation(i.LeadOrganisationId, "leadOrganisationId"),
                    (i.CoSignatoryIds ?? []).Select((o, n) => Organisation(o, $"coSignatoryIds[{n}]")).ToList(), i.Confidentiality ?? Confidentiality.Network,
                    i.SessionStartsOn),
                    i.ClientMutationId, ctx.CancellationToken);
                return new Payload<Submissions.Submission>(s, i.ClientMutationId);
            });

        SubmissionField<CoSignatoryInput, AddCoSignatoryInputGraphType>(mutation, "addCoSignatory", "Adds a co-signing organisation (not after submission).",
            (c, i, ct) => c.AddCoSignatoryAsync(SubmissionId(i), i.ExpectedVersion, Organisation(i.OrganisationId, "organisationId"), i.ClientMutationId, ct));
        SubmissionField<CoSignatoryInput, RemoveCoSignatoryInputGraphType>(mutation, "removeCoSignatory", "Removes a co-signing organisation (not after submission).",
            (c, i, ct) => c.RemoveCoSignatoryAsync(SubmissionId(i), i.ExpectedVersion, Organisation(i.OrganisationId, "organisationId"), i.ClientMutationId, ct));
        SubmissionField<AttachTextInput, AttachTextInputGraphType>(mutation, "attachSubmissionText", "Attaches the text (its words are counted) or its word count and a file reference.",
            (c, i, ct) => c.AttachTextAsync(SubmissionId(i), i.ExpectedVersion, i.Text, i.WordCount, i.FileReference, i.ClientMutationId, ct));
        SubmissionField<MarkSubmittedInput, MarkSubmittedInputGraphType>(mutation, "markSubmitted", "Marks it submitted, once; checks the UPR word limits.",
            (c, i, ct) => c.SubmitAsync(SubmissionId(i), i.ExpectedVersion, i.SubmittedOn, i.ClientMutationId, ct));
        SubmissionField<RecordOutcomeInput, RecordOutcomeInputGraphType>(mutation, "recordOutcome", "Records the recommendations received, each accepted or noted.",
            (c, i, ct) => c.RecordOutcomeAsync(SubmissionId(i), i.ExpectedVersion, (i.Recommendations ?? []).Select((r, n) => new Recommendation(r.Text ?? "", r.Accepted,
                (r.CaseIds ?? []).Select((id, m) => Id(id, "Case", $"recommendations[{n}].caseIds[{m}]")).ToList())).ToList(),
                i.ClientMutationId, ct));

        mutation.Field<NonNullGraphType<PayloadGraphType<CallForInputGraphType>>>("openCallForInput")
            .Argument<NonNullGraphType<OpenCallForInputInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<OpenCallForInputInput>("input");
                var call = await Commands(ctx).OpenCallAsync(new OpenCallForInput(i.Title, i.Question, i.Deadline, i.AudienceCountryCodes ?? [],
                    i.Confidentiality ?? Confidentiality.Network, i.AudienceRegions), i.ClientMutationId, ctx.CancellationToken);
                return new Payload<CallsForInput.CallForInput>(call, i.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<PayloadGraphType<CallForInputGraphType>>>("receiveInput")
            .Description("A member organisation's answer (its own; staff may record one for any member), replaceable until the deadline; " +
                         "shareWithNetwork lets the other members the call addresses read it.")
            .Argument<NonNullGraphType<ReceiveInputInputGraphType>>("input")
            .RequireRole(Role.NetworkMember)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<ReceiveInputInput>("input");
                var call = await Commands(ctx).ReceiveInputAsync(CallId(i.CallId), i.ExpectedVersion, Organisation(i.OrganisationId, "organisationId"), i.Text,
                    i.ShareWithNetwork, i.ClientMutationId, ctx.CancellationToken);
                return new Payload<CallsForInput.CallForInput>(call, i.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<PayloadGraphType<CallForInputGraphType>>>("extendCallDeadline")
            .Argument<NonNullGraphType<ExtendCallDeadlineInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<ExtendCallDeadlineInput>("input");
                var call = await Commands(ctx).ExtendDeadlineAsync(CallId(i.CallId), i.ExpectedVersion, i.Deadline, i.ClientMutationId, ctx.CancellationToken);
                return new Payload<CallsForInput.CallForInput>(call, i.ClientMutationId);
            });
    }

    private static SubmissionCommands Commands(IResolveFieldContext ctx) => ctx.Service<SubmissionCommands>();

    private static void SubmissionField<TInput, TInputGraphType>(ObjectGraphType mutation, string name, string description,
        Func<SubmissionCommands, TInput, CancellationToken, Task<Submissions.Submission>> run)
        where TInput : SubmissionInput
        where TInputGraphType : InputObjectGraphType<TInput>
    {
        mutation.Field<NonNullGraphType<PayloadGraphType<SubmissionGraphType>>>(name)
            .Description(description)
            .Argument<NonNullGraphType<TInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<TInput>("input");
                return new Payload<Submissions.Submission>(await run(Commands(ctx), input, ctx.CancellationToken), input.ClientMutationId);
            });
    }

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

internal sealed class PlanSubmissionInput : MutationInput
{
    public Mechanism Mechanism { get; set; }
    public string? CountryCode { get; set; }
    public string? Title { get; set; }
    public DateOnly DueOn { get; set; }
    public string? Session { get; set; }
    public DateOnly? SessionStartsOn { get; set; }
    public CatStage? CatStage { get; set; }
    public string? LeadOrganisationId { get; set; }
    public List<string>? CoSignatoryIds { get; set; }
    public Confidentiality? Confidentiality { get; set; }
}

internal abstract class SubmissionInput : MutationInput
{
    public string? SubmissionId { get; set; }
}

internal sealed class CoSignatoryInput : SubmissionInput
{
    public string? OrganisationId { get; set; }
}

internal sealed class AttachTextInput : SubmissionInput
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
    public string? Text { get; set; }
    public bool Accepted { get; set; }
    public List<string>? CaseIds { get; set; }
}

internal sealed class RecordOutcomeInput : SubmissionInput
{
    public List<RecommendationInput>? Recommendations { get; set; }
}

internal sealed class OpenCallForInputInput : MutationInput
{
    public string? Title { get; set; }
    public string? Question { get; set; }
    public DateOnly Deadline { get; set; }
    public List<string>? AudienceCountryCodes { get; set; }
    public List<BuildingBlocks.Countries.Region>? AudienceRegions { get; set; }
    public Confidentiality? Confidentiality { get; set; }
}

internal sealed class ReceiveInputInput : MutationInput
{
    public string? CallId { get; set; }
    public string? OrganisationId { get; set; }
    public string? Text { get; set; }
    public bool ShareWithNetwork { get; set; }
}

internal sealed class ExtendCallDeadlineInput : MutationInput
{
    public string? CallId { get; set; }
    public DateOnly Deadline { get; set; }
}

internal sealed class PlanSubmissionInputGraphType : MutationInputGraphType<PlanSubmissionInput>
{
    public PlanSubmissionInputGraphType() : base("PlanSubmissionInput", onExistingEntity: false)
    {
        Field<NonNullGraphType<MechanismGraphType>>("mechanism");
        Field<NonNullGraphType<CountryCodeGraphType>>("countryCode").Description("The State under review (one per submission).");
        Field<NonNullGraphType<StringGraphType>>("title");
        Field<NonNullGraphType<IsoDateGraphType>>("dueOn");
        Field<StringGraphType>("session");
        Field<IsoDateGraphType>("sessionStartsOn").Description("When the mechanism's session opens: a deadline of its own.");
        Field<CatStageGraphType>("catStage");
        Field<IdGraphType>("leadOrganisationId");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("coSignatoryIds");
        Field<ConfidentialityGraphType>("confidentiality").Description(WriteClearance.DefaultDescription);
    }
}

internal abstract class SubmissionInputGraphType<T> : MutationInputGraphType<T> where T : SubmissionInput
{
    protected SubmissionInputGraphType(string name) : base(name) => Field<NonNullGraphType<IdGraphType>>("submissionId");
}

internal sealed class AddCoSignatoryInputGraphType : SubmissionInputGraphType<CoSignatoryInput>
{
    public AddCoSignatoryInputGraphType() : base("AddCoSignatoryInput") => Field<NonNullGraphType<IdGraphType>>("organisationId");
}

internal sealed class RemoveCoSignatoryInputGraphType : SubmissionInputGraphType<CoSignatoryInput>
{
    public RemoveCoSignatoryInputGraphType() : base("RemoveCoSignatoryInput") => Field<NonNullGraphType<IdGraphType>>("organisationId");
}

internal sealed class AttachTextInputGraphType : SubmissionInputGraphType<AttachTextInput>
{
    public AttachTextInputGraphType() : base("AttachSubmissionTextInput")
    {
        Field<StringGraphType>("text");
        Field<IntGraphType>("wordCount");
        Field<StringGraphType>("fileReference");
    }
}

internal sealed class MarkSubmittedInputGraphType : SubmissionInputGraphType<MarkSubmittedInput>
{
    public MarkSubmittedInputGraphType() : base("MarkSubmittedInput") => Field<IsoDateGraphType>("submittedOn");
}

internal sealed class RecommendationInputGraphType : InputObjectGraphType<RecommendationInput>
{
    public RecommendationInputGraphType()
    {
        Name = "RecommendationInput";
        Field<NonNullGraphType<StringGraphType>>("text");
        Field<NonNullGraphType<BooleanGraphType>>("accepted");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("caseIds");
    }
}

internal sealed class RecordOutcomeInputGraphType : SubmissionInputGraphType<RecordOutcomeInput>
{
    public RecordOutcomeInputGraphType() : base("RecordOutcomeInput") =>
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RecommendationInputGraphType>>>>("recommendations");
}

internal sealed class OpenCallForInputInputGraphType : MutationInputGraphType<OpenCallForInputInput>
{
    public OpenCallForInputInputGraphType() : base("OpenCallForInputInput", onExistingEntity: false)
    {
        Field<NonNullGraphType<StringGraphType>>("title");
        Field<NonNullGraphType<StringGraphType>>("question");
        Field<NonNullGraphType<IsoDateGraphType>>("deadline");
        Field<ListGraphType<NonNullGraphType<CountryCodeGraphType>>>("audienceCountryCodes").Description("With audienceRegions; both empty: all members.");
        Field<ListGraphType<NonNullGraphType<RegionGraphType>>>("audienceRegions").Description("Every member organisation in these regions.");
        Field<ConfidentialityGraphType>("confidentiality").Description(WriteClearance.DefaultDescription);
    }
}

internal sealed class ReceiveInputInputGraphType : MutationInputGraphType<ReceiveInputInput>
{
    public ReceiveInputInputGraphType() : base("ReceiveInputInput")
    {
        GetField("expectedVersion")!.Description = "The call's version as you read it; CONFLICT when it has changed since.";
        Field<NonNullGraphType<IdGraphType>>("callId");
        Field<NonNullGraphType<IdGraphType>>("organisationId").Description("A member organisation of the network.");
        Field<NonNullGraphType<StringGraphType>>("text");
        Field<BooleanGraphType>("shareWithNetwork").DefaultValue(false)
            .Description("Let the other member organisations the call addresses read this input (default: only staff and your organisation).");
    }
}

internal sealed class ExtendCallDeadlineInputGraphType : MutationInputGraphType<ExtendCallDeadlineInput>
{
    public ExtendCallDeadlineInputGraphType() : base("ExtendCallDeadlineInput")
    {
        Field<NonNullGraphType<IdGraphType>>("callId");
        Field<NonNullGraphType<IsoDateGraphType>>("deadline");
    }
}
