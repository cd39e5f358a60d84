using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Hosting;

/// <summary>The scalars of api-contract.md, and no other name for the same thing.</summary>
public sealed class ContractScalarsTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task Instants_are_the_contracts_DateTime_everywhere()
    {
        var types = (await platform.Admin().QueryAsync("{ __schema { types { name kind } } }"))
            .GetProperty("__schema").GetProperty("types").EnumerateArray()
            .Where(t => t.GetProperty("kind").GetString() == "SCALAR")
            .Select(t => t.GetProperty("name").GetString()!).ToHashSet();
        Assert.Superset(new HashSet<string> { "DateTime", "Date", "PartialDate", "CountryCode", "ID" }, types);
        Assert.DoesNotContain("DateTimeOffset", types);

        var caseType = (await platform.Admin().QueryAsync("""{ __type(name: "Case") { fields { name type { name ofType { name } } } } }"""))
            .GetProperty("__type").GetProperty("fields").EnumerateArray()
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("type"));
        Assert.Equal("DateTime", caseType["createdAt"].GetProperty("ofType").GetProperty("name").GetString());

        var expiry = DateTimeOffset.UtcNow.AddDays(30);
        var created = await platform.Admin().QueryAsync(
            "mutation($at: DateTime) { createApiKey(input: { name: \"expiring\", role: STAFF, clearance: PUBLIC, expiresAt: $at }) { apiKey { expiresAt createdAt } } }",
            new { at = expiry.ToString("yyyy-MM-dd'T'HH:mm:sszzz") });
        var returned = created.GetProperty("createApiKey").GetProperty("apiKey").GetProperty("expiresAt").GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$", returned);
        Assert.Equal(expiry.ToUnixTimeSeconds(), DateTimeOffset.Parse(returned, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());
        Assert.Equal(JsonValueKind.String, created.GetProperty("createApiKey").GetProperty("apiKey").GetProperty("createdAt").ValueKind);
    }
}
