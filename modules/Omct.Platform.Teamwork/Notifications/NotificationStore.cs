using Marten;
using Npgsql;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Storage;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.Teamwork.Notifications;

/// <summary>
/// What a person is told of. MEMBER_REMOVED is reserved for the notice to a record's owner that someone was taken off it: queue
/// <c>Notification.Of(MemberRemoved, &lt;the removal's id&gt;, &lt;owner&gt;, &lt;record type&gt;, &lt;record id&gt;, "&lt;who&gt; was taken off … because …", now)</c>
/// with <see cref="NotificationStore.Queue"/> in the removal's transaction; <see cref="Notifier"/> sends its
/// <see cref="Notification.Detail"/> with a link to the record, while the owner may see it.
/// </summary>
internal enum NotificationKind { Reminder, Mention, MemberRemoved }

/// <summary>
/// One thing to tell one person (an outbox row): a reminder that reached them, a mention, a member removed. Its id is named
/// after the kind, the thing and the person, so queuing it again (another host, a rerun) makes it once.
/// </summary>
internal sealed record Notification(
    Guid Id, Guid AccountId, NotificationKind Kind, Guid SubjectId, string RecordType, Guid RecordId, string? Detail, DateTimeOffset CreatedAt)
{
    public static Notification Of(NotificationKind kind, Guid subjectId, Guid accountId, string recordType, Guid recordId, string? detail, DateTimeOffset now) =>
        new(NameBasedId.Of($"teamwork.notification:{kind}:{subjectId}:{accountId}"), accountId, kind, subjectId, recordType, recordId, detail, now);
}

internal enum NotificationStatus { Pending, Sent, Skipped }

/// <summary>
/// The notification outbox (<c>teamwork_notification</c>) and the daily summaries sent (<c>teamwork_summary</c>). A row is
/// queued in the transaction of what it tells of (insert, nothing on conflict), claimed with <c>for update skip locked</c> by
/// the one run that sends it, and marked SENT (or SKIPPED: the person's preference is NONE, or they may no longer see it) in
/// that claim's transaction — two hosts never send the same row. A summary is one row per person and day.
/// </summary>
internal sealed class NotificationStore(IDocumentStore store)
{
    public const string TableName = "teamwork_notification";
    public const string SummaryTableName = "teamwork_summary";
    private const string Columns = "id, account_id, kind, subject_id, record_type, record_id, detail, created_at";

    private string Table => $"{store.Options.DatabaseSchemaName}.{TableName}";

    private string Summaries => $"{store.Options.DatabaseSchemaName}.{SummaryTableName}";

#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
    public static IEnumerable<Weasel.Core.ISchemaObject> SchemaObjects(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName));
        var summaries = new Table(new PostgresqlObjectName(schema, SummaryTableName));
#pragma warning restore CS0618
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn<Guid>("account_id").NotNull();
        table.AddColumn<string>("kind").NotNull();
        table.AddColumn<Guid>("subject_id").NotNull();
        table.AddColumn<string>("record_type").NotNull();
        table.AddColumn<Guid>("record_id").NotNull();
        table.AddColumn<string>("detail");
        table.AddColumn("created_at", "timestamp with time zone").NotNull();
        table.AddColumn<string>("status").NotNull();
        table.AddColumn("handled_at", "timestamp with time zone");
        table.AddColumn("summary_day", "date");
        table.Indexes.Add(new IndexDefinition("teamwork_notification_pending") { Columns = ["status", "account_id"] });
        yield return table;
        summaries.AddColumn<Guid>("account_id").AsPrimaryKey();
        summaries.AddColumn("day", "date").AsPrimaryKey();
        summaries.AddColumn("sent_at", "timestamp with time zone").NotNull();
        yield return summaries;
    }

    /// <summary>Queues <paramref name="notification"/> in <paramref name="session"/>'s transaction (nothing when it is there already).</summary>
    public void Queue(IDocumentOperations session, Notification notification) => session.QueueSqlCommand(
        $"insert into {Table} ({Columns}, status) values (?, ?, ?, ?, ?, ?, ?, ?, '{nameof(NotificationStatus.Pending)}') on conflict (id) do nothing",
        notification.Id, notification.AccountId, notification.Kind.ToString(), notification.SubjectId, notification.RecordType, notification.RecordId,
        (object?)notification.Detail ?? DBNull.Value, notification.CreatedAt.ToUniversalTime());

    public Task<NpgsqlConnection> OpenAsync(CancellationToken ct) => store.OpenConnectionAsync(ct);

    /// <summary>The people with a notification pending.</summary>
    public async Task<IReadOnlyList<Guid>> PendingAccountsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = connection.Sql($"select distinct account_id from {Table} where status = @pending", transaction)
            .Bind("pending", nameof(NotificationStatus.Pending));
        return await command.ReadAllAsync(r => r.GetGuid(0), ct);
    }

    /// <summary>Claims up to <paramref name="take"/> pending notifications of these people, oldest first, for the transaction's length.</summary>
    public async Task<IReadOnlyList<Notification>> ClaimAsync(
        IReadOnlyCollection<Guid> accountIds, int take, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.Sql(
                $"select {Columns} from {Table} where status = @pending and account_id = any(@accounts) order by created_at, id limit @take for update skip locked", transaction)
            .Bind("pending", nameof(NotificationStatus.Pending)).Bind("accounts", accountIds.ToArray()).Bind("take", take);
        return await command.ReadAllAsync(r => new Notification(
            r.GetGuid(0), r.GetGuid(1), Enum.Parse<NotificationKind>(r.GetString(2)), r.GetGuid(3), r.GetString(4), r.GetGuid(5),
            r.IsDBNull(6) ? null : r.GetString(6), r.GetFieldValue<DateTimeOffset>(7)), ct);
    }

    public async Task MarkAsync(
        IReadOnlyCollection<Guid> ids, NotificationStatus status, DateTimeOffset now, DateOnly? summaryDay, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var command = connection.Sql($"update {Table} set status = @status, handled_at = @now, summary_day = @day where id = any(@ids)", transaction)
            .Bind("status", status.ToString()).Bind("now", now.ToUniversalTime()).Bind("day", summaryDay, NpgsqlTypes.NpgsqlDbType.Date).Bind("ids", ids.ToArray());
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Records the person's summary of <paramref name="day"/>; false when one was already sent for that day.</summary>
    public async Task<bool> ClaimSummaryAsync(Guid accountId, DateOnly day, DateTimeOffset now, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.Sql($"insert into {Summaries} (account_id, day, sent_at) values (@account, @day, @now) on conflict do nothing", transaction)
            .Bind("account", accountId).Bind("day", day).Bind("now", now.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }
}
