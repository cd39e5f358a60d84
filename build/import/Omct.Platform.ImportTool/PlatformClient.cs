using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Omct.Platform.ImportTool;

/// <summary>An error the platform answered (its GraphQL error code and, for VALIDATION, the input field at fault).</summary>
internal sealed class PlatformException(string message, string? code = null, string? field = null) : Exception(message)
{
    public string? Code { get; } = code;

    public string? Field { get; } = field;
}

/// <summary>The platform's GraphQL endpoint and its HTTP downloads, with an API key (X-Api-Key).</summary>
internal sealed class PlatformClient(HttpClient http, string apiKey)
{
    public HttpClient Http { get; } = http;

    public string ApiKey { get; } = apiKey;

    public HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", ApiKey);
        return request;
    }

    /// <summary>The <c>data</c> of a GraphQL request; the first error as a <see cref="PlatformException"/>.</summary>
    public async Task<JsonElement> QueryAsync(string query, object? variables, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, "/graphql");
        request.Content = JsonContent.Create(new JsonObject
        {
            ["query"] = query,
            ["variables"] = variables is null ? null : JsonSerializer.SerializeToNode(variables),
        });
        using var response = await Http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonDocument body;
        try
        {
            body = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            throw new PlatformException($"The platform answered {(int)response.StatusCode} {response.ReasonPhrase}, not GraphQL: is {Http.BaseAddress} the platform?");
        }

        using (body)
        {
            var root = body.RootElement;
            if (ErrorOf(root) is { } error)
            {
                throw error;
            }

            return root.GetProperty("data").Clone();
        }
    }

    /// <summary>The first error of a body in the platform's error shape (<c>{"errors":[{"message","extensions":{"code","field"}}]}</c>), if any.</summary>
    public static PlatformException? ErrorOf(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array || errors.GetArrayLength() == 0)
        {
            return null;
        }

        var first = errors[0];
        string? code = null, field = null;
        if (first.TryGetProperty("extensions", out var extensions) && extensions.ValueKind == JsonValueKind.Object)
        {
            code = extensions.TryGetProperty("code", out var c) ? c.GetString() : null;
            field = extensions.TryGetProperty("field", out var f) ? f.GetString() : null;
        }

        var message = first.TryGetProperty("message", out var m) ? m.GetString() : null;
        return new PlatformException(message ?? "The platform refused the request.", code, field);
    }

    /// <summary>Downloads <paramref name="path"/> into <paramref name="target"/> (created or replaced).</summary>
    public async Task DownloadAsync(string path, string target, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, path);
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new PlatformException($"GET {path} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        await using var file = File.Create(target);
        await response.Content.CopyToAsync(file, ct);
    }
}
