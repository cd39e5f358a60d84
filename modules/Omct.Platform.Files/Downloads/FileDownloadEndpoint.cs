using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Http;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Files.FileDetails;
using Omct.Platform.Files.Storage;

namespace Omct.Platform.Files.Downloads;

/// <summary>
/// <c>GET /files/{id}</c>: a file's content, for a caller who may see the file and its record (otherwise 404, word for
/// word the answer for an unknown id). The content is verified before a byte is sent: every chunk decrypts (AES-GCM
/// authenticates it, its place and its file) and the whole has the SHA-256 recorded at upload; anything else is a 500
/// that says so and is logged as an error — never a silently different file. Then it is sent a chunk at a time, checked
/// again as it goes (a change in between aborts the response). Each download joins the file's chain of custody before
/// it is sent. Always an attachment, with <c>nosniff</c> and a sandboxing CSP: the browser never renders it as a page
/// of the platform. A signed-in person's session may open it as a plain link (<see cref="SessionDownloadMetadata"/>).
/// </summary>
internal static class FileDownloadEndpoint
{
    public const string Path = "/files";

    public static string UrlOf(StoredFile file) => $"{Path}/{GlobalId.Encode(FileIds.File, file.Id)}";

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Path + "/{id}", HandleAsync).RequireAuthorization(PlatformPolicies.Caller).AllowsSessionDownload();

    private static async Task HandleAsync(HttpContext http, string id)
    {
        var services = http.RequestServices;
        var caller = services.GetRequiredService<ICallerContext>().Current;
        var file = GlobalId.TryDecode(id, FileIds.File, out var fileId)
            ? await services.GetRequiredService<FileVisibility>().FindVisibleAsync(fileId, caller, http.RequestAborted)
            : null;
        if (file is null)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The file was not found.");
            return;
        }

        await SendVerifiedAsync(http, file, new SentContent(file.Id, file.Size, file.Sha256, file.MediaType, file.FileName, Inline: false), FileCustody.Downloaded);
    }

    /// <summary>What is sent of a file: its content, its kept original or its thumbnail (each stored under its own id and key).</summary>
    internal sealed record SentContent(Guid StoreId, long Size, string Sha256, string MediaType, string FileName, bool Inline);

    /// <summary>
    /// Verifies <paramref name="content"/> (every chunk, and the SHA-256), records the read in the file's chain of custody
    /// as <paramref name="custodyField"/>, then sends it a chunk at a time, checked again as it goes. The caller has
    /// checked that the file is visible.
    /// </summary>
    internal static async Task SendVerifiedAsync(HttpContext http, StoredFile file, SentContent content, string custodyField)
    {
        var services = http.RequestServices;
        if (file.ErasedAt is not null)
        {
            // Only to a caller who may see the file and its record (as its metadata says): the content is gone for good.
            await HttpErrors.WriteAsync(http, StatusCodes.Status410Gone, ErrorCodes.NotFound,
                "The file was erased with its defender's personal data: its key is destroyed and its content can never be read again.");
            return;
        }

        var store = services.GetRequiredService<IFileStore>();
        try
        {
            await VerifyAsync(store, content, http.RequestAborted);
        }
        catch (FileIntegrityException e)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FileDownloadEndpoint))
                .LogError("File {FileId} failed its integrity check and was not sent: {Reason}", file.Id, e.Message);
            await HttpErrors.WriteAsync(http, StatusCodes.Status500InternalServerError, ErrorCodes.Internal,
                "The file's stored content does not verify (its integrity check failed): it was not sent. The failure is logged.");
            return;
        }

        await services.GetRequiredService<FileCustody>().RecordAsync(file, custodyField, services.GetRequiredService<ICallerContext>().Current, http.RequestAborted);

        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = content.MediaType;
        response.ContentLength = content.Size;
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue(content.Inline ? "inline" : "attachment")
            { FileNameStar = content.FileName, FileName = AsciiName(content.FileName) }.ToString();
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        response.Headers.CacheControl = "private, no-store";
        // RFC 9530: the representation's digest, for a client to check what it received.
        response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(content.Sha256))}:";

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long sent = 0;
        try
        {
            for (var index = 0; sent < content.Size; index++)
            {
                var chunk = await store.ReadChunkAsync(content.StoreId, index, http.RequestAborted) ?? throw new FileIntegrityException($"Chunk {index} is missing.");
                var part = chunk.AsMemory(0, (int)Math.Min(chunk.Length, content.Size - sent));
                sha.AppendData(part.Span);
                sent += part.Length;
                if (sent == content.Size && Convert.ToHexStringLower(sha.GetHashAndReset()) != content.Sha256)
                {
                    throw new FileIntegrityException("The content changed since it was verified.");
                }

                await response.Body.WriteAsync(part, http.RequestAborted);
            }
        }
        catch (FileIntegrityException e)
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FileDownloadEndpoint))
                .LogError("File {FileId} failed its integrity check while it was sent; the response was aborted: {Reason}", file.Id, e.Message);
            http.Abort();
        }
    }

    /// <summary>Reads every chunk once (each decrypts, or throws) and compares the SHA-256 with the one recorded at upload.</summary>
    private static async Task VerifyAsync(IFileStore store, SentContent file, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long read = 0;
        for (var index = 0; read < file.Size; index++)
        {
            var chunk = await store.ReadChunkAsync(file.StoreId, index, ct) ?? throw new FileIntegrityException($"Chunk {index} is missing.");
            var length = (int)Math.Min(chunk.Length, file.Size - read);
            sha.AppendData(chunk, 0, length);
            read += length;
        }

        var actual = Convert.ToHexStringLower(sha.GetHashAndReset());
        if (actual != file.Sha256)
        {
            throw new FileIntegrityException(string.Create(CultureInfo.InvariantCulture, $"SHA-256 {actual} differs from the {file.Sha256} recorded at upload."));
        }
    }

    /// <summary>The name for clients that read only <c>filename=</c>: ASCII, anything else as '_'.</summary>
    private static string AsciiName(string name) =>
        new(name.Select(c => c is >= ' ' and < (char)127 and not '"' and not '\\' ? c : '_').ToArray());
}
