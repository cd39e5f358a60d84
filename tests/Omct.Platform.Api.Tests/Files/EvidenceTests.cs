using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Omct.Platform.Testing;
using SkiaSharp;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// Files as evidence: an image's metadata removed from the copy shown (the original kept at RESTRICTED only when asked),
/// thumbnails of images and of a PDF's first page, a PDF's text found by the cases' search within clearance, and
/// downloads and views in the chain of custody without changing the file's version.
/// </summary>
public sealed class EvidenceTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private readonly EvidenceKit _kit = new(platform);

    [Fact]
    public async Task The_GPS_tags_and_camera_serial_of_a_JPEG_are_gone_from_the_shown_copy()
    {
        var jpeg = EvidenceKit.JpegWithGps();
        Assert.True(EvidenceKit.HasGps(jpeg));
        Assert.True(EvidenceKit.HasSerial(jpeg));

        var staffKey = await _kit.KeyAsync("STAFF", "STAFF");
        var file = await _kit.AttachAsync(await _kit.OpenCaseAsync("STAFF"), jpeg, "injuries.jpg", "image/jpeg", "STAFF", key: staffKey);
        var download = await _kit.GetAsync(file.GetProperty("downloadUrl").GetString()!, staffKey);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var shown = await download.Content.ReadAsByteArrayAsync();

        Assert.False(EvidenceKit.HasGps(shown));
        Assert.False(EvidenceKit.HasSerial(shown));
        using (var decoded = SKBitmap.Decode(shown))
        {
            Assert.Equal(800, decoded.Width);
            Assert.Equal(600, decoded.Height);
        }

        // The file's SHA-256 is the shown copy's; the original's is recorded; the original's bytes are not kept.
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(shown)), file.GetProperty("sha256").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(jpeg)), file.GetProperty("originalSha256").GetString());
        Assert.Equal(JsonValueKind.Null, file.GetProperty("original").ValueKind);
        var fileId = file.GetProperty("id").GetString()!;
        var asAdmin = await platform.Admin().QueryAsync("query($id: ID!) { node(id: $id) { ... on File { original { sha256 } } } }", new { id = fileId });
        Assert.Equal(JsonValueKind.Null, asAdmin.GetProperty("node").GetProperty("original").ValueKind);
        EvidenceKit.AssertNotFound(await _kit.GetAsync($"/files/{fileId}/original", PlatformFactory.AdminKey));
    }

    [Fact]
    public async Task KeepOriginal_keeps_the_metadata_for_RESTRICTED_only()
    {
        var jpeg = EvidenceKit.JpegWithGps();
        var file = await _kit.AttachAsync(await _kit.OpenCaseAsync("STAFF"), jpeg, "safe-house.jpg", "image/jpeg", "STAFF", keepOriginal: true);
        var fileId = file.GetProperty("id").GetString()!;
        var original = file.GetProperty("original");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(jpeg)), original.GetProperty("sha256").GetString());
        Assert.Equal(jpeg.Length, original.GetProperty("size").GetInt64());

        var kept = await _kit.GetAsync(original.GetProperty("downloadUrl").GetString()!, PlatformFactory.AdminKey);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        var keptBytes = await kept.Content.ReadAsByteArrayAsync();
        Assert.Equal(jpeg, keptBytes);
        Assert.True(EvidenceKit.HasGps(keptBytes));

        // The shown copy has none, for anyone.
        var shown = await (await _kit.GetAsync(file.GetProperty("downloadUrl").GetString()!, PlatformFactory.AdminKey)).Content.ReadAsByteArrayAsync();
        Assert.False(EvidenceKit.HasGps(shown));

        // STAFF sees the file but not its original: null in GraphQL, 404 (as for an unknown file) on the URL.
        var staffKey = await _kit.KeyAsync("STAFF", "STAFF");
        var asStaff = await platform.GraphQL(staffKey).QueryAsync("query($id: ID!) { node(id: $id) { ... on File { sha256 original { sha256 } } } }", new { id = fileId });
        Assert.Equal(file.GetProperty("sha256").GetString(), asStaff.GetProperty("node").GetProperty("sha256").GetString());
        Assert.Equal(JsonValueKind.Null, asStaff.GetProperty("node").GetProperty("original").ValueKind);
        var refused = await _kit.GetAsync($"/files/{fileId}/original", staffKey);
        EvidenceKit.AssertNotFound(refused);
        Assert.Equal(await EvidenceKit.NotFoundBodyAsync(_kit, staffKey, "/original"), await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Thumbnails_of_a_JPEG_and_of_a_PDFs_first_page_are_small_images_shown_inline_and_hidden_as_the_file_is()
    {
        var caseId = await _kit.OpenCaseAsync("STAFF");
        var image = await _kit.AttachAsync(caseId, EvidenceKit.JpegWithGps(), "photo.jpg", "image/jpeg", "STAFF");
        var thumbnail = await _kit.GetAsync(image.GetProperty("thumbnailUrl").GetString()!, PlatformFactory.AdminKey);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/png", thumbnail.Content.Headers.ContentType!.MediaType);
        Assert.Equal("inline", thumbnail.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("nosniff", thumbnail.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("sandbox; default-src 'none'", thumbnail.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(thumbnail.Headers.CacheControl is { Private: true, NoStore: true });
        using (var small = SKBitmap.Decode(await thumbnail.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal(320, small.Width);
            Assert.Equal(240, small.Height);
        }

        var pdf = await _kit.AttachAsync(caseId, EvidenceKit.Pdf("Medical report", "Okrestina detention centre, 12 August 2020"), "report.pdf", "application/pdf", "STAFF");
        var page = await _kit.GetAsync(pdf.GetProperty("thumbnailUrl").GetString()!, PlatformFactory.AdminKey);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using (var first = SKBitmap.Decode(await page.Content.ReadAsByteArrayAsync()))
        {
            // A4 (595 × 842 pt) scaled to 320 px high; white, with the text's marks near the top.
            Assert.Equal(226, first.Width);
            Assert.Equal(320, first.Height);
            Assert.Equal(SKColors.White, first.GetPixel(first.Width - 2, first.Height - 2));
            var marked = Enumerable.Range(0, first.Width).SelectMany(x => Enumerable.Range(0, 60).Select(y => first.GetPixel(x, y))).Count(p => p.Red < 160);
            Assert.True(marked > 20, $"{marked} dark pixels where the text is");
        }

        // A text file has no thumbnail.
        var text = await _kit.AttachAsync(caseId, "Notes of the visit.\n"u8.ToArray(), "notes.txt", "text/plain", "STAFF");
        Assert.Equal(JsonValueKind.Null, text.GetProperty("thumbnailUrl").ValueKind);

        // A RESTRICTED file's thumbnail is not found for STAFF, word for word as an unknown file's.
        var hidden = await _kit.AttachAsync(caseId, EvidenceKit.JpegWithGps(), "hidden.jpg", "image/jpeg", "RESTRICTED");
        var staffKey = await _kit.KeyAsync("STAFF", "STAFF");
        var refused = await _kit.GetAsync(hidden.GetProperty("thumbnailUrl").GetString()!, staffKey);
        EvidenceKit.AssertNotFound(refused);
        Assert.Equal(await EvidenceKit.NotFoundBodyAsync(_kit, staffKey, "/thumbnail"), await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await _kit.GetAsync(image.GetProperty("thumbnailUrl").GetString()!, staffKey)).StatusCode);
    }

    [Fact]
    public async Task A_PDFs_text_is_found_by_the_case_search_within_clearance()
    {
        var visibleCase = await _kit.OpenCaseAsync("STAFF", "Belarus: a case with a report");
        var restrictedFileCase = await _kit.OpenCaseAsync("STAFF", "Belarus: a case with a restricted report");
        await _kit.AttachAsync(visibleCase, EvidenceKit.Pdf("Fact-finding report", "Detainees described beatings in Akrestsina."), "report.pdf", "application/pdf", "STAFF");
        await _kit.AttachAsync(restrictedFileCase, EvidenceKit.Pdf("Witness statement", "The witness was held in Zhodzina prison."), "statement.pdf", "application/pdf", "RESTRICTED");

        const string Search = "query($t: String) { cases(filter: { text: $t }) { nodes { id } totalCount } }";
        var staff = platform.GraphQL(await _kit.KeyAsync("STAFF", "STAFF"));
        var found = (await staff.QueryAsync(Search, new { t = "Akrestsina beatings" })).GetProperty("cases");
        Assert.Equal([visibleCase], found.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal(1, found.GetProperty("totalCount").GetInt32());

        // The RESTRICTED file's words do not make its case findable for STAFF; they do for RESTRICTED.
        var hidden = (await staff.QueryAsync(Search, new { t = "Zhodzina" })).GetProperty("cases");
        Assert.Empty(hidden.GetProperty("nodes").EnumerateArray());
        Assert.Equal(0, hidden.GetProperty("totalCount").GetInt32());
        var admin = (await platform.Admin().QueryAsync(Search, new { t = "Zhodzina" })).GetProperty("cases");
        Assert.Equal([restrictedFileCase], admin.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Downloads_and_views_join_the_custody_without_changing_the_files_version()
    {
        var staffKey = await _kit.KeyAsync("STAFF", "STAFF");
        var staff = platform.GraphQL(staffKey);
        var file = await _kit.AttachAsync(await _kit.OpenCaseAsync("STAFF"), EvidenceKit.JpegWithGps(), "photo.jpg", "image/jpeg", "STAFF", key: staffKey);
        var fileId = file.GetProperty("id").GetString()!;
        var versionBefore = file.GetProperty("version").GetInt32();

        Assert.Equal(HttpStatusCode.OK, (await _kit.GetAsync(file.GetProperty("downloadUrl").GetString()!, staffKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _kit.GetAsync(file.GetProperty("thumbnailUrl").GetString()!, staffKey)).StatusCode);

        // Someone else downloaded it meanwhile: the re-classification read before still applies.
        var reclassified = await staff.QueryAsync(
            "mutation($f: ID!, $v: Int) { reclassifyFile(input: { fileId: $f, confidentiality: NETWORK, expectedVersion: $v }) { file { version custody { kind by traceId } } } }",
            new { f = fileId, v = versionBefore });
        var shown = reclassified.GetProperty("reclassifyFile").GetProperty("file");
        Assert.Equal(versionBefore + 1, shown.GetProperty("version").GetInt32());
        var custody = shown.GetProperty("custody").EnumerateArray().ToList();
        Assert.Equal(["UPLOADED", "ATTACHED", "DOWNLOADED", "VIEWED", "RECLASSIFIED"], custody.Select(c => c.GetProperty("kind").GetString()));
        Assert.All(custody, c => Assert.StartsWith("apikey:", c.GetProperty("by").GetString(), StringComparison.Ordinal));
        Assert.All(custody.Skip(2).Take(2), c => Assert.False(string.IsNullOrEmpty(c.GetProperty("traceId").GetString())));

        var trail = await platform.Admin().QueryAsync("query($id: ID!) { auditTrail(entityId: $id) { action by } }", new { id = fileId });
        var actions = trail.GetProperty("auditTrail").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("files.file_downloaded", actions);
        Assert.Contains("files.file_viewed", actions);
    }
}
