using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// Over real HTTP against the host as its own process (Kestrel, real sockets): a 20 MB tus upload whose connection is
/// aborted midway, resumed with HEAD + PATCH from the offset the host reports, completed, attached and downloaded with the
/// right SHA-256. The 200 MB version, with the host's memory measured, is <c>build/bench/upload.sh</c>.
/// </summary>
public sealed class HostUploadResumeTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_20_MB_upload_aborted_midway_resumes_from_HEAD_and_downloads_with_the_right_SHA256()
    {
        await using var host = await HostProcess.StartAsync(_database.ConnectionString);
        using var http = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromMinutes(5) };
        var content = TusKit.Pdf(20 * 1024 * 1024, seed: 21);

        var create = Tus(HttpMethod.Post, "/files/uploads");
        create.Headers.Add("Upload-Length", content.Length.ToString(CultureInfo.InvariantCulture));
        create.Headers.Add("Upload-Metadata", $"filename {TusKit.B64("warrant.pdf")},filetype {TusKit.B64("application/pdf")}");
        using var created = await http.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;

        // The whole content announced, the connection aborted after 9.5 MB of it.
        const int abortAfter = (9 * 1024 * 1024) + (512 * 1024);
        using (var abort = new CancellationTokenSource())
        {
            var patch = Tus(HttpMethod.Patch, location);
            patch.Headers.Add("Upload-Offset", "0");
            patch.Content = new AbortingContent(content, 0, abortAfter, abort);
            await Assert.ThrowsAnyAsync<Exception>(() => http.SendAsync(patch, abort.Token));
        }

        var (offset, patches) = await ResumeAsync(http, location, content);
        // What reached the host before the abort was kept, and no more than was sent. How much reached it depends on the
        // sockets' buffers at the moment of the abort (8 MiB of the 9.5 in one CI run): at least a whole chunk.
        Assert.InRange(offset, 1024 * 1024, abortAfter);
        Assert.InRange(patches, 1, 50);

        var caseId = (await host.Admin().QueryAsync("mutation { openCase(input: { title: \"Belarus: resumed\", countryCode: \"BY\" }) { case { id } } }"))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        var file = (await host.Admin().QueryAsync("mutation($r: ID!, $u: ID!) { attachFile(input: { recordId: $r, uploadId: $u }) { file { sha256 size downloadUrl } } }",
            new { r = caseId, u = TusKit.IdOf(location) })).GetProperty("attachFile").GetProperty("file");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.Equal(sha256, file.GetProperty("sha256").GetString());

        var download = new HttpRequestMessage(HttpMethod.Get, file.GetProperty("downloadUrl").GetString());
        download.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        using var response = await http.SendAsync(download, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        Assert.Equal(sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(body)));
    }

    /// <summary>
    /// As tus-js-client does after an error: HEAD for the offset, PATCH the rest from there; a 409 (the host still ends the
    /// aborted request, which holds the upload) is retried after a pause. Returns the offset it resumed from and the PATCHes sent.
    /// </summary>
    private static async Task<(long Offset, int Patches)> ResumeAsync(HttpClient http, string location, byte[] content)
    {
        long first = -1;
        for (var attempt = 1; attempt <= 50; attempt++)
        {
            using var head = await http.SendAsync(Tus(HttpMethod.Head, location));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            var offset = long.Parse(head.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
            first = first < 0 ? offset : first;
            var patch = Tus(HttpMethod.Patch, location);
            patch.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
            patch.Content = new ByteArrayContent(content, (int)offset, content.Length - (int)offset);
            patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
            using var patched = await http.SendAsync(patch);
            if (patched.StatusCode == HttpStatusCode.NoContent)
            {
                Assert.Equal(content.Length.ToString(CultureInfo.InvariantCulture), patched.Headers.GetValues("Upload-Offset").Single());
                return (first, attempt);
            }

            Assert.Equal(HttpStatusCode.Conflict, patched.StatusCode);
            await Task.Delay(200);
        }

        throw new Xunit.Sdk.XunitException("The upload did not resume.");
    }

    private static HttpRequestMessage Tus(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }
}

/// <summary>
/// A PATCH body that announces the rest of the content (Content-Length) but sends only the first <c>sendOnly</c> bytes,
/// then aborts the request: the client's connection is dropped midway, as a partner's line drops.
/// </summary>
internal sealed class AbortingContent : HttpContent
{
    private readonly byte[] _content;
    private readonly int _offset;
    private readonly int _sendOnly;
    private readonly CancellationTokenSource _abort;

    public AbortingContent(byte[] content, int offset, int sendOnly, CancellationTokenSource abort)
    {
        (_content, _offset, _sendOnly, _abort) = (content, offset, sendOnly, abort);
        Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var sent = 0; sent < _sendOnly;)
        {
            var n = Math.Min(64 * 1024, _sendOnly - sent);
            await stream.WriteAsync(_content.AsMemory(_offset + sent, n));
            sent += n;
        }

        await stream.FlushAsync();
        // Let the bytes reach the host before the connection goes.
        await Task.Delay(500);
        await _abort.CancelAsync();
        throw new IOException("The connection dropped.");
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _content.Length - _offset;
        return true;
    }
}
