using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>A small tus 1.0 client over the in-memory host, as tus-js-client speaks it (an API key as the credential).</summary>
internal sealed class TusKit(PlatformFactory platform, string? apiKey)
{
    public const string Uploads = "/files/uploads";

    public HttpRequestMessage Request(HttpMethod method, string path, bool resumable = true)
    {
        var request = new HttpRequestMessage(method, path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (resumable)
        {
            request.Headers.Add("Tus-Resumable", "1.0.0");
        }

        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct = default) => platform.CreateClient().SendAsync(request, ct);

    /// <summary>POST: the upload's path (its Location).</summary>
    public async Task<string> CreateAsync(long length, string fileName = "evidence.pdf", string fileType = "application/pdf")
    {
        var response = await CreateResponseAsync(length, fileName, fileType);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return response.Headers.Location!.OriginalString;
    }

    public async Task<HttpResponseMessage> CreateResponseAsync(long length, string fileName = "evidence.pdf", string fileType = "application/pdf")
    {
        var request = Request(HttpMethod.Post, Uploads);
        request.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Metadata", $"filename {B64(fileName)},filetype {B64(fileType)}");
        return await SendAsync(request);
    }

    public async Task<HttpResponseMessage> PatchAsync(string location, long offset, HttpContent body, CancellationToken ct = default)
    {
        var request = Request(HttpMethod.Patch, location);
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        request.Content = body;
        return await SendAsync(request, ct);
    }

    public Task<HttpResponseMessage> PatchAsync(string location, long offset, ReadOnlyMemory<byte> bytes) =>
        PatchAsync(location, offset, new ByteArrayContent(bytes.ToArray()));

    public async Task<long> OffsetAsync(string location)
    {
        var response = await SendAsync(Request(HttpMethod.Head, location));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"HEAD answered {(int)response.StatusCode}");
        }

        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    /// <summary>A whole upload in one PATCH: its id for attachFile.</summary>
    public async Task<string> UploadAsync(byte[] content, string fileName = "evidence.pdf", string fileType = "application/pdf")
    {
        var location = await CreateAsync(content.Length, fileName, fileType);
        var response = await PatchAsync(location, 0, content);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"PATCH answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return IdOf(location);
    }

    public static string IdOf(string location) => location[(location.LastIndexOf('/') + 1)..];

    public static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>A PDF-looking content of <paramref name="length"/> bytes (the header, then random bytes).</summary>
    public static byte[] Pdf(int length, int seed = 7)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    public static string ErrorCode(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString()!;
}

/// <summary>A request body that gives <paramref name="before"/> bytes and then fails, as the body of a connection that drops.</summary>
internal sealed class DroppingStream(byte[] content, int before) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= before)
        {
            throw new IOException("The client reset the connection.");
        }

        // At most 64 KiB a read, as a socket gives them.
        var n = Math.Min(Math.Min(count, 64 * 1024), before - _position);
        content.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset, n));
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// A request body that gives <paramref name="before"/> bytes, then waits for <paramref name="gate"/> and fails: a connection
/// that stalls mid-body and then drops, for as long as a test needs another request to meet it.
/// </summary>
internal sealed class GatedDroppingStream(byte[] content, int before, Task gate) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= before)
        {
            await gate;
            throw new IOException("The client reset the connection.");
        }

        var n = Math.Min(Math.Min(buffer.Length, 64 * 1024), before - _position);
        content.AsMemory(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
