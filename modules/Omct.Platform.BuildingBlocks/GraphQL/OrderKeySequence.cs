using Marten;
using Weasel.Postgresql;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// The keyset order key (<see cref="Paging"/>) of a read model kept by an inline projection, drawn from a
/// database sequence when the record is created. Not <c>IEvent.Sequence</c>: an inline projection runs
/// before its events are given their sequence numbers, so that is 0 for every record, every cursor is
/// the same and paging stops after the first page. Keys only grow, so a record created while a client
/// pages (newest first) sorts before its cursor: the pages after it neither repeat nor skip a record.
/// </summary>
public sealed class OrderKeySequence(string name)
{
    public string Name => name;

    /// <summary>Creates the sequence with the store's other objects.</summary>
    public void Register(StoreOptions options)
    {
#pragma warning disable CS0618 // the two-part name is what Marten's own tables use
        options.Storage.ExtendedSchemaObjects.Add(new Sequence(new PostgresqlObjectName(options.DatabaseSchemaName, name)));
#pragma warning restore CS0618
    }

    /// <summary>The next key, on the session's connection (inside an inline projection: the transaction saving the events).</summary>
    public async Task<long> NextAsync(IQuerySession session, CancellationToken cancellationToken)
    {
        var next = await session.QueryAsync<long>($"select nextval('{session.DocumentStore.Options.DatabaseSchemaName}.{name}')", cancellationToken);
        return next[0];
    }
}
