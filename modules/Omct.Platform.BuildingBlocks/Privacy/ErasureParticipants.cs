using Marten;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.Privacy;

/// <summary>
/// A module whose own streams or documents must follow a person's erasure: the files module ends each of the defender's
/// files with <c>FileErased</c>; the cases, news and teamwork modules redact the person's name where it was typed into free
/// text (<see cref="NameRedaction"/>); the digests module redacts it in the stored digests. The erasing module asks every
/// participant before it decides, and the participant's writes join the erasure's own transaction — all or nothing.
/// Marten's inline projections cannot append events, hence this. (Copies of personal data in documents that carry the
/// person's id are removed by inline projections of the contract event instead, e.g. <c>DefenderPersonalDataErased</c>.)
/// </summary>
public interface IPersonalDataErasureParticipant
{
    /// <summary>
    /// What to write in the erasure's transaction for <paramref name="person"/> (read now, before the transaction: a record
    /// written in that instant is not covered), and what it changes, for the admin's listing.
    /// </summary>
    Task<ErasurePreparation> PrepareAsync(ErasedPerson person, CancellationToken cancellationToken);
}

/// <summary>
/// The person being erased, as the participants need them: the id, the name as registered (decrypted just before the
/// key is destroyed; null when it cannot be read any more, e.g. a restored erasure applied again without its key) and
/// what replaces the name in text (the pseudonym, else <see cref="ErasedPerson.Placeholder"/>). Never stored.
/// </summary>
public sealed record ErasedPerson(Guid Id, string? Name, string Replacement, DateTimeOffset ErasedAt)
{
    /// <summary>What stands for an erased person who has no pseudonym.</summary>
    public const string Placeholder = "[name erased]";
}

/// <summary>
/// One record whose text an erasure redacted: which (type, id, a label such as the case reference), which fields, how many
/// occurrences, and who may know of it (<see cref="Confidentiality"/>: the listing shows an admin only what their clearance
/// reaches; the redaction itself reaches every record, whatever the level — an erasure that left the name in a record
/// above the admin's clearance would not be one).
/// </summary>
public sealed record RedactedRecord(string RecordType, Guid RecordId, string Label, IReadOnlyList<string> Fields, int Occurrences, Confidentiality Confidentiality);

/// <summary>A participant's part of an erasure: the writes (null: none) and the records whose text they redact.</summary>
public sealed record ErasurePreparation(Action<IDocumentSession>? Write, IReadOnlyList<RedactedRecord> Redacted)
{
    public static readonly ErasurePreparation Nothing = new(null, []);
}
