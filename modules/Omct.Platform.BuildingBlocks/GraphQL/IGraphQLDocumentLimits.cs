namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// The limits of <c>Omct:GraphQL</c> that every request over HTTP is held to — nesting, aliases, fields (fragments
/// expanded), list items, depth and complexity — for documents that come another way: a report definition's saved
/// query, checked when it is saved and again before each run. The document must also be valid against the schema.
/// </summary>
public interface IGraphQLDocumentLimits
{
    /// <summary>
    /// Why <paramref name="document"/> may not run with <paramref name="variablesJson"/> (a JSON object, the variables
    /// of its complexity: <c>first</c> and the like) — the limit's own message, as a request would get it — or null when it may.
    /// </summary>
    Task<string?> CheckAsync(string document, string variablesJson, CancellationToken cancellationToken);
}
