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

    [Fact]
    public async Task A_key_never_gets_more_clearance_than_its_creator_has()
    {
        var staffAdmin = (await platform.Admin().QueryAsync(
                """mutation { createApiKey(input: { name: "admin with staff clearance", role: ADMIN, clearance: STAFF }) { key } }"""))
            .GetProperty("createApiKey").GetProperty("key").GetString();

        var higher = await platform.GraphQL(staffAdmin).PostAsync(
            """mutation { createApiKey(input: { name: "escalation", role: INTEGRATOR, clearance: RESTRICTED }) { key } }""");
        Assert.Equal("VALIDATION", higher.ErrorCode);
        Assert.Equal("clearance", higher.ErrorField);

        var same = await platform.GraphQL(staffAdmin).PostAsync(
            """mutation { createApiKey(input: { name: "allowed", role: INTEGRATOR, clearance: STAFF }) { apiKey { clearance } } }""");
        Assert.Equal("STAFF", same.Data.GetProperty("createApiKey").GetProperty("apiKey").GetProperty("clearance").GetString());
        Assert.Equal(0, await CountKeysAsync("escalation"));
    }

    [Fact]
    public async Task A_repeated_create_with_the_same_client_mutation_id_creates_no_second_key()
    {
        const string document = """mutation { createApiKey(input: { name: "once only", role: STAFF, clearance: PUBLIC, clientMutationId: "key-1" }) { key } }""";
        Assert.False((await platform.Admin().PostAsync(document)).HasErrors);

        var repeated = await platform.Admin().PostAsync(document);
        Assert.Equal("CONFLICT", repeated.ErrorCode);
        Assert.DoesNotContain("omct_", repeated.Raw, StringComparison.Ordinal);
        Assert.Equal(1, await CountKeysAsync("once only"));
    }

    private async Task<long> CountKeysAsync(string name)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from omct.mt_doc_access_api_key where data->>'name' = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
