using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Storage;
using Omct.Platform.Digests.Subscriptions;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.Digests.Composing;

/// <summary>
/// The digests (<c>digests_digest</c>) and their delivery outbox (<c>digests_delivery</c>) in
/// PostgreSQL. A digest row is only ever inserted, by its deterministic id and only when absent (so a
/// rerun writes nothing and takes no sequence number); its deliveries are inserted in the same
/// transaction, so a digest never exists without them. Lists are newest first on <c>order_key</c>
/// (a sequence), which a keyset cursor follows while rows are added.
/// </summary>
internal sealed class DigestStore(IDocumentStore store) : IPagedByClearance<Digest>
{
    public const string DigestTable = "digests_digest";
    public const string DeliveryTable = "digests_delivery";
    public const string ErasedTable = "digests_erased_defender";
    private const string SequenceName = "digests_digest_seq";

    /// <summary>
    /// The lock that orders a digest's insert against an erasure (see <see cref="InsertNewAsync"/> and
    /// <see cref="DigestErasureProjection"/>): the DIGEST job holds it shared, an erasure (or a case raised) exclusive — the
    /// table of erased defenders locked in SHARE and in EXCLUSIVE mode (reads are never blocked). A table lock, not an
    /// advisory one, because the exclusive side is a command queued into Marten's batch, which must return no rows: a
    /// <c>select pg_advisory_xact_lock(…)</c> returns a row that no operation reads, and the batch's next operation that
    /// reads a result read that row instead (an erasure that another module also acted on failed).
    /// </summary>
    public static string ExclusiveErasureLock(string schema) => $"lock table {schema}.{ErasedTable} in exclusive mode";

    private static string SharedErasureLock(string schema) => $"lock table {schema}.{ErasedTable} in share mode";

    private const string DigestColumns = "id, subscription_id, subscription_name, period, from_day, to_day, audience, generated_at, markdown, html, sections, order_key";
    private const string DeliveryColumns = "id, digest_id, subscription_id, channel, target, status, attempts, last_error, next_attempt_at, delivered_at, created_at";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private string Schema => store.Options.DatabaseSchemaName;

#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
    public static IEnumerable<Weasel.Core.ISchemaObject> SchemaObjects(string schema)
    {
        yield return new Sequence(new PostgresqlObjectName(schema, SequenceName));
        var digests = new Table(new PostgresqlObjectName(schema, DigestTable));
        var deliveries = new Table(new PostgresqlObjectName(schema, DeliveryTable));
#pragma warning restore CS0618
        digests.AddColumn<Guid>("id").AsPrimaryKey();
        digests.AddColumn<Guid>("subscription_id").NotNull();
        digests.AddColumn<string>("subscription_name").NotNull();
        digests.AddColumn<string>("period").NotNull();
        digests.AddColumn("from_day", "date").NotNull();
        digests.AddColumn("to_day", "date").NotNull();
        digests.AddColumn<string>("audience").NotNull();
        digests.AddColumn("generated_at", "timestamp with time zone").NotNull();
        digests.AddColumn<string>("markdown").NotNull();
        digests.AddColumn<string>("html").NotNull();
        digests.AddColumn("sections", "jsonb").NotNull();
        digests.AddColumn<long>("order_key").NotNull();
        // The registered defenders the digest names (by id; their names are in the sections' text pieces): what an erasure looks up.
        digests.AddColumn("defender_ids", "uuid[]").NotNull().DefaultValueByExpression("'{}'");
        // Raised by each erasure that rewrites the digest: an erasure writes only the revision it read (DigestErasureProjection).
        digests.AddColumn<int>("revision").NotNull().DefaultValueByExpression("0");
        digests.Indexes.Add(new IndexDefinition("digests_digest_order") { Columns = ["order_key"], IsUnique = true });
        // One digest per subscription and period, whatever computed its id.
        digests.Indexes.Add(new IndexDefinition("digests_digest_period") { Columns = ["subscription_id", "period", "from_day"], IsUnique = true });
        digests.Indexes.Add(new IndexDefinition("digests_digest_defenders") { Columns = ["defender_ids"], Method = IndexMethod.gin });
        yield return digests;

        // The defenders whose personal data was erased (ids and when; nothing personal): a digest composed
        // while an erasure commits is inserted without their names (see InsertNewAsync).
#pragma warning disable CS0618
        var erased = new Table(new PostgresqlObjectName(schema, ErasedTable));
#pragma warning restore CS0618
        erased.AddColumn<Guid>("defender_id").AsPrimaryKey();
        erased.AddColumn("erased_at", "timestamp with time zone").NotNull();
        yield return erased;

        deliveries.AddColumn<Guid>("id").AsPrimaryKey();
        deliveries.AddColumn<Guid>("digest_id").NotNull();
        deliveries.AddColumn<Guid>("subscription_id").NotNull();
        deliveries.AddColumn<string>("channel").NotNull();
        deliveries.AddColumn<string>("target").NotNull();
        deliveries.AddColumn<string>("status").NotNull();
        deliveries.AddColumn<int>("attempts").NotNull();
        deliveries.AddColumn<string>("last_error");
        deliveries.AddColumn("next_attempt_at", "timestamp with time zone");
        deliveries.AddColumn("delivered_at", "timestamp with time zone");
        deliveries.AddColumn("created_at", "timestamp with time zone").NotNull();
        deliveries.Indexes.Add(new IndexDefinition("digests_delivery_digest") { Columns = ["digest_id"] });
        // What the delivery job claims: due rows still to send, oldest due first.
        deliveries.Indexes.Add(new IndexDefinition("digests_delivery_due") { Columns = ["next_attempt_at"], Predicate = "status in ('Pending', 'FailedRetrying')" });
        yield return deliveries;
    }

