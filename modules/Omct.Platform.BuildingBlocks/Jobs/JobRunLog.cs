using Marten;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.BuildingBlocks.Jobs;

/// <summary>One run of a job, as recorded.</summary>
/// <param name="ScheduledFor">For a scheduled run: the fire time Quartz scheduled it for (one run per fire, across the cluster).</param>
/// <param name="ProgressDone">The last progress the job reported (<see cref="JobRunContext.ReportProgressAsync"/>); null when it reports none.</param>
/// <param name="ProgressTotal">Out of how many (null when the job did not know).</param>
public sealed record JobRun(
    Guid Id, string Name, string Node, JobTrigger Trigger, DateOnly? AsOf, DateTimeOffset StartedAt, long DurationMs, int Items,
    JobOutcome Outcome, string? Error, DateTimeOffset? ScheduledFor = null, int? ProgressDone = null, int? ProgressTotal = null);

/// <summary>A run still going on somewhere in the cluster, with the progress its job last reported.</summary>
/// <param name="UpdatedAt">Its last progress report or heartbeat (the database's clock).</param>
public sealed record RunningJobRun(
    Guid Id, string Name, string Node, JobTrigger Trigger, DateOnly? AsOf, DateTimeOffset StartedAt, int? ProgressDone, int? ProgressTotal,
    DateTimeOffset UpdatedAt);

/// <summary>
/// The record of every job run in PostgreSQL (<c>jobs_runs</c>), for <c>scheduledJobs</c> and for
/// admins to see failures. Runs older than <see cref="Retention"/> are dropped as new ones of the same
/// job are written, so an every-minute job does not grow the table without end.
/// A run is written when it starts (outcome <c>Running</c>, with the progress its job reports and a
/// heartbeat every <see cref="HeartbeatInterval"/>) and completed in place when it ends; a running row
/// without a heartbeat for <see cref="StaleAfter"/> belongs to a process that died and is not listed.
/// </summary>
public sealed class JobRunLog(IDocumentStore store)
{
    public const string TableName = "jobs_runs";
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(60);
    private const string Running = "Running";

    private string Table => $"{store.Options.DatabaseSchemaName}.{TableName}";

    public static Table Schema(string schema)
    {
#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
        var table = new Table(new PostgresqlObjectName(schema, TableName));
#pragma warning restore CS0618
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn<string>("job").NotNull();
        table.AddColumn<string>("node").NotNull();
        table.AddColumn<string>("trigger").NotNull();
        table.AddColumn("as_of", "date");
        table.AddColumn("started_at", "timestamp with time zone").NotNull();
        table.AddColumn<long>("duration_ms").NotNull();
        table.AddColumn<int>("items").NotNull();
        table.AddColumn<string>("outcome").NotNull();
        table.AddColumn<string>("error");
        table.AddColumn("scheduled_for", "timestamp with time zone");
        table.AddColumn<int>("progress_done");
        table.AddColumn<int>("progress_total");
        table.AddColumn("updated_at", "timestamp with time zone");
        table.Indexes.Add(new IndexDefinition("jobs_runs_job_started") { Columns = ["job", "started_at"] });
        return table;
    }

    private const string Columns = "id, job, node, trigger, as_of, started_at, duration_ms, items, outcome, error, scheduled_for, progress_done, progress_total";

