using Marten;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.Files.Contracts;
using Omct.Platform.Import.Mappings;
using Omct.Platform.Import.Reading;

namespace Omct.Platform.Import.Runs;

/// <summary>A file's first rows, cells in the order of its columns.</summary>
public sealed record ImportPreviewRow(long Line, IReadOnlyList<string?> Cells);

/// <summary>
/// What the GraphQL fields and the error report do (scoped): import files made of tus uploads, mappings, runs, their
/// progress and errors. Everything is for STAFF and above; a file and its runs are seen by the caller who uploaded or
/// started them, and by ADMINs whose clearance is at least the importer's (errors may quote the rows' values).
/// </summary>
internal sealed class ImportCommands(
    IDocumentStore store, MutationPipeline pipeline, IImportUploads uploads, ImportEngine engine, ImportScheduler scheduler, TimeProvider time, IOptions<ImportOptions> options)
{
    public static readonly OrderKeySequence OrderKeys = new("import_order_seq");

    public const int MaxPreviewRows = 100;

    private Caller Caller => pipeline.Caller;

    public Task<ImportFile> CreateFileAsync(Guid uploadId, string? clientMutationId, CancellationToken ct)
    {
        pipeline.RequireRole(ImportAccess.MinimumRole);
        return pipeline.RunAsync("createImport", clientMutationId, async first => await FileAsync(first, ct) ?? throw DomainException.NotFound("The import file"),
            async receipt =>
            {
                var upload = await uploads.TakeAsync(uploadId, Caller, ct)
                             ?? throw DomainException.Validation("uploadId", "No complete upload of yours with this id is waiting (upload it with tus first; an upload serves one import or one file).");
                var file = new ImportFile
                {
                    Id = upload.Id, Owner = Caller.Id!, FileName = upload.FileName, Length = upload.Length, CreatedAt = time.GetUtcNow(),
                };
                try
                {
                    await using var content = await uploads.OpenAsync(upload.Id, Caller.Id!, ct) ?? throw DomainException.NotFound("The upload");
                    file.Format = RowReaders.Detect(upload.TypeName, upload.FileName, content);
                    file.Columns = await ColumnsAsync(file.Format, content, ct);
                }
                catch (Exception e) when (e is DomainException or ImportFileException or CsvHelper.CsvFormatException or ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException)
                {
                    await uploads.DeleteAsync(upload.Id, ct);
                    throw e as DomainException ?? DomainException.Validation("uploadId", $"The file cannot be read as {file.Format.ToString().ToUpperInvariant()}: {e.Message}");
                }

                await using var session = store.LightweightSession();
                session.Store(file);
                receipt.Record(session, file.Id);
                await session.SaveChangesAsync(ct);
                return file;
            }, ct);
    }

    /// <summary>The columns: the header of a CSV or XLSX file, the properties of the first rows of a JSON one (in order of appearance).</summary>
    private static async Task<List<string>> ColumnsAsync(ImportFormat format, Stream content, CancellationToken ct)
    {
        var columns = new List<string>();
        var seen = 0;
        await foreach (var row in RowReaders.For(format).ReadAsync(content, 0, ct))
        {
            columns.AddRange(row.Cells.Keys.Concat(row.Nested.Keys).Where(c => c != "$invalid" && !columns.Contains(c)));
            if (++seen >= (format is ImportFormat.Csv or ImportFormat.Xlsx ? 1 : MaxPreviewRows))
            {
                break;
            }
        }

        return columns;
    }

    public async Task<ImportFile?> FileAsync(Guid id, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var file = await query.LoadAsync<ImportFile>(id, ct);
        return file is not null && (file.Owner == Caller.Id || Caller.HasRole(Role.Admin)) ? file : null;
    }

    public async Task<IReadOnlyList<ImportPreviewRow>> PreviewAsync(ImportFile file, int? first, CancellationToken ct)
    {
        var take = first switch
        {
            null => 10,
            < 0 or > MaxPreviewRows => throw DomainException.Validation("first", $"first is from 0 to {MaxPreviewRows}."),
            var n => n.Value,
        };
        if (file.DeletedAt is not null || take == 0)
        {
            return [];
        }

        await using var content = await uploads.OpenAsync(file.Id, file.Owner, ct);
        if (content is null)
        {
            return [];
        }

        var rows = new List<ImportPreviewRow>();
        await foreach (var row in RowReaders.For(file.Format).ReadAsync(content, 0, ct))
        {
            rows.Add(new ImportPreviewRow(row.Line, file.Columns.Select(c => row.Cells.TryGetValue(c, out var v) ? v : row.Nested.ContainsKey(c) ? $"[{row.Nested[c].Count}]" : null).ToList()));
            if (rows.Count >= take)
            {
                break;
            }
        }

        return rows;
    }

    public Task<ImportMapping> SaveMappingAsync(ImportMapping asked, int? expectedVersion, string? clientMutationId, CancellationToken ct)
    {
        pipeline.RequireRole(ImportAccess.MinimumRole);
        return pipeline.RunAsync("saveImportMapping", clientMutationId, async first => await MappingByIdAsync(first, ct) ?? throw DomainException.NotFound("The import mapping"),
            async receipt =>
            {
                var name = Input.Required(asked.Name, "name", 200);
                var importer = engine.Importer(asked.Kind) ?? throw DomainException.Validation("kind", $"No importer for {asked.Kind}.");
                var fields = importer.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
                if (asked.Columns.Count is 0 or > 500)
                {
                    throw DomainException.Validation("columns", "Map from 1 to 500 columns.");
                }

                for (var i = 0; i < asked.Columns.Count; i++)
                {
                    Input.Required(asked.Columns[i].Column, $"columns[{i}].column", 300);
                    if (!fields.Contains(asked.Columns[i].Field))
                    {
                        throw DomainException.Validation($"columns[{i}].field", $"{importer.Kind} has no field '{Trim(asked.Columns[i].Field)}' (see importFields).");
                    }
                }

                for (var i = 0; i < asked.FixedValues.Count; i++)
                {
                    if (!fields.Contains(asked.FixedValues[i].Field))
                    {
                        throw DomainException.Validation($"fixedValues[{i}].field", $"{importer.Kind} has no field '{Trim(asked.FixedValues[i].Field)}' (see importFields).");
                    }

                    Input.Optional(asked.FixedValues[i].Value, $"fixedValues[{i}].value", 2_000);
                }

                var keyColumn = Input.Required(asked.KeyColumn, "keyColumn", 300);
                var now = time.GetUtcNow();
                await using var session = store.LightweightSession();
                var existing = await session.Query<ImportMapping>().Where(m => m.Name == name).FirstOrDefaultAsync(ct);
                if (expectedVersion is { } version && (existing?.Version ?? 0) != version)
                {
                    throw MutationPipeline.Stale("The import mapping");
                }

                var mapping = existing ?? new ImportMapping { Id = Guid.CreateVersion7(), Name = name, CreatedAt = now, OrderKey = await OrderKeys.NextAsync(session, ct) };
                mapping.Kind = importer.Kind;
                mapping.Columns = asked.Columns.Select(c => c with { Column = c.Column.Trim() }).ToList();
                mapping.FixedValues = asked.FixedValues.Select(f => f with { Value = f.Value.Trim() }).ToList();
                mapping.KeyColumn = keyColumn;
                mapping.SavedBy = Caller.Id ?? Caller.Name;
                mapping.UpdatedAt = now;
                mapping.Version++;
                session.Store(mapping);
                receipt.Record(session, mapping.Id);
                await session.SaveChangesAsync(ct);
                return mapping;
            }, ct);

        static string Trim(string value) => value.Length > 60 ? value[..60] + "…" : value;
    }

    public async Task<ImportMapping?> MappingAsync(string name, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return await query.Query<ImportMapping>().Where(m => m.Name == name).FirstOrDefaultAsync(ct);
    }

    private async Task<ImportMapping?> MappingByIdAsync(Guid id, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return await query.LoadAsync<ImportMapping>(id, ct);
    }

    public Task<Connection<ImportMapping>> MappingsAsync(int? first, string? after, CancellationToken ct) =>
        Paging.PageByKeyDescendingAsync(store, s => s.Query<ImportMapping>(), m => m.OrderKey, first, after, ct);

    public Task<ImportRun> StartAsync(Guid fileId, string mappingName, bool dryRun, string? clientMutationId, CancellationToken ct)
    {
        pipeline.RequireRole(ImportAccess.MinimumRole);
        return pipeline.RunAsync("startImport", clientMutationId, async first => await RunAsync(first, ct) ?? throw DomainException.NotFound("The import run"),
            async receipt =>
            {
                var file = await FileAsync(fileId, ct);
                if (file is null || file.Owner != Caller.Id)
                {
                    throw DomainException.NotFound("The import file");
                }

                if (file.DeletedAt is not null)
                {
                    throw DomainException.Validation("fileId", "This file has been imported (or has expired) and is no longer stored: upload it again.");
                }

                var mapping = await MappingAsync(mappingName, ct) ?? throw DomainException.Validation("mapping", "No import mapping has this name.");
                if (!file.Columns.Contains(mapping.KeyColumn))
                {
                    throw DomainException.Validation("mapping", $"The file has no column '{mapping.KeyColumn}', the mapping's key column.");
                }

                await using var session = store.LightweightSession();
                // One real run of a file at a time; a run that failed on an unexpected error left its file for another.
                if (!dryRun && await session.Query<ImportRun>().AnyAsync(
                        r => r.FileId == fileId && !r.DryRun && (r.Status == ImportRunStatus.Queued || r.Status == ImportRunStatus.Running || r.Status == ImportRunStatus.Succeeded), ct))
                {
                    throw DomainException.Conflict("This file is already being imported.");
                }

                var run = new ImportRun
                {
                    Id = Guid.CreateVersion7(), FileId = file.Id, FileName = file.FileName, Format = file.Format, Mapping = mapping, DryRun = dryRun,
                    CallerId = Caller.Id!, CallerName = Caller.Name, CallerClearance = Caller.Clearance, Status = ImportRunStatus.Queued,
                    CreatedAt = time.GetUtcNow(), OrderKey = await OrderKeys.NextAsync(session, ct),
                };
                session.Store(run);
                receipt.Record(session, run.Id);
                await session.SaveChangesAsync(ct);
                await scheduler.StartAsync(run.Id, ct);
                return run;
            }, ct);
    }

    public async Task<ImportRun> CancelAsync(Guid runId, string? clientMutationId, CancellationToken ct)
    {
        pipeline.RequireRole(ImportAccess.MinimumRole);
        MutationPipeline.CheckClientMutationId(clientMutationId);
        var run = await RunAsync(runId, ct) ?? throw DomainException.NotFound("The import run");
        if (run.Finished)
        {
            return run;
        }

        await using (var session = store.LightweightSession())
        {
            session.Store(new ImportCancellation { Id = runId, By = Caller.Id ?? Caller.Name, At = time.GetUtcNow() });
            await session.SaveChangesAsync(ct);
        }

        return await RunAsync(runId, ct) ?? run;
    }

    /// <summary>The run when the caller may see it: its importer, or an ADMIN whose clearance is at least the importer's.</summary>
    public async Task<ImportRun?> RunAsync(Guid id, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var run = await query.LoadAsync<ImportRun>(id, ct);
        return run is not null && Visible(run) ? run : null;
    }

    private bool Visible(ImportRun run) => run.CallerId == Caller.Id || (Caller.HasRole(Role.Admin) && Caller.Clearance >= run.CallerClearance);

    public Task<Connection<ImportRun>> RunsAsync(int? first, string? after, CancellationToken ct)
    {
        var me = Caller.Id ?? "";
        var admin = Caller.HasRole(Role.Admin);
        // The levels as a list (as every list of the platform filters them): the stored level is its name, not its order.
        var levels = Caller.VisibleLevels();
        return Paging.PageByKeyDescendingAsync(store,
            s => s.Query<ImportRun>().Where(r => r.CallerId == me || (admin && levels.Contains(r.CallerClearance))), r => r.OrderKey, first, after, ct);
    }

    public async Task<Connection<ImportError>> ErrorsAsync(ImportRun run, int? first, string? after, CancellationToken ct)
    {
        var pageSize = Paging.PageSize(first);
        var afterKey = Paging.DecodeCursor(after) ?? -1;
        await using var query = store.QuerySession();
        var rows = await query.Query<ImportError>().Where(e => e.RunId == run.Id && e.Sequence > afterKey).OrderBy(e => e.Sequence).Take(pageSize + 1).ToListAsync(ct);
        return Paging.Page(rows, pageSize, e => e.Sequence, async countCt =>
        {
            await using var count = store.QuerySession();
            return await count.Query<ImportError>().CountAsync(e => e.RunId == run.Id, countCt);
        });
    }

    public async Task<Connection<ImportRowResult>> RowsAsync(ImportRun run, IReadOnlyList<ImportRowOutcome>? outcomes, int? first, string? after, CancellationToken ct)
    {
        var pageSize = Paging.PageSize(first);
        var afterKey = Paging.DecodeCursor(after) ?? -1;
        var wanted = outcomes is { Count: > 0 } ? outcomes.ToArray() : Enum.GetValues<ImportRowOutcome>();
        await using var query = store.QuerySession();
        var rows = await query.Query<ImportRowResult>().Where(r => r.RunId == run.Id && r.Index > afterKey && wanted.Contains(r.Outcome))
            .OrderBy(r => r.Index).Take(pageSize + 1).ToListAsync(ct);
        return Paging.Page(rows, pageSize, r => r.Index, async countCt =>
        {
            await using var count = store.QuerySession();
            return await count.Query<ImportRowResult>().CountAsync(r => r.RunId == run.Id && wanted.Contains(r.Outcome), countCt);
        });
    }

    /// <summary>All the run's errors in order, for the report (paged underneath: never the whole list in memory).</summary>
    public async IAsyncEnumerable<ImportError> AllErrorsAsync(Guid runId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        long after = -1;
        while (true)
        {
            IReadOnlyList<ImportError> page;
            await using (var query = store.QuerySession())
            {
                page = await query.Query<ImportError>().Where(e => e.RunId == runId && e.Sequence > after).OrderBy(e => e.Sequence).Take(1000).ToListAsync(ct);
            }

            foreach (var error in page)
            {
                yield return error;
            }

            if (page.Count < 1000)
            {
                yield break;
            }

            after = page[^1].Sequence;
        }
    }

    public TimeSpan Retention => TimeSpan.FromHours(options.Value.RetentionHours);
}
