using System.ComponentModel;
using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.Handling;
using Omct.Platform.Defenders.Contracts;
using Case = Omct.Platform.Cases.CaseDetails.Case;

namespace Omct.Platform.Cases.GraphQL;

[MutationFields]
internal sealed class CaseMutations
{
    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> OpenCase(OpenCaseInput input, [FromServices] CaseCommands commands, CancellationToken ct) =>
        new(await commands.OpenAsync(new OpenCase(input.Title, input.CountryCode, input.Summary, input.Confidentiality, input.OpenedOn, input.Reference),
            input.ClientMutationId, ct), input.ClientMutationId);

    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> RecordCaseEvent(RecordCaseEventInput input, [FromServices] CaseCommands commands, CancellationToken ct) =>
        new(await commands.RecordEventAsync(CaseId(input), input.ExpectedVersion, input.ToCommand(), input.ClientMutationId, ct), input.ClientMutationId);

    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> CorrectCaseEvent(CorrectCaseEventInput input, [FromServices] CaseCommands commands, CancellationToken ct)
    {
        var eventId = GlobalId.DecodeOrNotFound(input.EventId, CaseIds.CaseEvent, "The case event");
        return new(await commands.CorrectEventAsync(CaseId(input), input.ExpectedVersion, new CorrectCaseEvent(eventId, input.ToCommand(), input.Reason),
            input.ClientMutationId, ct), input.ClientMutationId);
    }

