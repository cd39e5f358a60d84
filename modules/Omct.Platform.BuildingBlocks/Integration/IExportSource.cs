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

    /// <summary>
    /// Columns only the NDJSON export carries: nested parts (lists of objects, a case's <c>victims</c> and
    /// <c>events</c>), which a CSV row cannot hold. The CSV leaves them out.
    /// </summary>
    IReadOnlySet<string> NdjsonOnly => ExportColumns.None;

    /// <summary>Columns only the CSV export carries: a flat stand-in for a nested part (a case's <c>victimNames</c>).</summary>
    IReadOnlySet<string> CsvOnly => ExportColumns.None;

    /// <summary>The role a caller needs besides the export's own (INTEGRATOR); null when the export's role is enough.</summary>
    Role? RequiredRole => null;

    /// <summary>
    /// The rows the caller may see, one value per column (string, number, boolean, date, a list of
    /// strings, null — or, in an <see cref="NdjsonOnly"/> column, a list of objects given as
    /// <c>IReadOnlyDictionary&lt;string, object?&gt;</c>), streamed: read them with a reader and yield as you go, never as a list.
    /// <paramref name="session"/> reads from the export's one snapshot (a repeatable-read,
    /// read-only transaction).
    /// </summary>
    IAsyncEnumerable<object?[]> RowsAsync(IQuerySession session, Caller caller, CancellationToken cancellationToken);
}

public static class ExportColumns
{
    public static readonly IReadOnlySet<string> None = new HashSet<string>(StringComparer.Ordinal);
}
