using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Defenders.Handling;
using Omct.Platform.Defenders.Profiles;

namespace Omct.Platform.Defenders.Erasure;

/// <summary>One erasure in the ledger: who (an id, never a name) and when.</summary>
internal sealed record ErasureLedgerEntry(Guid DefenderId, DateTimeOffset ErasedAt);

/// <summary>
/// The erasure ledger: one JSON line per erasure, appended and flushed to disk once the erasure is committed. It holds
/// ids only, so the file reveals nobody.
/// </summary>
internal sealed class ErasureLedger(IOptions<PrivacyOptions> options, ILogger<ErasureLedger> log)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Lock _gate = new();

    public string? Path => string.IsNullOrWhiteSpace(options.Value.ErasureLedger) ? null : options.Value.ErasureLedger;

    /// <summary>Appends the entries (one line each) and flushes them to the disk; nothing without a ledger.</summary>
    public void Append(IReadOnlyCollection<ErasureLedgerEntry> entries)
    {
        if (Path is not { } path || entries.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } directory)
            {
                System.IO.Directory.CreateDirectory(directory);
            }

            // Append mode, shared with the other hosts writing the same file; a few small lines, flushed to the disk.
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 4096, FileOptions.WriteThrough);
            foreach (var entry in entries)
            {
                file.Write(JsonSerializer.SerializeToUtf8Bytes(entry, Json));
                file.WriteByte((byte)'\n');
            }

            file.Flush(flushToDisk: true);
        }
    }

    /// <summary>Every entry of the ledger (a line that does not parse is reported and skipped).</summary>
    public async Task<IReadOnlyList<ErasureLedgerEntry>> ReadAsync(CancellationToken ct)
    {
        if (Path is not { } path || !File.Exists(path))
        {
            return [];
        }

        var entries = new List<ErasureLedgerEntry>();
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        var number = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize<ErasureLedgerEntry>(line, Json) is { DefenderId: var id } entry && id != Guid.Empty)
                {
                    entries.Add(entry);
                    continue;
                }
            }
            catch (JsonException)
            {
            }

            log.LogError("Line {Line} of the erasure ledger {Path} is not an erasure; skipped", number, path);
        }

        return entries;
    }
}

/// <summary>
/// At every start, before the host serves anyone: erases again each person the ledger lists whose personal data the
/// database still holds (a restored backup taken before the erasure), through the module's own erasure as the system
/// caller; then writes to the ledger the erasures the database knows and the ledger does not (made before it was
/// configured, or while its file could not be written).
/// </summary>
internal sealed class ErasureLedgerReplay(
    ErasureLedger ledger, IDocumentStore store, IServiceScopeFactory scopes, TimeProvider time, ILogger<ErasureLedgerReplay> log) : IDefaultData
{
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (ledger.Path is not { } path)
        {
            log.LogWarning("No erasure ledger (Omct:Privacy:ErasureLedger): restoring a backup taken before an erasure would bring the person back");
            return;
        }

        var listed = await ledger.ReadAsync(cancellationToken);
        var ids = listed.Select(e => e.DefenderId).Distinct().ToList();
        await using var query = store.QuerySession();
        var stillHeld = new List<Guid>();
        foreach (var chunk in ids.Chunk(500))
        {
            var keys = await query.LoadManyAsync<PersonalDataKey>(cancellationToken, chunk);
            var profiles = await query.LoadManyAsync<Defender>(cancellationToken, chunk);
            stillHeld.AddRange(chunk.Where(id => keys.Any(k => k.Id == id) || profiles.Any(p => p.Id == id && !p.Erased)));
        }

        foreach (var id in stillHeld)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System("erasure-ledger"));
            try
            {
                await scope.ServiceProvider.GetRequiredService<DefenderCommands>().EraseAsync(id, null, null, cancellationToken);
            }
            catch (Exception e) when (e is BuildingBlocks.Errors.DomainException or JasperFx.ConcurrencyException)
            {
                // Another host starting at the same moment erased them first: what counts is that the key is gone.
                await using var check = store.QuerySession();
                if (await check.LoadAsync<PersonalDataKey>(id, cancellationToken) is not null)
                {
                    throw;
                }
            }
        }

        if (stillHeld.Count > 0)
        {
            log.LogWarning("Erased again {Count} person(s) the erasure ledger {Path} lists whose data the database still held (a restored backup?): {Ids}",
                stillHeld.Count, path, string.Join(", ", stillHeld));
        }

        var erased = await query.Query<Defender>().Where(d => d.Erased).Select(d => d.Id).ToListAsync(cancellationToken);
        var missing = erased.Except(ids).ToList();
        ledger.Append(missing.Select(id => new ErasureLedgerEntry(id, time.GetUtcNow())).ToList());
        log.LogInformation("Erasure ledger {Path}: {Listed} erasure(s) listed, {Again} applied again, {Added} added from the database",
            path, ids.Count, stillHeld.Count, missing.Count);
    }
}
