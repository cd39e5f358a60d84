using System.Data;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Npgsql;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Http;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.BuildingBlocks.Storage;
using Omct.Platform.Integration.ChangeFeed;

namespace Omct.Platform.Integration.Export;

/// <summary>
/// <c>GET /export/{name}</c>: every record of one kind the caller may see, streamed as NDJSON
/// (default) or CSV, all from one snapshot (a repeatable-read, read-only transaction), in constant
/// memory (rows are read one at a time and flushed as they go). The response says which feed
/// cursor the export corresponds to: following <c>changes(after:)</c> from it yields exactly the
/// changes the export does not reflect. See <c>Export/README.md</c>.
/// </summary>
internal sealed class ExportEndpoint(IDocumentStore store, IEnumerable<IExportSource> sources, ILogger<ExportEndpoint> log)
{
    public const string CursorHeader = "X-Omct-Feed-Cursor";
    public const string Ndjson = "application/x-ndjson";
    public const string Csv = "text/csv";

    private const int FlushEveryRows = 500;

    private readonly Dictionary<string, IExportSource> _sources = sources.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/export/{name}", (HttpContext http, string name) => http.RequestServices.GetRequiredService<ExportEndpoint>().HandleAsync(http, name))
            .RequireAuthorization(PlatformPolicies.DataPuller);

    public async Task HandleAsync(HttpContext http, string name)
    {
        // PlatformPolicies.DataPuller has let only a caller who pulls data, with a key that may send any document, get here.
        var caller = http.RequestServices.GetRequiredService<ICallerContext>().Current;

        if (!_sources.TryGetValue(name, out var source))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status404NotFound, ErrorCodes.NotFound,
                $"There is no export '{name}' (one of: {string.Join(", ", _sources.Keys.Order(StringComparer.Ordinal))}).");
            return;
        }

        if (source.RequiredRole is { } role && !caller.HasRole(role))
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "You are not allowed to do this.");
            return;
        }

        if (Format(http.Request) is not { } format)
        {
            await HttpErrors.WriteAsync(http, StatusCodes.Status400BadRequest, ErrorCodes.Validation, "format is ndjson or csv.", "format");
            return;
        }

        var ct = http.RequestAborted;
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new NpgsqlCommand("set transaction read only", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }

        // The first query fixes the transaction's snapshot: every row below is read from it, and the cursor stands for it.
        var cursor = FeedPosition.At(await ChangeFeedReader.CurrentSnapshotAsync(connection, ct)).Encode();
        await using var session = store.QuerySession(Marten.Services.SessionOptions.ForTransaction(transaction));

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = (format == Csv ? Csv : Ndjson) + "; charset=utf-8";
        http.Response.Headers[CursorHeader] = cursor;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.{(format == Csv ? "csv" : "ndjson")}\"";

        using var writer = format == Csv ? (IRowWriter)new CsvRowWriter(http.Response.BodyWriter) : new NdjsonRowWriter(http.Response.BodyWriter);
        // Each format's own columns: CSV leaves out the nested parts (NdjsonOnly), NDJSON their flat stand-ins (CsvOnly).
        var leftOut = format == Csv ? source.NdjsonOnly : source.CsvOnly;
        var kept = Enumerable.Range(0, source.Columns.Count).Where(i => !leftOut.Contains(source.Columns[i])).ToArray();
        var columns = kept.Select(i => source.Columns[i]).ToList();
        var rows = 0L;
        try
        {
            writer.WriteHeader(columns);
            await foreach (var row in source.RowsAsync(session, caller, ct))
            {
                writer.WriteRow(columns, kept.Length == row.Length ? row : Array.ConvertAll(kept, i => row[i]));
                if (++rows % FlushEveryRows == 0)
                {
                    await http.Response.BodyWriter.FlushAsync(ct);
                }
            }

            writer.WriteEnd(cursor);
            await http.Response.BodyWriter.FlushAsync(ct);
            log.LogInformation("Exported {Rows} {Export} for {Caller}", rows, name, caller.Id);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The status is sent: cut the response so the client sees a broken transfer (no trailer), never a short export that looks whole.
            log.LogError(e, "Export {Export} failed after {Rows} rows", name, rows);
            http.Abort();
        }
    }

    /// <summary><c>?format=csv|ndjson</c>, else <c>Accept: text/csv</c>, else NDJSON; null for an unknown format.</summary>
    private static string? Format(HttpRequest request)
    {
        if (request.Query.TryGetValue("format", out var given))
        {
            return given.ToString().ToLowerInvariant() switch
            {
                "csv" => Csv,
                "ndjson" or "json" => Ndjson,
                _ => null,
            };
        }

        return MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)
               && accepted.Any(a => a.MediaType.Equals(Csv, StringComparison.OrdinalIgnoreCase) && a.Quality != 0)
               && !accepted.Any(a => a.MediaType.Equals(Ndjson, StringComparison.OrdinalIgnoreCase) && a.Quality != 0)
            ? Csv
            : Ndjson;
    }
}
