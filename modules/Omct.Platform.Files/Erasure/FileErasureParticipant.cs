using Marten;
using Omct.Platform.BuildingBlocks.Privacy;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Files.Domain;
using Omct.Platform.Files.FileDetails;

namespace Omct.Platform.Files.Erasure;

/// <summary>
/// A defender's erasure ends each of the defender's files' streams with <see cref="FileErased"/>, in the erasure's own
/// transaction (the keys go in the same transaction, <see cref="FileErasureProjection"/>): the change feed lists it as
/// DELETED to those who saw the file, and the bulk export leaves the file out. The files are read just before the
/// transaction, as the keys are.
/// </summary>
internal sealed class FileErasureParticipant(IDocumentStore store) : IPersonalDataErasureParticipant
{
    public async Task<ErasurePreparation> PrepareAsync(ErasedPerson person, CancellationToken cancellationToken)
    {
        var (personId, erasedAt) = (person.Id, person.ErasedAt);
        await using var session = store.QuerySession();
        var files = await session.Query<StoredFile>()
            .Where(f => f.RecordId == personId && f.RecordType == DefenderIds.Defender)
            .Select(f => f.Id)
            .ToListAsync(cancellationToken);
        return files.Count == 0 ? ErasurePreparation.Nothing : new ErasurePreparation(write =>
        {
            foreach (var file in files)
            {
                write.Events.Append(file, new FileErased(erasedAt));
            }
        }, []);
    }
}