    /// <summary>The SQL (Marten's '?' placeholder: the subscription id) that removes a deleted subscription's deliveries not yet made.</summary>
    public static string DeleteUndeliveredSql(string schema) => $"delete from {schema}.{DeliveryTable} where subscription_id = ? and status <> 'Delivered'";

    /// <summary>
    /// The SQL (Marten placeholders: subscription id, its e-mail recipients, its webhook URL or "", its audience) that removes,
    /// after a change of the subscription, the deliveries not yet made to a target it no longer has, or of a digest made for
    /// another audience: a removed recipient or a replaced webhook URL gets nothing more, nor does anyone a digest composed
    /// for a clearance the subscription no longer has.
    /// </summary>
    public static string DeleteStaleUndeliveredSql(string schema) =>
        $"delete from {schema}.{DeliveryTable} d where d.subscription_id = ? and d.status <> 'Delivered' and (" +
        "not ((d.channel = 'Email' and d.target = any(?)) or (d.channel = 'Webhook' and d.target = ?)) " +
        $"or exists (select 1 from {schema}.{DigestTable} g where g.id = d.digest_id and g.audience <> ?))";

    public async Task<bool> ExistsAsync(Guid id, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select exists (select 1 from {Schema}.{DigestTable} where id = $1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Inserts the digest and its deliveries when it does not exist yet, in the day's transaction; false when it was there.
    /// The digest was composed with the names the defenders module gave a moment ago; a defender erased
    /// since then must not be named. The shared erasure lock (<see cref="ExclusiveErasureLock"/>, held to the day's commit) orders
    /// this against an erasure, which takes it exclusively: an erasure that committed first is in
    /// <see cref="ErasedTable"/> when it is read here, and one that comes later waits for this commit and then
    /// finds the digest by <c>defender_ids</c>.
    /// </summary>
    public async Task<bool> InsertNewAsync(Digest digest, IReadOnlyList<DigestDelivery> deliveries, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var named = DigestErasure.DefendersNamed(digest);
        if (named.Length > 0)
        {
            await using (var lockCommand = new NpgsqlCommand(SharedErasureLock(Schema), connection, transaction))
            {
                await lockCommand.ExecuteNonQueryAsync(ct);
            }

            await using var check = new NpgsqlCommand($"select defender_id from {Schema}.{ErasedTable} where defender_id = any($1)", connection, transaction);
            check.Parameters.Add(new NpgsqlParameter { Value = named });
            var erased = new List<Guid>();
            await using (var reader = await check.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    erased.Add(reader.GetGuid(0));
                }
            }

            if (erased.Count > 0)
            {
                digest = DigestErasure.Erase(digest, erased);
                named = DigestErasure.DefendersNamed(digest);
            }
        }

        await using (var insert = new NpgsqlCommand(
            $"insert into {Schema}.{DigestTable} ({DigestColumns}, defender_ids) select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, nextval('{Schema}.{SequenceName}'), $12 " +
            $"where not exists (select 1 from {Schema}.{DigestTable} where id = $1 or (subscription_id = $2 and period = $4 and from_day = $5)) on conflict do nothing",
            connection, transaction))
        {
            var p = insert.Parameters;
            p.Add(new NpgsqlParameter { Value = digest.Id });
            p.Add(new NpgsqlParameter { Value = digest.SubscriptionId });
            p.Add(new NpgsqlParameter { Value = digest.SubscriptionName });
            p.Add(new NpgsqlParameter { Value = digest.Period.ToString() });
            p.Add(new NpgsqlParameter { Value = digest.From });
            p.Add(new NpgsqlParameter { Value = digest.To });
            p.Add(new NpgsqlParameter { Value = digest.Audience.ToString() });
            p.Add(new NpgsqlParameter { Value = digest.GeneratedAt.ToUniversalTime() });
            p.Add(new NpgsqlParameter { Value = digest.Markdown });
            p.Add(new NpgsqlParameter { Value = digest.Html });
            p.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(digest.Sections, Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
            p.Add(new NpgsqlParameter { Value = named, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                return false;
            }
        }

        if (deliveries.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var d in deliveries)
            {
                var command = new NpgsqlBatchCommand(
                    $"insert into {Schema}.{DeliveryTable} ({DeliveryColumns}) values ($1, $2, $3, $4, $5, $6, 0, null, $7, null, $7) on conflict (id) do nothing");
                command.Parameters.Add(new NpgsqlParameter { Value = d.Id });
                command.Parameters.Add(new NpgsqlParameter { Value = d.DigestId });
                command.Parameters.Add(new NpgsqlParameter { Value = d.SubscriptionId });
                command.Parameters.Add(new NpgsqlParameter { Value = d.Channel.ToString() });
                command.Parameters.Add(new NpgsqlParameter { Value = d.Target });
                command.Parameters.Add(new NpgsqlParameter { Value = DeliveryStatus.Pending.ToString() });
                command.Parameters.Add(new NpgsqlParameter { Value = d.CreatedAt.ToUniversalTime() });
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(ct);
        }

        return true;
    }

    /// <summary>The digests whose audience is one of <paramref name="levels"/>, newest first.</summary>
    public async Task<IReadOnlyList<Digest>> PageAsync(Confidentiality[] levels, long? afterKey, int take, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = connection.Sql("").BindNames("levels", levels)
            .KeysetPage($"select {DigestColumns} from {Schema}.{DigestTable} where audience = any(@levels)", afterKey, take);
        return await command.ReadAllAsync(ReadDigest, ct);
    }

    public async Task<int> CountAsync(Confidentiality[] levels, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = connection.Sql($"select count(*) from {Schema}.{DigestTable} where audience = any(@levels)").BindNames("levels", levels);
        return await command.CountAsync(ct);
    }

    /// <summary>A digest by id (for delivery: whatever its audience).</summary>
    public async Task<Digest?> FindAsync(Guid id, NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = connection.Sql($"select {DigestColumns} from {Schema}.{DigestTable} where id = @id", transaction).Bind("id", id);
        return await command.ReadFirstAsync(ReadDigest, ct);
    }

    /// <summary>The deliveries of these digests (one query per page of digests).</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<DigestDelivery>>> DeliveriesAsync(IReadOnlyCollection<Guid> digestIds, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = connection.Sql($"select {DeliveryColumns} from {Schema}.{DeliveryTable} where digest_id = any(@ids) order by channel, target")
            .Bind("ids", digestIds.Distinct().ToArray());
        var found = await command.ReadAllAsync(ReadDelivery, ct);
        return digestIds.Distinct().ToDictionary(id => id, id => (IReadOnlyList<DigestDelivery>)found.Where(d => d.DigestId == id).ToList());
    }

    /// <summary>
    /// Claims the next due delivery in <paramref name="transaction"/>: its row stays locked until the
    /// transaction ends, and another host's claim skips it (<c>for update skip locked</c>), so no two
    /// hosts send the same delivery at once. Null when none is due.
    /// </summary>
    public async Task<DigestDelivery?> ClaimNextAsync(DateTimeOffset now, IReadOnlyCollection<DeliveryChannel> channels, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.Sql(
            $"select {DeliveryColumns} from {Schema}.{DeliveryTable} where status in ('Pending', 'FailedRetrying') and next_attempt_at <= @now " +
            "and channel = any(@channels) order by next_attempt_at limit 1 for update skip locked", transaction)
            .Bind("now", now.ToUniversalTime()).BindNames("channels", channels);
        return await command.ReadFirstAsync(ReadDelivery, ct);
    }

    /// <summary>Records the outcome of an attempt on a claimed delivery, in the claim's transaction.</summary>
    public async Task RecordAttemptAsync(
        Guid id, DeliveryStatus status, int attempts, string? lastError, DateTimeOffset? nextAttemptAt, DateTimeOffset? deliveredAt,
        NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        await using var command = connection.Sql(
            $"update {Schema}.{DeliveryTable} set status = @status, attempts = @attempts, last_error = @error, next_attempt_at = @next, delivered_at = @delivered where id = @id",
            transaction)
            .Bind("id", id).Bind("status", status.ToString()).Bind("attempts", attempts)
            .Bind("error", lastError, NpgsqlDbType.Text)
            .Bind("next", nextAttemptAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz)
            .Bind("delivered", deliveredAt?.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        await command.ExecuteNonQueryAsync(ct);
    }

    public Task<NpgsqlConnection> OpenAsync(CancellationToken ct) => store.OpenConnectionAsync(ct);

    private static Digest ReadDigest(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetString(2), Enum.Parse<DigestPeriod>(r.GetString(3)), r.GetFieldValue<DateOnly>(4), r.GetFieldValue<DateOnly>(5),
        Enum.Parse<Confidentiality>(r.GetString(6)), r.GetFieldValue<DateTimeOffset>(7), r.GetString(8), r.GetString(9),
        JsonSerializer.Deserialize<List<DigestSection>>(r.GetString(10), Json) ?? [])
    {
        OrderKey = r.GetInt64(11),
    };

    private static DigestDelivery ReadDelivery(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetGuid(2), Enum.Parse<DeliveryChannel>(r.GetString(3)), r.GetString(4), Enum.Parse<DeliveryStatus>(r.GetString(5)),
        r.GetInt32(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8),
        r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9), r.GetFieldValue<DateTimeOffset>(10));
}
