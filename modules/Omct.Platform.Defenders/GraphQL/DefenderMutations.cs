using System.ComponentModel;
using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Handling;
using Omct.Platform.Defenders.Profiles;
using Defender = Omct.Platform.Defenders.Profiles.Defender;
using Organisation = Omct.Platform.Defenders.Organisations.Organisation;

namespace Omct.Platform.Defenders.GraphQL;

[MutationFields]
internal sealed class DefenderMutations
{
    [RequireRole(Role.Staff)]
    public async Task<Payload<Defender>> RegisterDefender(RegisterDefenderInput input, [FromServices] DefenderCommands commands, CancellationToken ct)
    {
        var organisationIds = (input.OrganisationIds ?? []).Select((o, n) => Id(o, DefenderIds.Organisation, $"organisationIds[{n}]")).ToList();
        return new(await commands.RegisterAsync(new RegisterDefender(input.Name, input.Pseudonym, input.CountryCode, input.Gender,
            input.ConsentToPublishName ?? false, input.Confidentiality, input.ThematicAreas ?? [], input.Contact, input.Location, organisationIds), input.ClientMutationId, ct),
            input.ClientMutationId);
    }

    [Description("Changes the given profile fields.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Defender>> UpdateDefender(UpdateDefenderInput input, [FromServices] DefenderCommands commands, CancellationToken ct) =>
        new(await commands.UpdateAsync(DefenderId(input), input.ExpectedVersion,
            new UpdateDefender(input.Name, input.Pseudonym, input.CountryCode, input.Gender, input.Confidentiality, input.ThematicAreas), input.ClientMutationId, ct),
            input.ClientMutationId);

    [Description("Records the person's consent (to publish the name, a portrait), when given and by whom.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Defender>> RecordConsent(RecordConsentInput input, [FromServices] DefenderCommands commands, CancellationToken ct) =>
        new(await commands.RecordConsentAsync(DefenderId(input), input.ExpectedVersion,
            new RecordConsent(input.ToPublishName, input.ToPublishPortrait, input.GivenOn), input.ClientMutationId, ct), input.ClientMutationId);

    [Description("Sets the risk level (STAFF information).")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Defender>> SetRiskLevel(SetRiskLevelInput input, [FromServices] DefenderCommands commands, CancellationToken ct) =>
        new(await commands.SetRiskLevelAsync(DefenderId(input), input.ExpectedVersion, input.Level, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("Records a situation learnt outside any case (IN_HIDING, AT_LIBERTY …); it counts with the cases' reports, latest by date.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Defender>> RecordDefenderSituation(RecordDefenderSituationInput input, [FromServices] DefenderCommands commands, CancellationToken ct) =>
        new(await commands.RecordSituationAsync(DefenderId(input), input.ExpectedVersion,
            new RecordSituation(input.Situation, input.Date, input.Confidentiality), input.ClientMutationId, ct), input.ClientMutationId);

    [Description("Replaces the RESTRICTED details (contact, location, family, risk notes); an absent one is cleared.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Defender>> SetConfidentialDetails(SetConfidentialDetailsInput input, [FromServices] DefenderCommands commands, CancellationToken ct) =>
        new(await commands.SetDetailsAsync(DefenderId(input), input.ExpectedVersion,
            new SetConfidentialDetails(input.Contact, input.Location, input.Family, input.RiskNotes), input.ClientMutationId, ct), input.ClientMutationId);

    [Description("Affiliates the defender with an organisation.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Defender>> AffiliateDefender(AffiliateDefenderInput input, [FromServices] DefenderCommands commands, CancellationToken ct) =>
        new(await commands.AffiliateAsync(DefenderId(input), input.ExpectedVersion, Id(input.OrganisationId, DefenderIds.Organisation, "organisationId"),
            input.ClientMutationId, ct), input.ClientMutationId);

    [Description("Ends the defender's affiliation with an organisation; the profile keeps it in affiliations, with endedOn.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Defender>> EndAffiliation(EndAffiliationInput input, [FromServices] DefenderCommands commands, CancellationToken ct) =>
        new(await commands.EndAffiliationAsync(DefenderId(input), input.ExpectedVersion, Id(input.OrganisationId, DefenderIds.Organisation, "organisationId"),
            input.EndedOn, input.Reason, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("Two profiles found to be the same person: the source redirects to the target, its cases and reports count there; history is kept.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Defender>> MergeDefenders(MergeDefendersInput input, [FromServices] DefenderCommands commands, CancellationToken ct) =>
        new(await commands.MergeAsync(Id(input.SourceId, DefenderIds.Defender, "sourceId"), Id(input.TargetId, DefenderIds.Defender, "targetId"),
            input.ExpectedVersion, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("ADMIN: erases the person's personal data on request (their key is destroyed: no API, export, feed or rebuild shows it again).")]
    [RequireRole(Role.Admin)]
    public async Task<Payload<Defender>> EraseDefenderPersonalData(EraseDefenderPersonalDataInput input, [FromServices] DefenderCommands commands, CancellationToken ct) =>
        new(await commands.EraseAsync(DefenderId(input), input.ExpectedVersion, input.ClientMutationId, ct), input.ClientMutationId);

    [RequireRole(Role.Staff)]
    public async Task<Payload<Organisation>> RegisterOrganisation(RegisterOrganisationInput input, [FromServices] DefenderCommands commands, CancellationToken ct) =>
        new(await commands.RegisterOrganisationAsync(
            new RegisterOrganisation(input.Name, input.CountryCode, input.NetworkMember ?? false, input.MemberSince, input.Confidentiality), input.ClientMutationId, ct),
            input.ClientMutationId);

    [Description("Changes the given fields of an organisation.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Organisation>> UpdateOrganisation(UpdateOrganisationInput input, [FromServices] DefenderCommands commands, CancellationToken ct) =>
        new(await commands.UpdateOrganisationAsync(Id(input.OrganisationId, DefenderIds.Organisation, "organisationId"),
            input.ExpectedVersion, input.Name, input.CountryCode, input.Confidentiality, input.ClientMutationId, ct), input.ClientMutationId);

    [Description("Joins (with the date) or leaves the SOS-Torture Network.")]
    [RequireRole(Role.Staff)]
    public async Task<Payload<Organisation>> SetNetworkMembership(SetNetworkMembershipInput input, [FromServices] DefenderCommands commands, CancellationToken ct) =>
        new(await commands.SetMembershipAsync(Id(input.OrganisationId, DefenderIds.Organisation, "organisationId"),
            input.ExpectedVersion, input.Member, input.Since, input.ClientMutationId, ct), input.ClientMutationId);

    private static Guid DefenderId(DefenderMutationInput input) => Id(input.DefenderId, DefenderIds.Defender, "defenderId");

    private static Guid Id(string? value, string type, string field) =>
        GlobalId.TryDecode(value, type, out var id) ? id : throw DomainException.NotFound($"The {type.ToLowerInvariant()} ({field})");
}

/// <summary>The input of a mutation on one defender: its id first.</summary>
internal abstract class DefenderMutationInput : MutationInput
{
    [Id] public string DefenderId { get; set; } = "";
}

internal sealed class RegisterDefenderInput : IdempotentInput
{
    [Description("Personal data: stored encrypted, erasable.")]
    public string Name { get; set; } = "";
    [Description("Shown instead of the name to callers who may not see it.")]
    public string? Pseudonym { get; set; }
    [CountryCode] public string CountryCode { get; set; } = "";
    public Gender? Gender { get; set; }
    [Id] public List<string>? OrganisationIds { get; set; }
    [DefaultValue(false)] public bool? ConsentToPublishName { get; set; }
    [Description(WriteClearance.DefaultDescription)]
    public Confidentiality? Confidentiality { get; set; }
    public List<string>? ThematicAreas { get; set; }
    [Description("RESTRICTED."), WritableFrom(DefenderFieldRules.ConfidentialDetails)]
    public string? Contact { get; set; }
    [Description("RESTRICTED."), WritableFrom(DefenderFieldRules.ConfidentialDetails)]
    public string? Location { get; set; }
}

internal sealed class UpdateDefenderInput : DefenderMutationInput
{
    public string? Name { get; set; }
    public string? Pseudonym { get; set; }
    [CountryCode] public string? CountryCode { get; set; }
    public Gender? Gender { get; set; }
    public Confidentiality? Confidentiality { get; set; }
    public List<string>? ThematicAreas { get; set; }
}

/// <summary>What was consented, when and by whom is read from STAFF (Defender.consent): written from STAFF too.</summary>
internal sealed class RecordConsentInput : DefenderMutationInput
{
    [WritableFrom(Confidentiality.Staff)] public bool ToPublishName { get; set; }
    [WritableFrom(Confidentiality.Staff)] public bool ToPublishPortrait { get; set; }
    [Description("Default: today."), WritableFrom(Confidentiality.Staff)]
    public DateOnly? GivenOn { get; set; }
}

internal sealed class SetRiskLevelInput : DefenderMutationInput
{
    [WritableFrom(DefenderFieldRules.RiskLevel)] public RiskLevel Level { get; set; }
}

internal sealed class RecordDefenderSituationInput : DefenderMutationInput
{
    public Situation Situation { get; set; }
    [PartialDate, Description("When it was so (2013, 2013-03 or 2013-03-21).")]
    public string Date { get; set; } = "";
    [Description("Default and minimum: the profile's level (a place of hiding is best kept RESTRICTED).")]
    public Confidentiality? Confidentiality { get; set; }
}

internal sealed class SetConfidentialDetailsInput : DefenderMutationInput
{
    [WritableFrom(DefenderFieldRules.ConfidentialDetails)] public string? Contact { get; set; }
    [WritableFrom(DefenderFieldRules.ConfidentialDetails)] public string? Location { get; set; }
    [WritableFrom(DefenderFieldRules.ConfidentialDetails)] public string? Family { get; set; }
    [WritableFrom(DefenderFieldRules.ConfidentialDetails)] public string? RiskNotes { get; set; }
}

internal sealed class AffiliateDefenderInput : DefenderMutationInput
{
    [Id] public string OrganisationId { get; set; } = "";
}

internal sealed class EndAffiliationInput : DefenderMutationInput
{
    [Id] public string OrganisationId { get; set; } = "";
    [Description("Default: today.")]
    public DateOnly? EndedOn { get; set; }
    [Description("STAFF: why it ended."), WritableFrom(DefenderFieldRules.AffiliationReason)]
    public string? Reason { get; set; }
}

internal sealed class EraseDefenderPersonalDataInput : DefenderMutationInput;

internal sealed class MergeDefendersInput : IdempotentInput
{
    [Description("The target profile's version as you read it; CONFLICT when it has changed since.")]
    public int? ExpectedVersion { get; set; }
    [Id, Description("The duplicate: it will redirect to the target.")]
    public string SourceId { get; set; } = "";
    [Id, Description("The profile that remains.")]
    public string TargetId { get; set; } = "";
}

internal sealed class RegisterOrganisationInput : IdempotentInput
{
    public string Name { get; set; } = "";
    [CountryCode] public string CountryCode { get; set; } = "";
    public bool? NetworkMember { get; set; }
    public DateOnly? MemberSince { get; set; }
    [Description(WriteClearance.DefaultDescription)]
    public Confidentiality? Confidentiality { get; set; }
}

internal sealed class UpdateOrganisationInput : MutationInput
{
    [Id] public string OrganisationId { get; set; } = "";
    public string? Name { get; set; }
    [CountryCode] public string? CountryCode { get; set; }
    public Confidentiality? Confidentiality { get; set; }
}

internal sealed class SetNetworkMembershipInput : MutationInput
{
    [Id] public string OrganisationId { get; set; } = "";
    public bool Member { get; set; }
    [Description("Default: today when joining.")]
    public DateOnly? Since { get; set; }
}
