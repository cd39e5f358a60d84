using Marten;
using Marten.Events.Projections;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Files.Domain;
using Omct.Platform.Files.FileDetails;

namespace Omct.Platform.Files.Portraits;

/// <summary>
/// Whether a portrait of a defender may be published, as the defenders module last said
/// (<see cref="DefenderPortraitConsentChanged"/> in its contracts) — the news module's mechanism, kept by the files module
/// for portrait files. Inline, so a PUBLIC portrait stops being public in the same transaction as the withdrawal (or the
/// erasure). A defender without a document has never consented.
/// </summary>
public sealed class FilePortraitConsent
{
    /// <summary>The defender's id.</summary>
    public Guid Id { get; set; }

    public bool Given { get; set; }

    /// <summary>When the defender's personal data was erased (and with it the keys of the defender's files).</summary>
    public DateTimeOffset? ErasedAt { get; set; }
}

public sealed class FilePortraitConsentProjection : MultiStreamProjection<FilePortraitConsent, Guid>
{
    public FilePortraitConsentProjection()
    {
        Identity<DefenderPortraitConsentChanged>(e => e.DefenderId);
        Identity<DefenderPersonalDataErased>(e => e.DefenderId);
    }

    public static FilePortraitConsent Apply(DefenderPersonalDataErased e, FilePortraitConsent consent)
    {
        (consent.Id, consent.Given, consent.ErasedAt) = (e.DefenderId, false, e.ErasedAt);
        return consent;
    }

    public static FilePortraitConsent Apply(DefenderPortraitConsentChanged e, FilePortraitConsent consent)
    {
        (consent.Id, consent.Given) = (e.DefenderId, e.Given);
        return consent;
    }
}

/// <summary>
/// The rule "a portrait is PUBLIC only while its defender's consent to a portrait is recorded": a PUBLIC portrait without
/// it is read as STAFF (the default level) — it stays with staff and is never shown below them — and setting PUBLIC
/// without consent is refused (<see cref="FileDecider.EnsurePortraitLevel"/>).
/// </summary>
internal static class PortraitRule
{
    public const string DocumentAlias = "files_portrait_consent";

    /// <summary>Whether the defender's consent to a portrait is recorded now.</summary>
    public static async Task<bool> ConsentedAsync(IQuerySession session, Guid defenderId, CancellationToken ct) =>
        (await session.LoadAsync<FilePortraitConsent>(defenderId, ct))?.Given == true;

    /// <summary>The level a file is read at: its own, except a PUBLIC portrait without consent, read as STAFF.</summary>
    public static Confidentiality EffectiveLevel(StoredFile file, IReadOnlySet<Guid> consentGiven) =>
        file is { Purpose: FilePurpose.Portrait, Confidentiality: Confidentiality.Public } && !consentGiven.Contains(file.RecordId)
            ? Confidentiality.Staff
            : file.Confidentiality;

    /// <summary>Of the defenders whose PUBLIC portraits are among <paramref name="files"/>, those with consent recorded (one query, none when there is no such portrait).</summary>
    public static async Task<IReadOnlySet<Guid>> ConsentGivenAsync(IQuerySession session, IEnumerable<StoredFile> files, CancellationToken ct)
    {
        var defenders = files.Where(f => f is { Purpose: FilePurpose.Portrait, Confidentiality: Confidentiality.Public }).Select(f => f.RecordId).Distinct().ToList();
        return defenders.Count == 0 ? new HashSet<Guid>()
            : (await session.LoadManyAsync<FilePortraitConsent>(ct, defenders)).Where(c => c.Given).Select(c => c.Id).ToHashSet();
    }

    /// <summary>Marks (in memory, as read) the files of erased defenders: <see cref="StoredFile.ErasedAt"/>. One query, none without a defender's file.</summary>
    public static async Task MarkErasedAsync(IQuerySession session, IReadOnlyCollection<StoredFile> files, CancellationToken ct)
    {
        var defenders = files.Where(f => f.RecordType == FileCommands.PortraitRecordType).Select(f => f.RecordId).Distinct().ToList();
        if (defenders.Count == 0)
        {
            return;
        }

        var erased = (await session.LoadManyAsync<FilePortraitConsent>(ct, defenders)).Where(c => c.ErasedAt is not null).ToDictionary(c => c.Id, c => c.ErasedAt);
        foreach (var file in files.Where(f => f.RecordType == FileCommands.PortraitRecordType))
        {
            file.ErasedAt ??= erased.GetValueOrDefault(file.RecordId);
        }
    }

    /// <summary>Whether the caller may see the file by its level as read now (its record aside).</summary>
    public static bool CanSee(Caller caller, StoredFile file, IReadOnlySet<Guid> consentGiven) => caller.CanSee(EffectiveLevel(file, consentGiven));
}
