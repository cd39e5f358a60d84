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

    /// <summary>A PNG-looking content (the signature, then <paramref name="pattern"/> repeated to <paramref name="length"/> bytes).</summary>
    public static byte[] Png(int length, string pattern = "portrait")
    {
        var bytes = new byte[length];
        var repeated = System.Text.Encoding.ASCII.GetBytes(pattern);
        for (var i = 0; i < length; i++)
        {
            bytes[i] = repeated[i % repeated.Length];
        }

        ((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]).CopyTo(bytes);
        return bytes;
    }
}
