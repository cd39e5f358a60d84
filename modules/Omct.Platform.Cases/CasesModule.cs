using GraphQL.Types;
using JasperFx.Events.Projections;
using Marten;
using Weasel.Postgresql.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.BuildingBlocks.Modules;
using NpgsqlTypes;
using Omct.Platform.Cases.Anniversaries;
using Omct.Platform.Cases.CaseDetails;
using Omct.Platform.Cases.CaseList;
using Omct.Platform.Cases.ChangeFeed;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Cases.DemoData;
using Omct.Platform.Cases.Domain;
using Omct.Platform.Cases.Export;
using Omct.Platform.Cases.GraphQL;
using Omct.Platform.Cases.Handling;
using Omct.Platform.Cases.References;

namespace Omct.Platform.Cases;

/// <summary>Urgent interventions: the case streams, their read model, references and GraphQL fields.</summary>
internal sealed class CasesModule : PlatformModule
{
    public override string Name => "cases";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ReferenceCounters>();
        services.AddSingleton<CaseSearch>();
        services.AddSingleton<ICaseDirectory, CaseDirectory>();
        services.AddSingleton<Files.Contracts.IAttachmentTargets, CaseAttachmentTargets>();
        services.AddSingleton<ICaseActivity, CaseActivitySource>();
        services.AddSingleton<AnniversaryCalendar>();
        services.AddSingleton<IAnniversaryCalendar>(sp => sp.GetRequiredService<AnniversaryCalendar>());
        services.AddSingleton<INodeResolver, CaseNodeResolver>();
        services.AddScoped<CaseCommands>();
        // Kept inline from the case stream: a command loads it with the case (see StreamCommands), not again when saving.
        services.AddSingleton(InlineDocument.Of<CaseState, CaseAnniversaries>());
        services.AddSingleton<BuildingBlocks.Import.IRecordImporter, Import.CaseImporter>();
        services.AddSingleton<BuildingBlocks.Import.IRecordImporter, Import.CaseEventImporter>();
        services.AddSingleton<BuildingBlocks.Import.IRecordImporter, Import.InterventionImporter>();
        services.AddScoped<IDemoDataSeeder, CaseDemoData>();
        services.AddScoped<IDemoDataSeeder, LargeCaseDemoData>();
        services.AddSingleton<IChangeFeedSource, CaseFeedSource>();
        services.AddSingleton<IExportSource, CaseExportSource>();
        services.AddSingleton<BuildingBlocks.Privacy.IPersonalDataErasureParticipant, Erasure.CaseTextErasure>();
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Events.MapEventType<CaseOpened>("cases.case_opened");
        options.Events.MapEventType<CaseEventRecorded>("cases.case_event_recorded");
        options.Events.MapEventType<CaseEventCorrected>("cases.case_event_corrected");
        options.Events.MapEventType<VictimAdded>("cases.victim_added");
        options.Events.MapEventType<InterventionIssued>("cases.intervention_issued");
        options.Events.MapEventType<CaseStatusChanged>("cases.case_status_changed");
        options.Events.MapEventType<CaseConfidentialityChanged>("cases.case_confidentiality_changed");
        options.Events.MapEventType<DefenderSituationReported>("cases.defender_situation_reported");
        options.Events.MapEventType<DefenderSituationRetracted>("cases.defender_situation_retracted");
        options.Events.MapEventType<CaseEventReclassified>("cases.case_event_reclassified");
        options.Events.MapEventType<CaseUpdated>("cases.case_updated");
        options.Events.MapEventType<CaseEventWithdrawn>("cases.case_event_withdrawn");
        options.Events.MapEventType<VictimWithdrawn>("cases.victim_withdrawn");
        options.Events.MapEventType<InterventionCorrected>("cases.intervention_corrected");
        options.Events.MapEventType<CaseTextRedacted>("cases.case_text_redacted");

        options.Projections.Add<CaseProjection>(ProjectionLifecycle.Inline);
        // What CaseDecider decides on, aggregated live from the stream for each command (see Handling/CaseCommands).
        options.Projections.AddWriteModel<CaseState>(CaseDecider.Evolve);
        options.Schema.For<Case>()
            .DocumentAlias("cases_case")
            .UniqueIndex(c => c.Reference)
            // Columns for the list's filters, keyset order and the statistics (see CaseList/CaseSearch).
            .Duplicate(c => c.OrderKey)
            .Duplicate(c => c.CountryCode)
            .Duplicate(c => c.Status)
            .Duplicate(c => c.Confidentiality)
            .Duplicate(c => c.OpenedOn)
            // Statistics group the visible cases by one of these: an index-only scan instead of reading every document
            // (100k cases: ~4 s → ~50 ms under load, measured with build/bench).
            .Index([c => c.Confidentiality, c => c.CountryCode, c => c.Status, c => c.OpenedOn], index => index.Name = "mt_doc_cases_case_idx_statistics")
            .FullTextIndex(c => c.SearchText)
            // The digests' and reports' periods find their cases through this (see CaseList/CaseActivitySource).
            .Duplicate(c => c.ActivityDays, "integer[]", NpgsqlDbType.Array | NpgsqlDbType.Integer, index => index.Method = IndexMethod.gin);
        options.Storage.ExtendedSchemaObjects.Add(ReferenceCounters.Table(options.DatabaseSchemaName));
        // The lean rows the case list reads, kept from the documents above by triggers (see CaseList/CaseListRows).
        options.Storage.Add(new CaseListRows.Feature(options));

        // Counters for the dashboards' statistics, kept by the async daemon (see CaseList/CaseStatisticsProjection).
        options.Projections.Add(new CaseStatisticsProjection(), ProjectionLifecycle.Async, CaseStatisticsProjection.Name, projection =>
        {
            projection.DeleteViewTypeOnTeardown<CaseStatisticsCounter>();
            projection.DeleteViewTypeOnTeardown<CaseStatisticsEntry>();
        });
        options.Schema.For<CaseStatisticsEntry>().DocumentAlias("cases_statistics_entry");
        options.Schema.For<CaseStatisticsCounter>()
            .DocumentAlias("cases_statistics_counter")
            .Duplicate(c => c.CountryCode)
            .Duplicate(c => c.Year)
            .Duplicate(c => c.Status)
            .Duplicate(c => c.Confidentiality)
            .Duplicate(c => c.Count);
        options.Projections.Add<CaseAnniversariesProjection>(ProjectionLifecycle.Inline);
        // The window queries find their cases through these (see AnniversaryRules.YearlyKeysBetween / DetentionStartsBetween).
        options.Schema.For<CaseAnniversaries>()
            .DocumentAlias(CaseAnniversaries.Alias)
            .Duplicate(a => a.YearlyKeys, "integer[]", NpgsqlDbType.Array | NpgsqlDbType.Integer, index => index.Method = IndexMethod.gin)
            .Duplicate(a => a.DetentionStarts, "date[]", NpgsqlDbType.Array | NpgsqlDbType.Date, index => index.Method = IndexMethod.gin);
    }

    public override void AddQueryFields(ObjectGraphType query) => query.AddFieldsOf<CaseQueries>();

    public override void AddMutationFields(ObjectGraphType mutation) => mutation.AddFieldsOf<CaseMutations>();
}

public static class CasesModuleRegistration
{
    public static IServiceCollection AddCasesModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new CasesModule(), configuration);
}
