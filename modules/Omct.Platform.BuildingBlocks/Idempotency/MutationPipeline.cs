using Marten;
using Marten.Services.BatchQuerying;
using Npgsql;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Omct.Platform.BuildingBlocks.Idempotency;

/// <summary>
/// The one way a mutation is carried out, whatever it writes (an event stream through
/// <see cref="EventSourcing.StreamCommands"/>, a Marten document, a row of a hand-written store, a job run):
/// <list type="bullet">
/// <item>the caller's role (<see cref="RequireRole"/>: UNAUTHENTICATED / FORBIDDEN, also for jobs calling handlers);</item>
/// <item>a target the caller may not see, or an id that is malformed or unknown, is NOT_FOUND, word for word
/// (<see cref="Visible{T}"/>, <see cref="Ids.GlobalId.DecodeOrNotFound"/>);</item>
/// <item>a stale <c>expectedVersion</c> is CONFLICT (<see cref="CheckVersion"/>), only once the target is known to be visible;</item>
/// <item>a <c>clientMutationId</c> is carried out once per operation and caller (<see cref="RunAsync{T}"/>).</item>
/// </list>
/// Scoped: one per request or job run.
/// </summary>
public sealed class MutationPipeline(IDocumentStore store, ICallerContext callers, TimeProvider time)
{
    public const int MaxClientMutationIdLength = 200;

    /// <summary>The table of receipts: <c>{operation}:{callerId}:{clientMutationId}</c> → the entity it produced.</summary>
    public const string ReceiptsTable = "mutation_receipts";

    /// <summary>The first key of the advisory locks that serialise one clientMutationId (the second is its hash).</summary>
    private const int LockSpace = 0x0C4D1D;

    public Caller Caller => callers.Current;

    private string Receipts => $"{store.Options.DatabaseSchemaName}.{ReceiptsTable}";

#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
    public static Table Schema(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, ReceiptsTable));
        table.AddColumn<string>("id").AsPrimaryKey();
        table.AddColumn<Guid>("entity_id").NotNull();
        table.AddColumn("received_at", "timestamp with time zone").NotNull();
        return table;
    }
