namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// Known GraphQL documents, by the lowercase hex SHA-256 of their text ("persisted operations"):
/// integrators may send the hash instead of the document, and a key created with
/// <c>persistedOperationsOnly</c> may send nothing else.
/// </summary>
public interface IPersistedOperations
{
    /// <summary>The registered document with this hash, or null when none is registered.</summary>
    ValueTask<string?> FindAsync(string sha256Hex, CancellationToken cancellationToken);
}
