using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// Erasing a defender destroys the keys of the defender's files (portrait and documents) in the erasure's transaction:
/// the database — read whole, as a dump — holds no key for them any more, never held their plaintext, the downloads
/// answer 410 and the metadata shows them erased.
/// </summary>
public sealed class FileErasureTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private readonly AttachKit _kit = new(platform);

    [Fact]
    public async Task Erasure_makes_the_portrait_unreadable_also_from_a_database_dump()
    {
        var defender = await _kit.RegisterDefenderAsync("Erasable Portrait Person", "STAFF");
        var content = NoisePng(seed: 4711);
        // A portrait with its kept original and its thumbnail: three contents, each under a key of its own.
        var portrait = (await platform.Admin().QueryAsync(
                "mutation($r: ID!, $u: ID!) { attachFile(input: { recordId: $r, uploadId: $u, confidentiality: STAFF, purpose: PORTRAIT, keepOriginal: true }) " +
                "{ file { id downloadUrl thumbnailUrl original { downloadUrl } } } }",
                new { r = defender, u = await _kit.UploadPngAsync(content) }))
            .GetProperty("attachFile").GetProperty("file");
        var document = await _kit.AttachPdfAsync(defender, "STAFF");
        var other = await _kit.AttachPdfAsync(await _kit.RegisterDefenderAsync("Not Erased Person", "STAFF"), "STAFF", seed: 9);
        var (portraitId, documentId, otherId) = (Guid(portrait), Guid(document), Guid(other));

        var stored = await StoredAsync(portraitId);
        var (originalId, thumbnailId) = (stored.Original!.KeptAs!.Value, stored.Thumbnail!.Id);
        var before = await DumpAsync();
        foreach (var key in new[] { portraitId, originalId, thumbnailId, documentId })
        {
            Assert.Contains(key.ToString(), KeyRows(before));
        }

        var urls = new[] { "downloadUrl", "thumbnailUrl" }.Select(u => portrait.GetProperty(u).GetString()!)
            .Append(portrait.GetProperty("original").GetProperty("downloadUrl").GetString()!).ToList();
        Assert.Equal(content, await (await _kit.DownloadAsync(urls[2], PlatformFactory.AdminKey)).Content.ReadAsByteArrayAsync());
        var shown = await (await _kit.DownloadAsync(urls[0], PlatformFactory.AdminKey)).Content.ReadAsByteArrayAsync();
        Assert.True(shown.Length > 4000, "the shown copy is too small to look for in the dump");
        // The database only ever held them encrypted: neither the upload's nor the shown copy's bytes are in a dump.
        var plain = Encoding.Latin1.GetString(await DumpBytesAsync(custom: true));
        Assert.DoesNotContain(Encoding.Latin1.GetString(content.AsSpan(2000, 64)), plain, StringComparison.Ordinal);
        Assert.DoesNotContain(Encoding.Latin1.GetString(shown.AsSpan(2000, 64)), plain, StringComparison.Ordinal);

        await platform.Admin().QueryAsync("mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { id } } }", new { id = defender });

        var after = await DumpAsync();
        foreach (var key in new[] { portraitId, originalId, thumbnailId, documentId })
        {
            Assert.DoesNotContain(key.ToString(), KeyRows(after));
        }

        Assert.Contains(otherId.ToString(), KeyRows(after)); // only the erased defender's files

        foreach (var url in urls.Append(document.GetProperty("downloadUrl").GetString()!))
        {
            var gone = await _kit.DownloadAsync(url, PlatformFactory.AdminKey);
            Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
            Assert.Equal("NOT_FOUND", TusKit.ErrorCode(await gone.Content.ReadAsStringAsync()));
        }

        Assert.Equal(HttpStatusCode.OK, (await _kit.DownloadAsync(other.GetProperty("downloadUrl").GetString()!, PlatformFactory.AdminKey)).StatusCode);
        var files = (await platform.Admin().QueryAsync("query($id: ID!) { node(id: $id) { ... on Defender { files { id erasedAt } } } }", new { id = defender }))
            .GetProperty("node").GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(2, files.Count);
        Assert.All(files, f => Assert.Equal(JsonValueKind.String, f.GetProperty("erasedAt").ValueKind));
    }

    [Fact]
    public async Task An_erased_person_takes_no_new_file()
    {
        var defender = await _kit.RegisterDefenderAsync("Erased Before Upload", "STAFF");
        await platform.Admin().QueryAsync("mutation($id: ID!) { eraseDefenderPersonalData(input: { defenderId: $id }) { defender { id } } }", new { id = defender });

        foreach (var purpose in new[] { "PORTRAIT", null })
        {
            var upload = purpose is null ? await _kit.UploadAsync(TusKit.Pdf(5000, 3)) : await _kit.UploadPngAsync(AttachKit.Png(400));
            var refused = (await _kit.TryAttachAsync(defender, upload, "STAFF", purpose)).Body.GetProperty("errors")[0];
            Assert.Equal("VALIDATION", refused.GetProperty("extensions").GetProperty("code").GetString());
            Assert.Equal("recordId", refused.GetProperty("extensions").GetProperty("field").GetString());
            Assert.Equal("This person's personal data was erased: no file attaches to them any more.", refused.GetProperty("message").GetString());
        }

        Assert.Equal(0, (await platform.Admin().QueryAsync("query($id: ID!) { node(id: $id) { ... on Defender { files { id } } } }", new { id = defender }))
            .GetProperty("node").GetProperty("files").GetArrayLength());
    }

    /// <summary>A PNG of random pixels: bytes found nowhere else, to look for in a dump.</summary>
    private static byte[] NoisePng(int seed)
    {
        var random = new Random(seed);
        using var bitmap = new SkiaSharp.SKBitmap(96, 96);
        for (var y = 0; y < 96; y++)
        {
            for (var x = 0; x < 96; x++)
            {
                bitmap.SetPixel(x, y, new SkiaSharp.SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
            }
        }

        using var encoded = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    private async Task<Omct.Platform.Files.FileDetails.StoredFile> StoredAsync(Guid id)
    {
        await using var session = platform.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        return await session.LoadAsync<Omct.Platform.Files.FileDetails.StoredFile>(id) ?? throw new InvalidOperationException("no file " + id);
    }

    private static Guid Guid(JsonElement file)
    {
        BuildingBlocks.Ids.GlobalId.TryDecode(file.GetProperty("id").GetString()!, "File", out var id);
        return id;
    }

    /// <summary>The rows of the key documents' table in a plain dump.</summary>
    private static string KeyRows(string dump) => PgDump.Rows(dump, "mt_doc_privacy_personal_data_key");

    private Task<string> DumpAsync() => PgDump.TextAsync(platform.ConnectionString);

    private Task<byte[]> DumpBytesAsync(bool custom) => PgDump.BytesAsync(platform.ConnectionString, custom);
}
