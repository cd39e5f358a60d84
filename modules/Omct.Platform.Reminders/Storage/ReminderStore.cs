using System.Text;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Storage;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Reminders.Planning;
using Omct.Platform.Submissions.Contracts;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.Reminders.Storage;

/// <summary>What a list of reminders is restricted to.</summary>
internal sealed record ReminderCriteria(IReadOnlyList<ReminderKind> Kinds, DateOnly? RemindFrom, DateOnly? RemindTo);

/// <summary>
/// The reminders in one PostgreSQL table (<c>reminders_reminder</c>). Rows are only ever inserted, by
/// their deterministic id with <c>on conflict do nothing</c> and only when absent (so a rerun writes
/// no row and takes no sequence number); a row keeps the levels of its subject as it was reminded of,
/// for the clearance condition of every list and count. Lists are newest <c>remindOn</c> first, on a
/// unique key (<c>order_key</c>: the day of remindOn, then the order of insertion) that a keyset
/// cursor follows while rows are added.
/// </summary>
internal sealed class ReminderStore(IDocumentStore store)
{
    public const string TableName = "reminders_reminder";
    private const string SequenceName = "reminders_reminder_seq";
    private const string Columns = "id, kind, due_on, remind_on, lead_days, confidentiality, created_at, order_key, case_id, case_event_id, victim_id, anniversary_kind, years, days, deadline_kind, subject_id, case_level, event_level, victim_level";

    private string Schema => store.Options.DatabaseSchemaName;

    private string Table => $"{Schema}.{TableName}";

#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
    public static IEnumerable<Weasel.Core.ISchemaObject> SchemaObjects(string schema)
    {
        yield return new Sequence(new PostgresqlObjectName(schema, SequenceName));
        var table = new Table(new PostgresqlObjectName(schema, TableName));
#pragma warning restore CS0618
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn<string>("kind").NotNull();
        table.AddColumn("due_on", "date").NotNull();
        table.AddColumn("remind_on", "date").NotNull();
        table.AddColumn<int>("lead_days").NotNull();
        table.AddColumn<string>("confidentiality").NotNull();
        table.AddColumn("created_at", "timestamp with time zone").NotNull();
        table.AddColumn<long>("order_key").NotNull();
        table.AddColumn<Guid>("case_id");
        table.AddColumn<Guid>("case_event_id");
        table.AddColumn<Guid>("victim_id");
        table.AddColumn<string>("anniversary_kind");
        table.AddColumn<int>("years");
        table.AddColumn<int>("days");
        table.AddColumn<string>("deadline_kind");
        table.AddColumn<Guid>("subject_id");
        // An anniversary's levels one by one (Confidentiality as a number), so a reclassified case event updates its reminders' level.
        table.AddColumn<int>("case_level");
        table.AddColumn<int>("event_level");
        table.AddColumn<int>("victim_level");
        table.Indexes.Add(new IndexDefinition("reminders_reminder_order") { Columns = ["order_key"], IsUnique = true });
        table.Indexes.Add(new IndexDefinition("reminders_reminder_case_event") { Columns = ["case_event_id"] });
        // The reminders made since a moment, for the teamwork module that brings them to people (MadeSinceAsync).
        table.Indexes.Add(new IndexDefinition("reminders_reminder_created") { Columns = ["created_at"] });
        yield return table;
    }

