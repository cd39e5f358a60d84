using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Integration;

/// <summary>GET /export/{name}: who may, what it contains (within clearance, GraphQL's field rules), and the feed cursor it stands for.</summary>
public sealed class ExportTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private async Task<HttpResponseMessage> GetAsync(string path, string? apiKey, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await platform.CreateClient().SendAsync(request);
    }

    private static List<JsonElement> Lines(string body) =>
        body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0];
        Assert.Equal(code, error.GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Only_an_integrator_or_staff_may_export()
    {
        await AssertErrorAsync(await GetAsync("/export/cases", null), HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        await AssertErrorAsync(await GetAsync("/export/cases", "not-a-key-of-ours-at-all"), HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        var revoked = await platform.Admin().QueryAsync("mutation { createApiKey(input: { name: \"revoked\", role: INTEGRATOR, clearance: PUBLIC }) { key apiKey { id } } }");
        await platform.Admin().QueryAsync("mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }",
            new { id = revoked.GetProperty("createApiKey").GetProperty("apiKey").GetProperty("id").GetString() });
        await AssertErrorAsync(await GetAsync("/export/cases", revoked.GetProperty("createApiKey").GetProperty("key").GetString()), HttpStatusCode.Unauthorized, "UNAUTHENTICATED");

        var organisation = (await platform.Admin().QueryAsync("mutation { registerOrganisation(input: { name: \"Export NGO\", countryCode: \"TN\", networkMember: true }) { organisation { id } } }"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString();
        var member = (await platform.Admin().QueryAsync(
                "mutation($org: ID) { createApiKey(input: { name: \"member\", role: NETWORK_MEMBER, clearance: NETWORK, organisationId: $org }) { key } }", new { org = organisation }))
            .GetProperty("createApiKey").GetProperty("key").GetString();
        await AssertErrorAsync(await GetAsync("/export/cases", member), HttpStatusCode.Forbidden, "FORBIDDEN");

        var integrator = await FeedKit.KeyAsync(platform, "INTEGRATOR", "RESTRICTED");
        await AssertErrorAsync(await GetAsync("/export/calls-for-input", integrator), HttpStatusCode.Forbidden, "FORBIDDEN");
        await AssertErrorAsync(await GetAsync("/export/nothing", integrator), HttpStatusCode.NotFound, "NOT_FOUND");
        await AssertErrorAsync(await GetAsync("/export/cases?format=xml", integrator), HttpStatusCode.BadRequest, "VALIDATION");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/export/calls-for-input", await FeedKit.KeyAsync(platform, "STAFF", "STAFF"))).StatusCode);
        foreach (var name in new[] { "cases", "defenders", "organisations", "articles", "submissions" })
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/export/{name}", integrator)).StatusCode);
        }
    }

    [Fact]
    public async Task Cases_as_NDJSON_within_clearance_with_the_feed_cursor_in_the_header_and_the_last_line()
    {
        var open = await FeedKit.OpenCaseAsync(platform.Admin(), "Tunisia: exported", country: "TN");
        var hidden = await FeedKit.OpenCaseAsync(platform.Admin(), "Tunisia: staff only", "STAFF", "TN");
        var response = await GetAsync("/export/cases", await FeedKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC"));
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = Lines(await response.Content.ReadAsStringAsync());
        var trailer = lines[^1];
        Assert.Equal(response.Headers.GetValues("X-Omct-Feed-Cursor").Single(), trailer.GetProperty("feedCursor").GetString());
        var rows = lines[..^1];
        Assert.Contains(rows, r => r.GetProperty("id").GetString() == open);
        Assert.DoesNotContain(rows, r => r.GetProperty("id").GetString() == hidden);
        Assert.All(rows, r => Assert.Equal("PUBLIC", r.GetProperty("confidentiality").GetString()));
        var row = rows.Single(r => r.GetProperty("id").GetString() == open);
        Assert.Equal(("OPEN", "TN", 1), (row.GetProperty("status").GetString(), row.GetProperty("countryCode").GetString(), row.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task CSV_with_Accept_or_format_quotes_what_needs_it_and_defuses_formulas()
    {
        var id = await FeedKit.OpenCaseAsync(platform.Admin(), "=HYPERLINK(\"http://x\"), \"quoted\"", country: "MA");
        var key = await FeedKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC");
        foreach (var response in new[] { await GetAsync("/export/cases", key, "text/csv"), await GetAsync("/export/cases?format=csv", key) })
        {
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            Assert.True(response.Headers.Contains("X-Omct-Feed-Cursor"));
            var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("id,reference,title,countryCode,status,confidentiality", lines[0], StringComparison.Ordinal);
            var line = Assert.Single(lines, l => l.StartsWith(id, StringComparison.Ordinal));
            Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\"), \"\"quoted\"\"\",MA,OPEN,PUBLIC,", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Defenders_follow_the_field_rules_of_GraphQL()
    {
        var named = (await platform.Admin().QueryAsync(
                "mutation { registerDefender(input: { name: \"Export Consenting\", countryCode: \"DZ\", consentToPublishName: true, confidentiality: PUBLIC, " +
                "contact: \"+213 555\", location: \"Alger\" }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString();
        var pseudonymous = (await platform.Admin().QueryAsync(
                "mutation { registerDefender(input: { name: \"Export Hidden Name\", pseudonym: \"Export P\", countryCode: \"DZ\", confidentiality: PUBLIC }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString();
        var unlisted = (await platform.Admin().QueryAsync(
                "mutation { registerDefender(input: { name: \"Export Unlisted\", countryCode: \"DZ\", confidentiality: PUBLIC }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString();

        async Task<List<JsonElement>> RowsAsync(string clearance, string role = "INTEGRATOR") =>
            Lines(await (await GetAsync("/export/defenders", await FeedKit.KeyAsync(platform, role, clearance))).Content.ReadAsStringAsync())[..^1];

        var publicRows = await RowsAsync("PUBLIC");
        Assert.DoesNotContain(publicRows, r => r.GetProperty("id").GetString() == unlisted);
        var hiddenName = publicRows.Single(r => r.GetProperty("id").GetString() == pseudonymous);
        Assert.Equal(JsonValueKind.Null, hiddenName.GetProperty("name").ValueKind);
        Assert.Equal("Export P", hiddenName.GetProperty("pseudonym").GetString());
        var consenting = publicRows.Single(r => r.GetProperty("id").GetString() == named);
        Assert.Equal("Export Consenting", consenting.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, consenting.GetProperty("contact").ValueKind);

        var staffRow = (await RowsAsync("STAFF")).Single(r => r.GetProperty("id").GetString() == named);
        Assert.Equal(JsonValueKind.Null, staffRow.GetProperty("location").ValueKind);
        var restricted = await RowsAsync("RESTRICTED");
        var full = restricted.Single(r => r.GetProperty("id").GetString() == named);
        Assert.Equal(("+213 555", "Alger"), (full.GetProperty("contact").GetString(), full.GetProperty("location").GetString()));
        Assert.Equal("Export Hidden Name", restricted.Single(r => r.GetProperty("id").GetString() == pseudonymous).GetProperty("name").GetString());
        Assert.Contains(restricted, r => r.GetProperty("id").GetString() == unlisted);
    }

    [Fact]
    public async Task Following_the_feed_from_an_exports_cursor_yields_exactly_the_changes_after_it()
    {
        var before = await FeedKit.OpenCaseAsync(platform.Admin(), "Libya: before the export", country: "LY");
        var changedLater = await FeedKit.OpenCaseAsync(platform.Admin(), "Libya: changed after the export", country: "LY");
        var response = await GetAsync("/export/cases", PlatformFactory.AdminKey);
        var lines = Lines(await response.Content.ReadAsStringAsync());
        var cursor = response.Headers.GetValues("X-Omct-Feed-Cursor").Single();
        Assert.Contains(lines, r => r.TryGetProperty("id", out var id) && id.GetString() == before);

        await FeedKit.RecordEventAsync(platform.Admin(), changedLater);
        var after = await FeedKit.OpenCaseAsync(platform.Admin(), "Libya: after the export", country: "LY");
        await FeedKit.RecordEventAsync(platform.Admin(), after);

        var (changes, _) = await FeedKit.DrainAsync(platform.Admin(), cursor);
        Assert.Equal([(changedLater, 2), (after, 1), (after, 2)], changes.Select(c => (c.EntityId, c.Version!.Value)));
        // The export reflected every version the feed does not list again.
        var exported = lines[..^1].ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("version").GetInt32());
        Assert.Equal(1, exported[changedLater]);
        Assert.False(exported.ContainsKey(after));
    }
}
