using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Files.FileDetails;

/// <summary>
/// The reads of a file in its chain of custody — downloaded (the content, or the kept original), viewed (a thumbnail)
/// — kept in the platform's audit store of reads (<see cref="IRestrictedReadRecorder"/>, the store behind
/// <c>auditEntries</c>), not in the file's stream: reading a file does not change its version, so a
/// <c>reclassifyFile</c> with the version read before someone downloaded it still applies. Each entry has who (the
/// caller id: the credential), when, and the request's trace id; <c>File.custody</c> merges them with the stream's.
/// </summary>
internal sealed class FileCustody(IRestrictedReadRecorder recorder, IRecordedReads reads)
{
    public const string Downloaded = "files.file_downloaded";
    public const string OriginalDownloaded = "files.file_original_downloaded";
    public const string Viewed = "files.file_viewed";

    private static readonly string[] Fields = [Downloaded, OriginalDownloaded, Viewed];

    /// <summary>Records the read and waits until it is saved: the content is sent only once its custody entry is stored.</summary>
    public async Task RecordAsync(StoredFile file, string field, Caller caller, CancellationToken ct)
    {
        recorder.Record(caller, field, file.Id);
        await recorder.WrittenAsync(ct);
    }

    public Task RecordAsync(StoredFile file, CustodyKind kind, Caller caller, CancellationToken ct) =>
        RecordAsync(file, kind == CustodyKind.Viewed ? Viewed : Downloaded, caller, ct);

    /// <summary>The file's whole chain: the stream's entries and the recorded reads, oldest first.</summary>
    public async Task<IReadOnlyList<CustodyEntry>> ChainAsync(StoredFile file, CancellationToken ct)
    {
        var recorded = await reads.OfEntityAsync(file.Id, Fields, ct);
        return file.Custody
            .Concat(recorded.Select(r => new CustodyEntry
            {
                Kind = r.Field == Viewed ? CustodyKind.Viewed : CustodyKind.Downloaded, At = r.At, By = r.CallerId, TraceId = r.TraceId,
            }))
            .OrderBy(e => e.At)
            .ToList();
    }
}
