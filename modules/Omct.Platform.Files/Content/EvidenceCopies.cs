using System.Security.Cryptography;
using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.Files.Domain;
using Omct.Platform.Files.Previews;
using Omct.Platform.Files.Search;
using Omct.Platform.Files.Storage;
using Omct.Platform.Files.Uploads;
using UglyToad.PdfPig;

namespace Omct.Platform.Files.Content;

/// <summary>What attaching made of an upload's content: the shown copy, the original (kept or not), the thumbnail.</summary>
internal sealed record PreparedContent(string Sha256, long Size, OriginalContent? Original, StoredPreview? Thumbnail);

/// <summary>
/// Makes an upload's content ready to be shown, once, when it is attached (scoped):
/// <list type="bullet">
/// <item>a JPEG, PNG or WebP is decoded, turned upright and encoded again without any metadata; that copy becomes the
/// file's content (its SHA-256 the file's) and the original's SHA-256 is recorded. The original's bytes are kept,
/// under their own key, only when the uploader asks; otherwise its key is destroyed with its chunks;</item>
/// <item>a thumbnail (PNG) of the image or of a PDF's first page is stored encrypted beside the file;</item>
/// <item>a PDF's text is extracted for the search (<see cref="PdfText"/>).</item>
/// </list>
/// The result is saved on the upload, so that an attach tried again does not process the shown copy a second time.
/// </summary>
internal sealed class EvidenceCopies(IFileStore files, IDocumentStore store, IOptions<FilesOptions> options, ILogger<EvidenceCopies> logger)
{
    public static bool IsImage(FileType type) => type == FileTypes.Jpeg || type == FileTypes.Png || type == FileTypes.WebP;

    public async Task<PreparedContent> PrepareAsync(FileUpload upload, FileType type, bool keepOriginal, CancellationToken ct)
    {
        if (upload.Prepared is { } done)
        {
            return done;
        }

        PreparedContent prepared;
        if (IsImage(type))
        {
            prepared = await PrepareImageAsync(upload, type, keepOriginal, ct);
        }
        else if (type == FileTypes.Pdf)
        {
            var thumbnail = await ReadPdfAsync(upload.Id, upload.Length, document => Thumbnails.OfPdfFirstPage(document), ct);
            prepared = new PreparedContent(upload.Sha256!, upload.Length, null, thumbnail is null ? null : await StorePreviewAsync(thumbnail, ct));
        }
        else
        {
            prepared = new PreparedContent(upload.Sha256!, upload.Length, null, null);
        }

        upload.Prepared = prepared;
        await using var session = store.LightweightSession();
        session.Store(upload);
        await session.SaveChangesAsync(ct);
        return prepared;
    }

    /// <summary>The text of a PDF attached as <paramref name="fileId"/> (null for another type, or a PDF that cannot be read).</summary>
    public Task<string?> TextAsync(Guid fileId, long size, FileType type, CancellationToken ct) =>
        type == FileTypes.Pdf ? ReadPdfAsync(fileId, size, PdfText.Extract, ct) : Task.FromResult<string?>(null);

    private async Task<PreparedContent> PrepareImageAsync(FileUpload upload, FileType type, bool keepOriginal, CancellationToken ct)
    {
        byte[] shown;
        byte[] thumbnail;
        try
        {
            await using var original = new StoredContentStream(files, upload.Id, upload.Length);
            using var bitmap = ImageCopies.DecodeUpright(original, options.Value.MaxImagePixels);
            shown = ImageCopies.Encode(bitmap, type);
            thumbnail = Thumbnails.OfImage(bitmap);
        }
        catch (ImageRefusedException e)
        {
            throw DomainException.Validation("uploadId", e.Message);
        }

        Guid? keptAs = null;
        if (keepOriginal)
        {
            // The untouched original, chunk by chunk under a key of its own (readable at RESTRICTED only).
            keptAs = Guid.CreateVersion7();
            await files.CreateAsync(keptAs.Value, ct);
            var chunks = (int)((upload.Length + IFileStore.ChunkSize - 1) / IFileStore.ChunkSize);
            for (var i = 0; i < chunks; i++)
            {
                var chunk = await files.ReadChunkAsync(upload.Id, i, ct) ?? throw new FileIntegrityException($"Chunk {i} of the upload is missing.");
                await files.WriteChunkAsync(keptAs.Value, i, chunk.AsMemory(0, (int)Math.Min(chunk.Length, upload.Length - ((long)i * IFileStore.ChunkSize))), ct);
            }
        }

        // The original's chunks and key go; the shown copy is written under a new key in their place.
        await files.DeleteAsync(upload.Id, ct);
        await files.CreateAsync(upload.Id, ct);
        await WriteAsync(upload.Id, shown, ct);
        logger.LogInformation("Upload {UploadId}: the image's metadata was removed ({Before} bytes, {After} shown); original kept: {Kept}",
            upload.Id, upload.Length, shown.Length, keepOriginal);
        return new PreparedContent(Convert.ToHexStringLower(SHA256.HashData(shown)), shown.Length,
            new OriginalContent(upload.Sha256!, upload.Length, keptAs), await StorePreviewAsync(thumbnail, ct));
    }

    private async Task<StoredPreview> StorePreviewAsync(byte[] png, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await files.CreateAsync(id, ct);
        await WriteAsync(id, png, ct);
        return new StoredPreview(id, png.Length, Convert.ToHexStringLower(SHA256.HashData(png)), Thumbnails.MediaType);
    }

    private async Task WriteAsync(Guid id, byte[] content, CancellationToken ct)
    {
        for (var offset = 0; offset < content.Length; offset += IFileStore.ChunkSize)
        {
            await files.WriteChunkAsync(id, offset / IFileStore.ChunkSize, content.AsMemory(offset, Math.Min(IFileStore.ChunkSize, content.Length - offset)), ct);
        }
    }

    /// <summary>Opens the stored PDF (a chunk in memory at a time) and reads it; a PDF PdfPig cannot read gives null (the file stays, without it).</summary>
    private async Task<T?> ReadPdfAsync<T>(Guid id, long size, Func<PdfDocument, T?> read, CancellationToken ct) where T : class
    {
        await Task.Yield();
        try
        {
            await using var content = new StoredContentStream(files, id, size);
            using var document = PdfDocument.Open(content, new ParsingOptions { SkipMissingFonts = true });
            return read(document);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException or FileIntegrityException))
        {
            logger.LogWarning("File {FileId}: the PDF could not be read for its preview or text ({Reason})", id, e.Message);
            return null;
        }
    }
}
