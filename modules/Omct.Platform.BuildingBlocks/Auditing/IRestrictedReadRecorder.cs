using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.Auditing;

/// <summary>
/// Receives every read of a <c>RESTRICTED</c> value (who, which field, which record) for the audit
/// trail. Must not block the request: implementations queue and write in the background.
/// </summary>
public interface IRestrictedReadRecorder
{
    void Record(Caller caller, string field, Guid? entityId);

    /// <summary>
    /// Completes once every read recorded before the call has been saved to the audit trail (a shutdown, or a test
    /// that reads the trail right after the request that made the reads).
    /// </summary>
    Task WrittenAsync(CancellationToken cancellationToken = default);
}

/// <summary>A read model whose id the audit trail can name (the entity id of <c>auditTrail</c>).</summary>
public interface IHasEntityId
{
    Guid Id { get; }
}

/// <summary>A read recorded through <see cref="IRestrictedReadRecorder"/>: which field, by whom (the caller id), when, in which request.</summary>
public sealed record RecordedRead(string Field, string? CallerId, string? TraceId, DateTimeOffset At);

/// <summary>The reads recorded of an entity (the audit store of <see cref="IRestrictedReadRecorder"/>), for a module that shows them with the entity.</summary>
public interface IRecordedReads
{
    /// <summary>The reads of <paramref name="entityId"/> recorded under one of <paramref name="fields"/>, oldest first (at most 10,000).</summary>
    Task<IReadOnlyList<RecordedRead>> OfEntityAsync(Guid entityId, IReadOnlyCollection<string> fields, CancellationToken cancellationToken);
}
