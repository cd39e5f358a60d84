using Marten;
using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Privacy;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.Digests.ScheduledReports;

/// <summary>
/// The runs of report definitions and their files in PostgreSQL. A scheduled fire is claimed by inserting its run:
/// (definition, scheduled fire time) is unique, so of two hosts that see the same fire, one inserts and runs it and
/// the other inserts nothing. A retry is claimed by moving the run from RETRYING to RUNNING (one host wins the update).
/// A RUNNING run carries a lease (<c>lease_until</c>) its host renews while it pages: a run whose host died keeps its
/// lease no longer, and is taken over as a retry (its attempt counted) by the one host whose update wins. Whoever took a
/// run over holds it: the completion of a host that lost it (its attempt is no longer the run's) is dropped.
/// </summary>
/// Each file is stored sealed (<see cref="SealedChunks"/>) under a data key of its own (<c>key_id</c>, a
/// <see cref="PersonalDataKey"/> wrapped by the master key, re-wrapped at rotation like every other): a report run at
/// RESTRICTED may hold a defender's contact, and a dump of the database must not. The key goes with the file (purge,
/// deleted definition). Files stored before they were sealed (<c>key_id</c> null) are served as they are.
internal sealed class ReportRunStore(IDocumentStore store, PersonalDataKeys keys)
{
    public const string RunsTable = "digests_report_runs";
    public const string FilesTable = "digests_report_files";

    private const string Columns = "id, definition_id, trigger, scheduled_for, for_day, status, attempts, next_attempt_at, started_at, duration_ms, rows, level, " +
                                   "window_from, window_to, error, delivered_to, withheld";

    private const string ReadColumns = Columns + ", seq";

    private string Runs => $"{store.Options.DatabaseSchemaName}.{RunsTable}";
    private string Files => $"{store.Options.DatabaseSchemaName}.{FilesTable}";

    public static IEnumerable<ISchemaObject> SchemaObjects(string schema)
    {
#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
        var runs = new Table(new PostgresqlObjectName(schema, RunsTable));
        var files = new Table(new PostgresqlObjectName(schema, FilesTable));
#pragma warning restore CS0618
        runs.AddColumn<Guid>("id").AsPrimaryKey();
        runs.AddColumn<Guid>("definition_id").NotNull();
        runs.AddColumn<string>("trigger").NotNull();
        runs.AddColumn("scheduled_for", "timestamp with time zone");
        runs.AddColumn("for_day", "date").NotNull();
        runs.AddColumn<string>("status").NotNull();
        runs.AddColumn<int>("attempts").NotNull();
        runs.AddColumn("next_attempt_at", "timestamp with time zone");
        runs.AddColumn("started_at", "timestamp with time zone").NotNull();
        runs.AddColumn("duration_ms", "bigint");
        runs.AddColumn("rows", "integer");
        runs.AddColumn<string>("level").NotNull();
        runs.AddColumn("window_from", "date");
        runs.AddColumn("window_to", "date");
        runs.AddColumn<string>("error");
        runs.AddColumn("delivered_to", "text[]").NotNull();
        runs.AddColumn("withheld", "text[]").NotNull();
        // The keyset order of a definition's runs (newest first), fixed when the run is claimed.
        runs.AddColumn("seq", "bigserial").NotNull();
        // Until when the host running it holds a RUNNING run (renewed while it pages); later, another host takes it over.
        runs.AddColumn("lease_until", "timestamp with time zone");
        // One run per scheduled fire of a definition, whichever host sees it first (null for runs on demand).
        runs.Indexes.Add(new IndexDefinition($"ix_{RunsTable}_fire") { Columns = ["definition_id", "scheduled_for"], IsUnique = true });
        runs.Indexes.Add(new IndexDefinition($"ix_{RunsTable}_definition") { Columns = ["definition_id", "started_at"] });
        files.AddColumn<Guid>("run_id").AsPrimaryKey();
        files.AddColumn<string>("name").AsPrimaryKey();
        files.AddColumn<string>("content_type").NotNull();
        files.AddColumn("size", "bigint").NotNull();
        files.AddColumn("content", "bytea").NotNull();
        files.AddColumn("key_id", "uuid");
        files.AddColumn("created_at", "timestamp with time zone").NotNull();
        return [runs, files];
    }

