using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Transport;

public sealed class PersistedOperationsTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string Document = "query Role { me { role clearance } }";

    private static string Hash(string document) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    private async Task<string> RegisterAsync(string document, string name = "role")
    {
        var registered = await platform.Admin().QueryAsync(
            "mutation($d: String!, $n: String!) { registerPersistedOperation(input: { name: $n, document: $d }) { persistedOperation { sha256Hash name } } }",
            new { d = document, n = name });
        return registered.GetProperty("registerPersistedOperation").GetProperty("persistedOperation").GetProperty("sha256Hash").GetString()!;
    }

    [Fact]
    public async Task A_registered_document_runs_by_its_hash_in_either_form_and_by_get()
    {
        var hash = await RegisterAsync(Document);
        Assert.Equal(Hash(Document), hash);
        Assert.Equal(hash, await RegisterAsync(Document)); // registering again is harmless

        var byDocumentId = await platform.GraphQL().PostBodyAsync(new { documentId = $"sha256:{hash}" });
        Assert.Equal(HttpStatusCode.OK, byDocumentId.Status);
        Assert.Equal("ANONYMOUS", byDocumentId.Data.GetProperty("me").GetProperty("role").GetString());

        var byExtension = await platform.GraphQL(PlatformFactory.AdminKey).PostBodyAsync(
            new { extensions = new { persistedQuery = new { version = 1, sha256Hash = hash } } });
        Assert.Equal("ADMIN", byExtension.Data.GetProperty("me").GetProperty("role").GetString());

        using var http = platform.CreateClient();
        var get = await http.GetAsync($"/graphql?documentId=sha256:{hash}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Contains("\"ANONYMOUS\"", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var listed = await platform.Admin().QueryAsync("{ persistedOperations { sha256Hash name document registeredBy } }");
        var entry = Assert.Single(listed.GetProperty("persistedOperations").EnumerateArray(), e => e.GetProperty("sha256Hash").GetString() == hash);
        Assert.Equal(Document, entry.GetProperty("document").GetString());
        Assert.Equal("apikey:bootstrap", entry.GetProperty("registeredBy").GetString());
    }

    [Fact]
    public async Task An_unknown_hash_a_mismatching_document_and_a_malformed_id_are_refused()
    {
        var unknown = await platform.GraphQL().PostBodyAsync(new { documentId = $"sha256:{Hash("{ me { name } }")}" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", unknown.ErrorCode);
        Assert.False(unknown.HasData);

        var legacy = await platform.GraphQL().PostBodyAsync(new { documentId = $"sha256:{Hash("{ me { name } }")}" }, "application/json");
        Assert.Equal(HttpStatusCode.OK, legacy.Status);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", legacy.ErrorCode);

        var hash = await RegisterAsync(Document);
        var mismatch = await platform.GraphQL().PostBodyAsync(new { query = "{ me { name } }", documentId = $"sha256:{hash}" });
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Status);
        Assert.Equal("BAD_REQUEST", mismatch.ErrorCode);

        foreach (var bad in new[] { "md5:abc", $"sha256:{hash.ToUpperInvariant()}", "sha256:1234" })
        {
            var response = await platform.GraphQL().PostBodyAsync(new { documentId = bad });
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Equal("BAD_REQUEST", response.ErrorCode);
        }
    }

    [Fact]
    public async Task A_key_restricted_to_persisted_operations_may_send_nothing_else()
    {
        var hash = await RegisterAsync(Document);
        var created = await platform.Admin().QueryAsync(
            "mutation { createApiKey(input: { name: \"dashboard\", role: INTEGRATOR, clearance: PUBLIC, persistedOperationsOnly: true }) { key apiKey { persistedOperationsOnly } } }");
        var key = created.GetProperty("createApiKey").GetProperty("key").GetString();
        Assert.True(created.GetProperty("createApiKey").GetProperty("apiKey").GetProperty("persistedOperationsOnly").GetBoolean());

        var free = await platform.GraphQL(key).PostAsync("{ me { role } }");
        Assert.Equal(HttpStatusCode.Forbidden, free.Status);
        Assert.Equal("FORBIDDEN", free.ErrorCode);
        Assert.False(free.HasData);

        var persisted = await platform.GraphQL(key).PostBodyAsync(new { documentId = $"sha256:{hash}" });
        Assert.Equal(HttpStatusCode.OK, persisted.Status);
        Assert.Equal("INTEGRATOR", persisted.Data.GetProperty("me").GetProperty("role").GetString());
    }

    [Fact]
    public async Task Only_admins_register_and_only_valid_documents()
    {
        var anonymous = await platform.GraphQL().PostAsync("mutation { registerPersistedOperation(input: { name: \"x\", document: \"{ me { role } }\" }) { persistedOperation { sha256Hash } } }");
        Assert.Equal("UNAUTHENTICATED", anonymous.ErrorCode);

        var staffKey = (await platform.Admin().QueryAsync("mutation { createApiKey(input: { name: \"staff\", role: STAFF, clearance: STAFF }) { key } }"))
            .GetProperty("createApiKey").GetProperty("key").GetString();
        var staff = await platform.GraphQL(staffKey).PostAsync("mutation { registerPersistedOperation(input: { name: \"x\", document: \"{ me { role } }\" }) { persistedOperation { sha256Hash } } }");
        Assert.Equal("FORBIDDEN", staff.ErrorCode);

        foreach (var (document, name) in new[] { ("{ me { role ", "x"), ("fragment F on Caller { role }", "x"), ("   ", "x"), ("{ me { role } }", "") })
        {
            var response = await platform.Admin().PostAsync(
                "mutation($d: String!, $n: String!) { registerPersistedOperation(input: { name: $n, document: $d }) { persistedOperation { sha256Hash } } }",
                new { d = document, n = name });
            Assert.Equal("VALIDATION", response.ErrorCode);
            Assert.Equal(name.Length == 0 ? "name" : "document", response.ErrorField);
        }

        var documents = (await platform.Admin().QueryAsync("{ persistedOperations { document } }")).GetProperty("persistedOperations")
            .EnumerateArray().Select(e => e.GetProperty("document").GetString()).ToList();
        Assert.DoesNotContain("{ me { role } }", documents);
        // The refused fragment-only document is not there (the console's manifest, registered at start, has fragments of its own).
        Assert.DoesNotContain("fragment F on Caller { role }", documents);
        Assert.DoesNotContain(documents, d => d!.StartsWith("fragment F on Caller", StringComparison.Ordinal));
    }
}