#pragma warning restore CS0618

    /// <summary>Refuses (UNAUTHENTICATED / FORBIDDEN) a caller without <paramref name="role"/>.</summary>
    public void RequireRole(Role role)
    {
        if (!Caller.HasRole(role))
        {
            throw Caller.IsAuthenticated ? DomainException.Forbidden() : DomainException.Unauthenticated();
        }
    }

    /// <summary><paramref name="found"/> when it exists and the caller may see it; otherwise NOT_FOUND (<paramref name="what"/>), the same answer for both.</summary>
    public static T Visible<T>(T? found, Func<T, bool> visible, string what) where T : class =>
        found is not null && visible(found) ? found : throw DomainException.NotFound(what);

    /// <summary>CONFLICT when <paramref name="expected"/> is given and is not <paramref name="current"/> (call it once the target is known to be visible).</summary>
    public static void CheckVersion(int current, int? expected, string what)
    {
        if (expected is { } version && version != current)
        {
            throw Stale(what);
        }
    }

    /// <summary>The CONFLICT of a stale <c>expectedVersion</c> (or of a write that lost the race against another).</summary>
    public static DomainException Stale(string what) =>
        DomainException.Conflict($"{what} was changed by someone else (expectedVersion is stale). Reload it and try again.");

    /// <summary>VALIDATION on <c>clientMutationId</c> when it is too long.</summary>
    public static void CheckClientMutationId(string? clientMutationId)
    {
        if (clientMutationId is { Length: > MaxClientMutationIdLength })
        {
            throw DomainException.Validation("clientMutationId", $"The clientMutationId may have at most {MaxClientMutationIdLength} characters.");
        }
    }

    /// <summary>
    /// Carries out <paramref name="execute"/> once for this caller's <paramref name="operation"/> and <paramref name="clientMutationId"/>.
    /// <paramref name="execute"/> is handed the <see cref="MutationReceipt"/> to record in the same transaction as its writes.
    /// When the receipt exists, nothing runs: <paramref name="replay"/> answers, given the entity the first run produced — what
    /// the caller may see of it now (NOT_FOUND once it may not), or CONFLICT for a result that cannot be given twice (a secret).
    /// <para>
    /// A duplicate sent while the first is still running <b>waits for it</b> (a PostgreSQL advisory lock on the receipt's key,
    /// on every host) and then answers exactly as a later repeat would: the first result through <paramref name="replay"/>,
    /// or — when the first failed and wrote nothing — it runs itself. Without a clientMutationId, <paramref name="execute"/> just runs.
    /// </para>
    /// </summary>
    public async Task<T> RunAsync<T>(
        string operation, string? clientMutationId, Func<Guid, Task<T>> replay, Func<MutationReceipt, Task<T>> execute, CancellationToken ct)
    {
        var receipt = ReceiptFor(operation, clientMutationId);
        if (receipt.Id is null)
        {
            return await execute(receipt);
        }

        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using (var take = new NpgsqlCommand("select pg_advisory_lock($1, hashtext($2))", connection))
        {
            take.Parameters.Add(new NpgsqlParameter { Value = LockSpace });
            take.Parameters.Add(new NpgsqlParameter { Value = receipt.Id });
            await take.ExecuteNonQueryAsync(ct);
        }

        try
        {
            await using var find = new NpgsqlCommand(FindSql, connection);
            find.Parameters.Add(new NpgsqlParameter { Value = receipt.Id });
            return await find.ExecuteScalarAsync(ct) is Guid first ? await replay(first) : await execute(receipt);
        }
        finally
        {
            await using var release = new NpgsqlCommand("select pg_advisory_unlock($1, hashtext($2))", connection);
            release.Parameters.Add(new NpgsqlParameter { Value = LockSpace });
            release.Parameters.Add(new NpgsqlParameter { Value = receipt.Id });
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The entity this caller's <paramref name="operation"/> with <paramref name="clientMutationId"/> produced, if it was carried out —
    /// a quick look before the work of a mutation (<see cref="RunAsync{T}"/> looks again under its lock).
    /// </summary>
    public async Task<Guid?> FindAsync(string operation, string? clientMutationId, CancellationToken ct)
    {
        CheckClientMutationId(clientMutationId);
        if (clientMutationId is null)
        {
            return null;
        }

        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var find = new NpgsqlCommand(FindSql, connection);
        find.Parameters.Add(new NpgsqlParameter { Value = MutationReceipt.IdFor(operation, Caller.Id, clientMutationId) });
        return await find.ExecuteScalarAsync(ct) is Guid first ? first : null;
    }

    /// <summary>
    /// The receipt of this caller's <paramref name="operation"/> with <paramref name="clientMutationId"/> (VALIDATION when too long);
    /// without a clientMutationId, one that records nothing.
    /// </summary>
    internal MutationReceipt ReceiptFor(string operation, string? clientMutationId)
    {
        CheckClientMutationId(clientMutationId);
        return new MutationReceipt(clientMutationId is null ? null : MutationReceipt.IdFor(operation, Caller.Id, clientMutationId), this);
    }

    /// <summary>
    /// For a mutation carried out in one Marten session (<see cref="EventSourcing.StreamCommands"/>): adds to <paramref name="batch"/>
    /// the lock of <paramref name="receipt"/> — the lock of <see cref="RunAsync{T}"/>, held here until the transaction the session
    /// has begun ends (its save commits, or it is disposed) — and then, as a statement of its own that sees what a first run
    /// committed while this one waited, the look-up of the receipt: the entity the first run produced, if it was carried out.
    /// </summary>
    /// <remarks>Both statements are in the batch when this returns; the task completes once the batch has run.</remarks>
    internal async Task<Guid?> LockAndFindAsync(MutationReceipt receipt, IBatchedQuery batch)
    {
        var locked = batch.Query<string>("select 'locked' from pg_advisory_xact_lock(?, hashtext(?))", LockSpace, receipt.Id!);
        var found = batch.Query<string>($"select entity_id::text from {Receipts} where id = ?", receipt.Id!);
        _ = await locked;
        return (await found) is [var first] ? Guid.Parse(first) : null;
    }

    private string FindSql => $"select entity_id from {Receipts} where id = $1";

    internal string InsertSql(char placeholder) =>
        placeholder == '$'
            ? $"insert into {Receipts} (id, entity_id, received_at) values ($1, $2, $3)"
            : $"insert into {Receipts} (id, entity_id, received_at) values (?, ?, ?)";

    internal DateTimeOffset Now => time.GetUtcNow();

    internal async Task InsertAsync(NpgsqlConnection? connection, NpgsqlTransaction? transaction, string id, Guid entityId, CancellationToken ct)
    {
        var own = connection is null;
        connection ??= (NpgsqlConnection)store.Storage.Database.CreateConnection();
        try
        {
            if (own)
            {
                await connection.OpenAsync(ct);
            }

            await using var insert = new NpgsqlCommand(InsertSql('$'), connection, transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = id });
            insert.Parameters.Add(new NpgsqlParameter { Value = entityId });
            insert.Parameters.Add(new NpgsqlParameter { Value = Now });
            await insert.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            if (own)
            {
                await connection.DisposeAsync();
            }
        }
    }
}

/// <summary>
/// The receipt of one mutation, handed to it by <see cref="MutationPipeline.RunAsync{T}"/>: record it with the entity the mutation
/// produced, in the transaction of its writes, so that the writes and the receipt commit together or not at all. Without a
/// clientMutationId there is nothing to record and each Record does nothing.
/// </summary>
public sealed class MutationReceipt
{
    private readonly MutationPipeline pipeline;

    internal MutationReceipt(string? id, MutationPipeline pipeline)
    {
        Id = id;
        this.pipeline = pipeline;
    }

    /// <summary><c>{operation}:{callerId}:{clientMutationId}</c>, or null without a clientMutationId.</summary>
    public string? Id { get; }

    public static string IdFor(string operation, string? callerId, string clientMutationId) =>
        $"{operation}:{callerId ?? "anonymous"}:{clientMutationId}";

    /// <summary>Queues the receipt in <paramref name="session"/>, to be written with its other changes.</summary>
    public void Record(IDocumentSession session, Guid entityId)
    {
        if (Id is not null)
        {
            session.QueueSqlCommand(pipeline.InsertSql('?'), Id, entityId, pipeline.Now);
        }
    }

    /// <summary>Writes the receipt in <paramref name="transaction"/> (a hand-written store's).</summary>
    public Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid entityId, CancellationToken ct) =>
        Id is null ? Task.CompletedTask : pipeline.InsertAsync(connection, transaction, Id, entityId, ct);

    /// <summary>
    /// Writes the receipt on its own, for an effect that is not one transaction (a job run, recorded by the job mechanism):
    /// a crash between the effect and this leaves no receipt, and a repeat runs again.
    /// </summary>
    public Task RecordAsync(Guid entityId, CancellationToken ct) =>
        Id is null ? Task.CompletedTask : pipeline.InsertAsync(null, null, Id, entityId, ct);
}
