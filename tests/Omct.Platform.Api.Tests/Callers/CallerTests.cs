using System.Net;
using Npgsql;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Callers;

public sealed class CallerTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task Anonymous_caller_is_anonymous_with_public_clearance()
    {
        var data = await platform.GraphQL().QueryAsync("{ me { id role clearance name } }");
        Assert.Equal("ANONYMOUS", data.GetProperty("me").GetProperty("role").GetString());
        Assert.Equal("PUBLIC", data.GetProperty("me").GetProperty("clearance").GetString());
    }

    [Fact]
    public async Task Bootstrap_admin_key_is_admin_with_restricted_clearance()
    {
        var data = await platform.Admin().QueryAsync("{ me { role clearance } }");
        Assert.Equal("ADMIN", data.GetProperty("me").GetProperty("role").GetString());
        Assert.Equal("RESTRICTED", data.GetProperty("me").GetProperty("clearance").GetString());
    }

    [Fact]
    public async Task Unknown_key_is_unauthenticated_not_anonymous()
    {
        var response = await platform.GraphQL("omct_not-a-real-key").PostAsync("{ me { role } }");
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("UNAUTHENTICATED", response.ErrorCode);
        Assert.False(response.HasData);
    }

    [Fact]
    public async Task Created_key_authenticates_with_its_role_and_clearance_until_revoked()
    {
        var created = await platform.Admin().QueryAsync(
            """mutation { createApiKey(input: { name: "dashboard", role: STAFF, clearance: NETWORK }) { key apiKey { id name role clearance prefix revokedAt } } }""");
        var payload = created.GetProperty("createApiKey");
        var key = payload.GetProperty("key").GetString()!;
        var id = payload.GetProperty("apiKey").GetProperty("id").GetString()!;
        Assert.StartsWith(payload.GetProperty("apiKey").GetProperty("prefix").GetString()!, key, StringComparison.Ordinal);

        var me = await platform.GraphQL(key).QueryAsync("{ me { role clearance name } }");
        Assert.Equal("STAFF", me.GetProperty("me").GetProperty("role").GetString());
        Assert.Equal("NETWORK", me.GetProperty("me").GetProperty("clearance").GetString());
        Assert.Equal("dashboard", me.GetProperty("me").GetProperty("name").GetString());

        // The secret is not stored, only its hash.
        await using (var connection = new NpgsqlConnection(platform.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select count(*) from omct.mt_doc_access_api_key where data::text like @secret", connection);
            command.Parameters.AddWithValue("secret", $"%{key}%");
            Assert.Equal(0L, await command.ExecuteScalarAsync());
        }

        // A STAFF key may not create keys.
        var forbidden = await platform.GraphQL(key).PostAsync(
            """mutation { createApiKey(input: { name: "x", role: ADMIN, clearance: RESTRICTED }) { key } }""");
        Assert.Equal("FORBIDDEN", forbidden.ErrorCode);

        await platform.Admin().QueryAsync("mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { revokedAt } } }", new { id });
        var revoked = await platform.GraphQL(key).PostAsync("{ me { role } }");
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.Status);
        Assert.Equal("UNAUTHENTICATED", revoked.ErrorCode);
    }

    [Fact]
    public async Task Anonymous_caller_may_not_create_keys()
    {
        var response = await platform.GraphQL().PostAsync(
            """mutation { createApiKey(input: { name: "x", role: ADMIN, clearance: RESTRICTED }) { key } }""");
        Assert.Equal("UNAUTHENTICATED", response.ErrorCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, response.Data.ValueKind);
    }

    [Theory]
    [InlineData("", "ADMIN", "name")]
    [InlineData("x", "SYSTEM", "role")]
    [InlineData("x", "ANONYMOUS", "role")]
    public async Task Invalid_key_input_is_a_validation_error_naming_the_field(string name, string role, string field)
    {
        var response = await platform.Admin().PostAsync(
            $$"""mutation { createApiKey(input: { name: "{{name}}", role: {{role}}, clearance: PUBLIC }) { key } }""");
        Assert.Equal("VALIDATION", response.ErrorCode);
        Assert.Equal(field, response.ErrorField);
    }
}
