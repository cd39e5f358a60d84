using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Profiles;
using Omct.Platform.Files.Contracts;

namespace Omct.Platform.Defenders.Attachments;

/// <summary>
/// Defenders take files (their documents and their portrait): a defender the caller may find, as everywhere
/// (<see cref="IDefenderDirectory.ProfilesAsync"/>: its listed level, following merges); hidden and unknown are absent alike.
/// An erased person takes no new file (a document or portrait would be new personal data the erasure did not reach); the
/// files they had were erased with them.
/// </summary>
internal sealed class DefenderAttachmentTargets(IDefenderDirectory directory) : IAttachmentTargets
{
    public const string ErasedTakesNoFiles = "This person's personal data was erased: no file attaches to them any more.";

    public IReadOnlyCollection<string> RecordTypes { get; } = [DefenderIds.Defender];

    public async Task<IReadOnlyDictionary<Guid, AttachmentTarget>> FindAsync(
        string recordType, IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken)
    {
        if (recordType != DefenderIds.Defender)
        {
            return new Dictionary<Guid, AttachmentTarget>();
        }

        var found = await directory.ProfilesAsync(ids, caller, cancellationToken);
        return found.ToDictionary(f => f.Key, f =>
        {
            var defender = (Defender)f.Value;
            return new AttachmentTarget(recordType, f.Key, defender.ListedConfidentiality) { TakesNoFiles = defender.Erased ? ErasedTakesNoFiles : null };
        });
    }
}
