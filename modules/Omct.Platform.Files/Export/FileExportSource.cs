using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.Files.FileDetails;
using Omct.Platform.Files.Portraits;

namespace Omct.Platform.Files.Export;

/// <summary>
/// <c>GET /export/files</c>: the metadata of the files the caller may see — by the one rule (<see cref="FileVisibility"/>:
/// the file's own level and its record as the record's module answers), checked per chunk of rows — with the values the
/// <c>File</c> type shows; never content, never a key. <c>uploadedBy</c> is the chain of custody's (STAFF, as
/// <c>File.custody</c>). Files erased with their defender are left out. The files are read from the export's snapshot; the
/// records' visibility, a portrait's consent and a defender's erasure are read at the time of the chunk.
/// </summary>
internal sealed class FileExportSource(FileVisibility visibility, IDocumentStore store) : IExportSource
{
    public const int Chunk = 500;

    public string Name => "files";

    public IReadOnlyList<string> Columns { get; } =
        ["id", "recordType", "recordId", "fileName", "mediaType", "size", "sha256", "confidentiality", "purpose", "uploadedAt", "uploadedBy",
         "version", "createdAt", "updatedAt"];

    public async IAsyncEnumerable<object?[]> RowsAsync(IQuerySession session, Caller caller,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var levels = caller.VisibleLevels();
        var files = session.Query<StoredFile>()
            .Where(f => f.RecordType != "" && levels.Contains(f.Confidentiality))
            .OrderBy(f => f.Id)
            .ToAsyncEnumerable(cancellationToken);
        var chunk = new List<StoredFile>(Chunk);
        await foreach (var file in files)
        {
            chunk.Add(file);
            if (chunk.Count == Chunk)
            {
                foreach (var row in await RowsOfAsync(session, chunk, caller, cancellationToken))
                {
                    yield return row;
                }

                chunk.Clear();
            }
        }

        foreach (var row in await RowsOfAsync(session, chunk, caller, cancellationToken))
        {
            yield return row;
        }
    }

    private async Task<List<object?[]>> RowsOfAsync(IQuerySession session, List<StoredFile> chunk, Caller caller, CancellationToken ct)
    {
        if (chunk.Count == 0)
        {
            return [];
        }

        // The export's session is busy streaming the files: a chunk's checks (consents, erasures) read on a session of their own.
        await using var checks = store.QuerySession();
        var visible = await visibility.VisibleAsync(checks, chunk, caller, ct);
        await PortraitRule.MarkErasedAsync(checks, chunk, ct);
        var custody = caller.CanSee(Confidentiality.Staff);
        return [.. chunk.Where(f => visible.Contains(f.Id) && f.ErasedAt is null).Select(f => new object?[]
        {
            GlobalId.Encode(FileIds.File, f.Id), f.RecordType, GlobalId.Encode(f.RecordType, f.RecordId), f.FileName, f.MediaType, f.Size, f.Sha256,
            f.Confidentiality, f.Purpose, f.UploadedAt, custody ? f.UploadedBy : null, f.Version, f.CreatedAt, f.UpdatedAt,
        })];
    }
}
