using Marten;
using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Storage;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.Digests.ScheduledReports.Delivery;

/// <summary>A run's notification to one webhook, kept byte for byte so every retry sends the same body under the same delivery id.</summary>
internal sealed record ReportNotification(Guid Id, Guid RunId, Guid WebhookId, Confidentiality Level, byte[] Body, int Attempts);

/// <summary>
/// What delivery keeps in PostgreSQL: the webhook notifications of runs not yet accepted (<c>digests_report_notifications</c>,
/// retried with the webhooks' backoff, claimed once across hosts), and which refusal admins were told of per definition
/// (<c>digests_report_refusal_notices</c>: one row per definition, so a schedule that keeps firing tells them once).
/// </summary>
internal sealed class ReportDeliveryStore(IDocumentStore store)
{
    public const string NotificationsTable = "digests_report_notifications";
    public const string NoticesTable = "digests_report_refusal_notices";

    /// <summary>How long a claimed notification is left to the host sending it before another may try.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private string Schema => store.Options.DatabaseSchemaName;

    public static IEnumerable<ISchemaObject> SchemaObjects(string schema)
    {
#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
        var notifications = new Table(new PostgresqlObjectName(schema, NotificationsTable));
        var notices = new Table(new PostgresqlObjectName(schema, NoticesTable));
#pragma warning restore CS0618
        notifications.AddColumn<Guid>("id").AsPrimaryKey();
        notifications.AddColumn<Guid>("run_id").NotNull();
        notifications.AddColumn<Guid>("definition_id").NotNull();
        notifications.AddColumn<Guid>("webhook_id").NotNull();
        notifications.AddColumn<string>("level").NotNull();
        notifications.AddColumn("body", "bytea").NotNull();
        notifications.AddColumn<int>("attempts").NotNull();
        notifications.AddColumn("next_attempt_at", "timestamp with time zone").NotNull();
        notifications.Indexes.Add(new IndexDefinition($"ix_{NotificationsTable}_due") { Columns = ["next_attempt_at"] });
        notices.AddColumn<Guid>("definition_id").AsPrimaryKey();
        notices.AddColumn<string>("reason").NotNull();
        notices.AddColumn("told_at", "timestamp with time zone").NotNull();
        return [notifications, notices];
    }

    /// <summary>Keeps a run's notifications, due now (sent right after the run is recorded, then retried until accepted).</summary>
    public async Task AddAsync(Guid definitionId, IReadOnlyList<ReportNotification> notifications, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        foreach (var n in notifications)
        {
            await using var command = new NpgsqlCommand(
                $"insert into {Schema}.{NotificationsTable} (id, run_id, definition_id, webhook_id, level, body, attempts, next_attempt_at) values ($1, $2, $3, $4, $5, $6, 0, $7)",
                connection);
            command.Parameters.Add(new NpgsqlParameter { Value = n.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = n.RunId });
            command.Parameters.Add(new NpgsqlParameter { Value = definitionId });
            command.Parameters.Add(new NpgsqlParameter { Value = n.WebhookId });
            command.Parameters.Add(new NpgsqlParameter { Value = n.Level.ToString() });
            command.Parameters.Add(new NpgsqlParameter { Value = n.Body, NpgsqlDbType = NpgsqlDbType.Bytea });
            command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Claims the notifications due now (of one run when <paramref name="runId"/> is given): each is leased to this host for
    /// <see cref="Lease"/> with its attempt counted, so of two hosts one sends it.
    /// </summary>
    public async Task<IReadOnlyList<ReportNotification>> ClaimDueAsync(Guid? runId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"update {Schema}.{NotificationsTable} n set attempts = n.attempts + 1, next_attempt_at = $2 from (select id from {Schema}.{NotificationsTable} " +
            "where next_attempt_at <= $1 and ($3::uuid is null or run_id = $3) order by next_attempt_at limit 100 for update skip locked) due " +
            "where n.id = due.id returning n.id, n.run_id, n.webhook_id, n.level, n.body, n.attempts", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = (now + Lease).ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)runId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        var claimed = new List<ReportNotification>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            claimed.Add(new ReportNotification(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), Enum.Parse<Confidentiality>(reader.GetString(3)),
                reader.GetFieldValue<byte[]>(4), reader.GetInt32(5)));
        }

        return claimed;
    }

    /// <summary>A notification tried again at <paramref name="at"/>.</summary>
    public async Task RetryAtAsync(Guid id, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"update {Schema}.{NotificationsTable} set next_attempt_at = $2 where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = at.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// A notification done with (accepted, withheld or given up): it leaves the table and its webhook joins the run's <c>deliveredTo</c>
    /// (with <paramref name="deliveredAs"/>, the webhook's registrant, who may then download the run's files while its clearance reaches
    /// their level) or <c>withheld</c>.
    /// </summary>
    public async Task DoneAsync(ReportNotification notification, bool delivered, string? deliveredAs, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        var column = delivered ? "delivered_to" : "withheld";
        string[] added = delivered && deliveredAs is not null ? [ReportDelivery.WebhookRecipient(notification.WebhookId), deliveredAs] : [ReportDelivery.WebhookRecipient(notification.WebhookId)];
        var append = new NpgsqlBatchCommand(
            $"update {Schema}.{ReportRunStore.RunsTable} set {column} = {column} || array(select a from unnest($2::text[]) a where a <> all({column})) where id = $1");
        append.Parameters.Add(new NpgsqlParameter { Value = notification.RunId });
        append.Parameters.Add(new NpgsqlParameter { Value = added });
        var delete = new NpgsqlBatchCommand($"delete from {Schema}.{NotificationsTable} where id = $1");
        delete.Parameters.Add(new NpgsqlParameter { Value = notification.Id });
        batch.BatchCommands.Add(append);
        batch.BatchCommands.Add(delete);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Whether admins are to be told of this refusal: true the first time a definition is refused for <paramref name="reason"/>
    /// (across hosts: the row is the claim), false while the same refusal repeats.
    /// </summary>
    public async Task<bool> FirstRefusalAsync(Guid definitionId, string reason, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"insert into {Schema}.{NoticesTable} as t (definition_id, reason, told_at) values ($1, $2, $3) " +
            "on conflict (definition_id) do update set reason = excluded.reason, told_at = excluded.told_at where t.reason <> excluded.reason", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = definitionId });
        command.Parameters.Add(new NpgsqlParameter { Value = reason });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>The definition ran again: a later refusal is news again.</summary>
    public async Task ClearRefusalAsync(Guid definitionId, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"delete from {Schema}.{NoticesTable} where definition_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = definitionId });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Forgets the refusal told of, for a session's queue (a changed definition: a later refusal is news again); parameter ? is the definition's id.</summary>
    public static string ClearSql(string schema) => $"delete from {schema}.{NoticesTable} where definition_id = ?";

    /// <summary>What a deleted definition leaves (its refusal notice and its pending notifications), one statement each; parameter ? is its id.</summary>
    public static string[] DeleteSql(string schema) =>
        [$"delete from {schema}.{NoticesTable} where definition_id = ?", $"delete from {schema}.{NotificationsTable} where definition_id = ?"];
}
