using System.Net;
using System.Text.Json;
using Omct.Platform.Testing;
using SkiaSharp;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>What the evidence tests build and ask: JPEGs carrying GPS and a camera serial, PDFs with text, files attached, requests with a key.</summary>
internal sealed class EvidenceKit(PlatformFactory platform)
{
    public const string Attach = "mutation($r: ID!, $u: ID!, $l: Confidentiality, $k: Boolean) { attachFile(input: { recordId: $r, uploadId: $u, confidentiality: $l, keepOriginal: $k }) " +
                                 "{ file { id sha256 originalSha256 size version downloadUrl thumbnailUrl original { sha256 size downloadUrl } } } }";

    public const string Serial = "SN-4711-OKRESTINA";

    public async Task<JsonElement> AttachAsync(string recordId, byte[] content, string fileName, string mediaType, string level, bool keepOriginal = false, string? key = null)
    {
        key ??= PlatformFactory.AdminKey;
        var upload = await new TusKit(platform, key).UploadAsync(content, fileName, mediaType);
        return (await platform.GraphQL(key).QueryAsync(Attach, new { r = recordId, u = upload, l = level, k = keepOriginal }))
            .GetProperty("attachFile").GetProperty("file");
    }

    public async Task<HttpResponseMessage> GetAsync(string url, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Api-Key", key);
        return await platform.CreateClient().SendAsync(request);
    }

    public async Task<string> OpenCaseAsync(string level, string title = "Belarus: evidence") =>
        (await platform.Admin().QueryAsync("mutation($l: Confidentiality, $t: String!) { openCase(input: { title: $t, countryCode: \"BY\", confidentiality: $l }) { case { id } } }",
            new { l = level, t = title }))
        .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    public async Task<string> KeyAsync(string role, string clearance) =>
        (await platform.Admin().QueryAsync("mutation($r: Role!, $c: Confidentiality!) { createApiKey(input: { name: \"evidence\", role: $r, clearance: $c }) { key } }", new { r = role, c = clearance }))
        .GetProperty("createApiKey").GetProperty("key").GetString()!;

    public static async Task<string> NotFoundBodyAsync(EvidenceKit kit, string key, string suffix) =>
        await (await kit.GetAsync("/files/" + BuildingBlocks.Ids.GlobalId.Encode("File", Guid.CreateVersion7()) + suffix, key)).Content.ReadAsStringAsync();

    /// <summary>A JPEG of <paramref name="width"/> × <paramref name="height"/> whose APP1 Exif segment holds a GPS position (Minsk) and a camera serial.</summary>
    public static byte[] JpegWithGps(int width = 800, int height = 600)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SkyBlue);
            using var paint = new SKPaint { Color = SKColors.DarkRed };
            canvas.DrawCircle(width / 2f, height / 2f, height / 4f, paint);
        }

        using var encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        var jpeg = encoded.ToArray();
        var exif = ExifSegment();
        // Right after SOI (FF D8): FF E1, the length (big-endian, itself included), "Exif\0\0" and the TIFF structure.
        return [.. jpeg.AsSpan(0, 2), 0xFF, 0xE1, (byte)((exif.Length + 2) >> 8), (byte)(exif.Length + 2), .. exif, .. jpeg.AsSpan(2)];
    }

    /// <summary>"Exif\0\0" and a little-endian TIFF: IFD0 pointing to an Exif IFD (BodySerialNumber) and a GPS IFD (53°54' N, 27°33' E).</summary>
    private static byte[] ExifSegment()
    {
        var tiff = new List<byte>();
        void U16(int v) { tiff.Add((byte)v); tiff.Add((byte)(v >> 8)); }
        void U32(long v) { U16((int)(v & 0xFFFF)); U16((int)(v >> 16)); }
        void Entry(int tag, int type, int count, long value) { U16(tag); U16(type); U32(count); U32(value); }
        const int Ascii = 2, Long = 4, Rational = 5;

        tiff.AddRange("II"u8.ToArray()); U16(42); U32(8);
        // IFD0 at 8: 2 entries (30 bytes) → the Exif IFD at 38.
        U16(2); Entry(0x8769, Long, 1, 38); Entry(0x8825, Long, 1, 80); U32(0);
        // Exif IFD at 38: BodySerialNumber (18 bytes) → its text at 56 (18 bytes), then padding to 80.
        var serial = System.Text.Encoding.ASCII.GetBytes(Serial + "\0");
        U16(1); Entry(0xA431, Ascii, serial.Length, 56); U32(0);
        tiff.AddRange(serial);
        while (tiff.Count < 80) tiff.Add(0);
        // GPS IFD at 80: 4 entries (54 bytes) → the latitude at 134, the longitude at 158.
        U16(4);
        U16(1); U16(Ascii); U32(2); tiff.AddRange("N\0\0\0"u8.ToArray());
        Entry(2, Rational, 3, 134);
        U16(3); U16(Ascii); U32(2); tiff.AddRange("E\0\0\0"u8.ToArray());
        Entry(4, Rational, 3, 158);
        U32(0);
        foreach (var (deg, min) in new[] { (53, 54), (27, 33) })
        {
            U32(deg); U32(1); U32(min); U32(1); U32(0); U32(1);
        }

        return [.. "Exif\0\0"u8, .. tiff];
    }

    /// <summary>An A4 PDF of one page (or more) with these lines of text, made with PdfPig's builder.</summary>
    public static byte[] Pdf(params string[] lines)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        var y = 780.0;
        foreach (var line in lines)
        {
            page.AddText(line, 14, new PdfPoint(60, y), font);
            y -= 24;
        }

        return builder.Build();
    }

    public static bool HasGps(byte[] image) =>
        MetadataExtractor.ImageMetadataReader.ReadMetadata(new MemoryStream(image)).OfType<MetadataExtractor.Formats.Exif.GpsDirectory>()
            .Any(d => d.GetGeoLocation() is not null || d.TagCount > 0);

    public static bool HasSerial(byte[] image) =>
        MetadataExtractor.ImageMetadataReader.ReadMetadata(new MemoryStream(image))
            .Any(d => d.Tags.Any(t => t.Description?.Contains(Serial, StringComparison.Ordinal) == true)
                      || d.ContainsTag(MetadataExtractor.Formats.Exif.ExifDirectoryBase.TagBodySerialNumber));

    public static void AssertNotFound(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            throw new Xunit.Sdk.XunitException($"Expected 404, got {(int)response.StatusCode}.");
        }
    }
}
