using System.Text.Json;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>What the tests of files on records share: keys, records, uploads and attaching (through the API, as a client does).</summary>
internal sealed class AttachKit(PlatformFactory platform)
{
    public const string FileFields = "id fileName mediaType size sha256 confidentiality purpose downloadUrl";

    public const string Attach = "mutation($r: ID!, $u: ID!, $l: Confidentiality, $p: FilePurpose) { attachFile(input: { recordId: $r, uploadId: $u, confidentiality: $l, purpose: $p }) " +
                                 "{ file { " + FileFields + " } } }";

    public async Task<string> KeyAsync(string role, string clearance) =>
        (await platform.Admin().QueryAsync("mutation($r: Role!, $c: Confidentiality!) { createApiKey(input: { name: \"attach\", role: $r, clearance: $c }) { key } }", new { r = role, c = clearance }))
        .GetProperty("createApiKey").GetProperty("key").GetString()!;

    public async Task<string> OpenCaseAsync(string level, string title = "Belarus: attachments") =>
        (await platform.Admin().QueryAsync("mutation($t: String!, $l: Confidentiality) { openCase(input: { title: $t, countryCode: \"BY\", confidentiality: $l }) { case { id } } }", new { t = title, l = level }))
        .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    public async Task<string> RegisterDefenderAsync(string name, string level, bool portraitConsent = false)
    {
        var id = (await platform.Admin().QueryAsync("mutation($n: String!, $l: Confidentiality) { registerDefender(input: { name: $n, countryCode: \"PH\", consentToPublishName: true, confidentiality: $l }) { defender { id } } }",
                new { n = name, l = level }))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
        if (portraitConsent)
        {
            await ConsentAsync(id, true);
        }

        return id;
    }

    public Task ConsentAsync(string defenderId, bool portrait) =>
        platform.Admin().QueryAsync("mutation($d: ID!, $p: Boolean!) { recordConsent(input: { defenderId: $d, toPublishName: true, toPublishPortrait: $p }) { defender { id } } }",
            new { d = defenderId, p = portrait });

    /// <summary>An upload of <paramref name="content"/> by the admin (or <paramref name="key"/>'s caller): its id.</summary>
    public Task<string> UploadAsync(byte[] content, string? key = null, string name = "evidence.pdf", string type = "application/pdf") =>
        new TusKit(platform, key ?? PlatformFactory.AdminKey).UploadAsync(content, name, type);

    public Task<string> UploadPngAsync(byte[] content, string? key = null) => UploadAsync(content, key, "portrait.png", "image/png");

    /// <summary>Attaches and answers the response (errors included).</summary>
    public Task<GraphQLResponse> TryAttachAsync(string recordId, string uploadId, string? level = null, string? purpose = null, string? key = null) =>
        platform.GraphQL(key ?? PlatformFactory.AdminKey).PostAsync(Attach, new { r = recordId, u = uploadId, l = level, p = purpose });

    /// <summary>Uploads a PDF and attaches it: the file as answered.</summary>
    public async Task<JsonElement> AttachPdfAsync(string recordId, string level, int seed = 7, string? key = null)
    {
        var upload = await UploadAsync(TusKit.Pdf(5000, seed), key);
        return (await platform.GraphQL(key ?? PlatformFactory.AdminKey).QueryAsync(Attach, new { r = recordId, u = upload, l = level }))
            .GetProperty("attachFile").GetProperty("file");
    }

    public async Task<HttpResponseMessage> DownloadAsync(string url, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Api-Key", key);
        return await platform.CreateClient().SendAsync(request);
    }

    /// <summary>
    /// A real PNG (images are decoded at attach to remove their metadata), <paramref name="width"/>/10 pixels wide (8 to 2,000), with
    /// <paramref name="pattern"/> giving its colour, so that two calls with different patterns are different files.
    /// </summary>
    public static byte[] Png(int width, string pattern = "portrait")
    {
        using var bitmap = new SkiaSharp.SKBitmap(Math.Clamp(width / 10, 8, 2000), 48);
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        {
            var hash = (uint)pattern.Aggregate(17, (h, c) => (h * 31) + c);
            canvas.Clear(new SkiaSharp.SKColor((byte)hash, (byte)(hash >> 8), (byte)(hash >> 16)));
        }

        using var encoded = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }
}
