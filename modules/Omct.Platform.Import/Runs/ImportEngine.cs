using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Import;
using Omct.Platform.BuildingBlocks.Storage;
using Omct.Platform.Files.Contracts;
using Omct.Platform.Import.Mappings;
using Omct.Platform.Import.Reading;

namespace Omct.Platform.Import.Runs;

/// <summary>
/// Carries out a run, row by row, wherever it is started from (the Quartz job, or the host's own worker when the
/// scheduler is off). Rows go in batches: up to <see cref="BatchRows"/> rows are read ahead and their import keys loaded
/// in one query; at the start of each batch the run looks for a cancellation and takes the importing caller as it is now
/// (<see cref="ICallerDirectory"/>: a revoked key stops the run, a lowered clearance applies — from the next batch on, at
/// most <see cref="BatchRows"/> rows or about <see cref="BatchTime"/> later). For each row: the row mapped to the
/// importer's fields, its import key and hash; an unchanged row is left alone, any other is checked by the module's
/// importer and — unless the run is dry — carried out through the module's command handler with a clientMutationId made
/// of the key and its write count. The rows' results, their errors, their import keys and the run's progress are saved
/// in one transaction per batch (when <see cref="BatchRows"/> rows are done or <see cref="BatchTime"/> has passed): a run
/// that resumes (after a crash, a restart) goes on at the first row not saved, and a row carried out before the crash but
/// not saved is carried out again with the same clientMutationId, which the module answers without writing. One worker
/// per run across every node (an advisory lock). A dry run writes nothing but its own results.
/// </summary>
internal sealed partial class ImportEngine(
    IServiceScopeFactory scopes, IDocumentStore store, ICallerDirectory callers, IEnumerable<IRecordImporter> importers, TimeProvider time, ILogger<ImportEngine> log)
{
    /// <summary>The advisory lock class of runs ("IMPR").</summary>
    private const int LockClass = 0x494D5052;

    /// <summary>Rows read ahead, whose import keys are loaded in one query; their bookkeeping is saved together at most.</summary>
    internal const int BatchRows = 100;

    /// <summary>The work after which a batch's bookkeeping is saved even when it has fewer rows (progress, cancellation).</summary>
    internal static readonly TimeSpan BatchTime = TimeSpan.FromSeconds(1);

    public IRecordImporter? Importer(string kind) => importers.FirstOrDefault(i => i.Kind == kind);

    public IReadOnlyList<IRecordImporter> Importers => importers.OrderBy(i => i.Kind, StringComparer.Ordinal).ToList();

    /// <summary>Runs (or resumes) <paramref name="runId"/>; returns at once when another worker holds it or it is finished.</summary>
    public async Task RunAsync(Guid runId, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using (var take = connection.Sql("select pg_try_advisory_lock(@class, @key)").Bind("class", LockClass).Bind("key", LockKey(runId)))
        {
            if (!(bool)(await take.ExecuteScalarAsync(ct))!)
            {
                log.LogInformation("Import run {RunId} is being carried out by another worker", runId);
                return;
            }
        }

        try
        {
            await RunHeldAsync(runId, ct);
        }
        finally
        {
            await using var release = connection.Sql("select pg_advisory_unlock(@class, @key)").Bind("class", LockClass).Bind("key", LockKey(runId));
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task RunHeldAsync(Guid runId, CancellationToken ct)
    {
        ImportRun? run;
        ImportFile? file;
        await using (var query = store.QuerySession())
        {
            run = await query.LoadAsync<ImportRun>(runId, ct);
            file = run is null ? null : await query.LoadAsync<ImportFile>(run.FileId, ct);
        }

        if (run is null || run.Finished)
        {
            return;
        }

        var importer = Importer(run.Mapping.Kind);
        if (importer is null || file is null || file.DeletedAt is not null)
        {
            await FinishAsync(run, ImportRunStatus.Failed, importer is null ? $"No importer for {run.Mapping.Kind}." : "The import file is no longer stored.", ct);
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var uploads = scope.ServiceProvider.GetRequiredService<IImportUploads>();
        var now = time.GetUtcNow();
        run.Status = ImportRunStatus.Running;
        run.StartedAt ??= now;
        run.StintStartedAt = now;
        run.StintStartRow = run.RowsDone;
        var reader = RowReaders.For(file.Format);
        try
        {
            if (run.RowsTotal is null)
            {
                await using var counting = await uploads.OpenAsync(file.Id, file.Owner, ct) ?? throw new ImportFileException(0, "The import file is no longer stored.");
                long total = 0;
                await foreach (var _ in reader.ReadAsync(counting, 0, ct))
                {
                    total++;
                }

                run.RowsTotal = total;
            }

            await SaveRunAsync(run, ct);
            await using var content = await uploads.OpenAsync(file.Id, file.Owner, ct) ?? throw new ImportFileException(0, "The import file is no longer stored.");
            var index = run.RowsDone;
            var rows = new List<SourceRow>(BatchRows);
            // A dry run writes nothing, so what its earlier rows claim (a case's reference …) is remembered here instead.
            var claims = run.DryRun ? new ImportClaims() : null;
            await foreach (var source in reader.ReadAsync(content, run.RowsDone, ct))
            {
                rows.Add(source);
                if (rows.Count == BatchRows)
                {
                    if (!await BatchAsync(run, file, uploads, importer, index, rows, claims, ct))
                    {
                        return;
                    }

                    index += rows.Count;
                    rows.Clear();
                }
            }

            if (rows.Count > 0 && !await BatchAsync(run, file, uploads, importer, index, rows, claims, ct))
            {
                return;
            }

            await FinishAsync(run, ImportRunStatus.Succeeded, null, ct);
            await DeleteFileAsync(run, file, uploads, ct);
        }
        catch (ImportFileException e)
        {
            await FinishAsync(run, ImportRunStatus.Failed, e.Message, ct);
            await DeleteFileAsync(run, file, uploads, ct);
        }
        catch (Exception e) when (e is CsvHelper.CsvFormatException or ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException)
        {
            log.LogWarning(e, "Import run {RunId}: the file could not be read", run.Id);
            await FinishAsync(run, ImportRunStatus.Failed, $"The file could not be read after row {run.RowsDone}: {e.GetType().Name}.", ct);
            await DeleteFileAsync(run, file, uploads, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault of the platform's own (a bug, a write the database refused): FAILED at the rows saved, rather than
            // RUNNING for ever. The file stays (until the retention) so that it can be started again: the rows already
            // imported are then UNCHANGED. What went wrong is in the log, not in the run (it may quote a row).
            log.LogError(e, "Import run {RunId} stopped on an unexpected error", run.Id);
            ImportRun? saved;
            await using (var query = store.QuerySession())
            {
                saved = await query.LoadAsync<ImportRun>(run.Id, CancellationToken.None);
            }

            saved ??= run;
            saved.StintStartedAt ??= run.StintStartedAt;
            await FinishAsync(saved, ImportRunStatus.Failed,
                $"The run stopped after row {saved.RowsDone} on an unexpected error. Start it again: the rows already imported are left as they are.",
                CancellationToken.None);
        }
    }

    /// <summary>
    /// Rows read ahead (the first is row <paramref name="first"/>): their keys in one query, then each row; the bookkeeping
    /// saved when they are all done, or earlier each time <see cref="BatchTime"/> has passed — and before the rows after
    /// such a save, a cancellation looked for and the caller taken again. False when the run stopped (finished here).
    /// </summary>
    private async Task<bool> BatchAsync(
        ImportRun run, ImportFile file, IImportUploads uploads, IRecordImporter importer, long first, List<SourceRow> rows, ImportClaims? claims, CancellationToken ct)
    {
        var mapping = run.Mapping;
        var keyIds = rows.Select(r => KeyValue(mapping, r)).OfType<string>().Select(k => ImportKey.IdOf(mapping.Kind, mapping.Name, k)).Distinct(StringComparer.Ordinal).ToArray();
        Dictionary<string, ImportKey> keys;
        await using (var query = store.QuerySession())
        {
            keys = keyIds.Length == 0 ? [] : (await query.LoadManyAsync<ImportKey>(ct, keyIds)).ToDictionary(k => k.Id, StringComparer.Ordinal);
        }

        var pending = new Bookkeeping();
        Caller? caller = null;
        var since = Stopwatch.GetTimestamp();
        for (var i = 0; i < rows.Count; i++)
        {
            if (caller is null)
            {
                if (await CancelledAsync(run.Id, ct))
                {
                    await FinishAsync(run, ImportRunStatus.Cancelled, null, ct);
                    await DeleteFileAsync(run, file, uploads, ct);
                    return false;
                }

                caller = await callers.FindActiveAsync(run.CallerId, ct);
                if (caller is null || !caller.HasRole(ImportAccess.MinimumRole))
                {
                    await FinishAsync(run, ImportRunStatus.Failed,
                        $"Stopped at line {rows[i].Line}: the importing caller is no longer active or no longer has the {ImportAccess.MinimumRole.ToString().ToUpperInvariant()} role.", ct);
                    await DeleteFileAsync(run, file, uploads, ct);
                    return false;
                }

                since = Stopwatch.GetTimestamp();
            }

            await RowAsync(run, importer, caller, first + i, rows[i], keys, claims, pending, ct);
            if (Stopwatch.GetElapsedTime(since) >= BatchTime && i < rows.Count - 1)
            {
                await SaveAsync(run, pending, ct);
                caller = null;
            }
        }

        await SaveAsync(run, pending, ct);
        return true;
    }

    /// <summary>What a batch's rows leave to save: their results, errors and import keys (with the run, in one transaction).</summary>
    private sealed class Bookkeeping
    {
        public List<object> Documents { get; } = [];
    }

    private async Task SaveAsync(ImportRun run, Bookkeeping pending, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        foreach (var document in pending.Documents)
        {
            session.Store(document);
        }

        session.Store(run);
        await session.SaveChangesAsync(ct);
        pending.Documents.Clear();
    }

    private static string? KeyValue(ImportMapping mapping, SourceRow source) =>
        source.Cells.TryGetValue(mapping.KeyColumn, out var k) && !string.IsNullOrWhiteSpace(k) ? k.Trim() : null;

    /// <summary>One row; its bookkeeping goes to <paramref name="pending"/>, its import key also to <paramref name="keys"/> (a later row of the same key sees it).</summary>
    private async Task RowAsync(
        ImportRun run, IRecordImporter importer, Caller caller, long index, SourceRow source, Dictionary<string, ImportKey> keys, ImportClaims? claims, Bookkeeping pending,
        CancellationToken ct)
    {
        var mapping = run.Mapping;
        var result = new ImportRowResult { Id = ImportRowResult.IdOf(run.Id, index), RunId = run.Id, Index = index, Line = source.Line, RecordType = importer.RecordType };
        var problems = new List<ImportProblem>();
        ImportKey? key = null;
        ImportKey? keyToSave = null;

        var keyValue = KeyValue(mapping, source);
        if (source.Cells.TryGetValue("$invalid", out var invalid))
        {
            problems.Add(new ImportProblem("$row", invalid ?? "This row cannot be read."));
        }
        else if (keyValue is null)
        {
            problems.Add(new ImportProblem("$key", "The import key is empty: each row needs one."));
        }
        else
        {
            result.Key = keyValue;
            var row = MappedRow(mapping, source);
            var hash = Hash(mapping, row);
            var keyId = ImportKey.IdOf(mapping.Kind, mapping.Name, keyValue);
            key = keys.GetValueOrDefault(keyId);

            if (key is not null && key.RowHash == hash)
            {
                result.Outcome = ImportRowOutcome.Unchanged;
                result.RecordId = key.RecordId;
            }
            else
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<CallerContext>().Set(caller);
                scope.ServiceProvider.GetRequiredService<ImportRunContext>().Claims = claims;
                try
                {
                    var check = await importer.CheckAsync(row, key?.RecordId, scope.ServiceProvider, ct);
                    problems.AddRange(check.Problems);
                    if (check.Valid && !run.DryRun)
                    {
                        var writes = key?.Writes ?? 0;
                        var operationKey = "import:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{keyId}\u001f{writes}")))[..40];
                        var applied = await importer.ApplyAsync(check.Command!, key?.RecordId, operationKey, scope.ServiceProvider, ct);
                        result.RecordId = applied.RecordId;
                        result.Outcome = key is null ? ImportRowOutcome.Created : applied.Applied ? ImportRowOutcome.Changed : ImportRowOutcome.ChangedNotApplied;
                        if (applied.Applied)
                        {
                            keyToSave = new ImportKey
                            {
                                Id = keyId, RecordId = applied.RecordId, RowHash = hash, Writes = writes + 1, RunId = run.Id, UpdatedAt = time.GetUtcNow(),
                            };
                        }
                    }
                    else if (check.Valid)
                    {
                        result.RecordId = key?.RecordId;
                        result.Outcome = key is null ? ImportRowOutcome.Created : ImportRowOutcome.Changed;
                    }
                }
                catch (DomainException e) when (e.Code != ErrorCodes.Internal)
                {
                    problems.Add(new ImportProblem(e.Field ?? "$row", e.Message));
                }
            }
        }

        if (problems.Count > 0)
        {
            // The same refusal found twice (a field checked before the decider, and by it) is one error.
            problems = problems.Distinct().ToList();
            result.Outcome = ImportRowOutcome.Error;
        }

        switch (result.Outcome)
        {
            case ImportRowOutcome.Created: run.Created++; break;
            case ImportRowOutcome.Changed: run.Changed++; break;
            case ImportRowOutcome.Unchanged: run.Unchanged++; break;
            case ImportRowOutcome.ChangedNotApplied: run.ChangedNotApplied++; break;
            default: run.Errors++; break;
        }

        run.RowsDone = index + 1;
        pending.Documents.Add(result);
        for (var n = 0; n < problems.Count && n < 1000; n++)
        {
            var sequence = index * 1000 + n;
            pending.Documents.Add(new ImportError
            {
                Id = ImportError.IdOf(run.Id, sequence), RunId = run.Id, Sequence = sequence, Line = source.Line,
                Column = ColumnOf(mapping, problems[n].Field), Message = problems[n].Message,
            });
        }

        if (keyToSave is not null)
        {
            keys[keyToSave.Id] = keyToSave;
            pending.Documents.Add(keyToSave);
        }
    }

    /// <summary>The row in the importer's fields: mapped columns, then the mapping's fixed values where the row has none; nested parts as they are.</summary>
    internal static ImportRow MappedRow(ImportMapping mapping, SourceRow source)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var column in mapping.Columns)
        {
            if (source.Cells.TryGetValue(column.Column, out var value) && !string.IsNullOrWhiteSpace(value) && !values.ContainsKey(column.Field))
            {
                values[column.Field] = value.Trim();
            }
        }

        foreach (var fixedValue in mapping.FixedValues)
        {
            values.TryAdd(fixedValue.Field, fixedValue.Value);
        }

        var children = source.Nested.ToDictionary(
            n => n.Key,
            n => (IReadOnlyList<ImportRow>)n.Value.Select(cells => new ImportRow(source.Line, cells)).ToList());
        return new ImportRow(source.Line, values, children);
    }

    /// <summary>SHA-256 of the mapped row (fields sorted; parts in order): what "the same row again" means.</summary>
    internal static string Hash(ImportMapping mapping, ImportRow row)
    {
        var text = new StringBuilder(mapping.Kind).Append('\u001e');
        Append(text, row.Values);
        foreach (var (part, rows) in row.Children.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.Append('\u001d').Append(part);
            foreach (var child in rows)
            {
                text.Append('\u001e');
                Append(text, child.Values);
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));

        static void Append(StringBuilder text, IReadOnlyDictionary<string, string?> values)
        {
            foreach (var (field, value) in values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                text.Append(field).Append('\u001f').Append(value!.Trim()).Append('\u001f');
            }
        }
    }

    [GeneratedRegex(@"^(?<field>[A-Za-z]+)\[(?<index>[0-9]{1,6})\]$")]
    private static partial Regex ListItem();

    /// <summary>
    /// The file's column an importer's field came from: the mapped column; an item of a mapped list column with its
    /// place (<c>countries (item 2)</c> for <c>countryCodes[1]</c>); "(fixed value)" for a field the mapping fills;
    /// a nested part's field as the file names it (<c>events[2].date</c>); the key column for the key.
    /// </summary>
    internal static string ColumnOf(ImportMapping mapping, string field)
    {
        if (field == "$key")
        {
            return mapping.KeyColumn;
        }

        if (field == "$row")
        {
            return "";
        }

        if (mapping.ColumnOf(field) is { } column)
        {
            return column;
        }

        // An item of a list the module checks one by one (countryCodes[1]): the file's column, and which of its items.
        if (ListItem().Match(field) is { Success: true } item && mapping.ColumnOf(item.Groups["field"].Value) is { } listColumn)
        {
            return $"{listColumn} (item {int.Parse(item.Groups["index"].ValueSpan, CultureInfo.InvariantCulture) + 1})";
        }

        return mapping.FixedValues.Any(f => f.Field == field) ? $"{field} (fixed value)" : field;
    }

    private async Task<bool> CancelledAsync(Guid runId, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return await query.LoadAsync<ImportCancellation>(runId, ct) is not null;
    }

    private async Task SaveRunAsync(ImportRun run, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Store(run);
        await session.SaveChangesAsync(ct);
    }

    private async Task FinishAsync(ImportRun run, ImportRunStatus status, string? error, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        run.Status = status;
        run.Error = error;
        run.FinishedAt = now;
        if (run.StintStartedAt is { } stint)
        {
            run.SecondsBefore += (now - stint).TotalSeconds;
            run.StintStartedAt = null;
        }

        await SaveRunAsync(run, ct);
        log.LogInformation("Import run {RunId} ({Kind}, dry run {DryRun}) ended {Status}: {Done} rows, {Created} created, {Changed} changed, {Unchanged} unchanged, {Errors} with errors",
            run.Id, run.Mapping.Kind, run.DryRun, status, run.RowsDone, run.Created, run.Changed, run.Unchanged, run.Errors);
    }

    /// <summary>A real run's file is deleted when the run is done; a dry run's stays for the real run (until the retention).</summary>
    private async Task DeleteFileAsync(ImportRun run, ImportFile file, IImportUploads uploads, CancellationToken ct)
    {
        if (run.DryRun)
        {
            return;
        }

        await DeleteFileAsync(store, file, uploads, time, ct);
    }

    internal static async Task DeleteFileAsync(IDocumentStore store, ImportFile file, IImportUploads uploads, TimeProvider time, CancellationToken ct)
    {
        await uploads.DeleteAsync(file.Id, ct);
        file.DeletedAt = time.GetUtcNow();
        await using var session = store.LightweightSession();
        session.Store(file);
        await session.SaveChangesAsync(ct);
    }

    private static int LockKey(Guid id) => (int)(BitConverter.ToUInt32(id.ToByteArray(), 12) & 0x7FFFFFFF);
}

/// <summary>Rows per second and the time left, from the run's current stint (or its whole work once finished).</summary>
public static class ImportProgress
{
    public static double? Rate(ImportRun run, DateTimeOffset now)
    {
        double seconds;
        long rows;
        if (run.StintStartedAt is { } stint)
        {
            seconds = (now - stint).TotalSeconds;
            rows = run.RowsDone - run.StintStartRow;
        }
        else
        {
            seconds = run.SecondsBefore;
            rows = run.RowsDone;
        }

        return seconds > 0 && rows > 0 ? Math.Round(rows / seconds, 2) : null;
    }

    public static double? SecondsLeft(ImportRun run, DateTimeOffset now) =>
        run.Finished ? 0 : run.RowsTotal is { } total && Rate(run, now) is { } rate ? Math.Round(Math.Max(0, total - run.RowsDone) / rate, 1) : null;
}
