using System.ComponentModel;
using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
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
        new(await commands.OpenAsync(new OpenCase(input.Title, input.CountryCode, input.Summary, input.Confidentiality, input.OpenedOn),
            input.ClientMutationId, ct), input.ClientMutationId);

    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> RecordCaseEvent(RecordCaseEventInput input, [FromServices] CaseCommands commands, CancellationToken ct) =>
        new(await commands.RecordEventAsync(CaseId(input), input.ExpectedVersion, input.ToCommand(), input.ClientMutationId, ct), input.ClientMutationId);

    [RequireRole(Role.Staff)]
    public async Task<Payload<Case>> CorrectCaseEvent(CorrectCaseEventInput input, [FromServices] CaseCommands commands, CancellationToken ct)
    {
        var eventId = GlobalId.DecodeOrNotFound(input.EventId, CaseIds.CaseEvent, "The case event");
        return new(await commands.CorrectEventAsync(CaseId(input), input.ExpectedVersion, new CorrectCaseEvent(eventId, input.ToCommand()),
            input.ClientMutationId, ct), input.ClientMutationId);
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
