using GraphQL.Types;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Defenders.ChangeFeed;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.DemoData;
using Omct.Platform.Defenders.Directory;
using Omct.Platform.Defenders.Domain;
using Omct.Platform.Defenders.Export;
using Omct.Platform.Defenders.GraphQL;
using Omct.Platform.Defenders.Handling;
using Omct.Platform.Defenders.Organisations;
using Omct.Platform.Defenders.Profiles;
using Omct.Platform.Defenders.Situations;

namespace Omct.Platform.Defenders;

/// <summary>
/// The people and the network: defender profiles (personal data encrypted per person, erasable),
/// organisations, and each defender's situation from the cases' published events.
/// </summary>
internal sealed class DefendersModule : PlatformModule
{
    public const string SituationAlias = "defenders_situation_reports";

    /// <summary>The order keys of defenders and organisations (newest first in their lists).</summary>
    public static readonly OrderKeySequence OrderKeys = new("defenders_order_seq");

    public override string Name => "defenders";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IDefenderDirectory, DefenderDirectory>();
        services.AddSingleton<Files.Contracts.IAttachmentTargets, Attachments.DefenderAttachmentTargets>();
        services.AddScoped<DefenderCommands>();
        // The profiles' projection unwraps the people's keys (the master keys are a service).
        services.ConfigureMarten((provider, options) =>
            options.Projections.Add(new DefenderProjection(provider.GetRequiredService<PersonalDataKeys>()), ProjectionLifecycle.Inline));
        services.AddSingleton<Erasure.ErasureLedger>();
        services.AddScoped<IDefaultData, Erasure.ErasureLedgerReplay>();
        services.AddSingleton<INodeResolver, DefenderNodeResolver>();
        services.AddSingleton<INodeResolver, OrganisationNodeResolver>();
        services.AddScoped<IDemoDataSeeder, DefenderDemoData>();
        services.AddSingleton<IDefaultData, PlaintextDetailsRemoval>();
        services.AddSingleton<IChangeFeedSource, DefenderFeedSource>();
        services.AddSingleton<IExportSource, DefenderExportSource>();
        services.AddSingleton<IExportSource, OrganisationExportSource>();
        services.AddSingleton<BuildingBlocks.Import.IRecordImporter, Import.OrganisationImporter>().AddSingleton<BuildingBlocks.Import.IRecordImporter, Import.DefenderImporter>();
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Events.MapEventType<DefenderRegistered>("defenders.defender_registered");
        options.Events.MapEventType<DefenderProfileUpdated>("defenders.defender_profile_updated");
        options.Events.MapEventType<ConsentRecorded>("defenders.consent_recorded");
        options.Events.MapEventType<RiskLevelSet>("defenders.risk_level_set");
        options.Events.MapEventType<DefenderSituationRecorded>("defenders.situation_recorded");
        options.Events.MapEventType<ConfidentialDetailsChanged>("defenders.confidential_details_changed");
        options.Events.MapEventType<DefenderAffiliated>("defenders.defender_affiliated");
        options.Events.MapEventType<DefenderDisaffiliated>("defenders.defender_disaffiliated");
        options.Events.MapEventType<AffiliationEnded>("defenders.affiliation_ended");
        options.Events.MapEventType<DefenderMergedInto>("defenders.defender_merged_into");
        options.Events.MapEventType<DefenderAbsorbed>("defenders.defender_absorbed");
        options.Events.MapEventType<PersonalDataErased>("defenders.personal_data_erased");
        options.Events.MapEventType<DefenderPortraitConsentChanged>("defenders.portrait_consent_changed");
        options.Events.MapEventType<DefenderPersonalDataErased>("defenders.defender_personal_data_erased");
        options.Events.MapEventType<OrganisationRegistered>("defenders.organisation_registered");
        options.Events.MapEventType<OrganisationUpdated>("defenders.organisation_updated");
        options.Events.MapEventType<NetworkMembershipChanged>("defenders.network_membership_changed");

        options.Projections.Add<OrganisationProjection>(ProjectionLifecycle.Inline);
        // What DefenderDecider decides on, aggregated live from the streams for each command (see Handling/DefenderCommands).
        options.Projections.AddWriteModel<DefenderState>(DefenderDecider.Evolve);
        options.Projections.AddWriteModel<OrganisationState>(DefenderDecider.Evolve);
        options.Projections.Add<SituationReportsProjection>(ProjectionLifecycle.Inline);

        options.Schema.For<Defender>()
            .DocumentAlias("defenders_defender")
            .Duplicate(d => d.OrderKey)
            .Duplicate(d => d.ListedConfidentiality)
            .Duplicate(d => d.CountryCode);
        options.Schema.For<Organisation>().DocumentAlias("defenders_organisation").Duplicate(o => o.OrderKey);
        OrderKeys.Register(options);
        options.Schema.For<SituationReports>().DocumentAlias(SituationAlias);
        options.Schema.For<Erasure.ErasureRedactions>().DocumentAlias("defenders_erasure_redactions");
    }

    public override void AddQueryFields(ObjectGraphType query) => query.AddFieldsOf<DefenderQueries>();

    public override void AddMutationFields(ObjectGraphType mutation) => mutation.AddFieldsOf<DefenderMutations>();
}

public static class DefendersModuleRegistration
{
    public static IServiceCollection AddDefendersModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new DefendersModule(), configuration);
}
