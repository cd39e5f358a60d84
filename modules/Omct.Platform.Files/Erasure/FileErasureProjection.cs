using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Files.FileDetails;

namespace Omct.Platform.Files.Erasure;

/// <summary>
/// A defender's erasure takes the defender's files with it, inline: on <see cref="DefenderPersonalDataErased"/> (the
/// defenders module's contract event) the key of every file on the defender — portraits and documents, their kept originals and thumbnails — is destroyed
/// (the same deletion as <see cref="Storage.IFileStore.DestroyKeyAsync"/>: the key document under the file's id), in the
/// erasure's own transaction; the files read as erased from then on (<see cref="Portraits.FilePortraitConsent.ErasedAt"/>). (Marten reads the files just before that transaction: a file
/// attached in that instant would keep its key — attach to an erased defender is not expected.) The stored chunks stay, and
/// can never be decrypted again (nor their copies in a backup made from now on). A download then answers 410.
/// </summary>
internal sealed class FileErasureProjection : IProjection
{
    public const string Name = "FileErasure";

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var erasure in events.Select(e => e.Data).OfType<DefenderPersonalDataErased>())
        {
            var files = await operations.Query<StoredFile>()
                .Where(f => f.RecordId == erasure.DefenderId && f.RecordType == DefenderIds.Defender)
                .ToListAsync(cancellation);
            // The shown content's key, and those of the kept original and the thumbnail (each stored under an id of its own).
            foreach (var key in files.SelectMany(f => new[] { f.Id, f.Original?.KeptAs, f.Thumbnail?.Id }).OfType<Guid>())
            {
                operations.Delete<PersonalDataKey>(key);
            }
        }
    }

    public const string StoredFileAlias = "files_file";
}
