using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Http;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Files.Uploads;

/// <summary>
/// Resumable uploads: the tus 1.0.0 core protocol (https://tus.io/protocols/resumable-upload) with its <c>creation</c>
/// and <c>termination</c> extensions, at <c>/files/uploads</c>.
/// <list type="bullet">
/// <item><c>OPTIONS</c>: <c>Tus-Version</c>, <c>Tus-Max-Size</c> (the <c>Omct:Files:MaxUploadBytes</c> setting), <c>Tus-Extension</c>.</item>
/// <item><c>POST</c> with <c>Upload-Length</c> (1 byte to the limit; above it 413) and optional <c>Upload-Metadata</c>
/// (<c>filename</c>, <c>filetype</c>, base64): 201 with <c>Location</c>.</item>
/// <item><c>HEAD</c>: <c>Upload-Offset</c>, <c>Upload-Length</c>, never cached; it first waits (up to 15 s) for a PATCH still
/// writing to the upload — one whose connection dropped is storing what it received — so the offset is where to go on.</item>
/// <item><c>PATCH</c> with <c>Content-Type: application/offset+octet-stream</c> (else 415) and <c>Upload-Offset</c> equal to the
/// stored offset (else 409), once no other PATCH writes to it (it waits up to 15 s, then 409): the body is stored as it arrives; 204 with the new <c>Upload-Offset</c>. The request that
/// brings the last byte checks the type (415, and the upload is gone, when the content is not on the allow-list).</item>
/// <item><c>DELETE</c>: removes an upload not yet attached.</item>
/// </list>
/// Every request but <c>OPTIONS</c> carries <c>Tus-Resumable: 1.0.0</c> (else 412) and needs a caller who adds content
/// (<see cref="PlatformPolicies.Contributor"/>: an API key, or a session with its antiforgery header, as on every other
/// endpoint). An upload is its creator's: for anyone else it answers 404, as one that does not exist.
/// </summary>
internal static class TusEndpoint
{
    public const string Path = "/files/uploads";
    public const string IdType = "Upload";
    public const string Version = "1.0.0";
    public const string OffsetOctetStream = "application/offset+octet-stream";

