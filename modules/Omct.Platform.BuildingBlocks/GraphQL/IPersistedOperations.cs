namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// Known GraphQL documents, by the lowercase hex SHA-256 of their text ("persisted operations"):
/// integrators may send the hash instead of the document, and a key created with
/// <c>persistedOperationsOnly</c> may send nothing else.
/// </summary>
public interface IPersistedOperations
{
    /// <summary>The document an admin registered with this hash, or null when none is (a report's saved query is not, until an admin registers it).</summary>
    ValueTask<string?> FindAsync(string sha256Hex, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a report definition's saved query under its hash, registered by the platform on behalf of
    /// <paramref name="registeredBy"/> (the definition's owner, who need not be an admin): listed with the others for
    /// operators, run by the report's runs (<see cref="FindForReportAsync"/>), but not sent by requests — a key
    /// restricted to persisted operations still runs only what an admin registered. Harmless when it is there already.
    /// </summary>
    ValueTask RegisterForReportAsync(string name, string document, string registeredBy, CancellationToken cancellationToken);

    /// <summary>The document with this hash, whoever registered it (an admin or a report definition), or null.</summary>
    ValueTask<string?> FindForReportAsync(string sha256Hex, CancellationToken cancellationToken);
}
