using System.Text.Json;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// The scenario of issue 21 on every path: on a STAFF case, a file (STAFF) on a RESTRICTED case event, a RESTRICTED file on a
/// STAFF event, and a STAFF file on the STAFF event that a STAFF caller does see. Each file has a name of its own.
/// </summary>
internal sealed record FilePathsScenario(string CaseId, string OnRestrictedEvent, string RestrictedFile, string Visible, string Tag)
{
    public string OnRestrictedEventName => $"{Tag}-on-restricted-event.pdf";
    public string RestrictedFileName => $"{Tag}-restricted-file.pdf";
    public string VisibleName => $"{Tag}-visible.pdf";

    public string[] Hidden => [OnRestrictedEvent, RestrictedFile];
    public string[] HiddenNames => [OnRestrictedEventName, RestrictedFileName];

    public static async Task<FilePathsScenario> SeedAsync(PlatformFactory platform, string tag, string country = "BY")
    {
        var admin = platform.Admin();
        var caseId = (await admin.QueryAsync("mutation($t: String!, $c: CountryCode!) { openCase(input: { title: $t, countryCode: $c, confidentiality: STAFF }) { case { id } } }",
                new { t = $"{tag} case", c = country }))
            .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        // A past date (the webhook tests' host has a clock of its own): a digest takes case events by when they were recorded.
        const string date = "2013-05-05";
        var events = (await admin.QueryAsync(
                "mutation($c: ID!, $d: PartialDate!) { a: recordCaseEvent(input: { caseId: $c, type: ARREST, date: $d, confidentiality: RESTRICTED }) { case { id } } " +
                "b: recordCaseEvent(input: { caseId: $c, type: DETENTION, date: $d, confidentiality: STAFF }) { case { events { id confidentiality } } } }",
                new { c = caseId, d = date }))
            .GetProperty("b").GetProperty("case").GetProperty("events").EnumerateArray().ToList();
        var restrictedEvent = events.Single(e => e.GetProperty("confidentiality").GetString() == "RESTRICTED").GetProperty("id").GetString()!;
        var staffEvent = events.Single(e => e.GetProperty("confidentiality").GetString() == "STAFF").GetProperty("id").GetString()!;
        var onRestrictedEvent = await AttachAsync(platform, restrictedEvent, $"{tag}-on-restricted-event.pdf", "STAFF", 1);
        var restrictedFile = await AttachAsync(platform, staffEvent, $"{tag}-restricted-file.pdf", "RESTRICTED", 2);
        var visible = await AttachAsync(platform, staffEvent, $"{tag}-visible.pdf", "STAFF", 3);
        return new FilePathsScenario(caseId, onRestrictedEvent, restrictedFile, visible, tag);
    }

    /// <summary>Uploads a PDF named <paramref name="name"/> and attaches it to the record: the file's id.</summary>
    public static async Task<string> AttachAsync(PlatformFactory platform, string recordId, string name, string level, int seed, string purpose = "DOCUMENT",
        byte[]? content = null, string type = "application/pdf")
    {
        var upload = await new TusKit(platform, PlatformFactory.AdminKey).UploadAsync(content ?? TusKit.Pdf(5000, seed), name, type);
        var file = (await platform.Admin().QueryAsync(AttachKit.Attach, new { r = recordId, u = upload, l = level, p = purpose }))
            .GetProperty("attachFile").GetProperty("file");
        if (file.GetProperty("fileName").GetString() != name)
        {
            throw new InvalidOperationException($"The file is named {file.GetProperty("fileName")}, not {name}.");
        }

        return file.GetProperty("id").GetString()!;
    }

    public static async Task<HttpResponseMessage> ExportAsync(PlatformFactory platform, string key, string? accept = null, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/export/files" + query);
        request.Headers.Add("X-Api-Key", key);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await platform.CreateClient().SendAsync(request);
    }

    /// <summary>The NDJSON export's rows (its last line, the feed cursor, left out; the test fails without it).</summary>
    public static async Task<List<JsonElement>> ExportRowsAsync(PlatformFactory platform, string key)
    {
        var response = await ExportAsync(platform, key);
        response.EnsureSuccessStatusCode();
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        if (!lines[^1].TryGetProperty("feedCursor", out _))
        {
            throw new InvalidOperationException("The export did not end with its feed cursor.");
        }

        return lines[..^1];
    }

    public static async Task<string> ReclassifyAsync(PlatformFactory platform, string fileId, string level) =>
        (await platform.Admin().QueryAsync("mutation($f: ID!, $l: Confidentiality!) { reclassifyFile(input: { fileId: $f, confidentiality: $l }) { file { confidentiality } } }",
            new { f = fileId, l = level })).GetProperty("reclassifyFile").GetProperty("file").GetProperty("confidentiality").GetString()!;
}
