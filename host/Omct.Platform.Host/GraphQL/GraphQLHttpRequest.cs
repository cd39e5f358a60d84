using System.Text.Json;

namespace Omct.Platform.Host.GraphQL;

/// <summary>
/// The parameters of a GraphQL-over-HTTP request, read from a JSON body or a query string. A
/// persisted operation is named by <see cref="DocumentHash"/> (from <c>documentId: "sha256:…"</c> or
/// Apollo's <c>extensions.persistedQuery.sha256Hash</c>); <see cref="Query"/> may then be absent.
/// </summary>
internal sealed record GraphQLHttpRequest(string? Query, string? OperationName, JsonElement? Variables, JsonElement? Extensions, string? DocumentHash = null)
{
    /// <summary>
    /// Set, with <see cref="Variables"/> left out, when the body's variables were found over the list limit while it
    /// was read (<see cref="DocumentLimits.CheckVariables"/>): the request is refused with this message where the
    /// variables are checked, and what would be refused is neither copied nor walked again.
    /// </summary>
    public string? VariablesRefusal { get; init; }

    private const string Sha256Prefix = "sha256:";

    /// <summary>Reads the request parameters from a parsed JSON body; null and an error message when they are malformed.</summary>
    public static GraphQLHttpRequest? FromJson(JsonElement body, out string? error)
    {
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "The request body must be a JSON object.";
            return null;
        }

        string? query = null, operationName = null, documentId = null;
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
                case "documentId":
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        error = "The 'documentId' parameter must be a string.";
                        return null;
                    }

                    documentId = property.Value.GetString();
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

        return Complete(query, operationName, variables, extensions, documentId, out error);
    }

    /// <summary>Reads the parameters of a GET request (variables and extensions as JSON strings).</summary>
    public static GraphQLHttpRequest? FromQueryString(IQueryCollection queryString, out string? error)
    {
        error = null;
        var query = queryString["query"].ToString();
        var operationName = queryString["operationName"].ToString();
        var documentId = queryString["documentId"].ToString();
        if (!TryParseJsonMap(queryString["variables"].ToString(), "variables", out var variables, out error)
            || !TryParseJsonMap(queryString["extensions"].ToString(), "extensions", out var extensions, out error))
        {
            return null;
        }

        return Complete(
            query.Length == 0 ? null : query, operationName.Length == 0 ? null : operationName, variables, extensions,
            documentId.Length == 0 ? null : documentId, out error);
    }

    /// <summary>A request needs a document or the hash of a persisted one (and, when both are given, they must agree later).</summary>
    private static GraphQLHttpRequest? Complete(
        string? query, string? operationName, JsonElement? variables, JsonElement? extensions, string? documentId, out string? error)
    {
        error = null;
        string? hash = null;
        if (documentId is not null)
        {
            hash = documentId.StartsWith(Sha256Prefix, StringComparison.Ordinal) ? documentId[Sha256Prefix.Length..] : null;
            if (hash is null)
            {
                error = "The 'documentId' parameter must be \"sha256:<hex>\".";
                return null;
            }
        }
        else if (extensions is { } x && x.TryGetProperty("persistedQuery", out var persisted))
        {
            if (persisted.ValueKind != JsonValueKind.Object || !persisted.TryGetProperty("sha256Hash", out var h) || h.ValueKind != JsonValueKind.String)
            {
                error = "extensions.persistedQuery must be an object with a string sha256Hash.";
                return null;
            }

            hash = h.GetString();
        }

        if (hash is not null && (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower)))
        {
            error = "A document hash is the lowercase hex SHA-256 of the document (64 characters).";
            return null;
        }

        if (string.IsNullOrEmpty(query) && hash is null)
        {
            error = "The 'query' parameter is missing.";
            return null;
        }

        return new GraphQLHttpRequest(string.IsNullOrEmpty(query) ? null : query, operationName, variables, extensions, hash);
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
