using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.Handling;
using Omct.Platform.Defenders.Contracts;

namespace Omct.Platform.Cases.GraphQL;

internal static class CaseMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PayloadGraphType<CaseGraphType>>>("openCase")
            .Argument<NonNullGraphType<OpenCaseInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<OpenCaseInput>("input");
                var opened = await ctx.Service<CaseCommands>().OpenAsync(
                    new OpenCase(input.Title, input.CountryCode, input.Summary, input.Confidentiality, input.OpenedOn),
                    input.ClientMutationId, ctx.CancellationToken);
                return new Payload<CaseDetails.Case>(opened, input.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<PayloadGraphType<CaseGraphType>>>("recordCaseEvent")
            .Argument<NonNullGraphType<RecordCaseEventInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<RecordCaseEventInput>("input");
                var result = await ctx.Service<CaseCommands>().RecordEventAsync(CaseId(input.CaseId), input.ExpectedVersion,
                    input.ToCommand(), input.ClientMutationId, ctx.CancellationToken);
                return new Payload<CaseDetails.Case>(result, input.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<PayloadGraphType<CaseGraphType>>>("correctCaseEvent")
            .Argument<NonNullGraphType<CorrectCaseEventInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<CorrectCaseEventInput>("input");
                var eventId = GlobalId.DecodeOrNotFound(input.EventId, CaseIds.CaseEvent, "The case event");
                var result = await ctx.Service<CaseCommands>().CorrectEventAsync(CaseId(input.CaseId), input.ExpectedVersion,
                    new CorrectCaseEvent(eventId, input.ToCommand()), input.ClientMutationId, ctx.CancellationToken);
                return new Payload<CaseDetails.Case>(result, input.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<PayloadGraphType<CaseGraphType>>>("addVictim")
            .Argument<NonNullGraphType<AddVictimInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<AddVictimInput>("input");
                Guid? defenderId = null;
                if (input.DefenderId is not null)
                {
                    defenderId = GlobalId.DecodeOrNotFound(input.DefenderId, DefenderIds.Defender, "The defender");
                }

                var result = await ctx.Service<CaseCommands>().AddVictimAsync(CaseId(input.CaseId), input.ExpectedVersion,
                    new AddVictim(defenderId, input.Name, input.Confidentiality), input.ClientMutationId, ctx.CancellationToken);
                return new Payload<CaseDetails.Case>(result, input.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<PayloadGraphType<CaseGraphType>>>("issueIntervention")
            .Argument<NonNullGraphType<IssueInterventionInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<IssueInterventionInput>("input");
                var result = await ctx.Service<CaseCommands>().IssueInterventionAsync(CaseId(input.CaseId), input.ExpectedVersion,
                    new IssueIntervention(input.Type, input.IssuedOn, input.Addressees ?? []), input.ClientMutationId, ctx.CancellationToken);
                return new Payload<CaseDetails.Case>(result, input.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<PayloadGraphType<CaseGraphType>>>("changeCaseStatus")
            .Argument<NonNullGraphType<ChangeCaseStatusInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ChangeCaseStatusInput>("input");
                var result = await ctx.Service<CaseCommands>().ChangeStatusAsync(CaseId(input.CaseId), input.ExpectedVersion,
                    new ChangeCaseStatus(input.Status), input.ClientMutationId, ctx.CancellationToken);
                return new Payload<CaseDetails.Case>(result, input.ClientMutationId);
            });

        RegisterConfidentiality(mutation);
    }

    private static void RegisterConfidentiality(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<PayloadGraphType<CaseGraphType>>>("changeCaseConfidentiality")
            .Description("Raises or lowers who may see the case (not above your own clearance). Readers of the change feed who lose sight of it get it once as REDACTED.")
            .Argument<NonNullGraphType<ChangeCaseConfidentialityInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ChangeCaseConfidentialityInput>("input");
                var result = await ctx.Service<CaseCommands>().ChangeConfidentialityAsync(CaseId(input.CaseId), input.ExpectedVersion,
                    new ChangeCaseConfidentiality(input.Confidentiality), input.ClientMutationId, ctx.CancellationToken);
                return new Payload<CaseDetails.Case>(result, input.ClientMutationId);
            });

    private static Guid CaseId(string? id) => GlobalId.DecodeOrNotFound(id, CaseIds.Case, "The case");
}

internal abstract class CaseMutationInput : MutationInput
{
    public string? CaseId { get; set; }
}

internal sealed class OpenCaseInput : MutationInput
{
    public string? Title { get; set; }
    public string? CountryCode { get; set; }
    public string? Summary { get; set; }
    public Confidentiality? Confidentiality { get; set; }
    public DateOnly? OpenedOn { get; set; }
}

