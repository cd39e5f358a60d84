using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Import;
using Omct.Platform.BuildingBlocks.Time;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.Handling;
using Omct.Platform.Submissions.Submissions;

namespace Omct.Platform.Submissions.Import;

/// <summary>
/// SUBMISSION rows (STAFF, as the mutations): <c>planSubmission</c> — a submission of the past (<c>historical</c>, by
/// default when it was due before today) keeps its dates and makes no deadline or reminder before the day it is
/// imported — then <c>attachSubmissionText</c> (its text, or its word count and file reference), <c>markSubmitted</c>
/// with <c>submittedOn</c> and <c>recordOutcome</c> with <c>outcomeOn</c>, each through <see cref="SubmissionCommands"/>
/// with its own clientMutationId; the status follows from them (PLANNED, DRAFTING, SUBMITTED, OUTCOME_RECORDED). The
/// whole row is checked first with the deciders the mutations use, in order. There is no update of a submission: a
/// changed row takes the steps its submission has not taken yet (a text, the submission, the outcome), else it is
/// CHANGED_NOT_APPLIED. The outcome's recommendations are not imported (recordOutcome adds them with their cases).
/// </summary>
internal sealed class SubmissionImporter : IRecordImporter
{
    public string Kind => "SUBMISSION";

    public string RecordType => SubmissionIds.Submission;

    public IReadOnlyList<ImportField> Fields { get; } =
    [
        new("mechanism", "UPR, CAT, HRC_SPECIAL_PROCEDURE or OTHER.", Required: true),
        new("countryCode", "The State under review: ISO 3166-1 alpha-2 (CM).", Required: true),
        new("title", "The title (at most 300 characters).", Required: true),
        new("dueOn", "When it was (or is) due: YYYY-MM-DD.", Required: true),
        new("session", "UPR cycle/session."),
        new("sessionStartsOn", "When the session opens (YYYY-MM-DD)."),
        new("catStage", "CAT only: LIST_OF_ISSUES_PRIOR_TO_REPORTING, LIST_OF_ISSUES, PERIODIC_REVIEW or FOLLOW_UP."),
        new("confidentiality", "PUBLIC, NETWORK, STAFF (default) or RESTRICTED, up to your clearance."),
        new("historical", "A submission of the past (true by default when dueOn is before today): no deadline or reminder before the day it is imported."),
        new("leadOrganisationId", "The id of the lead organisation."),
        new("coSignatoryIds", "Ids of the co-signing organisations, separated by ;."),
        new("text", "The text submitted (its words are counted)."),
        new("wordCount", "Its word count, when the text is not given."),
        new("fileReference", "Where the document is kept."),
        new("submittedOn", "When it was submitted (YYYY-MM-DD): needs its text or word count."),
        new("outcomeOn", "The day of the outcome (YYYY-MM-DD), after submittedOn."),
    ];

    public IReadOnlyDictionary<string, IReadOnlyList<ImportField>> Parts { get; } = new Dictionary<string, IReadOnlyList<ImportField>>();

    internal sealed record SubmissionPlan(PlanSubmission Plan, bool Text, string? Body, int? WordCount, string? FileReference, DateOnly? SubmittedOn, DateOnly? OutcomeOn);