    /// <summary>Inserts a run (RUNNING, held until <paramref name="leaseUntil"/>); false when its scheduled fire was claimed already (by this or another host).</summary>
    public async Task<bool> ClaimAsync(ReportRun run, DateTimeOffset leaseUntil, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"insert into {Runs} ({Columns}, lease_until) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) on conflict do nothing", connection);
        Add(command, run);
        command.Parameters.Add(new NpgsqlParameter { Value = leaseUntil.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Claims a run waiting for its retry (one host wins), as its next attempt held until <paramref name="leaseUntil"/>; the run as claimed, or null.</summary>
    public Task<ReportRun?> ClaimRetryAsync(Guid id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct) =>
        ClaimAttemptAsync("status = 'Retrying'", id, now, leaseUntil, ct);

    /// <summary>The RUNNING runs whose lease ran out before <paramref name="now"/>: their host stopped (a run recorded before leases: an hour after it started).</summary>
    public Task<IReadOnlyList<Guid>> ExpiredLeasesAsync(DateTimeOffset now, CancellationToken ct) =>
        IdsAsync($"select id from {Runs} where status = 'Running' and {Expired} order by started_at limit 100", now, ct);

    /// <summary>Takes over a RUNNING run whose lease ran out (one host wins), as its next attempt held until <paramref name="leaseUntil"/>; the run as claimed, or null.</summary>
    public Task<ReportRun?> ClaimExpiredAsync(Guid id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct) =>
        ClaimAttemptAsync($"status = 'Running' and {Expired}", id, now, leaseUntil, ct);

    /// <summary>Holds the run for longer, while this attempt is still its own; false when another host took it over.</summary>
    public async Task<bool> RenewLeaseAsync(ReportRun run, DateTimeOffset leaseUntil, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"update {Runs} set lease_until = $3 where id = $1 and status = 'Running' and attempts = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = run.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = run.Attempts });
        command.Parameters.Add(new NpgsqlParameter { Value = leaseUntil.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private const string Expired = "coalesce(lease_until, started_at + interval '1 hour') < $1";

    private async Task<ReportRun?> ClaimAttemptAsync(string condition, Guid id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"update {Runs} set status = 'Running', started_at = $1, attempts = attempts + 1, lease_until = $3 where id = $2 and {condition} returning {ReadColumns}", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = leaseUntil.ToUniversalTime() });
        return (await ReadAsync(command, ct)).SingleOrDefault();
    }

    /// <summary>The runs due for a retry now.</summary>
    public Task<IReadOnlyList<Guid>> DueRetriesAsync(DateTimeOffset now, CancellationToken ct) =>
        IdsAsync($"select id from {Runs} where status = 'Retrying' and next_attempt_at <= $1 order by next_attempt_at limit 100", now, ct);

    private async Task<IReadOnlyList<Guid>> IdsAsync(string sql, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>The last scheduled fire run of each definition.</summary>
    public async Task<IReadOnlyDictionary<Guid, DateTimeOffset>> LastFiresAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select definition_id, max(scheduled_for) from {Runs} where scheduled_for is not null group by definition_id", connection);
        var fires = new Dictionary<Guid, DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            fires[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return fires;
    }

    /// <summary>
    /// Records how a run ended, with its files (written from their temporary files, streamed), in one transaction; false
    /// (nothing recorded) when the run is no longer this attempt's: another host took it over.
    /// </summary>
    public async Task<bool> CompleteAsync(ReportRun run, IReadOnlyList<(string Name, string ContentType, string Path)> files, DateTimeOffset now, CancellationToken ct)
    {
        var sealedKeys = await NewKeysAsync(files.Select(f => f.Name), ct);
        var completed = false;
        try
        {
            completed = await CompleteAsync(run, files, sealedKeys, now, ct);
            return completed;
        }
        finally
        {
            if (!completed && sealedKeys.Count > 0)
            {
                await DropKeysAsync(sealedKeys.Values);
            }
        }
    }

    private async Task<bool> CompleteAsync(
        ReportRun run, IReadOnlyList<(string Name, string ContentType, string Path)> files, Dictionary<string, DataKey> sealedKeys, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var update = new NpgsqlCommand(
                         $"update {Runs} set status = $2, attempts = $3, next_attempt_at = $4, duration_ms = $5, rows = $6, window_from = $7, window_to = $8, " +
                         "error = $9, delivered_to = $10, withheld = $11, lease_until = null where id = $1 and status = 'Running' and attempts = $3", connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter { Value = run.Id });
            update.Parameters.Add(new NpgsqlParameter { Value = run.Status.ToString() });
            update.Parameters.Add(new NpgsqlParameter { Value = run.Attempts });
            update.Parameters.Add(Nullable(run.NextAttemptAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
            update.Parameters.Add(Nullable(run.DurationMs, NpgsqlDbType.Bigint));
            update.Parameters.Add(Nullable(run.Rows, NpgsqlDbType.Integer));
            update.Parameters.Add(Nullable(run.WindowFrom, NpgsqlDbType.Date));
            update.Parameters.Add(Nullable(run.WindowTo, NpgsqlDbType.Date));
            update.Parameters.Add(Nullable(run.Error, NpgsqlDbType.Text));
            update.Parameters.Add(new NpgsqlParameter { Value = run.DeliveredTo.ToArray() });
            update.Parameters.Add(new NpgsqlParameter { Value = run.Withheld.ToArray() });
            if (await update.ExecuteNonQueryAsync(ct) == 0)
            {
                await transaction.RollbackAsync(ct);
                return false;
            }
        }

        foreach (var (name, contentType, path) in files)
        {
            // Sealed into a file beside the plaintext (streamed, two chunks in memory), then streamed into the row.
            var key = sealedKeys[name];
            var sealedPath = path + ".sealed";
            long size;
            await using (var plaintext = File.OpenRead(path))
            await using (var output = File.Create(sealedPath))
            {
                size = plaintext.Length;
                await SealedChunks.SealAsync(plaintext, output, key, ct);
            }

            try
            {
                await using var content = File.OpenRead(sealedPath);
                await using var insert = new NpgsqlCommand(
                    $"insert into {Files} (run_id, name, content_type, size, content, created_at, key_id) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
                    connection, transaction);
                insert.Parameters.Add(new NpgsqlParameter { Value = run.Id });
                insert.Parameters.Add(new NpgsqlParameter { Value = name });
                insert.Parameters.Add(new NpgsqlParameter { Value = contentType });
                insert.Parameters.Add(new NpgsqlParameter { Value = size });
                insert.Parameters.Add(new NpgsqlParameter { Value = content, NpgsqlDbType = NpgsqlDbType.Bytea });
                insert.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
                insert.Parameters.Add(new NpgsqlParameter { Value = key.OwnerId });
                await insert.ExecuteNonQueryAsync(ct);
            }
            finally
            {
                File.Delete(sealedPath);
            }
        }

        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>A new data key per file, stored (wrapped) before the run's transaction; the keys of files that were not stored are removed again.</summary>
    private async Task<Dictionary<string, DataKey>> NewKeysAsync(IEnumerable<string> names, CancellationToken ct)
    {
        var made = new Dictionary<string, DataKey>();
        await using var session = store.LightweightSession();
        foreach (var name in names)
        {
            var (stored, key) = await keys.NewAsync(Guid.CreateVersion7(), ct);
            session.Store(stored);
            made[name] = key;
        }

        await session.SaveChangesAsync(ct);
        return made;
    }

    private async Task DropKeysAsync(IEnumerable<DataKey> unused)
    {
        await using var session = store.LightweightSession();
        foreach (var key in unused)
        {
            session.Delete<PersonalDataKey>(key.OwnerId);
        }

        await session.SaveChangesAsync(CancellationToken.None);
    }

    public async Task<ReportRun?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select {ReadColumns} from {Runs} where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        var run = (await ReadAsync(command, ct)).SingleOrDefault();
        return run is null ? null : (await WithFilesAsync([run], ct))[0];
    }

    public static long KeyOf(ReportRun run) => run.Seq;

    /// <summary>A definition's runs, newest first, after the cursor's.</summary>
    public async Task<IReadOnlyList<ReportRun>> ListAsync(Guid definitionId, long? before, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select {ReadColumns} from {Runs} where definition_id = $1 and ($2::bigint is null or seq < $2) order by seq desc limit $3", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = definitionId });
        command.Parameters.Add(Nullable(before, NpgsqlDbType.Bigint));
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await WithFilesAsync(await ReadAsync(command, ct), ct);
    }

    /// <summary>The newest run of each of the definitions given that has run (one query for a page of definitions).</summary>
    public async Task<IReadOnlyDictionary<Guid, ReportRun>> LastRunsAsync(IReadOnlyCollection<Guid> definitionIds, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select distinct on (definition_id) {ReadColumns} from {Runs} where definition_id = any($1) order by definition_id, seq desc", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = definitionIds.ToArray() });
        return (await WithFilesAsync(await ReadAsync(command, ct), ct)).ToDictionary(r => r.DefinitionId);
    }

    public async Task<int> CountAsync(Guid definitionId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select count(*)::int from {Runs} where definition_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = definitionId });
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>A file's content type and size; null when there is no such file (any more).</summary>
    public async Task<(string ContentType, long Size)?> FileAsync(Guid runId, string name, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select content_type, size from {Files} where run_id = $1 and name = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }

    /// <summary>Streams a file's content to <paramref name="destination"/>.</summary>
    /// <summary>Streams a file's content to <paramref name="destination"/>, opened with its key (one query: the key's id, then the content).</summary>
    public async Task CopyFileAsync(Guid runId, string name, Stream destination, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select key_id, content from {Files} where run_id = $1 and name = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        if (!await reader.ReadAsync(ct))
        {
            return;
        }

        DataKey? key = null;
        if (!await reader.IsDBNullAsync(0, ct))
        {
            var keyId = reader.GetGuid(0);
            await using var session = store.QuerySession();
            key = await keys.KeyOfAsync(session, keyId, ct) ?? throw new InvalidOperationException($"The key of the report file {runId}/{name} is gone.");
        }

        await using var content = await reader.GetStreamAsync(1, ct);
        if (key is null)
        {
            await content.CopyToAsync(destination, ct);
        }
        else
        {
            await SealedChunks.OpenAsync(content, destination, key, ct);
        }
    }

    /// <summary>Deletes the files made before <paramref name="before"/>, and their keys; how many files.</summary>
    public async Task<int> PurgeFilesAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"with gone as (delete from {Files} where created_at < $1 returning key_id), " +
            $"keys as (delete from {KeysTable(store.Options.DatabaseSchemaName)} where id in (select key_id from gone)) select count(*)::int from gone", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = before.ToUniversalTime() });
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The runs, files and file keys of a deleted definition go with it: one statement each (Marten queues one per command,
    /// in this order); parameter ? is its id.
    /// </summary>
    public static string[] DeleteRunsSql(string schema) =>
    [
        $"delete from {KeysTable(schema)} where id in (select f.key_id from {schema}.{FilesTable} f join {schema}.{RunsTable} r on r.id = f.run_id where r.definition_id = ?)",
        $"delete from {schema}.{FilesTable} where run_id in (select id from {schema}.{RunsTable} where definition_id = ?)",
        $"delete from {schema}.{RunsTable} where definition_id = ?",
    ];

    /// <summary>
    /// The statements (parameter ? is the run's id, one statement each, in this order) that delete a run's files and their
    /// keys, for a transaction of another's (an erasure's).
    /// </summary>
    public static string[] DeleteRunFilesSql(string schema) =>
    [
        $"delete from {KeysTable(schema)} where id in (select key_id from {schema}.{FilesTable} where run_id = ?)",
        $"delete from {schema}.{FilesTable} where run_id = ?",
    ];

    /// <summary>Every stored file, with its run's level and day (what an erasure searches).</summary>
    public async Task<IReadOnlyList<(ReportRunFile File, Confidentiality Level, DateOnly ForDay)>> AllFilesAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select f.run_id, f.name, f.content_type, f.size, r.level, r.for_day from {Files} f join {Runs} r on r.id = f.run_id order by f.run_id, f.name", connection);
        var files = new List<(ReportRunFile, Confidentiality, DateOnly)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            files.Add((new ReportRunFile(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)),
                Enum.Parse<Confidentiality>(reader.GetString(4)), reader.GetFieldValue<DateOnly>(5)));
        }

        return files;
    }