    /// <summary>Inserts those of <paramref name="reminders"/> that do not exist yet, in the day's transaction; returns how many were new.</summary>
    public async Task<int> InsertNewAsync(IReadOnlyList<Reminder> reminders, DateTimeOffset createdAt, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        if (reminders.Count == 0)
        {
            return 0;
        }

        var inserted = 0;
        foreach (var chunk in reminders.OrderBy(r => r.Id).Chunk(500))
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var r in chunk)
            {
                var command = new NpgsqlBatchCommand(
                    $"insert into {Table} ({Columns}) select $1, $2, $3, $4, $5, $6, $7, ((($4::date - date '1900-01-01')::bigint) << 40) | nextval('{Schema}.{SequenceName}'), " +
                    $"$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18 where not exists (select 1 from {Table} where id = $1) on conflict (id) do nothing");
                var p = command.Parameters;
                p.Add(new NpgsqlParameter { Value = r.Id });
                p.Add(new NpgsqlParameter { Value = r.Kind.ToString() });
                p.Add(new NpgsqlParameter { Value = r.DueOn });
                p.Add(new NpgsqlParameter { Value = r.RemindOn });
                p.Add(new NpgsqlParameter { Value = r.LeadDays });
                p.Add(new NpgsqlParameter { Value = r.Confidentiality.ToString() });
                p.Add(new NpgsqlParameter { Value = createdAt.ToUniversalTime() });
                p.Add(Nullable(r.Anniversary?.Key.CaseId, NpgsqlDbType.Uuid));
                p.Add(Nullable(r.Anniversary?.Key.CaseEventId, NpgsqlDbType.Uuid));
                p.Add(Nullable(r.Anniversary?.Key.VictimId, NpgsqlDbType.Uuid));
                p.Add(Nullable(r.Anniversary?.Kind.ToString(), NpgsqlDbType.Text));
                p.Add(Nullable(r.Anniversary?.Years, NpgsqlDbType.Integer));
                p.Add(Nullable(r.Anniversary?.Days, NpgsqlDbType.Integer));
                p.Add(Nullable(r.Deadline?.Kind.ToString(), NpgsqlDbType.Text));
                p.Add(Nullable(r.Deadline?.SubjectId, NpgsqlDbType.Uuid));
                p.Add(Nullable((int?)r.Anniversary?.Levels.Case, NpgsqlDbType.Integer));
                p.Add(Nullable((int?)r.Anniversary?.Levels.CaseEvent, NpgsqlDbType.Integer));
                p.Add(Nullable((int?)r.Anniversary?.Levels.Victim, NpgsqlDbType.Integer));
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(ct);
            inserted += batch.BatchCommands.Cast<NpgsqlBatchCommand>().Sum(c => (int)c.RecordsAffected);
        }

