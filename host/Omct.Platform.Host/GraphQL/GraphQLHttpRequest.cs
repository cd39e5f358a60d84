using System.Text.Json;

namespace Omct.Platform.Host.GraphQL;

/// <summary>The parameters of a GraphQL-over-HTTP request, read from a JSON body or a query string.</summary>
internal sealed record GraphQLHttpRequest(string Query, string? OperationName, JsonElement? Variables, JsonElement? Extensions)
{
    /// <summary>Reads the request parameters from a parsed JSON body; null and an error message when they are malformed.</summary>
    public static GraphQLHttpRequest? FromJson(JsonElement body, out string? error)
    {
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "The request body must be a JSON object.";
            return null;
        }

        string? query = null, operationName = null;
        JsonElement? variables = null, extensions = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "query":
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        error = "The 'query' parameter must be a string.";
                        return null;
                    }

                    query = property.Value.GetString();
                    break;
                case "operationName":
                    if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        error = "The 'operationName' parameter must be a string or null.";
                        return null;
                    }

                    operationName = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    break;
                case "variables":
                    if (!IsMapOrNull(property.Value, "variables", out error))
                    {
                        return null;
                    }

                    variables = property.Value.ValueKind == JsonValueKind.Object ? property.Value : null;
                    break;
                case "extensions":
                    if (!IsMapOrNull(property.Value, "extensions", out error))
                    {
                        return null;
                    }

                    extensions = property.Value.ValueKind == JsonValueKind.Object ? property.Value : null;
                    break;
            }
        }

        if (string.IsNullOrEmpty(query))
        {
            error = "The 'query' parameter is missing.";
            return null;
        }

        return new GraphQLHttpRequest(query, operationName, variables, extensions);
    }

    /// <summary>Reads the parameters of a GET request (variables and extensions as JSON strings).</summary>
    public static GraphQLHttpRequest? FromQueryString(IQueryCollection queryString, out string? error)
    {
        error = null;
        var query = queryString["query"].ToString();
        if (string.IsNullOrEmpty(query))
        {
            error = "The 'query' parameter is missing.";
            return null;
        }

        var operationName = queryString["operationName"].ToString();
        if (!TryParseJsonMap(queryString["variables"].ToString(), "variables", out var variables, out error)
            || !TryParseJsonMap(queryString["extensions"].ToString(), "extensions", out var extensions, out error))
        {
            return null;
        }

        return new GraphQLHttpRequest(query, operationName.Length == 0 ? null : operationName, variables, extensions);
    }

    private static bool IsMapOrNull(JsonElement value, string name, out string? error)
    {
        error = value.ValueKind is JsonValueKind.Object or JsonValueKind.Null ? null : $"The '{name}' parameter must be an object or null.";
        return error is null;
    }

    private static bool TryParseJsonMap(string text, string name, out JsonElement? value, out string? error)
    {
        value = null;
        error = null;
        if (text.Length == 0)
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (!IsMapOrNull(document.RootElement, name, out error))
            {
                return false;
            }

            value = document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
            return true;
        }
        catch (JsonException)
        {
            error = $"The '{name}' parameter is not valid JSON.";
            return false;
        }
    }
}