    private static string KeysTable(string schema) => $"{schema}.mt_doc_{PersonalDataKeys.Alias}";

    private async Task<IReadOnlyList<ReportRun>> WithFilesAsync(IReadOnlyList<ReportRun> runs, CancellationToken ct)
    {
        if (runs.Count == 0)
        {
            return runs;
        }

        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select run_id, name, content_type, size from {Files} where run_id = any($1) order by name", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = runs.Select(r => r.Id).ToArray() });
        var files = new List<ReportRunFile>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            files.Add(new ReportRunFile(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        }

        return runs.Select(r => r with { Files = files.Where(f => f.RunId == r.Id).ToList() }).ToList();
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private static void Add(NpgsqlCommand command, ReportRun run)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = run.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = run.DefinitionId });
        command.Parameters.Add(new NpgsqlParameter { Value = run.Trigger });
        command.Parameters.Add(Nullable(run.ScheduledFor?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        command.Parameters.Add(new NpgsqlParameter { Value = run.ForDay, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = run.Status.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = run.Attempts });
        command.Parameters.Add(Nullable(run.NextAttemptAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        command.Parameters.Add(new NpgsqlParameter { Value = run.StartedAt.ToUniversalTime() });
        command.Parameters.Add(Nullable(run.DurationMs, NpgsqlDbType.Bigint));
        command.Parameters.Add(Nullable(run.Rows, NpgsqlDbType.Integer));
        command.Parameters.Add(new NpgsqlParameter { Value = run.Level.ToString() });
        command.Parameters.Add(Nullable(run.WindowFrom, NpgsqlDbType.Date));
        command.Parameters.Add(Nullable(run.WindowTo, NpgsqlDbType.Date));
        command.Parameters.Add(Nullable(run.Error, NpgsqlDbType.Text));
        command.Parameters.Add(new NpgsqlParameter { Value = run.DeliveredTo.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = run.Withheld.ToArray() });
    }

    private static async Task<IReadOnlyList<ReportRun>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var runs = new List<ReportRun>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            runs.Add(new ReportRun(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateOnly>(4), Enum.Parse<ReportRunStatus>(reader.GetString(5)), reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetInt64(9), reader.IsDBNull(10) ? null : reader.GetInt32(10), Enum.Parse<Confidentiality>(reader.GetString(11)),
                reader.IsDBNull(12) ? null : reader.GetFieldValue<DateOnly>(12), reader.IsDBNull(13) ? null : reader.GetFieldValue<DateOnly>(13),
                reader.IsDBNull(14) ? null : reader.GetString(14), reader.GetFieldValue<string[]>(15), reader.GetFieldValue<string[]>(16), [], reader.GetInt64(17)));
        }

        return runs;
    }
}
