using Marten;
using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Storage;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.Integration.Webhooks;

/// <summary>
/// The webhooks in PostgreSQL: <c>integration_webhooks</c> (one row per webhook: its settings, its
/// registrant, its feed cursor and the batch being delivered), <c>integration_webhook_attempts</c> (the
/// last <see cref="AttemptsKept"/> attempts of each). Their clientMutationIds are
/// receipts of the <see cref="MutationPipeline"/>. Every change to a webhook row is made under its row lock
/// (<see cref="LockAsync"/> for the API, <see cref="ClaimAsync"/> for the dispatcher), so no update is lost.
/// </summary>
internal sealed class WebhookStore(IDocumentStore store)
{
    public const string TableName = "integration_webhooks";
    public const string AttemptsTable = "integration_webhook_attempts";
    private const string SequenceName = "integration_webhooks_seq";

    /// <summary>Attempts kept per webhook (older ones are dropped as new ones are recorded).</summary>
    public const int AttemptsKept = 20;

    private const string Columns =
        "id, order_key, name, url, entity_types, owner_id, owner_name, owner_role, owner_clearance, owner_organisation, " +
        "state, pause_cause, paused_reason, paused_at, created_at, updated_at, version, feed_cursor, cursor_entity_types, " +
        "consecutive_failures, next_attempt_at, pending_id, pending_body, pending_changes, pending_last_sequence, pending_end_cursor, " +
        "pending_entity_types, pending_read_as, pending_created_at, pending_attempts, last_delivered_at, last_delivered_sequence, " +
        "delivered_batches, delivered_changes, secret_rotated_at";

    private const string AttemptColumns = "id, webhook_id, delivery_id, attempt, at, delivered, status_code, error, duration_ms, changes, next_retry_at";

    private string Schema => store.Options.DatabaseSchemaName;

    private string Table => $"{Schema}.{TableName}";

#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
    public static IEnumerable<Weasel.Core.ISchemaObject> SchemaObjects(string schema)
    {
        yield return new Sequence(new PostgresqlObjectName(schema, SequenceName));

        var webhooks = new Table(new PostgresqlObjectName(schema, TableName));
        webhooks.AddColumn<Guid>("id").AsPrimaryKey();
        webhooks.AddColumn<long>("order_key").NotNull();
        webhooks.AddColumn<string>("name").NotNull();
        webhooks.AddColumn<string>("url").NotNull();
        webhooks.AddColumn("entity_types", "text[]").NotNull();
        // The signing secret: needed in clear to sign, so stored; only the dispatcher reads it, and a deletion wipes it.
        webhooks.AddColumn<string>("secret");
        webhooks.AddColumn<string>("owner_id").NotNull();
        webhooks.AddColumn<string>("owner_name").NotNull();
        webhooks.AddColumn<string>("owner_role").NotNull();
        webhooks.AddColumn<string>("owner_clearance").NotNull();
        webhooks.AddColumn<Guid>("owner_organisation");
        webhooks.AddColumn<string>("state").NotNull();
        webhooks.AddColumn<string>("pause_cause");
        webhooks.AddColumn<string>("paused_reason");
        webhooks.AddColumn("paused_at", "timestamp with time zone");
        webhooks.AddColumn("created_at", "timestamp with time zone").NotNull();
        webhooks.AddColumn("updated_at", "timestamp with time zone").NotNull();
        webhooks.AddColumn<int>("version").NotNull();
        webhooks.AddColumn<string>("feed_cursor").NotNull();
        webhooks.AddColumn("cursor_entity_types", "text[]").NotNull();
        webhooks.AddColumn<int>("consecutive_failures").NotNull();
        webhooks.AddColumn("next_attempt_at", "timestamp with time zone");
        webhooks.AddColumn<Guid>("pending_id");
        webhooks.AddColumn("pending_body", "bytea");
        webhooks.AddColumn<int>("pending_changes");
        webhooks.AddColumn<long>("pending_last_sequence");
        webhooks.AddColumn<string>("pending_end_cursor");
        webhooks.AddColumn("pending_entity_types", "text[]");
        webhooks.AddColumn<string>("pending_read_as");
        webhooks.AddColumn("pending_created_at", "timestamp with time zone");
        webhooks.AddColumn<int>("pending_attempts");
        webhooks.AddColumn("last_delivered_at", "timestamp with time zone");
        webhooks.AddColumn<long>("last_delivered_sequence");
        webhooks.AddColumn<long>("delivered_batches").NotNull();
        webhooks.AddColumn<long>("delivered_changes").NotNull();
        webhooks.AddColumn("secret_rotated_at", "timestamp with time zone").NotNull();
        webhooks.Indexes.Add(new IndexDefinition("integration_webhooks_order") { Columns = ["order_key"], IsUnique = true });
        webhooks.Indexes.Add(new IndexDefinition("integration_webhooks_owner") { Columns = ["owner_id", "order_key"] });
        webhooks.Indexes.Add(new IndexDefinition("integration_webhooks_due") { Columns = ["next_attempt_at"], Predicate = "state = 'Active'" });
        yield return webhooks;

        var attempts = new Table(new PostgresqlObjectName(schema, AttemptsTable));
        attempts.AddColumn<Guid>("id").AsPrimaryKey();
        attempts.AddColumn<Guid>("webhook_id").NotNull();
        attempts.AddColumn<Guid>("delivery_id").NotNull();
        attempts.AddColumn<int>("attempt").NotNull();
        attempts.AddColumn("at", "timestamp with time zone").NotNull();
        attempts.AddColumn<bool>("delivered").NotNull();
        attempts.AddColumn<int>("status_code");
        attempts.AddColumn<string>("error");
        attempts.AddColumn<int>("duration_ms").NotNull();
        attempts.AddColumn<int>("changes").NotNull();
        attempts.AddColumn("next_retry_at", "timestamp with time zone");
        attempts.Indexes.Add(new IndexDefinition("integration_webhook_attempts_webhook") { Columns = ["webhook_id", "at"] });
        yield return attempts;
    }
#pragma warning restore CS0618

