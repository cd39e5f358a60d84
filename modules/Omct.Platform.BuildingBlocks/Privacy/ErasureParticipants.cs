using Marten;

namespace Omct.Platform.BuildingBlocks.Privacy;

/// <summary>
/// A module whose own streams must record a person's erasure (the files module: each of the defender's files gets its
/// <c>FileErased</c>, which the change feed lists as DELETED). The erasing module asks every participant before it decides,
/// and the participant's writes join the erasure's own transaction — both or neither. Marten's inline projections cannot
/// append events, hence this. (Copies of personal data in documents are removed by inline projections of the contract
/// event instead, e.g. <c>DefenderPersonalDataErased</c>.)
/// </summary>
public interface IPersonalDataErasureParticipant
{
    /// <summary>
    /// What to write in the erasure's transaction for the person <paramref name="personId"/> erased at
    /// <paramref name="erasedAt"/> (read now, before the transaction: a record added in that instant is not covered);
    /// null when there is nothing.
    /// </summary>
    Task<Action<IDocumentSession>?> PrepareAsync(Guid personId, DateTimeOffset erasedAt, CancellationToken cancellationToken);
}
