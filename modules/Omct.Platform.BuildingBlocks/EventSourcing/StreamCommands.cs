using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Idempotency;

namespace Omct.Platform.BuildingBlocks.EventSourcing;

/// <summary>
/// How every module carries out a command on an event stream: load the stream (optimistic
/// concurrency from <c>expectedVersion</c>), decide with a pure function, append, save — the
/// events, the inline projections and the idempotency receipt in one transaction. Each event
/// records who (the caller's id), the request's trace id and the <c>clientMutationId</c>.
/// A repeated <c>clientMutationId</c> writes nothing and returns the first result, also when the
/// two requests arrive at the same moment — as the caller may see it now: a record raised above the
/// caller since (or merged, erased …) is NOT_FOUND, exactly as a record that does not exist.
/// Scoped: one per request or job run.
/// </summary>
public sealed class StreamCommands(IDocumentStore store, ICallerContext callers, TimeProvider time)
{
    private const int MaxAttempts = 8;

    public Caller Caller => callers.Current;

    /// <summary>Refuses (UNAUTHENTICATED / FORBIDDEN) a caller without <paramref name="role"/>, also for jobs that call handlers directly.</summary>
    public void RequireRole(Role role)
    {
        if (!Caller.HasRole(role))
        {
            throw Caller.IsAuthenticated ? DomainException.Forbidden() : DomainException.Unauthenticated();
        }
    }

    /// <summary>
    /// The first result of this caller's <paramref name="operation"/> with this clientMutationId, if it
    /// was carried out — and only if <paramref name="visible"/> says the caller may see it now; a result
    /// it may no longer see is NOT_FOUND (<paramref name="what"/>), never returned.
    /// </summary>
    public async Task<T?> RepeatAsync<T>(string operation, string? clientMutationId, Func<T, bool> visible, string what, CancellationToken ct) where T : class
    {
        if (clientMutationId is null)
        {
            return null;
        }

        if (clientMutationId.Length > 200)
        {
            throw DomainException.Validation("clientMutationId", "The clientMutationId may have at most 200 characters.");
        }

        await using var session = store.QuerySession();
        var receipt = await session.LoadAsync<MutationReceipt>(MutationReceipt.IdFor(operation, Caller.Id, clientMutationId), ct);
        if (receipt is null)
        {
            return null;
        }

        return await session.LoadAsync<T>(receipt.EntityId, ct) is { } first && visible(first) ? first : throw DomainException.NotFound(what);
    }

    /// <summary>
    /// Starts stream <paramref name="id"/> with <paramref name="events"/> (call <see cref="RepeatAsync{T}"/> first);
    /// <paramref name="visible"/> and <paramref name="what"/> answer a concurrent repeat as <see cref="RepeatAsync{T}"/> does.
    /// </summary>
    public Task<T> StartAsync<T>(
        string operation, Guid id, IReadOnlyList<object> events, string? clientMutationId, Func<T, bool> visible, string what, CancellationToken ct)
        where T : class =>
        StartAsync(operation, id, events, clientMutationId, visible, what, null, ct);

    /// <summary>As above, with documents written in the same transaction (<paramref name="alongside"/>: a unique slug…).</summary>
    public async Task<T> StartAsync<T>(
        string operation, Guid id, IReadOnlyList<object> events, string? clientMutationId, Func<T, bool> visible, string what,
        Action<IDocumentSession>? alongside, CancellationToken ct)
        where T : class
    {
        await using var session = OpenSession(clientMutationId);
        session.Events.StartStream<T>(id, events.ToArray());
        alongside?.Invoke(session);
        Receipt(session, operation, clientMutationId, id);
        return await SaveAsync(session, operation, clientMutationId, id, visible, what, ct);
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
    /// </summary>
    public async Task<T> DecideAsync<TState, T>(
        string operation, Guid id, int? expectedVersion, string? clientMutationId,
        Func<TState, IReadOnlyList<object>> decide, Func<TState, bool> visibleState, Func<T, bool> visible, string what,
        Action<IDocumentSession, TState, IReadOnlyList<object>>? alongside, CancellationToken ct)
        where TState : class
        where T : class
    {
        if (await RepeatAsync(operation, clientMutationId, visible, what, ct) is { } repeated)
        {
            return repeated;
        }

        for (var attempt = 1; ; attempt++)
        {
            await using var session = OpenSession(clientMutationId);
            JasperFx.Events.IEventStream<TState> stream;
            try
            {
                stream = expectedVersion is { } version
                    ? await session.Events.FetchForWriting<TState>(id, version, ct)
                    : await session.Events.FetchForWriting<TState>(id, ct);
            }
            catch (Exception ex) when (expectedVersion is not null
                                       && ex is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
            {
                // A stale version is a CONFLICT only for a caller who may see the entity; for any
                // other it does not exist (a CONFLICT would tell that it does).
                await using var query = store.QuerySession();
                if (await query.LoadAsync<T>(id, ct) is not { } found || !visible(found))
                {
                    throw DomainException.NotFound(what);
                }

                throw;
            }

            if (stream.Aggregate is not { } current || !visibleState(current))
            {
                throw DomainException.NotFound(what);
            }

            var events = decide(current);
            if (events.Count == 0)
            {
                return current as T ?? (await session.LoadAsync<T>(id, ct))!;
            }

            stream.AppendMany(events);
            alongside?.Invoke(session, current, events);
            Receipt(session, operation, clientMutationId, id);
            try
            {
                return await SaveAsync(session, operation, clientMutationId, id, visible, what, ct);
            }
            catch (Exception ex) when (expectedVersion is null && attempt < MaxAttempts
                                       && ex is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException)
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
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
    /// Saves; when the same clientMutationId was sent twice at once, the second transaction fails
    /// on the first one's receipt (or stream version) and returns the first one's result instead.
    /// </summary>
    private async Task<T> SaveAsync<T>(
        IDocumentSession session, string operation, string? clientMutationId, Guid id, Func<T, bool> visible, string what, CancellationToken ct)
        where T : class
    {
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception) when (clientMutationId is not null && !ct.IsCancellationRequested)
        {
            if (await RepeatAsync(operation, clientMutationId, visible, what, ct) is { } first)
            {
                return first;
            }

            throw;
        }

        return (await session.LoadAsync<T>(id, ct))!;
    }

    /// <summary>Records, in <paramref name="session"/>'s transaction, that this caller's <paramref name="operation"/> with this clientMutationId produced entity <paramref name="id"/>.</summary>
    public void Receipt(IDocumentSession session, string operation, string? clientMutationId, Guid id)
    {
        if (clientMutationId is not null)
        {
            session.Insert(new MutationReceipt
            {
                Id = MutationReceipt.IdFor(operation, Caller.Id, clientMutationId),
                EntityId = id,
                ReceivedAt = time.GetUtcNow(),
            });
        }
    }
}
