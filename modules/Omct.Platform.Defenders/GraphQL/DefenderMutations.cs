using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Handling;
using Omct.Platform.Defenders.Profiles;

namespace Omct.Platform.Defenders.GraphQL;

internal static class DefenderMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PayloadGraphType<DefenderGraphType>>>("registerDefender")
            .Argument<NonNullGraphType<RegisterDefenderInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<RegisterDefenderInput>("input");
                var organisationIds = (i.OrganisationIds ?? []).Select((o, n) => Id(o, DefenderIds.Organisation, $"organisationIds[{n}]")).ToList();
                var result = await ctx.Service<DefenderCommands>().RegisterAsync(new RegisterDefender(i.Name, i.Pseudonym, i.CountryCode, i.Gender,
                    i.ConsentToPublishName, i.Confidentiality, i.ThematicAreas ?? [], i.Contact, i.Location, organisationIds), i.ClientMutationId, ctx.CancellationToken);
                return new Payload<Profiles.Defender>(result, i.ClientMutationId);
            });

        DefenderField<UpdateDefenderInput, UpdateDefenderInputGraphType>(mutation, "updateDefender",
            "Changes the given profile fields.", (c, i, ct) => c.UpdateAsync(DefenderId(i), i.ExpectedVersion,
                new UpdateDefender(i.Name, i.Pseudonym, i.CountryCode, i.Gender, i.Confidentiality, i.ThematicAreas), i.ClientMutationId, ct));
        DefenderField<RecordConsentInput, RecordConsentInputGraphType>(mutation, "recordConsent",
            "Records the person's consent (to publish the name, a portrait), when given and by whom.", (c, i, ct) => c.RecordConsentAsync(
                DefenderId(i), i.ExpectedVersion, new RecordConsent(i.ToPublishName, i.ToPublishPortrait, i.GivenOn), i.ClientMutationId, ct));
        DefenderField<SetRiskLevelInput, SetRiskLevelInputGraphType>(mutation, "setRiskLevel", "Sets the risk level (STAFF information).",
            (c, i, ct) => c.SetRiskLevelAsync(DefenderId(i), i.ExpectedVersion, i.Level, i.ClientMutationId, ct));
        DefenderField<RecordDefenderSituationInput, RecordDefenderSituationInputGraphType>(mutation, "recordDefenderSituation",
            "Records a situation learnt outside any case (IN_HIDING, AT_LIBERTY …); it counts with the cases' reports, latest by date.",
            (c, i, ct) => c.RecordSituationAsync(DefenderId(i), i.ExpectedVersion, new RecordSituation(i.Situation, i.Date, i.Confidentiality), i.ClientMutationId, ct));
        DefenderField<SetConfidentialDetailsInput, SetConfidentialDetailsInputGraphType>(mutation, "setConfidentialDetails",
            "Replaces the RESTRICTED details (contact, location, family, risk notes); an absent one is cleared.", (c, i, ct) => c.SetDetailsAsync(
                DefenderId(i), i.ExpectedVersion, new SetConfidentialDetails(i.Contact, i.Location, i.Family, i.RiskNotes), i.ClientMutationId, ct));
        DefenderField<AffiliateDefenderInput, AffiliateDefenderInputGraphType>(mutation, "affiliateDefender", "Affiliates the defender with an organisation.",
            (c, i, ct) => c.AffiliateAsync(DefenderId(i), i.ExpectedVersion, Id(i.OrganisationId, DefenderIds.Organisation, "organisationId"), i.ClientMutationId, ct));

        mutation.Field<NonNullGraphType<PayloadGraphType<DefenderGraphType>>>("mergeDefenders")
            .Description("Two profiles found to be the same person: the source redirects to the target, its cases and reports count there; history is kept.")
            .Argument<NonNullGraphType<MergeDefendersInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<MergeDefendersInput>("input");
                var result = await ctx.Service<DefenderCommands>().MergeAsync(Id(i.SourceId, DefenderIds.Defender, "sourceId"),
                    Id(i.TargetId, DefenderIds.Defender, "targetId"), i.ExpectedVersion, i.ClientMutationId, ctx.CancellationToken);
                return new Payload<Profiles.Defender>(result, i.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<PayloadGraphType<DefenderGraphType>>>("eraseDefenderPersonalData")
            .Description("ADMIN: erases the person's personal data on request (their key is destroyed: no API, export, feed or rebuild shows it again).")
            .Argument<NonNullGraphType<EraseDefenderInputGraphType>>("input")
            .RequireRole(Role.Admin)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<EraseDefenderInput>("input");
                var result = await ctx.Service<DefenderCommands>().EraseAsync(DefenderId(i), i.ExpectedVersion, i.ClientMutationId, ctx.CancellationToken);
                return new Payload<Profiles.Defender>(result, i.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<PayloadGraphType<OrganisationGraphType>>>("registerOrganisation")
            .Argument<NonNullGraphType<RegisterOrganisationInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<RegisterOrganisationInput>("input");
                var result = await ctx.Service<DefenderCommands>().RegisterOrganisationAsync(
                    new RegisterOrganisation(i.Name, i.CountryCode, i.NetworkMember ?? false, i.MemberSince, i.Confidentiality), i.ClientMutationId, ctx.CancellationToken);
                return new Payload<Organisations.Organisation>(result, i.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<PayloadGraphType<OrganisationGraphType>>>("updateOrganisation")
            .Description("Changes the given fields of an organisation.")
            .Argument<NonNullGraphType<UpdateOrganisationInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<UpdateOrganisationInput>("input");
                var result = await ctx.Service<DefenderCommands>().UpdateOrganisationAsync(Id(i.OrganisationId, DefenderIds.Organisation, "organisationId"),
                    i.ExpectedVersion, i.Name, i.CountryCode, i.Confidentiality, i.ClientMutationId, ctx.CancellationToken);
                return new Payload<Organisations.Organisation>(result, i.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<PayloadGraphType<OrganisationGraphType>>>("setNetworkMembership")
            .Description("Joins (with the date) or leaves the SOS-Torture Network.")
            .Argument<NonNullGraphType<SetNetworkMembershipInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var i = ctx.GetArgument<SetNetworkMembershipInput>("input");
                var result = await ctx.Service<DefenderCommands>().SetMembershipAsync(Id(i.OrganisationId, DefenderIds.Organisation, "organisationId"),
                    i.ExpectedVersion, i.Member, i.Since, i.ClientMutationId, ctx.CancellationToken);
                return new Payload<Organisations.Organisation>(result, i.ClientMutationId);
            });
    }

    private static void DefenderField<TInput, TInputGraphType>(ObjectGraphType mutation, string name, string description,
        Func<DefenderCommands, TInput, CancellationToken, Task<Profiles.Defender>> run)
        where TInput : DefenderMutationInput
        where TInputGraphType : InputObjectGraphType<TInput>
    {
        mutation.Field<NonNullGraphType<PayloadGraphType<DefenderGraphType>>>(name)
            .Description(description)
            .Argument<NonNullGraphType<TInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<TInput>("input");
                return new Payload<Profiles.Defender>(await run(ctx.Service<DefenderCommands>(), input, ctx.CancellationToken), input.ClientMutationId);
            });
    }

    private static Guid DefenderId(DefenderMutationInput input) => Id(input.DefenderId, DefenderIds.Defender, "defenderId");

    private static Guid Id(string? value, string type, string field) =>
        GlobalId.TryDecode(value, type, out var id) ? id : throw DomainException.NotFound($"The {type.ToLowerInvariant()} ({field})");
}

