using Marten;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.Integration;

/// <summary>
/// One bulk export (<c>GET /export/{name}</c>), implemented by the module that owns the records
/// with its own clearance and field rules — the same ones as its GraphQL types (a value the
/// caller may not see in GraphQL is null in the export; a record it may not see is absent).
/// </summary>
public interface IExportSource
{
    /// <summary>The path segment (<c>cases</c>).</summary>
    string Name { get; }

    /// <summary>The columns of each row, in order (CSV header, NDJSON property names).</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>The role a caller needs besides the export's own (INTEGRATOR); null when the export's role is enough.</summary>
    Role? RequiredRole => null;

    /// <summary>
    /// The rows the caller may see, one value per column (string, number, boolean, date, a list of
    /// strings, or null), streamed: read them with a reader and yield as you go, never as a list.
    /// <paramref name="session"/> reads from the export's one snapshot (a repeatable-read,
    /// read-only transaction).
    /// </summary>
    IAsyncEnumerable<object?[]> RowsAsync(IQuerySession session, Caller caller, CancellationToken cancellationToken);
}
