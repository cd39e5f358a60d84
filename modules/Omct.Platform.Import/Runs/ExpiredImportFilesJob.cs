using Marten;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.Files.Contracts;

namespace Omct.Platform.Import.Runs;

/// <summary>
/// Every hour (clustered): deletes the import files older than <see cref="ImportOptions.RetentionHours"/> that no run
/// is still working on — a file only dry-run, or never run — with their content and key. A real run deletes its file
/// itself when it is done. Idempotent: a rerun finds nothing more.
/// </summary>
internal sealed class ExpiredImportFilesJob(IDocumentStore store, IImportUploads uploads, TimeProvider time, IOptions<ImportOptions> options) : SystemJob
{
    public static readonly JobDefinition Definition = new(
        "DELETE_EXPIRED_IMPORT_FILES", typeof(ExpiredImportFilesJob), JobSchedule.Every(TimeSpan.FromHours(1)), "import-cleanup",
        "Deletes the import files kept past the configured time (dry-run or never run), with their content and key.", group: "import");

    protected override async Task<int> RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow().AddHours(-options.Value.RetentionHours);
        IReadOnlyList<ImportFile> expired;
        await using (var query = store.QuerySession())
        {
            expired = await query.Query<ImportFile>().Where(f => f.DeletedAt == null && f.CreatedAt < cutoff).ToListAsync(cancellationToken);
        }

        var deleted = 0;
        foreach (var file in expired)
        {
            bool busy;
            await using (var query = store.QuerySession())
            {
                busy = await query.Query<ImportRun>().AnyAsync(
                    r => r.FileId == file.Id && (r.Status == ImportRunStatus.Queued || r.Status == ImportRunStatus.Running), cancellationToken);
            }

            if (!busy)
            {
                await ImportEngine.DeleteFileAsync(store, file, uploads, time, cancellationToken);
                deleted++;
            }

            await run.ReportProgressAsync(deleted, expired.Count, cancellationToken);
        }

        return deleted;
    }
}