internal abstract class DefenderMutationInput : MutationInput
{
    public string? DefenderId { get; set; }
}

internal sealed class RegisterDefenderInput : MutationInput
{
    public string? Name { get; set; }
    public string? Pseudonym { get; set; }
    public string? CountryCode { get; set; }
    public Gender? Gender { get; set; }
    public List<string>? OrganisationIds { get; set; }
    public bool ConsentToPublishName { get; set; }
    public Confidentiality? Confidentiality { get; set; }
    public List<string>? ThematicAreas { get; set; }
    public string? Contact { get; set; }
    public string? Location { get; set; }
}

internal sealed class UpdateDefenderInput : DefenderMutationInput
{
    public string? Name { get; set; }
    public string? Pseudonym { get; set; }
    public string? CountryCode { get; set; }
    public Gender? Gender { get; set; }
    public Confidentiality? Confidentiality { get; set; }
    public List<string>? ThematicAreas { get; set; }
}

internal sealed class RecordConsentInput : DefenderMutationInput
{
    public bool ToPublishName { get; set; }
    public bool ToPublishPortrait { get; set; }
    public DateOnly? GivenOn { get; set; }
}

internal sealed class SetRiskLevelInput : DefenderMutationInput
{
    public RiskLevel Level { get; set; }
}

