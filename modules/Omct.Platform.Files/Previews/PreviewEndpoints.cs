using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Http;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Files.Downloads;
using Omct.Platform.Files.FileDetails;

namespace Omct.Platform.Files.Previews;

/// <summary>
/// <c>GET /files/{id}/thumbnail</c>: the file's stored thumbnail (PNG, at most <see cref="Thumbnails.MaxSide"/> px),
/// <em>inline</em>, for a caller who may see the file and its record — a view in the file's chain of custody.
/// <c>GET /files/{id}/original</c>: the untouched original of an image whose uploader asked to keep it, as an
/// attachment, for a caller who may see the file and its record and has RESTRICTED clearance — a download in the
/// chain. Both answer 404, word for word the download's answer for an unknown id, for anything else (no thumbnail,
/// no original kept, hidden, unknown). Both verified like the download (<see cref="FileDownloadEndpoint"/>).
/// </summary>
internal static class PreviewEndpoints
{
    public static string? ThumbnailUrlOf(StoredFile file) => file.Thumbnail is null ? null : FileDownloadEndpoint.UrlOf(file) + "/thumbnail";

    public static string? OriginalUrlOf(StoredFile file) => file.Original?.KeptAs is null ? null : FileDownloadEndpoint.UrlOf(file) + "/original";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(FileDownloadEndpoint.Path + "/{id}/thumbnail", ThumbnailAsync).RequireAuthorization(PlatformPolicies.Caller).AllowsSessionDownload();
        endpoints.MapGet(FileDownloadEndpoint.Path + "/{id}/original", OriginalAsync).RequireAuthorization(PlatformPolicies.Caller).AllowsSessionDownload();
    }

    private static async Task ThumbnailAsync(HttpContext http, string id)
    {
        if (await FindAsync(http, id) is not { Thumbnail: { } thumbnail } file)
        {
            await NotFoundAsync(http);
            return;
        }

        var name = Path.GetFileNameWithoutExtension(file.FileName) + ".thumbnail.png";
        await FileDownloadEndpoint.SendVerifiedAsync(http, file,
            new FileDownloadEndpoint.SentContent(thumbnail.Id, thumbnail.Size, thumbnail.Sha256, thumbnail.MediaType, name, Inline: true), FileCustody.Viewed);
    }

    private static async Task OriginalAsync(HttpContext http, string id)
    {
        var caller = http.RequestServices.GetRequiredService<ICallerContext>().Current;
        if (!caller.CanSee(Confidentiality.Restricted) || await FindAsync(http, id) is not { Original: { KeptAs: { } keptAs } original } file)
        {
            await NotFoundAsync(http);
            return;
        }

        await FileDownloadEndpoint.SendVerifiedAsync(http, file,
            new FileDownloadEndpoint.SentContent(keptAs, original.Size, original.Sha256, file.MediaType, "original-" + file.FileName, Inline: false),
            FileCustody.OriginalDownloaded);
    }

    private static async Task<StoredFile?> FindAsync(HttpContext http, string id)
    {
        var caller = http.RequestServices.GetRequiredService<ICallerContext>().Current;
        return GlobalId.TryDecode(id, FileIds.File, out var fileId)
            ? await http.RequestServices.GetRequiredService<FileVisibility>().FindVisibleAsync(fileId, caller, http.RequestAborted)
            : null;
    }

    private static Task NotFoundAsync(HttpContext http) =>
        HttpErrors.WriteAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The file was not found.");
}
