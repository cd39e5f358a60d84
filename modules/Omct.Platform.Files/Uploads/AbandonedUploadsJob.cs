using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Jobs;

namespace Omct.Platform.Files.Uploads;

/// <summary>
/// Every hour (clustered: on one node at a time), deletes the uploads created more than
/// <see cref="FilesOptions.AbandonedUploadHours"/> ago that were never completed or never attached — their stored chunks,
/// their key and their bookkeeping — so that content nobody made a file of does not stay encrypted in storage for ever.
/// Attached files are never touched (their upload is marked attached). Idempotent: a rerun finds nothing more.
/// </summary>
internal sealed class AbandonedUploadsJob(IDocumentStore store, FileUploads uploads, TimeProvider time, IOptions<FilesOptions> options, ILogger<AbandonedUploadsJob> logger)
    : SystemJob
{
    public static readonly JobDefinition Definition = new(
        "DELETE_ABANDONED_UPLOADS", typeof(AbandonedUploadsJob), JobSchedule.Every(TimeSpan.FromHours(1)), "files-cleanup",
        "Deletes the uploads never completed or never attached after the configured time, with their content and key.", group: "files");

    protected override async Task<int> RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddHours(-options.Value.AbandonedUploadHours);
        IReadOnlyList<FileUpload> abandoned;
        await using (var session = store.QuerySession())
        {
            abandoned = await session.Query<FileUpload>().Where(u => !u.Attached && u.CreatedAt < cutoff).OrderBy(u => u.CreatedAt).ToListAsync(cancellationToken);
        }

        var deleted = 0;
        foreach (var upload in abandoned)
        {
            await uploads.DeleteAsync(upload, cancellationToken);
            deleted++;
            logger.LogInformation("Abandoned upload {UploadId} deleted ({State}, {Offset} of {Length} bytes, created {CreatedAt:o})",
                upload.Id, upload.Complete ? "complete, never attached" : "never completed", upload.Offset, upload.Length, upload.CreatedAt);
            await run.ReportProgressAsync(deleted, abandoned.Count, cancellationToken);
        }

        return deleted;
    }
}