internal sealed class RecordDefenderSituationInput : DefenderMutationInput
{
    public Situation Situation { get; set; }
    public string? Date { get; set; }
    public Confidentiality? Confidentiality { get; set; }
}

internal sealed class SetConfidentialDetailsInput : DefenderMutationInput
{
    public string? Contact { get; set; }
    public string? Location { get; set; }
    public string? Family { get; set; }
    public string? RiskNotes { get; set; }
}

internal sealed class AffiliateDefenderInput : DefenderMutationInput
{
    public string? OrganisationId { get; set; }
}

internal sealed class EraseDefenderInput : DefenderMutationInput;

internal sealed class MergeDefendersInput : MutationInput
{
    public string? SourceId { get; set; }
    public string? TargetId { get; set; }
}

internal sealed class RegisterOrganisationInput : MutationInput
{
    public string? Name { get; set; }
    public string? CountryCode { get; set; }
    public bool? NetworkMember { get; set; }
    public DateOnly? MemberSince { get; set; }
    public Confidentiality? Confidentiality { get; set; }
}

internal sealed class UpdateOrganisationInput : MutationInput
{
    public string? OrganisationId { get; set; }
    public string? Name { get; set; }
    public string? CountryCode { get; set; }
    public Confidentiality? Confidentiality { get; set; }
}

internal sealed class SetNetworkMembershipInput : MutationInput
{
    public string? OrganisationId { get; set; }
    public bool Member { get; set; }
    public DateOnly? Since { get; set; }
}

internal abstract class DefenderInputGraphType<T> : MutationInputGraphType<T> where T : DefenderMutationInput
{
    protected DefenderInputGraphType(string name) : base(name) => Field<NonNullGraphType<IdGraphType>>("defenderId");
}

internal sealed class RegisterDefenderInputGraphType : MutationInputGraphType<RegisterDefenderInput>
{
    public RegisterDefenderInputGraphType() : base("RegisterDefenderInput", onExistingEntity: false)
    {
        Field<NonNullGraphType<StringGraphType>>("name").Description("Personal data: stored encrypted, erasable.");
        Field<StringGraphType>("pseudonym").Description("Shown instead of the name to callers who may not see it.");
        Field<NonNullGraphType<CountryCodeGraphType>>("countryCode");
        Field<GenderGraphType>("gender");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("organisationIds");
        Field<BooleanGraphType>("consentToPublishName").DefaultValue(false);
        Field<ConfidentialityGraphType>("confidentiality").Description(WriteClearance.DefaultDescription);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("thematicAreas");
        Field<StringGraphType>("contact").Description("RESTRICTED.").WritableFrom(DefenderFieldRules.ConfidentialDetails);
        Field<StringGraphType>("location").Description("RESTRICTED.").WritableFrom(DefenderFieldRules.ConfidentialDetails);
    }
}

internal sealed class UpdateDefenderInputGraphType : DefenderInputGraphType<UpdateDefenderInput>
{
    public UpdateDefenderInputGraphType() : base("UpdateDefenderInput")
    {
        Field<StringGraphType>("name");
        Field<StringGraphType>("pseudonym");
        Field<CountryCodeGraphType>("countryCode");
        Field<GenderGraphType>("gender");
        Field<ConfidentialityGraphType>("confidentiality");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("thematicAreas");
    }
}

internal sealed class RecordConsentInputGraphType : DefenderInputGraphType<RecordConsentInput>
{
    public RecordConsentInputGraphType() : base("RecordConsentInput")
    {
        // What was consented, when and by whom is read from STAFF (Defender.consent).
        Field<NonNullGraphType<BooleanGraphType>>("toPublishName").WritableFrom(Confidentiality.Staff);
        Field<NonNullGraphType<BooleanGraphType>>("toPublishPortrait").WritableFrom(Confidentiality.Staff);
        Field<IsoDateGraphType>("givenOn").Description("Default: today.").WritableFrom(Confidentiality.Staff);
    }
}