    /// <summary>A connection with a transaction open on it (one webhook's change, or one step of a delivery).</summary>
    public async Task<WebhookTransaction> BeginAsync(CancellationToken ct)
    {
        var connection = await store.OpenConnectionAsync(ct);
        try
        {
            return new WebhookTransaction(connection, await connection.BeginTransactionAsync(ct));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Inserts a new webhook.</summary>
    public async Task InsertAsync(WebhookTransaction tx, Webhook webhook, string secret, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"insert into {Table} ({Columns}, secret) values ($1, nextval('{Schema}.{SequenceName}'), " +
            string.Join(", ", Enumerable.Range(2, 34).Select(i => $"${i}")) + ")");
        AddRow(command, webhook);
        command.Parameters.Add(new NpgsqlParameter { Value = secret });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Writes every column of <paramref name="webhook"/> but its identity and registrant (the row must be locked); the secret too when given.</summary>
    public async Task SaveAsync(WebhookTransaction tx, Webhook webhook, CancellationToken ct, string? newSecret = null, bool wipeSecret = false)
    {
        // Every column after id and order_key ($1, $2, which identify the row); the registrant's columns never change, so writing them is harmless.
        var assignments = Columns.Split(", ").Select((column, i) => (column, i)).Skip(2).Select(c => $"{c.column} = ${c.i + 1}");
        var secret = newSecret is not null ? ", secret = $36" : wipeSecret ? ", secret = null" : "";
        await using var command = tx.Command($"update {Table} set {string.Join(", ", assignments)}{secret} where id = $1 and order_key = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = webhook.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = webhook.OrderKey });
        AddRow(command, webhook);
        if (newSecret is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = newSecret });
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The webhook (deleted ones too), without a lock; null when there is none.</summary>
    public async Task<Webhook?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select {Columns} from {Table} where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>The webhook under its row lock, waiting for a delivery in progress to finish (so a change never races one).</summary>
    public async Task<Webhook?> LockAsync(WebhookTransaction tx, Guid id, CancellationToken ct)
    {
        await using var command = tx.Command($"select {Columns} from {Table} where id = $1 for update");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(reader) : null;
    }

    /// <summary>
    /// The webhook and its secret under its row lock when it is active and due at <paramref name="now"/>;
    /// null when it is not, or when another transaction holds it (<c>skip locked</c>: another host or run is
    /// delivering it, so this one leaves it alone instead of waiting).
    /// </summary>
    public async Task<(Webhook Webhook, string Secret)?> ClaimAsync(WebhookTransaction tx, Guid id, DateTimeOffset now, CancellationToken ct)
    {
        await using var command = tx.Command(
            $"select {Columns}, secret from {Table} where id = $1 and state = 'Active' and (next_attempt_at is null or next_attempt_at <= $2) for update skip locked");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (Read(reader), reader.GetString(35)) : null;
    }

    /// <summary>The webhook and its secret when it is active (failing or not), without a lock: for a notification outside the feed's batches (<see cref="WebhookNotifications"/>).</summary>
    public async Task<(Webhook Webhook, string Secret)?> FindActiveWithSecretAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select {Columns}, secret from {Table} where id = $1 and state = 'Active'", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (Read(reader), reader.GetString(35)) : null;
    }

    /// <summary>The ids of active webhooks due at <paramref name="now"/>, longest waiting first.</summary>
    public async Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select id from {Table} where state = 'Active' and (next_attempt_at is null or next_attempt_at <= $1) " +
            "order by next_attempt_at nulls first, order_key limit $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>
    /// A page of webhooks (not deleted), in registration order: a caller's own, or — <paramref name="ownerId"/> null —
    /// everyone's whose registrant's clearance is one of <paramref name="ownerLevels"/> (an admin's reach, see <see cref="Webhook.IsManagedBy"/>).
    /// </summary>
    public async Task<IReadOnlyList<Webhook>> PageAsync(string? ownerId, Confidentiality[] ownerLevels, long? afterKey, int take, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = connection.Sql("").Bind("owner", ownerId, NpgsqlDbType.Text).BindNames("levels", ownerLevels).KeysetPage(
            $"select {Columns} from {Table} where state <> 'Deleted' and (@owner::text is null or owner_id = @owner) and owner_clearance = any(@levels)",
            afterKey, take, newestFirst: false);
        return await command.ReadAllAsync(Read, ct);
    }

    /// <summary>How many webhooks (not deleted) a caller has, or — <paramref name="ownerId"/> null — everyone has whose registrant's clearance is one of <paramref name="ownerLevels"/>.</summary>
    public async Task<int> CountAsync(string? ownerId, Confidentiality[] ownerLevels, CancellationToken ct, WebhookTransaction? tx = null)
    {
        const string where = "state <> 'Deleted' and ($1::text is null or owner_id = $1) and owner_clearance = any($2)";
        await using var connection = tx is null ? await OpenAsync(ct) : null;
        await using var command = tx?.Command($"select count(*) from {Table} where {where}")
                                  ?? new NpgsqlCommand($"select count(*) from {Table} where {where}", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)ownerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = ownerLevels.Select(l => l.ToString()).ToArray() });
        return (int)(long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Serialises registrations of one caller (a transaction-scoped advisory lock on its id), so two at the
    /// same moment cannot both pass the limit on webhooks per caller.
    /// </summary>
    public async Task LockOwnerAsync(WebhookTransaction tx, string ownerId, CancellationToken ct)
    {
        await using var command = tx.Command("select pg_advisory_xact_lock(hashtextextended('omct.webhooks:' || $1, 0))");
        command.Parameters.Add(new NpgsqlParameter { Value = ownerId });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records an attempt and drops the webhook's attempts beyond the last <see cref="AttemptsKept"/>.</summary>
    public async Task RecordAttemptAsync(WebhookTransaction tx, WebhookAttemptRecord attempt, CancellationToken ct)
    {
        await using var batch = tx.Batch();
        var insert = new NpgsqlBatchCommand($"insert into {Schema}.{AttemptsTable} ({AttemptColumns}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
        insert.Parameters.Add(new NpgsqlParameter { Value = attempt.Id });
        insert.Parameters.Add(new NpgsqlParameter { Value = attempt.WebhookId });
        insert.Parameters.Add(new NpgsqlParameter { Value = attempt.DeliveryId });
        insert.Parameters.Add(new NpgsqlParameter { Value = attempt.Attempt });
        insert.Parameters.Add(new NpgsqlParameter { Value = attempt.At.ToUniversalTime() });
        insert.Parameters.Add(new NpgsqlParameter { Value = attempt.Delivered });
        insert.Parameters.Add(Nullable(attempt.StatusCode, NpgsqlDbType.Integer));
        insert.Parameters.Add(Nullable(attempt.Error, NpgsqlDbType.Text));
        insert.Parameters.Add(new NpgsqlParameter { Value = attempt.DurationMs });
        insert.Parameters.Add(new NpgsqlParameter { Value = attempt.Changes });
        insert.Parameters.Add(Nullable(attempt.NextRetryAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        batch.BatchCommands.Add(insert);
        var trim = new NpgsqlBatchCommand(
            $"delete from {Schema}.{AttemptsTable} where webhook_id = $1 and id not in " +
            $"(select id from {Schema}.{AttemptsTable} where webhook_id = $1 order by at desc, id desc limit {AttemptsKept})");
        trim.Parameters.Add(new NpgsqlParameter { Value = attempt.WebhookId });
        batch.BatchCommands.Add(trim);
        await batch.ExecuteNonQueryAsync(ct);
    }

    public async Task DeleteAttemptsAsync(WebhookTransaction tx, Guid webhookId, CancellationToken ct)
    {
        await using var command = tx.Command($"delete from {Schema}.{AttemptsTable} where webhook_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The last attempts of each webhook, newest first (one query for a page of webhooks).</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<WebhookAttemptRecord>>> AttemptsAsync(IReadOnlyCollection<Guid> webhookIds, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select {AttemptColumns} from (select *, row_number() over (partition by webhook_id order by at desc, id desc) as n " +
            $"from {Schema}.{AttemptsTable} where webhook_id = any($1)) a where n <= {AttemptsKept} order by webhook_id, at desc, id desc", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = webhookIds.ToArray() });
        var attempts = webhookIds.ToDictionary(id => id, _ => new List<WebhookAttemptRecord>());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var record = new WebhookAttemptRecord(
                reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetBoolean(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetInt32(8), reader.GetInt32(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10));
            attempts[record.WebhookId].Add(record);
        }

        return attempts.ToDictionary(a => a.Key, a => (IReadOnlyList<WebhookAttemptRecord>)a.Value);
    }

    private Task<NpgsqlConnection> OpenAsync(CancellationToken ct) => store.OpenConnectionAsync(ct);

    /// <summary>The id (as $1, when no parameter is there yet), then every column after id and order_key, in <see cref="Columns"/> order.</summary>
    private static void AddRow(NpgsqlCommand command, Webhook w)
    {
        var p = command.Parameters;
        if (p.Count == 0)
        {
            p.Add(new NpgsqlParameter { Value = w.Id });
        }

        p.Add(new NpgsqlParameter { Value = w.Name });
        p.Add(new NpgsqlParameter { Value = w.Url });
        p.Add(new NpgsqlParameter { Value = w.EntityTypes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = w.Owner.Id });
        p.Add(new NpgsqlParameter { Value = w.Owner.Name });
        p.Add(new NpgsqlParameter { Value = w.Owner.Role.ToString() });
        p.Add(new NpgsqlParameter { Value = w.Owner.Clearance.ToString() });
        p.Add(Nullable(w.Owner.OrganisationId, NpgsqlDbType.Uuid));
        p.Add(new NpgsqlParameter { Value = w.State.ToString() });
        p.Add(Nullable(w.PauseCause?.ToString(), NpgsqlDbType.Text));
        p.Add(Nullable(w.PausedReason, NpgsqlDbType.Text));
        p.Add(Nullable(w.PausedAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        p.Add(new NpgsqlParameter { Value = w.CreatedAt.ToUniversalTime() });
        p.Add(new NpgsqlParameter { Value = w.UpdatedAt.ToUniversalTime() });
        p.Add(new NpgsqlParameter { Value = w.Version });
        p.Add(new NpgsqlParameter { Value = w.Cursor });
        p.Add(new NpgsqlParameter { Value = w.CursorEntityTypes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = w.ConsecutiveFailures });
        p.Add(Nullable(w.NextAttemptAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        var pending = w.Pending;
        p.Add(Nullable(pending?.Id, NpgsqlDbType.Uuid));
        p.Add(Nullable(pending?.Body, NpgsqlDbType.Bytea));
        p.Add(Nullable(pending?.Changes, NpgsqlDbType.Integer));
        p.Add(Nullable(pending?.LastSequence, NpgsqlDbType.Bigint));
        p.Add(Nullable(pending?.EndCursor, NpgsqlDbType.Text));
        p.Add(Nullable(pending?.EntityTypes, NpgsqlDbType.Array | NpgsqlDbType.Text));
        p.Add(Nullable(pending?.ReadAs, NpgsqlDbType.Text));
        p.Add(Nullable(pending?.CreatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        p.Add(Nullable(pending?.Attempts, NpgsqlDbType.Integer));
        p.Add(Nullable(w.LastDeliveredAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz));
        p.Add(Nullable(w.LastDeliveredSequence, NpgsqlDbType.Bigint));
        p.Add(new NpgsqlParameter { Value = w.DeliveredBatches });
        p.Add(new NpgsqlParameter { Value = w.DeliveredChanges });
        p.Add(new NpgsqlParameter { Value = w.SecretRotatedAt.ToUniversalTime() });
    }

    private static Webhook Read(NpgsqlDataReader r)
    {
        T? Opt<T>(int i) where T : struct => r.IsDBNull(i) ? null : r.GetFieldValue<T>(i);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var pending = r.IsDBNull(21) ? null : new PendingDelivery(
            r.GetGuid(21), r.GetFieldValue<byte[]>(22), r.GetInt32(23), r.GetInt64(24), r.GetString(25), r.GetFieldValue<string[]>(26), r.GetString(27),
            r.GetFieldValue<DateTimeOffset>(28), r.GetInt32(29));
        return new Webhook(
            r.GetGuid(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetFieldValue<string[]>(4),
            new WebhookOwner(r.GetString(5), r.GetString(6), Enum.Parse<Role>(r.GetString(7)), Enum.Parse<Confidentiality>(r.GetString(8)), Opt<Guid>(9)),
            Enum.Parse<WebhookState>(r.GetString(10)), Text(11) is { } cause ? Enum.Parse<WebhookPauseCause>(cause) : null, Text(12), Opt<DateTimeOffset>(13),
            r.GetFieldValue<DateTimeOffset>(14), r.GetFieldValue<DateTimeOffset>(15), r.GetInt32(16), r.GetString(17), r.GetFieldValue<string[]>(18),
            r.GetInt32(19), Opt<DateTimeOffset>(20), pending, Opt<DateTimeOffset>(30), Opt<long>(31), r.GetInt64(32), r.GetInt64(33),
            r.GetFieldValue<DateTimeOffset>(34));
    }

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
}

/// <summary>A connection and its open transaction; disposing without <see cref="CommitAsync"/> rolls back.</summary>
internal sealed class WebhookTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    public NpgsqlCommand Command(string sql) => new(sql, connection, transaction);

    public NpgsqlBatch Batch() => new(connection, transaction);

    /// <summary>Writes a mutation's receipt in this transaction.</summary>
    public Task RecordAsync(MutationReceipt receipt, Guid webhookId, CancellationToken ct) => receipt.RecordAsync(connection, transaction, webhookId, ct);

    public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
