using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Idempotency;

namespace Omct.Platform.BuildingBlocks.EventSourcing;

/// <summary>
/// How every module carries out a command on an event stream, through the <see cref="MutationPipeline"/>: load the
/// stream (optimistic concurrency from <c>expectedVersion</c>), decide with a pure function, append, save — the
/// events, the inline projections and the idempotency receipt in one transaction. Each event
/// records who (the caller's id), the request's trace id and the <c>clientMutationId</c>.
/// A repeated <c>clientMutationId</c> writes nothing and returns the first result (a duplicate sent at the same
/// moment waits for the first, see <see cref="MutationPipeline.RunAsync{T}"/>) — as the caller may see it now: a
/// record raised above the caller since (or merged, erased …) is NOT_FOUND, exactly as a record that does not exist.
/// Scoped: one per request or job run.
/// </summary>
public sealed class StreamCommands(
    IDocumentStore store, MutationPipeline pipeline, ICallerDirectory callers, IEnumerable<InlineDocument> inlineDocuments)
{
    private const int MaxAttempts = 8;

    public Caller Caller => pipeline.Caller;

    /// <summary>Refuses (UNAUTHENTICATED / FORBIDDEN) a caller without <paramref name="role"/>, also for jobs that call handlers directly.</summary>
    public void RequireRole(Role role) => pipeline.RequireRole(role);

    /// <summary>
    /// The first result of this caller's <paramref name="operation"/> with this clientMutationId, if it
    /// was carried out — and only if <paramref name="visible"/> says the caller may see it now; a result
    /// it may no longer see is NOT_FOUND (<paramref name="what"/>), never returned. A quick look before the work
    /// of a command; <see cref="StartAsync{T}(string, Guid, IReadOnlyList{object}, string?, Func{T, bool}, string, CancellationToken)"/> looks again.
    /// </summary>
    public async Task<T?> RepeatAsync<T>(string operation, string? clientMutationId, Func<T, bool> visible, string what, CancellationToken ct) where T : class =>
        await pipeline.FindAsync(operation, clientMutationId, ct) is { } first ? await ReplayAsync(first, visible, what, ct) : null;

    /// <summary>
    /// Runs <paramref name="execute"/> once for this clientMutationId (<see cref="MutationPipeline.RunAsync{T}"/>); a repeat
    /// answers the entity produced first, as <paramref name="visible"/> lets the caller see it now.
    /// </summary>
    public Task<T> OnceAsync<T>(
        string operation, string? clientMutationId, Func<T, bool> visible, string what, Func<MutationReceipt, Task<T>> execute, CancellationToken ct)
        where T : class =>
        pipeline.RunAsync(operation, clientMutationId, first => ReplayAsync(first, visible, what, ct), execute, ct);

    /// <summary>
    /// Starts stream <paramref name="id"/> with <paramref name="events"/> (call <see cref="RepeatAsync{T}"/> first);
    /// <paramref name="visible"/> and <paramref name="what"/> answer a repeat as <see cref="RepeatAsync{T}"/> does.
    /// </summary>
    public Task<T> StartAsync<T>(
        string operation, Guid id, IReadOnlyList<object> events, string? clientMutationId, Func<T, bool> visible, string what, CancellationToken ct)
        where T : class =>
        StartAsync(operation, id, events, clientMutationId, visible, what, null, ct);

    /// <summary>As above, with documents written in the same transaction (<paramref name="alongside"/>: a unique slug…).</summary>
    public Task<T> StartAsync<T>(
        string operation, Guid id, IReadOnlyList<object> events, string? clientMutationId, Func<T, bool> visible, string what,
        Action<IDocumentSession>? alongside, CancellationToken ct)
        where T : class =>
        OnceAsync(operation, clientMutationId, visible, what, receipt => StartStreamAsync<T>(receipt, id, events, clientMutationId, alongside, ct), ct);

    /// <summary>
    /// Inside <see cref="OnceAsync{T}"/>: starts stream <paramref name="id"/> with <paramref name="events"/> and
    /// <paramref name="receipt"/> in one transaction, and returns its projection.
    /// </summary>
    public async Task<T> StartStreamAsync<T>(
        MutationReceipt receipt, Guid id, IReadOnlyList<object> events, string? clientMutationId, Action<IDocumentSession>? alongside, CancellationToken ct)
        where T : class
    {
        await using var session = OpenSession(clientMutationId);
        // The inline projection's new document stays in the session's identity map: answered without reading it back.
        session.UseIdentityMapFor<T>();
        session.Events.StartStream<T>(id, events.ToArray());
        alongside?.Invoke(session);
        receipt.Record(session, id);
        await session.SaveChangesAsync(ct);
        return (await session.LoadAsync<T>(id, ct))!;
    }

    /// <summary>
    /// Decides on the current state of stream <paramref name="id"/>. A stream that does not exist
    /// or that <paramref name="visible"/> says the caller may not see is NOT_FOUND. Without an
    /// expectedVersion, a concurrent writer is not a conflict: the command is decided again on the
    /// new state (a few times, with jitter).
    /// </summary>
    public Task<T> DecideAsync<T>(
        string operation, Guid id, int? expectedVersion, string? clientMutationId,
        Func<T, IReadOnlyList<object>> decide, Func<T, bool> visible, string what, CancellationToken ct)
        where T : class =>
        DecideAsync(operation, id, expectedVersion, clientMutationId, decide, visible, what, null, ct);

    /// <summary>As above, with documents written in the same transaction, given the state decided on and the new events.</summary>
    public Task<T> DecideAsync<T>(
        string operation, Guid id, int? expectedVersion, string? clientMutationId,
        Func<T, IReadOnlyList<object>> decide, Func<T, bool> visible, string what,
        Action<IDocumentSession, T, IReadOnlyList<object>>? alongside, CancellationToken ct)
        where T : class =>
        DecideAsync(operation, id, expectedVersion, clientMutationId, decide, visible, visible, what, alongside, ct);

    /// <summary>
    /// As above, deciding on the write model <typeparamref name="TState"/> (aggregated live from the
    /// stream's events, see <see cref="WriteModel.AddWriteModel{TState}"/>); <paramref name="visibleState"/>
    /// says whether the caller may see it, <paramref name="visible"/> the same of the read model
    /// <typeparamref name="T"/> returned (also for a repeat and a stale version).
    /// <para>
    /// Two round trips and the commit: one batch reads the receipt (its lock first, held until the save commits: a duplicate sent
    /// at the same moment waits, as in <see cref="MutationPipeline.RunAsync{T}"/>), the stream, the read model and the stream's other
    /// inline documents; one saves the events, the inline projections and the receipt. The answer is the read model the save
    /// produced, not read back.
    /// </para>
    /// </summary>
    public async Task<T> DecideAsync<TState, T>(
        string operation, Guid id, int? expectedVersion, string? clientMutationId,
        Func<TState, IReadOnlyList<object>> decide, Func<TState, bool> visibleState, Func<T, bool> visible, string what,
        Action<IDocumentSession, TState, IReadOnlyList<object>>? alongside, CancellationToken ct)
        where TState : class
        where T : class
    {
        var receipt = pipeline.ReceiptFor(operation, clientMutationId);
        for (var attempt = 1; ; attempt++)
        {
            await using var session = OpenSession(clientMutationId);
            var (stream, read, first) = await FetchAsync<TState, T>(session, id, receipt, ct);
            if (first is { } produced)
            {
                return produced == id ? MutationPipeline.Visible(read, visible, what) : await ReplayAsync(produced, visible, what, ct);
            }

            if (expectedVersion is { } version && version != stream.CurrentVersion)
            {
                // A stale version is a CONFLICT only for a caller who may see the entity; for any
                // other it does not exist (a CONFLICT would tell that it does).
                MutationPipeline.Visible(read, visible, what);
                throw await StaleAsync(id, what, ct);
            }

            var current = MutationPipeline.Visible(stream.Aggregate, visibleState, what);
            var events = decide(current);
            if (events.Count == 0)
            {
                return current as T ?? read!;
            }

            stream.AppendMany(events);
            alongside?.Invoke(session, current, events);
            receipt.Record(session, id);
            try
            {
                await session.SaveChangesAsync(ct);
                // The inline projection applied the new events to the document of the fetch (the session's identity map).
                return (await session.LoadAsync<T>(id, ct))!;
            }
            catch (Exception ex) when (IsConcurrency(ex))
            {
                if (expectedVersion is not null || attempt >= MaxAttempts)
                {
                    throw await StaleAsync(id, what, ct);
                }

                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
    }

    /// <summary>
    /// In one round trip: with a clientMutationId, first its receipt's lock and look-up (in a transaction the save commits);
    /// then stream <paramref name="id"/> for writing (its version and write model) and the documents the inline
    /// projections keep from it — the read model <typeparamref name="T"/> and the stream's <see cref="InlineDocument"/>s —
    /// into the session's identity map, so that saving applies the new events to them without loading them again and the
    /// read model answered is the one the save produced, without reading it back.
    /// </summary>
    private async Task<(JasperFx.Events.IEventStream<TState> Stream, T? Read, Guid? FirstRun)> FetchAsync<TState, T>(
        IDocumentSession session, Guid id, MutationReceipt receipt, CancellationToken ct)
        where TState : class
        where T : class
    {
        session.UseIdentityMapFor<T>();
        Task<Guid?>? firstRun = null;
        var batch = session.CreateBatchQuery();
        if (receipt.Id is not null)
        {
            await session.BeginTransactionAsync(ct);
            firstRun = pipeline.LockAndFindAsync(receipt, batch);
        }

        var stream = batch.Events.FetchForWriting<TState>(id);
        var read = typeof(T) == typeof(TState) ? null : batch.Load<T>(id);
        foreach (var document in inlineDocuments)
        {
            if (document.StreamState == typeof(TState))
            {
                document.Preload(session, batch, id);
            }
        }

        await batch.Execute(ct);
        var fetched = await stream;
        return (fetched, read is null ? fetched.Aggregate as T : await read, firstRun is null ? null : await firstRun);
    }

    /// <summary>A session whose events record the caller, the trace id and the clientMutationId.</summary>
    public IDocumentSession OpenSession(string? clientMutationId)
    {
        var session = store.LightweightSession();
        session.LastModifiedBy = Caller.Id;
        session.CorrelationId = System.Diagnostics.Activity.Current?.TraceId.ToString();
        if (clientMutationId is not null)
        {
            session.SetHeader("clientMutationId", clientMutationId);
        }

        return session;
    }

    /// <summary>
    /// The CONFLICT of a stale version (the caller may see the entity), with what the caller may know of the change that
    /// made it stale in <c>extensions</c>: <c>currentVersion</c> (the entity's <c>version</c>, which it may read anyway) and,
    /// when the latest event is within its clearance, <c>changedBy</c> (the caller id the audit trail records),
    /// <c>changedByName</c> (that caller's display name while it is active: an account's name, an API key's name) and
    /// <c>changedAt</c>. A latest event above its clearance (a RESTRICTED case event in a STAFF case) gives only the version.
    /// </summary>
    private async Task<DomainException> StaleAsync(Guid id, string what, CancellationToken ct)
    {
        var stale = MutationPipeline.Stale(what);
        await using var query = store.QuerySession();
        var latest = await query.Events.QueryAllRawEvents().Where(e => e.StreamId == id).OrderByDescending(e => e.Version).Take(1).ToListAsync(ct);
        if (latest.Count == 0)
        {
            return stale;
        }

        var last = latest[0];
        var details = new Dictionary<string, object?> { ["currentVersion"] = last.Version };
        if (LevelOf(last.Data) is not { } level || Caller.CanSee(level))
        {
            details["changedBy"] = last.UserName;
            if (last.UserName is { Length: > 0 } changedBy && await callers.FindActiveAsync(changedBy, ct) is { } who)
            {
                details["changedByName"] = who.Name;
            }

            details["changedAt"] = last.Timestamp.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        }

        return new DomainException(stale.Code, stale.Message) { Details = details };
    }

    /// <summary>The level an event's data carries (a <c>Confidentiality</c> property: an event or victim of its own level), if any.</summary>
    private static Confidentiality? LevelOf(object data) =>
        data.GetType().GetProperty("Confidentiality") is { } p && (p.PropertyType == typeof(Confidentiality) || p.PropertyType == typeof(Confidentiality?))
            ? p.GetValue(data) as Confidentiality?
            : null;

    private static bool IsConcurrency(Exception ex) => ex is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException;

    private async Task<T> ReplayAsync<T>(Guid first, Func<T, bool> visible, string what, CancellationToken ct) where T : class
    {
        await using var session = store.QuerySession();
        return MutationPipeline.Visible(await session.LoadAsync<T>(first, ct), visible, what);
    }
}
