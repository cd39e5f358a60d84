using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Jobs;

namespace Omct.Platform.Files.Uploads;

/// <summary>
/// Every hour (clustered: on one node at a time), deletes the uploads never completed or never attached whose last activity
/// (their last stored bytes, or their creation) is more than <see cref="FilesOptions.AbandonedUploadHours"/> ago — their
/// stored chunks, their key and their bookkeeping — so that content nobody made a file of does not stay encrypted in storage
/// for ever, while a partner resuming an upload over days keeps it. Each is deleted under the upload's lock, checked again
/// there: one being written to or attached at that moment is left for the next run. Attached files are never touched
/// (their upload is marked attached). Idempotent: a rerun finds nothing more.
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
            // Its last activity before the cut-off: created before it, and not written since.
            abandoned = await session.Query<FileUpload>()
                .Where(u => !u.Attached && u.CreatedAt < cutoff && (u.LastWrittenAt == null || u.LastWrittenAt < cutoff))
                .OrderBy(u => u.CreatedAt).ToListAsync(cancellationToken);
        }

        var deleted = 0;
        var looked = 0;
        foreach (var candidate in abandoned)
        {
            looked++;
            await using (var held = await uploads.HoldAsync(candidate.Id, wait: false, cancellationToken))
            {
                FileUpload? upload;
                await using (var session = store.QuerySession())
                {
                    upload = held is null ? null : await session.LoadAsync<FileUpload>(candidate.Id, cancellationToken);
                }

                if (held is null || upload is null || upload.Attached || upload.ActiveAt >= cutoff)
                {
                    logger.LogInformation("Upload {UploadId} left for now: {Why}", candidate.Id,
                        held is null ? "a request is writing to it or attaching it" : upload is null ? "deleted meanwhile" : "attached or written to meanwhile");
                }
                else
                {
                    await uploads.DeleteAsync(upload, cancellationToken);
                    deleted++;
                    logger.LogInformation("Abandoned upload {UploadId} deleted ({State}, {Offset} of {Length} bytes, created {CreatedAt:o}, last written {ActiveAt:o})",
                        upload.Id, upload.Complete ? "complete, never attached" : "never completed", upload.Offset, upload.Length, upload.CreatedAt, upload.ActiveAt);
                }
            }

            await run.ReportProgressAsync(looked, abandoned.Count, cancellationToken);
        }

        return deleted;
    }
}
