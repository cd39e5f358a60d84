using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;
using Marten.Services.BatchQuerying;

namespace Omct.Platform.BuildingBlocks.EventSourcing;

/// <summary>
/// How a write model — the state a decider decides on, only what its rules read — follows its
/// stream: <c>(state, event) → state</c>. A stream's first event creates the state from null; an
/// event the rules do not read leaves it as it was (never null once created). The read models are
/// apart: they carry what lists, search and screens need.
/// </summary>
public delegate TState? Evolve<TState>(TState? state, object @event) where TState : class;

public static class WriteModel
{
    /// <summary>The state <paramref name="events"/> lead to (null when none creates it): what a decider test starts from.</summary>
    public static TState? Fold<TState>(Evolve<TState> evolve, IEnumerable<object> events) where TState : class =>
        events.Aggregate((TState?)null, (state, e) => evolve(state, e));

    /// <summary>
    /// Registers <typeparamref name="TState"/> for <c>FetchForWriting</c> (what <see cref="StreamCommands"/>
    /// decides on): aggregated live from its stream by <paramref name="evolve"/> at each command, so
    /// nothing is stored for it and existing streams need no new event.
    /// </summary>
    public static void AddWriteModel<TState>(this ProjectionOptions projections, Evolve<TState> evolve) where TState : class =>
        projections.Add(new WriteModelProjection<TState>(evolve), ProjectionLifecycle.Live);
}

/// <summary>Marten's live aggregation of a write model: each event of the stream through its <see cref="Evolve{TState}"/>.</summary>
public sealed class WriteModelProjection<TState>(Evolve<TState> evolve) : SingleStreamProjection<TState, Guid> where TState : class
{
    public override TState? Evolve(TState? snapshot, Guid id, IEvent e) => evolve(snapshot, e.Data);
}

/// <summary>
/// A document other than the read model that an inline projection keeps from the streams of the write model
/// <see cref="StreamState"/>, under the stream's id (a case's anniversaries …). <see cref="StreamCommands"/> loads it
/// with the stream, in the same round trip, into the session's identity map: saving applies the new events to it without
/// loading it again. A module registers one as a singleton for each such document (<see cref="Of{TState, TDocument}"/>).
/// </summary>
public sealed class InlineDocument
{
    private readonly Action<IDocumentSession, IBatchedQuery, Guid> preload;

    private InlineDocument(Type streamState, Action<IDocumentSession, IBatchedQuery, Guid> preload)
    {
        StreamState = streamState;
        this.preload = preload;
    }

    /// <summary>The write model of the streams the document is kept from.</summary>
    public Type StreamState { get; }

    /// <summary><typeparamref name="TDocument"/>, kept inline from the streams of <typeparamref name="TState"/> under the stream's id.</summary>
    public static InlineDocument Of<TState, TDocument>() where TState : class where TDocument : class =>
        new(typeof(TState), (session, batch, id) =>
        {
            session.UseIdentityMapFor<TDocument>();
            _ = batch.Load<TDocument>(id);
        });

    /// <summary>Adds the load of stream <paramref name="id"/>'s document to <paramref name="batch"/>, into <paramref name="session"/>'s identity map.</summary>
    internal void Preload(IDocumentSession session, IBatchedQuery batch, Guid id) => preload(session, batch, id);
}
