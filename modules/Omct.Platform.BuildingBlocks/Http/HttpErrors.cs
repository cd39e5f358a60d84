using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Omct.Platform.BuildingBlocks.Http;

/// <summary>Errors of the HTTP endpoints besides /graphql, in the shape GraphQL errors have: <c>{"errors":[{"message","extensions":{"code"}}]}</c>.</summary>
public static class HttpErrors
{
    public static async Task WriteAsync(HttpContext http, int status, string code, string message, string? field = null)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        var extensions = field is null
            ? new Dictionary<string, string> { ["code"] = code }
            : new Dictionary<string, string> { ["code"] = code, ["field"] = field };
        await JsonSerializer.SerializeAsync(http.Response.Body,
            new { errors = new[] { new { message, extensions } } }, cancellationToken: http.RequestAborted);
    }
}