internal class RecordCaseEventInput : CaseMutationInput
{
    public CaseEventType Type { get; set; }
    public string? Date { get; set; }
    public List<string>? VictimIds { get; set; }
    public string? Description { get; set; }
    public PerpetratorType? PerpetratorType { get; set; }
    public string? Source { get; set; }
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
    public string? EventId { get; set; }
}

internal sealed class AddVictimInput : CaseMutationInput
{
    public string? DefenderId { get; set; }
    public string? Name { get; set; }
    public Confidentiality? Confidentiality { get; set; }
}

internal sealed class IssueInterventionInput : CaseMutationInput
{
    public InterventionType Type { get; set; }
    public DateOnly? IssuedOn { get; set; }
    public List<string>? Addressees { get; set; }
}

internal sealed class ChangeCaseStatusInput : CaseMutationInput
{
    public CaseStatus Status { get; set; }
}

internal sealed class OpenCaseInputGraphType : MutationInputGraphType<OpenCaseInput>
{
    public OpenCaseInputGraphType() : base("OpenCaseInput", onExistingEntity: false)
    {
        Field<NonNullGraphType<StringGraphType>>("title");
        Field<NonNullGraphType<CountryCodeGraphType>>("countryCode");
        Field<StringGraphType>("summary");
        Field<ConfidentialityGraphType>("confidentiality").Description(WriteClearance.DefaultDescription);
        Field<IsoDateGraphType>("openedOn").Description("Default: today.");
    }
}

internal abstract class CaseMutationInputGraphType<T> : MutationInputGraphType<T> where T : CaseMutationInput
{
    protected CaseMutationInputGraphType(string name) : base(name) => Field<NonNullGraphType<IdGraphType>>("caseId");
}

/// <summary>The fields of a case event, shared by recording and correcting.</summary>
internal abstract class CaseEventInputGraphType<T> : CaseMutationInputGraphType<T> where T : RecordCaseEventInput
{
    protected CaseEventInputGraphType(string name) : base(name)
    {
        Field<NonNullGraphType<EnumerationGraphType<CaseEventType>>>("type");
        Field<NonNullGraphType<PartialDateGraphType>>("date");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("victimIds").Description("Victim ids of this case.");
        Field<StringGraphType>("description");
        Field<EnumerationGraphType<PerpetratorType>>("perpetratorType");
        Field<StringGraphType>("source");
        Field<ConfidentialityGraphType>("confidentiality").Description(
            WriteClearance.EntryDescription + " A correction without a level keeps the event's.");
    }
}

internal sealed class RecordCaseEventInputGraphType : CaseEventInputGraphType<RecordCaseEventInput>
{
    public RecordCaseEventInputGraphType() : base("RecordCaseEventInput") { }
}

internal sealed class CorrectCaseEventInputGraphType : CaseEventInputGraphType<CorrectCaseEventInput>
{
    public CorrectCaseEventInputGraphType() : base("CorrectCaseEventInput") => Field<NonNullGraphType<IdGraphType>>("eventId");
}

internal sealed class AddVictimInputGraphType : CaseMutationInputGraphType<AddVictimInput>
{
    public AddVictimInputGraphType() : base("AddVictimInput")
    {
        Field<IdGraphType>("defenderId").Description("A registered defender; or give name.");
        Field<StringGraphType>("name").Description("A person recorded on this case alone; or give defenderId.");
        Field<ConfidentialityGraphType>("confidentiality").Description(WriteClearance.EntryDescription);
    }
}

internal sealed class IssueInterventionInputGraphType : CaseMutationInputGraphType<IssueInterventionInput>
{
    public IssueInterventionInputGraphType() : base("IssueInterventionInput")
    {
        Field<NonNullGraphType<EnumerationGraphType<InterventionType>>>("type");
        Field<IsoDateGraphType>("issuedOn").Description("Default: today.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("addressees");
    }
}

internal sealed class ChangeCaseStatusInputGraphType : CaseMutationInputGraphType<ChangeCaseStatusInput>
{
    public ChangeCaseStatusInputGraphType() : base("ChangeCaseStatusInput") =>
        Field<NonNullGraphType<EnumerationGraphType<CaseStatus>>>("status");
}

internal sealed class ChangeCaseConfidentialityInput : CaseMutationInput
{
    public Confidentiality Confidentiality { get; set; }
}

internal sealed class ChangeCaseConfidentialityInputGraphType : CaseMutationInputGraphType<ChangeCaseConfidentialityInput>
{
    public ChangeCaseConfidentialityInputGraphType() : base("ChangeCaseConfidentialityInput") =>
        Field<NonNullGraphType<ConfidentialityGraphType>>("confidentiality");
}
