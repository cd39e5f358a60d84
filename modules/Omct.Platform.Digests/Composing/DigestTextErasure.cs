using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Privacy;

namespace Omct.Platform.Digests.Composing;

/// <summary>
/// A defender's erasure reaches the stored digests' copies of the records' text: a case title or event description that
/// named the person was copied into the digests made before, so each digest whose sections hold the name is rendered
/// again with it replaced (<see cref="DigestErasure.EraseText"/>) and written back in the erasure's transaction, at the
/// revision read (a digest changed in between keeps its revision check; the erasure's listing still names it).
/// The person's own name, where a digest names them by id, is removed by <see cref="DigestErasureProjection"/> (here too,
/// for the digests written here).
/// </summary>
internal sealed class DigestTextErasure(IDocumentStore store) : IPersonalDataErasureParticipant
{
    public const string RecordType = "Digest";

    public async Task<ErasurePreparation> PrepareAsync(ErasedPerson person, CancellationToken cancellationToken)
    {
        if (NameRedaction.For(person) is not { } redaction)
        {
            return ErasurePreparation.Nothing;
        }

        var schema = store.Options.DatabaseSchemaName;
        await using var session = store.QuerySession();
        var rows = await session.AdvancedSql.QueryAsync<string>(
            $"{DigestErasureProjection.SelectSql(schema)} where sections::text ilike ?", cancellationToken, redaction.LikePattern);
        var updates = new List<(Digest Digest, int Revision)>();
        var listing = new List<RedactedRecord>();
        foreach (var row in rows)
        {
            var (digest, revision) = DigestErasureProjection.Parse(row);
            var count = 0;
            // Both erasures at once: the projection's own update of the same digest, queued after this one at the revision it
            // read, then changes nothing, and its last check finds the id gone.
            var redacted = DigestErasure.Erase(DigestErasure.EraseText(digest, redaction, ref count), [person.Id]);
            if (count > 0)
            {
                updates.Add((redacted, revision));
                listing.Add(new RedactedRecord(RecordType, digest.Id, $"{digest.SubscriptionName} {digest.From:yyyy-MM-dd}–{digest.To:yyyy-MM-dd}", ["sections"], count, digest.Audience));
            }
        }

        return updates.Count == 0 ? ErasurePreparation.Nothing : new ErasurePreparation(write =>
        {
            foreach (var (digest, revision) in updates)
            {
                DigestErasureProjection.QueueUpdate(write, schema, digest, revision);
            }
        }, listing);
    }
}
