using GraphQL.Types;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Import.GraphQL;
using Omct.Platform.Import.Mappings;
using Omct.Platform.Import.Report;
using Omct.Platform.Import.Runs;

namespace Omct.Platform.Import;

/// <summary>
/// Import of records from CSV, XLSX, JSON and NDJSON files: import files (tus uploads of the Files module), saved
/// column mappings, dry and real runs as jobs with progress and resume, the import-key table that makes runs
/// idempotent, and the error report. The records are made by each module's own importer
/// (<see cref="BuildingBlocks.Import.IRecordImporter"/>, in the module's Import folder) through its command handlers.
/// </summary>
internal sealed class ImportModule : PlatformModule
{
    public override string Name => "import";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSection<ImportOptions>(configuration, ImportOptions.Section);
        services.AddSingleton<ImportEngine>();
        services.AddSingleton<ImportScheduler>();
        services.AddScoped<ImportCommands>();
        // What a row's importer may ask of its run (a dry run's claims); set by the engine in each row's scope.
        services.AddScoped<BuildingBlocks.Import.ImportRunContext>();
        services.AddTransient<ImportRunJob>();
        services.AddHostedService<ImportResumer>();
        services.AddSystemJob<ExpiredImportFilesJob>(ExpiredImportFilesJob.Definition);
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<ImportMapping>().DocumentAlias("import_mapping").UniqueIndex(m => m.Name).Duplicate(m => m.OrderKey);
        options.Schema.For<ImportFile>().DocumentAlias("import_file");
        options.Schema.For<ImportRun>().DocumentAlias("import_run").Duplicate(r => r.OrderKey).Duplicate(r => r.CallerId).Duplicate(r => r.FileId);
        options.Schema.For<ImportCancellation>().DocumentAlias("import_cancellation");
        options.Schema.For<ImportKey>().DocumentAlias("import_key");
        options.Schema.For<ImportRowResult>().DocumentAlias("import_row").Duplicate(r => r.RunId).Duplicate(r => r.Index);
        options.Schema.For<ImportError>().DocumentAlias("import_error").Duplicate(e => e.RunId).Duplicate(e => e.Sequence);
        ImportCommands.OrderKeys.Register(options);
    }

    public override void AddQueryFields(ObjectGraphType query) => query.AddFieldsOf<ImportQueries>();

    public override void AddMutationFields(ObjectGraphType mutation) => mutation.AddFieldsOf<ImportMutations>();

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => ErrorReportEndpoint.Map(endpoints);
}

public static class ImportModuleRegistration
{
    public static IServiceCollection AddImportModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new ImportModule(), configuration);
}
