using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Omct.Platform.Testing;

/// <summary>A small GraphQL-over-HTTP client for tests.</summary>
public sealed class GraphQLClient(HttpClient http, string? apiKey)
{
    public HttpClient Http => http;

    public Task<GraphQLResponse> PostAsync(string query, object? variables = null, string accept = "application/graphql-response+json") =>
        PostBodyAsync(new { query, variables }, accept);

    /// <summary>Posts any JSON body (persisted operations, malformed requests).</summary>
    public async Task<GraphQLResponse> PostBodyAsync(object body, string accept = "application/graphql-response+json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Accept.ParseAdd(accept);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        using var response = await http.SendAsync(request);
        return await GraphQLResponse.ReadAsync(response);
    }

    /// <summary>Posts and fails unless the response has data and no errors.</summary>
    public async Task<JsonElement> QueryAsync(string query, object? variables = null)
    {
        var response = await PostAsync(query, variables);
        if (response.HasErrors || response.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GraphQL request failed ({(int)response.Status}): {response.Body}");
        }

        return response.Data;
    }

    /// <summary>A new API key (this client is an admin's) with <paramref name="role"/> and <paramref name="clearance"/>: its secret.</summary>
    public async Task<string> CreateApiKeyAsync(string role, string clearance) =>
        (await QueryAsync("mutation($role: Role!, $clearance: Confidentiality!) { createApiKey(input: { name: \"test\", role: $role, clearance: $clearance }) { key } }",
            new { role, clearance })).GetProperty("createApiKey").GetProperty("key").GetString()!;
}

public sealed record GraphQLResponse(HttpStatusCode Status, string? ContentType, JsonElement Body, string Raw)
{
    public static async Task<GraphQLResponse> ReadAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        var body = raw.Length == 0 ? default : JsonDocument.Parse(raw).RootElement.Clone();
        return new GraphQLResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, raw);
    }

    public JsonElement Data => Body.GetProperty("data");

    public bool HasData => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("data", out _);

    public bool HasErrors => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("errors", out _);

    public IReadOnlyList<JsonElement> Errors =>
        Body.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().ToList() : [];

    /// <summary>The <c>extensions.code</c> of the first error, or null.</summary>
    public string? ErrorCode => Errors.Count == 0 ? null
        : Errors[0].TryGetProperty("extensions", out var ext) && ext.TryGetProperty("code", out var code) ? code.GetString() : null;

    /// <summary>The <c>extensions.field</c> of the first error, or null.</summary>
    public string? ErrorField => Errors.Count == 0 ? null
        : Errors[0].TryGetProperty("extensions", out var ext) && ext.TryGetProperty("field", out var name) ? name.GetString() : null;

    public override string ToString() => $"{(int)Status} {Raw}";
}
