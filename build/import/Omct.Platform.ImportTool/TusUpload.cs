using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Omct.Platform.ImportTool;

/// <summary>
/// A tus 1.0 upload of a file to the platform (<c>POST /files/uploads</c>, then PATCHes of at most <see cref="ChunkBytes"/>
/// read from the file as they go): after a dropped connection, a 5xx or a 409 it asks HEAD where the platform is and goes on
/// from there, up to <see cref="MaxRetries"/> times in a row with a growing pause. Never holds the whole file in memory.
/// </summary>
internal sealed class TusUpload(PlatformClient platform)
{
    public const int ChunkBytes = 8 * 1024 * 1024;
    public const int MaxRetries = 8;

    /// <summary>Uploads the file; reports the bytes stored so far; returns the upload's id (the last segment of its Location).</summary>
    public async Task<string> UploadAsync(FileInfo file, string mediaType, Action<long> progress, CancellationToken ct)
    {
        var location = await CreateAsync(file, mediaType, ct);
        await using var content = file.OpenRead();
        long offset = 0;
        var failures = 0;
        var buffer = new byte[ChunkBytes];
        while (offset < file.Length)
        {
            try
            {
                content.Position = offset;
                var length = await content.ReadAtLeastAsync(buffer, (int)Math.Min(ChunkBytes, file.Length - offset), throwOnEndOfStream: true, ct);
                offset = await PatchAsync(location, offset, buffer.AsMemory(0, length), ct);
                failures = 0;
            }
            catch (Exception e) when (Retryable(e) && !ct.IsCancellationRequested && ++failures <= MaxRetries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250 * Math.Pow(2, failures - 1)), ct);
                offset = await OffsetAsync(location, ct);
            }

            progress(offset);
        }

        return location[(location.TrimEnd('/').LastIndexOf('/') + 1)..].TrimEnd('/');
    }

    private async Task<string> CreateAsync(FileInfo file, string mediaType, CancellationToken ct)
    {
        using var request = Tus(HttpMethod.Post, "/files/uploads");
        request.Headers.Add("Upload-Length", file.Length.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Metadata", $"filename {Base64(file.Name)},filetype {Base64(mediaType)}");
        using var response = await platform.Http.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.Created || response.Headers.Location is null)
        {
            throw await RefusedAsync("The upload could not start", response, ct);
        }

        return response.Headers.Location.OriginalString;
    }

    private async Task<long> PatchAsync(string location, long offset, ReadOnlyMemory<byte> chunk, CancellationToken ct)
    {
        using var request = Tus(HttpMethod.Patch, location);
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new ReadOnlyMemoryContent(chunk);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        using var response = await platform.Http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
        }

        if (response.StatusCode == HttpStatusCode.Conflict || (int)response.StatusCode >= 500)
        {
            throw new RetryableUploadException($"PATCH answered {(int)response.StatusCode}.");
        }

        throw await RefusedAsync("The upload was refused", response, ct);
    }

    private async Task<long> OffsetAsync(string location, CancellationToken ct)
    {
        using var request = Tus(HttpMethod.Head, location);
        using var response = await platform.Http.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await RefusedAsync("The upload cannot go on", response, ct);
        }

        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    private HttpRequestMessage Tus(HttpMethod method, string path)
    {
        var request = platform.Request(method, path);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    private static bool Retryable(Exception e) => e is RetryableUploadException or HttpRequestException or IOException;

    private static async Task<PlatformException> RefusedAsync(string what, HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (PlatformClient.ErrorOf(json.RootElement) is { } error)
            {
                return new PlatformException($"{what}: {error.Message}", error.Code, error.Field);
            }
        }
        catch (JsonException)
        {
            // Not the platform's error shape: the status says it.
        }

        return new PlatformException($"{what}: {(int)response.StatusCode} {response.ReasonPhrase}.");
    }

    private static string Base64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    private sealed class RetryableUploadException(string message) : Exception(message);
}
