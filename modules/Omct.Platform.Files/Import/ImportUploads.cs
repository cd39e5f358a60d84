using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Files.Contracts;
using Omct.Platform.Files.Storage;
using Omct.Platform.Files.Uploads;

namespace Omct.Platform.Files.Import;

/// <summary>
/// Uploads taken by imports (<see cref="IImportUploads"/>). Taking marks the upload <see cref="FileUpload.Attached"/>:
/// the one flag that already keeps an upload from being attached (attachFile: CONFLICT) and from the abandoned-upload
/// clean-up — with no record ever made of it; the import module deletes it when its run is done. Scoped.
/// </summary>
internal sealed class ImportUploads(IDocumentStore store, FileUploads uploads, IFileStore files) : IImportUploads
{
    public async Task<ImportUpload?> TakeAsync(Guid uploadId, Caller caller, CancellationToken cancellationToken)
    {
        // Under the upload's lock: no PATCH, attachment, termination or clean-up meanwhile.
        await using var held = await uploads.HoldAsync(uploadId, wait: true, cancellationToken);
        if (held is null || await uploads.FindOwnAsync(uploadId, caller, cancellationToken) is not { Complete: true, Attached: false } upload)
        {
            return null;
        }

        upload.Attached = true;
        await using var session = store.LightweightSession();
        session.Store(upload);
        await session.SaveChangesAsync(cancellationToken);
        return new ImportUpload(upload.Id, upload.FileName, upload.TypeName ?? "", upload.Length);
    }

    public async Task<Stream?> OpenAsync(Guid uploadId, string ownerId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var upload = await session.LoadAsync<FileUpload>(uploadId, cancellationToken);
        return upload is { Complete: true } && upload.Owner == ownerId ? new StoredContentStream(files, upload.Id, upload.Length) : null;
    }

    public async Task DeleteAsync(Guid uploadId, CancellationToken cancellationToken)
    {
        await files.DeleteAsync(uploadId, cancellationToken);
        await using var session = store.LightweightSession();
        session.Delete<FileUpload>(uploadId);
        await session.SaveChangesAsync(cancellationToken);
    }
}