        return inserted;
    }

    public async Task<IReadOnlyList<Reminder>> PageAsync(ReminderCriteria criteria, Confidentiality[] levels, long? afterKey, int take, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = connection.Sql("");
        return await command.KeysetPage($"select {Columns} from {Table} where {Where(criteria, levels, command)}", afterKey, take).ReadAllAsync(Read, ct);
    }

    public async Task<int> CountAsync(ReminderCriteria criteria, Confidentiality[] levels, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = connection.Sql("");
        command.CommandText = $"select count(*) from {Table} where {Where(criteria, levels, command)}";
        return await command.CountAsync(ct);
    }

    /// <summary>The reminders made at or after <paramref name="since"/> within <paramref name="levels"/>, oldest first.</summary>
    public async Task<IReadOnlyList<Reminder>> MadeSinceAsync(DateTimeOffset since, Confidentiality[] levels, int take, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = connection.Sql(
                $"select {Columns} from {Table} where created_at >= @since and confidentiality = any(@levels) order by created_at, order_key limit @take")
            .Bind("since", since.ToUniversalTime()).BindNames("levels", levels).Bind("take", take);
        return await command.ReadAllAsync(Read, ct);
    }

    /// <summary>The reminders of these ids that exist, within <paramref name="levels"/>.</summary>
    public async Task<IReadOnlyList<Reminder>> FindAsync(IReadOnlyCollection<Guid> ids, Confidentiality[] levels, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = connection.Sql($"select {Columns} from {Table} where id = any(@ids) and confidentiality = any(@levels)")
            .Bind("ids", ids.ToArray()).BindNames("levels", levels);
        return await command.ReadAllAsync(Read, ct);
    }

    private static string Where(ReminderCriteria criteria, Confidentiality[] levels, NpgsqlCommand command)
    {
        const NpgsqlDbType texts = NpgsqlDbType.Array | NpgsqlDbType.Text;
        var where = new StringBuilder($"confidentiality = any({command.Parameter(levels.Select(l => l.ToString()).ToArray(), texts)})");
        if (criteria.Kinds.Count > 0)
        {
            where.Append($" and kind = any({command.Parameter(criteria.Kinds.Select(k => k.ToString()).ToArray(), texts)})");
        }

        // The order key starts with the day of remindOn, so a range of days is a range of the index.
        if (criteria.RemindFrom is { } from)
        {
            where.Append($" and order_key >= {command.Parameter(DayKey(from))}");
        }

        if (criteria.RemindTo is { } to)
        {
            where.Append($" and order_key < {command.Parameter(DayKey(to.AddDays(1)))}");
        }

        return where.ToString();
    }

    private static long DayKey(DateOnly day) => (long)(day.DayNumber - new DateOnly(1900, 1, 1).DayNumber) << 40;

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private static Reminder Read(NpgsqlDataReader r)
    {
        var kind = Enum.Parse<ReminderKind>(r.GetString(1));
        var due = r.GetFieldValue<DateOnly>(2);
        var confidentiality = Enum.Parse<Confidentiality>(r.GetString(5));
        AnniversaryOccurrence? anniversary = null;
        DeadlineKey? deadline = null;
        if (kind == ReminderKind.Anniversary)
        {
            var key = new AnniversaryKey(r.GetGuid(8), r.GetGuid(9), r.IsDBNull(10) ? null : r.GetGuid(10), Enum.Parse<AnniversaryKind>(r.GetString(11)), due);
            var levels = new AnniversaryLevels((Confidentiality)r.GetInt32(16), (Confidentiality)r.GetInt32(17), r.IsDBNull(18) ? null : (Confidentiality)r.GetInt32(18));
            anniversary = new AnniversaryOccurrence(key, r.IsDBNull(12) ? null : r.GetInt32(12), r.IsDBNull(13) ? null : r.GetInt32(13), levels);
        }
        else
        {
            deadline = new DeadlineKey(Enum.Parse<DeadlineKind>(r.GetString(14)), r.GetGuid(15), due);
        }

        return new Reminder(r.GetGuid(0), kind, due, r.GetFieldValue<DateOnly>(3), r.GetInt32(4), confidentiality, anniversary, deadline)
        {
            CreatedAt = r.GetFieldValue<DateTimeOffset>(6),
            OrderKey = r.GetInt64(7),
        };
    }

    /// <summary>
    /// The SQL that gives the reminders of a case event its new level (and their level the highest of
    /// case, event and victim): queued in the correction's own transaction by <see cref="ReminderLevelsProjection"/>.
    /// </summary>
    public static string ReclassifySql(string schema) =>
        $"update {schema}.{TableName} set event_level = ?, confidentiality = (array['Public','Network','Staff','Restricted'])[greatest(case_level, ?, coalesce(victim_level, 0)) + 1] " +
        "where case_event_id = ? and event_level is distinct from ?";

    /// <summary>
    /// The SQL that deletes the reminders of a withdrawn case event (<see cref="CaseEventWithdrawn"/>) or victim
    /// (<see cref="VictimWithdrawn"/>): the only rows ever deleted, in the withdrawal's own transaction. Their
    /// anniversaries are gone from the cases module too, so no later run inserts them again.
    /// </summary>
    public static string WithdrawnEventSql(string schema) => $"delete from {schema}.{TableName} where case_event_id = ?";

    public static string WithdrawnVictimSql(string schema) => $"delete from {schema}.{TableName} where victim_id = ?";

    public static string ReclassifyCaseSql(string schema) =>
        $"update {schema}.{TableName} set case_level = ?, confidentiality = (array['Public','Network','Staff','Restricted'])[greatest(?, event_level, coalesce(victim_level, 0)) + 1] " +
        "where case_id = ? and case_level is distinct from ?";
}