    public static string IdOf(Guid id) => GlobalId.Encode(IdType, id);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // Clients ask OPTIONS first, often without credentials: it tells only what the server supports.
        endpoints.MapMethods(Path, ["OPTIONS"], Options).RequireAuthorization(PlatformPolicies.Caller);
        endpoints.MapMethods(Path + "/{id}", ["OPTIONS"], Options).RequireAuthorization(PlatformPolicies.Caller);
        endpoints.MapPost(Path, CreateAsync).RequireAuthorization(PlatformPolicies.Contributor);
        endpoints.MapMethods(Path + "/{id}", ["HEAD"], HeadAsync).RequireAuthorization(PlatformPolicies.Contributor);
        endpoints.MapMethods(Path + "/{id}", ["PATCH"], PatchAsync).RequireAuthorization(PlatformPolicies.Contributor);
        endpoints.MapDelete(Path + "/{id}", DeleteAsync).RequireAuthorization(PlatformPolicies.Contributor);
    }

    private static Task Options(HttpContext http)
    {
        var uploads = http.RequestServices.GetRequiredService<FileUploads>();
        http.Response.Headers["Tus-Resumable"] = Version;
        http.Response.Headers["Tus-Version"] = Version;
        http.Response.Headers["Tus-Max-Size"] = uploads.MaxBytes.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["Tus-Extension"] = "creation,termination";
        http.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static async Task CreateAsync(HttpContext http)
    {
        if (!await ResumableAsync(http))
        {
            return;
        }

        var uploads = http.RequestServices.GetRequiredService<FileUploads>();
        if (!TryLong(http.Request.Headers["Upload-Length"], out var length) || length < 1)
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, ErrorCodes.Validation,
                "Upload-Length must give the file's size in bytes (at least 1; Upload-Defer-Length is not supported).", "Upload-Length");
            return;
        }

        if (length > uploads.MaxBytes)
        {
            await ErrorAsync(http, StatusCodes.Status413PayloadTooLarge, ErrorCodes.LimitExceeded,
                $"A file may have at most {uploads.MaxBytes} bytes (Tus-Max-Size).", "Upload-Length");
            return;
        }

        var rawMetadata = http.Request.Headers["Upload-Metadata"].ToString();
        if (!TryMetadata(rawMetadata, out var metadata))
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, ErrorCodes.Validation,
                "Upload-Metadata must be comma-separated pairs of a key and a base64 value.", "Upload-Metadata");
            return;
        }

        var caller = Caller(http);
        var upload = await uploads.CreateAsync(caller, length, metadata.GetValueOrDefault("filename"), metadata.GetValueOrDefault("filetype"),
            rawMetadata.Length is > 0 and <= 4096 ? rawMetadata : null, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.Headers.Location = $"{http.Request.PathBase}{Path}/{IdOf(upload.Id)}";
    }

    private static async Task HeadAsync(HttpContext http, string id)
    {
        if (!await ResumableAsync(http) || await FindAsync(http, id) is not { } found)
        {
            return;
        }

        // After a PATCH whose connection dropped, the host may still be storing what that request received: the offset is
        // read once it is done (or after the writer wait, as it then stands), so that the next PATCH can go on from it.
        await http.RequestServices.GetRequiredService<FileUploads>().SettledAsync(found.Id, http.RequestAborted);
        if (await FindAsync(http, id) is not { } upload)
        {
            return;
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.Headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["Upload-Length"] = upload.Length.ToString(CultureInfo.InvariantCulture);
        if (upload.Metadata is { } metadata)
        {
            http.Response.Headers["Upload-Metadata"] = metadata;
        }
    }

    private static async Task PatchAsync(HttpContext http, string id)
    {
        if (!await ResumableAsync(http))
        {
            return;
        }

        if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), OffsetOctetStream, StringComparison.OrdinalIgnoreCase))
        {
            await ErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, ErrorCodes.Validation, $"A PATCH sends Content-Type: {OffsetOctetStream}.", "Content-Type");
            return;
        }

        if (!TryLong(http.Request.Headers["Upload-Offset"], out var offset) || offset < 0)
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, ErrorCodes.Validation, "Upload-Offset must give the offset in bytes.", "Upload-Offset");
            return;
        }

        if (await FindAsync(http, id) is not { } upload)
        {
            return;
        }

        if (upload.Offset != offset)
        {
            await ConflictAsync(http, upload.Offset, $"Upload-Offset is {offset}; the upload has {upload.Offset} bytes: ask HEAD and go on from there.");
            return;
        }

        // The body may be as long as the rest of the upload (plus one byte, refused below), and no longer.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = upload.Length - upload.Offset + 1;
        }

        var result = await http.RequestServices.GetRequiredService<FileUploads>().AppendAsync(upload.Id, offset, http.Request.Body, http.RequestAborted);
        http.Response.Headers["Upload-Offset"] = result.Offset.ToString(CultureInfo.InvariantCulture);
        switch (result.Outcome)
        {
            case AppendOutcome.Stored:
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            case AppendOutcome.OffsetMismatch or AppendOutcome.Busy:
                await ConflictAsync(http, result.Offset, result.Message!);
                break;
            case AppendOutcome.TooLong:
                await ErrorAsync(http, StatusCodes.Status413PayloadTooLarge, ErrorCodes.LimitExceeded, result.Message!, "Upload-Length");
                break;
            case AppendOutcome.Refused:
                http.Response.Headers.Remove("Upload-Offset");
                await ErrorAsync(http, StatusCodes.Status415UnsupportedMediaType, ErrorCodes.Validation, result.Message!, "content");
                break;
            case AppendOutcome.Gone:
                http.Response.Headers.Remove("Upload-Offset");
                await ErrorAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, result.Message!);
                break;
            case AppendOutcome.Interrupted:
                // Nobody is listening any more; what arrived is stored, HEAD tells the client where to go on.
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                break;
        }
    }

    private static async Task DeleteAsync(HttpContext http, string id)
    {
        if (!await ResumableAsync(http) || await FindAsync(http, id) is not { } found)
        {
            return;
        }

        // Not while a PATCH writes to it or an attach reads it: after them, as they left it.
        var uploads = http.RequestServices.GetRequiredService<FileUploads>();
        await using var held = await uploads.HoldAsync(found.Id, wait: true, http.RequestAborted);
        if (held is null)
        {
            await ErrorAsync(http, StatusCodes.Status409Conflict, ErrorCodes.Conflict, "Another request is writing to this upload: try again in a moment.");
            return;
        }

        if (await FindAsync(http, id) is not { } upload)
        {
            return;
        }

        if (upload.Attached)
        {
            await ErrorAsync(http, StatusCodes.Status409Conflict, ErrorCodes.Conflict, "The upload is attached as a file: it stays as evidence.");
            return;
        }

        await uploads.DeleteAsync(upload, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static Caller Caller(HttpContext http) => http.RequestServices.GetRequiredService<ICallerContext>().Current;

    /// <summary>The caller's own upload, or a 404 written (unknown, malformed and someone else's alike).</summary>
    private static async Task<FileUpload?> FindAsync(HttpContext http, string id)
    {
        var upload = GlobalId.TryDecode(id, IdType, out var uploadId)
            ? await http.RequestServices.GetRequiredService<FileUploads>().FindOwnAsync(uploadId, Caller(http), http.RequestAborted)
            : null;
        if (upload is null)
        {
            await ErrorAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The upload was not found.");
        }

        return upload;
    }

    /// <summary>Every answer carries Tus-Resumable; a request without the version this server speaks is 412.</summary>
    private static async Task<bool> ResumableAsync(HttpContext http)
    {
        http.Response.Headers["Tus-Resumable"] = Version;
        http.Response.Headers.CacheControl = "no-store";
        if (http.Request.Headers["Tus-Resumable"].ToString() == Version)
        {
            return true;
        }

        http.Response.Headers["Tus-Version"] = Version;
        await ErrorAsync(http, StatusCodes.Status412PreconditionFailed, ErrorCodes.Validation, $"Send Tus-Resumable: {Version}.", "Tus-Resumable");
        return false;
    }

    private static Task ConflictAsync(HttpContext http, long offset, string message)
    {
        http.Response.Headers["Upload-Offset"] = offset.ToString(CultureInfo.InvariantCulture);
        return ErrorAsync(http, StatusCodes.Status409Conflict, ErrorCodes.Conflict, message);
    }

    private static Task ErrorAsync(HttpContext http, int status, string code, string message, string? field = null) =>
        HttpErrors.WriteAsync(http, status, code, message, field);

    private static bool TryLong(Microsoft.Extensions.Primitives.StringValues header, out long value) =>
        long.TryParse(header.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>tus's <c>Upload-Metadata</c>: <c>key base64value</c> pairs separated by commas (a key alone has an empty value).</summary>
    internal static bool TryMetadata(string header, out Dictionary<string, string> metadata)
    {
        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (header.Length > 4096)
        {
            return false;
        }

        foreach (var pair in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 0 or > 2 || metadata.ContainsKey(parts[0]))
            {
                return false;
            }

            var value = "";
            if (parts.Length == 2)
            {
                var bytes = new byte[parts[1].Length];
                if (!Convert.TryFromBase64String(parts[1], bytes, out var written))
                {
                    return false;
                }

                try
                {
                    value = new UTF8Encoding(false, true).GetString(bytes, 0, written);
                }
                catch (DecoderFallbackException)
                {
                    return false;
                }
            }

            metadata[parts[0]] = value;
        }

        return true;
    }
}
