using GraphQL.Types;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Files.Contracts;
using Omct.Platform.Files.Domain;
using Omct.Platform.Files.Downloads;
using Omct.Platform.Files.FileDetails;
using Omct.Platform.Files.GraphQL;
using Omct.Platform.Files.Portraits;
using Omct.Platform.Files.Scanning;
using Omct.Platform.Files.Storage;
using Omct.Platform.Files.Uploads;

namespace Omct.Platform.Files;

/// <summary>
/// Files and evidence: resumable uploads (tus 1.0 at <c>/files/uploads</c>), encrypted chunked storage, files attached to
/// the records of other modules (<see cref="IAttachmentTargets"/>) with a level of their own, verified downloads at
/// <c>/files/{id}</c>, and each file's chain of custody. See the module's README.
/// </summary>
internal sealed class FilesModule : PlatformModule
{
    public override string Name => "files";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        var options = services.AddValidatedSection<FilesOptions>(configuration, FilesOptions.Section);
        services.AddScoped<FileKeys>();
        if (options.UsesS3)
        {
            services.AddSingleton<S3Chunks>();
            services.AddScoped<IFileStore, S3FileStore>();
        }
        else
        {
            services.AddScoped<IFileStore, PostgresFileStore>();
        }

        services.AddScoped<FileUploads>();
        services.AddScoped<IImportUploads, Import.ImportUploads>();
        services.AddScoped<ClamdScanner>();
        services.AddSystemJob<AbandonedUploadsJob>(AbandonedUploadsJob.Definition);
        services.AddScoped<FileCommands>();
        services.AddScoped<Content.EvidenceCopies>();
        services.AddScoped<FileCustody>();
        services.AddSingleton<Search.FileTextSearch>();
        services.AddSingleton<FileVisibility>();
        services.AddSingleton<IAttachedFiles, AttachedFiles>();
        services.AddSingleton<INodeResolver, FileNodeResolver>();
        // The change feed, the bulk export and a defender's erasure (ChangeFeed/, Export/, Erasure/).
        services.AddSingleton<BuildingBlocks.Integration.IChangeFeedSource, ChangeFeed.FileFeedSource>();
        services.AddSingleton<BuildingBlocks.Integration.IExportSource, Export.FileExportSource>();
        services.AddSingleton<BuildingBlocks.Privacy.IPersonalDataErasureParticipant, Erasure.FileErasureParticipant>();
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Events.MapEventType<FileUploaded>("files.file_uploaded");
        options.Events.MapEventType<FileAttached>("files.file_attached");
        options.Events.MapEventType<FileReclassified>("files.file_reclassified");
        options.Events.MapEventType<FileDownloaded>("files.file_downloaded");
        options.Events.MapEventType<FileErased>("files.file_erased");
        options.Projections.Add<StoredFileProjection>(ProjectionLifecycle.Inline);
        options.Projections.AddWriteModel(FileDecider.Evolve);
        // Fed by the defenders module's contract event, in the consent's own transaction (as the news module's portraits).
        options.Projections.Add<FilePortraitConsentProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<FilePortraitConsent>().DocumentAlias(PortraitRule.DocumentAlias);
        // A defender's erasure destroys the keys of the defender's files in its own transaction (Erasure/FileErasureProjection).
        options.Projections.Add(new Erasure.FileErasureProjection(), ProjectionLifecycle.Inline, Erasure.FileErasureProjection.Name, _ => { });
        options.Schema.For<StoredFile>().DocumentAlias(Erasure.FileErasureProjection.StoredFileAlias).Duplicate(f => f.RecordId).Duplicate(f => f.Confidentiality);
        options.Schema.For<FileUpload>().DocumentAlias("files_upload");
        // A PDF's text, searched in the configuration of its record's language: english (the cases), french and spanish (the
        // articles' languages); an index for each (Search/FileTextSearch spells the same expressions).
        options.Schema.For<Search.FileText>().DocumentAlias("files_text").FullTextIndex(t => t.Text)
            .FullTextIndex("french", t => t.Text).FullTextIndex("spanish", t => t.Text);
        // The defenders' per-person keys are the platform's erasable keys: a file's key is one more, under the file's id.
        options.Storage.ExtendedSchemaObjects.Add(PostgresFileStore.SchemaObject(options.DatabaseSchemaName));
    }

    public override void AddMutationFields(ObjectGraphType mutation) => mutation.AddFieldsOf<FileMutations>();

    public override void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        TusEndpoint.Map(endpoints);
        FileDownloadEndpoint.Map(endpoints);
        Previews.PreviewEndpoints.Map(endpoints);
    }
}

public static class FilesModuleRegistration
{
    public static IServiceCollection AddFilesModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new FilesModule(), configuration);
}