    [Description("Corrects the case's title, summary or country (only the fields given; an empty summary removes it). The reference stays, also for a new country. Shown in the case's history with the reason.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> UpdateCase(UpdateCaseInput input, [FromServices] CaseCommands commands, CancellationToken ct) =>
        new(await commands.UpdateAsync(CaseId(input), input.ExpectedVersion, new UpdateCase(input.Title, input.Summary, input.CountryCode, input.Reason),
            input.ClientMutationId, ct), input.ClientMutationId);

    [Description("Withdraws a case event recorded by mistake: it stays in the case's history, leaves the case, its lists, statistics, anniversaries, reminders and exports; the situations it reported are retracted.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> WithdrawCaseEvent(WithdrawCaseEventInput input, [FromServices] CaseCommands commands, CancellationToken ct)
    {
        var caseId = CaseId(input);
        var eventId = GlobalId.DecodeOrNotFound(input.EventId, CaseIds.CaseEvent, "The case event");
        return new(await commands.WithdrawEventAsync(caseId, input.ExpectedVersion, eventId, input.Reason, input.ClientMutationId, ct), input.ClientMutationId);
    }

    [Description("Withdraws a victim added by mistake, as withdrawCaseEvent; refused (VALIDATION) while a case event names the victim.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> WithdrawVictim(WithdrawVictimInput input, [FromServices] CaseCommands commands, CancellationToken ct)
    {
        var caseId = CaseId(input);
        var victimId = GlobalId.DecodeOrNotFound(input.VictimId, CaseIds.Victim, "The victim");
        return new(await commands.WithdrawVictimAsync(caseId, input.ExpectedVersion, victimId, input.Reason, input.ClientMutationId, ct), input.ClientMutationId);
    }

    [Description("Corrects an intervention's date of issue or addressees (only the fields given); its type, number and reference stay.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> CorrectIntervention(CorrectInterventionInput input, [FromServices] CaseCommands commands, CancellationToken ct)
    {
        var caseId = CaseId(input);
        var interventionId = GlobalId.DecodeOrNotFound(input.InterventionId, CaseIds.Intervention, "The intervention");
        return new(await commands.CorrectInterventionAsync(caseId, input.ExpectedVersion,
            new CorrectIntervention(interventionId, input.IssuedOn, input.Addressees, input.Reason), input.ClientMutationId, ct), input.ClientMutationId);
    }

    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> AddVictim(AddVictimInput input, [FromServices] CaseCommands commands, CancellationToken ct)
    {
        Guid? defenderId = input.DefenderId is null ? null : GlobalId.DecodeOrNotFound(input.DefenderId, DefenderIds.Defender, "The defender");
        return new(await commands.AddVictimAsync(CaseId(input), input.ExpectedVersion, new AddVictim(defenderId, input.Name, input.Confidentiality),
            input.ClientMutationId, ct), input.ClientMutationId);
    }

    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> IssueIntervention(IssueInterventionInput input, [FromServices] CaseCommands commands, CancellationToken ct) =>
        new(await commands.IssueInterventionAsync(CaseId(input), input.ExpectedVersion, new IssueIntervention(input.Type, input.IssuedOn, input.Addressees ?? []),
            input.ClientMutationId, ct), input.ClientMutationId);

    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> ChangeCaseStatus(ChangeCaseStatusInput input, [FromServices] CaseCommands commands, CancellationToken ct) =>
        new(await commands.ChangeStatusAsync(CaseId(input), input.ExpectedVersion, new ChangeCaseStatus(input.Status), input.ClientMutationId, ct),
            input.ClientMutationId);

    [Description("Raises or lowers who may see the case (not above your own clearance). Readers of the change feed who lose sight of it get it once as REDACTED.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> ChangeCaseConfidentiality(ChangeCaseConfidentialityInput input, [FromServices] CaseCommands commands, CancellationToken ct) =>
        new(await commands.ChangeConfidentialityAsync(CaseId(input), input.ExpectedVersion, new ChangeCaseConfidentiality(input.Confidentiality),
            input.ClientMutationId, ct), input.ClientMutationId);

    private static Guid CaseId(CaseMutationInput input) => GlobalId.DecodeOrNotFound(input.CaseId, CaseIds.Case, "The case");
}

/// <summary>The input of a mutation on one case: its id first.</summary>
internal abstract class CaseMutationInput : MutationInput
{
    [Id] public string CaseId { get; set; } = "";
}

internal sealed class OpenCaseInput : IdempotentInput
{
    public string Title { get; set; } = "";
    [CountryCode] public string CountryCode { get; set; } = "";
    public string? Summary { get; set; }
    [Description(WriteClearance.DefaultDescription)]
    public Confidentiality? Confidentiality { get; set; }
    [Description("Default: today.")]
    public DateOnly? OpenedOn { get; set; }
    [Description("The case's original reference (a case from the archive), e.g. CMR 001 / 0313 / OBS 021: the case's country and opening month, unique (CONFLICT). Default: the next free one.")]
    public string? Reference { get; set; }
}

internal sealed class UpdateCaseInput : CaseMutationInput
{
    public string? Title { get; set; }
    [Description("An empty summary removes it.")]
    public string? Summary { get; set; }
    [CountryCode] public string? CountryCode { get; set; }
    [Description(ReasonDescription.Text)]
    public string? Reason { get; set; }
}

internal sealed class WithdrawCaseEventInput : CaseMutationInput
{
    [Id] public string EventId { get; set; } = "";
    [Description(ReasonDescription.Text)]
    public string? Reason { get; set; }
}

internal sealed class WithdrawVictimInput : CaseMutationInput
{
    [Id] public string VictimId { get; set; } = "";
    [Description(ReasonDescription.Text)]
    public string? Reason { get; set; }
}

internal sealed class CorrectInterventionInput : CaseMutationInput
{
    [Id] public string InterventionId { get; set; } = "";
    public DateOnly? IssuedOn { get; set; }
    public List<string>? Addressees { get; set; }
    [Description(ReasonDescription.Text)]
    public string? Reason { get; set; }
}

internal static class ReasonDescription
{
    public const string Text = "Why (at most 2,000 characters), shown in the history.";
}

/// <summary>The fields of a case event, shared by recording and correcting.</summary>
internal class RecordCaseEventInput : CaseMutationInput
{
    public CaseEventType Type { get; set; }
    [PartialDate] public string Date { get; set; } = "";
    [Id, Description("Victim ids of this case.")]
    public List<string>? VictimIds { get; set; }
    public string? Description { get; set; }
    public PerpetratorType? PerpetratorType { get; set; }
    public string? Source { get; set; }
    [Description(WriteClearance.EntryDescription + " A correction without a level keeps the event's.")]
    public Confidentiality? Confidentiality { get; set; }

    public RecordCaseEvent ToCommand()
    {
        var victims = new List<Guid>();
        for (var i = 0; i < (VictimIds?.Count ?? 0); i++)
        {
            victims.Add(GlobalId.DecodeOrNotFound(VictimIds![i], CaseIds.Victim, $"The victim (victimIds[{i}])"));
        }

        return new RecordCaseEvent(Type, Date, victims, Description, PerpetratorType, Source, Confidentiality);
    }
}

internal sealed class CorrectCaseEventInput : RecordCaseEventInput
{
    [Id] public string EventId { get; set; } = "";
    [Description(ReasonDescription.Text)]
    public string? Reason { get; set; }
}

internal sealed class AddVictimInput : CaseMutationInput
{
    [Id, Description("A registered defender; or give name.")]
    public string? DefenderId { get; set; }
    [Description("A person recorded on this case alone; or give defenderId.")]
    public string? Name { get; set; }
    [Description(WriteClearance.EntryDescription)]
    public Confidentiality? Confidentiality { get; set; }
}

internal sealed class IssueInterventionInput : CaseMutationInput
{
    public InterventionType Type { get; set; }
    [Description("Default: today.")]
    public DateOnly? IssuedOn { get; set; }
    public List<string>? Addressees { get; set; }
}

internal sealed class ChangeCaseStatusInput : CaseMutationInput
{
    public CaseStatus Status { get; set; }
}

internal sealed class ChangeCaseConfidentialityInput : CaseMutationInput
{
    public Confidentiality Confidentiality { get; set; }
}
