using System.Text.Json;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests;

internal static class ResponseErrors
{
    /// <summary>Each error as <c>alias:CODE</c> (its root field's alias and <c>extensions.code</c>), ordered by alias.</summary>
    public static IReadOnlyList<string> ByPath(this GraphQLResponse response) =>
        response.Errors
            .Select(e => $"{Path(e)}:{(e.TryGetProperty("extensions", out var ext) && ext.TryGetProperty("code", out var code) ? code.GetString() : null)}")
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The messages of the errors, ordered by path.</summary>
    public static IReadOnlyList<string?> Messages(this GraphQLResponse response) =>
        response.Errors
            .OrderBy(Path, StringComparer.Ordinal)
            .Select(e => e.GetProperty("message").GetString())
            .ToList();

    private static string Path(JsonElement error) =>
        error.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.Array ? path[0].ToString() : "";
}