    /// <summary>Records that a run started (outcome Running): <c>scheduledJobs { running }</c> shows it until <see cref="RecordAsync"/> completes it.</summary>
    public async Task StartAsync(JobRun run, CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var insert = new NpgsqlCommand(
            $"insert into {Table} ({Columns}, updated_at) values ($1, $2, $3, $4, $5, $6, 0, 0, '{Running}', null, $7, null, null, now()) on conflict (id) do nothing",
            connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Id });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Name });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Node });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Trigger.ToString() });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.AsOf is { } asOf ? asOf : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.StartedAt.ToUniversalTime() });
        insert.Parameters.Add(new NpgsqlParameter
        {
            Value = run.ScheduledFor is { } scheduled ? scheduled.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz,
        });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The progress of a running run (also its heartbeat); <paramref name="done"/> null only beats the heart.</summary>
    public async Task ProgressAsync(Guid id, int? done, int? total, CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var update = new NpgsqlCommand(
            done is null
                ? $"update {Table} set updated_at = now() where id = $1 and outcome = '{Running}'"
                : $"update {Table} set progress_done = $2, progress_total = $3, updated_at = now() where id = $1 and outcome = '{Running}'",
            connection);
        update.Parameters.Add(new NpgsqlParameter { Value = id });
        if (done is not null)
        {
            update.Parameters.Add(new NpgsqlParameter { Value = done.Value });
            update.Parameters.Add(new NpgsqlParameter { Value = (object?)total ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        }

        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The runs going on now across the cluster (a heartbeat within <see cref="StaleAfter"/>), oldest first.</summary>
    public async Task<IReadOnlyList<RunningJobRun>> RunningAsync(CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"select id, job, node, trigger, as_of, started_at, progress_done, progress_total, updated_at from {Table} " +
            $"where outcome = '{Running}' and updated_at > now() - make_interval(secs => $1) order by started_at, id",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = StaleAfter.TotalSeconds });
        var runs = new List<RunningJobRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(new RunningJobRun(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), Enum.Parse<JobTrigger>(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return runs;
    }

    /// <summary>Records a finished run (completing the row <see cref="StartAsync"/> wrote, or writing it).</summary>
    public async Task RecordAsync(JobRun run, CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var insert = new NpgsqlBatchCommand(
            $"insert into {Table} ({Columns}, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now()) " +
            "on conflict (id) do update set duration_ms = excluded.duration_ms, items = excluded.items, outcome = excluded.outcome, " +
            "error = excluded.error, progress_done = excluded.progress_done, progress_total = excluded.progress_total, updated_at = now()");
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Id });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Name });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Node });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Trigger.ToString() });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.AsOf is { } asOf ? asOf : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.StartedAt.ToUniversalTime() });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.DurationMs });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Items });
        insert.Parameters.Add(new NpgsqlParameter { Value = run.Outcome.ToString() });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)run.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter
        {
            Value = run.ScheduledFor is { } scheduled ? scheduled.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz,
        });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)run.ProgressDone ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)run.ProgressTotal ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        batch.BatchCommands.Add(insert);
        var prune = new NpgsqlBatchCommand($"delete from {Table} where job = $1 and started_at < $2");
        prune.Parameters.Add(new NpgsqlParameter { Value = run.Name });
        prune.Parameters.Add(new NpgsqlParameter { Value = (run.StartedAt - Retention).ToUniversalTime() });
        batch.BatchCommands.Add(prune);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A run by its id (runJob's answer to a repeated clientMutationId), if it is still kept.</summary>
    public async Task<JobRun?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"select {Columns} from {Table} where id = $1 and outcome <> '{Running}'", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>The latest run of each job (one query).</summary>
    public async Task<IReadOnlyDictionary<string, JobRun>> LatestAsync(CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"select distinct on (job) {Columns} from {Table} where outcome <> '{Running}' order by job, started_at desc, id desc",
            connection);
        var runs = new Dictionary<string, JobRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var run = Read(reader);
            runs[run.Name] = run;
        }

        return runs;
    }

    private static JobRun Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), Enum.Parse<JobTrigger>(reader.GetString(3)),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4), reader.GetFieldValue<DateTimeOffset>(5),
        reader.GetInt64(6), reader.GetInt32(7), Enum.Parse<JobOutcome>(reader.GetString(8)), reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        reader.IsDBNull(11) ? null : reader.GetInt32(11), reader.IsDBNull(12) ? null : reader.GetInt32(12));
}