    public async Task<ImportCheck> CheckAsync(ImportRow row, Guid? existing, IServiceProvider services, CancellationToken cancellationToken)
    {
        var caller = services.GetRequiredService<ICallerContext>().Current;
        var today = services.GetRequiredService<TimeProvider>().TodayUtc();
        var values = new ImportValues(row, caller);
        var mechanism = values.Required("mechanism", values.Enum<Mechanism>("mechanism"));
        var dueOn = values.Required("dueOn", values.Date("dueOn"));
        var coSignatories = values.Ids("coSignatoryIds", DefenderIds.Organisation);
        var command = new PlanSubmission(mechanism ?? default, values.Text("countryCode"), values.Text("title"), dueOn ?? default, values.Text("session"),
            values.Enum<CatStage>("catStage"), values.Id("leadOrganisationId", DefenderIds.Organisation), coSignatories,
            values.Enum<Confidentiality>("confidentiality") ?? Confidentiality.Staff, values.Date("sessionStartsOn"), values.Bool("historical") ?? dueOn < today);
        var (body, wordCount, fileReference) = (values.Text("text"), values.WholeNumber("wordCount"), values.Text("fileReference"));
        var plan = new SubmissionPlan(command, body is not null || wordCount is not null || fileReference is not null, body, wordCount, fileReference,
            values.Date("submittedOn"), values.Date("outcomeOn"));
        if (plan.OutcomeOn is not null && plan.SubmittedOn is null)
        {
            values.Problems.Add(new ImportProblem("submittedOn", "An outcome is recorded for a submission that was submitted: give the day it was submitted."));
        }

        if (values.Problems.Count == 0)
        {
            var state = values.Guard(() => SubmissionDecider.Evolve((SubmissionState?)null, SubmissionDecider.Plan(Guid.Empty, command, today, caller.Clearance)));
            if (state is not null && plan.Text)
            {
                state = values.Guard(() => SubmissionDecider.Evolve(state, SubmissionDecider.AttachText(state, body, wordCount, fileReference)));
            }

            if (state is not null && plan.SubmittedOn is not null)
            {
                // The co-signatories are checked to be ones the caller may see: they all count for the word limit.
                state = values.Guard(() => SubmissionDecider.Evolve(state, SubmissionDecider.Submit(state, plan.SubmittedOn, today, coSignatories.Count > 0)));
            }

            if (state is not null && plan.OutcomeOn is not null)
            {
                values.Guard(() => SubmissionDecider.RecordOutcome(state, [], plan.OutcomeOn, today));
            }

            var commands = services.GetRequiredService<SubmissionCommands>();
            await values.GuardAsync(() => commands.EnsureOrganisationsAsync(command.LeadOrganisationId is { } lead ? [lead] : [], "leadOrganisationId", cancellationToken));
            await values.GuardAsync(() => commands.EnsureOrganisationsAsync(coSignatories, "coSignatoryIds", cancellationToken));
        }

        return values.Problems.Count > 0 ? ImportCheck.Refused(values.Problems) : ImportCheck.Of(plan);
    }

    public async Task<ImportApplied> ApplyAsync(object command, Guid? existing, string operationKey, IServiceProvider services, CancellationToken cancellationToken)
    {
        var plan = (SubmissionPlan)command;
        var commands = services.GetRequiredService<SubmissionCommands>();
        var submission = existing is { } known
            ? await services.GetRequiredService<IQuerySession>().LoadAsync<Submission>(known, cancellationToken) ?? throw DomainException.NotFound("The submission")
            : await commands.PlanAsync(plan.Plan, operationKey + ":plan", cancellationToken);
        var version = submission.Version;
        if (plan.Text && (submission.Status == SubmissionStatus.Planned
                          || (submission.Status == SubmissionStatus.Drafting
                              && (submission.Text != plan.Body || submission.FileReference != plan.FileReference
                                  || (plan.Body is null && submission.WordCount != plan.WordCount)))))
        {
            submission = await commands.AttachTextAsync(submission.Id, null, plan.Body, plan.WordCount, plan.FileReference, operationKey + ":text", cancellationToken);
        }

        if (plan.SubmittedOn is { } submittedOn && submission.Status is SubmissionStatus.Planned or SubmissionStatus.Drafting)
        {
            submission = await commands.SubmitAsync(submission.Id, null, submittedOn, operationKey + ":submit", cancellationToken);
        }

        if (plan.OutcomeOn is { } outcomeOn && submission.Status == SubmissionStatus.Submitted)
        {
            submission = await commands.RecordOutcomeAsync(submission.Id, null, [], outcomeOn, operationKey + ":outcome", cancellationToken);
        }

        return new ImportApplied(submission.Id, Applied: existing is null || submission.Version != version);
    }
}
