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

        var location = await TusOverHttp.CreateAsync(http, content.Length, "warrant.pdf", "application/pdf", PlatformFactory.AdminKey);

        // The whole content announced, the connection dropped after 9.5 MB of it, once the host has stored 9 MiB (nine whole
        // chunks; the last half MiB waits in its chunk buffer for more).
        const int sendOnly = (9 * 1024 * 1024) + (512 * 1024);
        const int storedBeforeAbort = 9 * 1024 * 1024;
        await TusOverHttp.AbortedPatchAsync(http, location, content, sendOnly,
            () => TusOverHttp.StoredAtLeastAsync(_database.ConnectionString, location, storedBeforeAbort, TimeSpan.FromMinutes(1)), PlatformFactory.AdminKey);

        var (offset, patches) = await TusOverHttp.ResumeAsync(http, location, content, PlatformFactory.AdminKey);
        // What was stored before the drop was kept, and no more than was sent; HEAD waited for the dropped request to end,
        // so the first PATCH from its offset was taken.
        Assert.InRange(offset, storedBeforeAbort, sendOnly);
        Assert.Equal(1, patches);

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
}