internal sealed class SetRiskLevelInputGraphType : DefenderInputGraphType<SetRiskLevelInput>
{
    public SetRiskLevelInputGraphType() : base("SetRiskLevelInput") =>
        Field<NonNullGraphType<RiskLevelGraphType>>("level").WritableFrom(DefenderFieldRules.RiskLevel);
}

internal sealed class RecordDefenderSituationInputGraphType : DefenderInputGraphType<RecordDefenderSituationInput>
{
    public RecordDefenderSituationInputGraphType() : base("RecordDefenderSituationInput")
    {
        Field<NonNullGraphType<SituationGraphType>>("situation");
        Field<NonNullGraphType<PartialDateGraphType>>("date").Description("When it was so (2013, 2013-03 or 2013-03-21).");
        Field<ConfidentialityGraphType>("confidentiality").Description("Default and minimum: the profile's level (a place of hiding is best kept RESTRICTED).");
    }
}

internal sealed class SetConfidentialDetailsInputGraphType : DefenderInputGraphType<SetConfidentialDetailsInput>
{
    public SetConfidentialDetailsInputGraphType() : base("SetConfidentialDetailsInput")
    {
        Field<StringGraphType>("contact").WritableFrom(DefenderFieldRules.ConfidentialDetails);
        Field<StringGraphType>("location").WritableFrom(DefenderFieldRules.ConfidentialDetails);
        Field<StringGraphType>("family").WritableFrom(DefenderFieldRules.ConfidentialDetails);
        Field<StringGraphType>("riskNotes").WritableFrom(DefenderFieldRules.ConfidentialDetails);
    }
}

internal sealed class AffiliateDefenderInputGraphType : DefenderInputGraphType<AffiliateDefenderInput>
{
    public AffiliateDefenderInputGraphType() : base("AffiliateDefenderInput") => Field<NonNullGraphType<IdGraphType>>("organisationId");
}

internal sealed class EraseDefenderInputGraphType : DefenderInputGraphType<EraseDefenderInput>
{
    public EraseDefenderInputGraphType() : base("EraseDefenderPersonalDataInput") { }
}

internal sealed class MergeDefendersInputGraphType : MutationInputGraphType<MergeDefendersInput>
{
    public MergeDefendersInputGraphType() : base("MergeDefendersInput")
    {
        Field<NonNullGraphType<IdGraphType>>("sourceId").Description("The duplicate: it will redirect to the target.");
        Field<NonNullGraphType<IdGraphType>>("targetId").Description("The profile that remains.");
        GetField("expectedVersion")!.Description = "The target profile's version as you read it; CONFLICT when it has changed since.";
    }
}

internal sealed class RegisterOrganisationInputGraphType : MutationInputGraphType<RegisterOrganisationInput>
{
    public RegisterOrganisationInputGraphType() : base("RegisterOrganisationInput", onExistingEntity: false)
    {
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<CountryCodeGraphType>>("countryCode");
        Field<BooleanGraphType>("networkMember");
        Field<IsoDateGraphType>("memberSince");
        Field<ConfidentialityGraphType>("confidentiality").Description(WriteClearance.DefaultDescription);
    }
}

internal sealed class UpdateOrganisationInputGraphType : MutationInputGraphType<UpdateOrganisationInput>
{
    public UpdateOrganisationInputGraphType() : base("UpdateOrganisationInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field<StringGraphType>("name");
        Field<CountryCodeGraphType>("countryCode");
        Field<ConfidentialityGraphType>("confidentiality");
    }
}

internal sealed class SetNetworkMembershipInputGraphType : MutationInputGraphType<SetNetworkMembershipInput>
{
    public SetNetworkMembershipInputGraphType() : base("SetNetworkMembershipInput")
    {
        Field<NonNullGraphType<IdGraphType>>("organisationId");
        Field<NonNullGraphType<BooleanGraphType>>("member");
        Field<IsoDateGraphType>("since").Description("Default: today when joining.");
    }
}
