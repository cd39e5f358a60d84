using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.Files.Contracts;

namespace Omct.Platform.Files.Domain;

/// <summary>What the file's rules read.</summary>
public sealed record FileState(Guid Id, Confidentiality Confidentiality, string RecordType, Guid RecordId, FilePurpose Purpose = FilePurpose.Document) : IConfidential;

/// <summary>The file's decisions: pure functions of its state and the command.</summary>
public static class FileDecider
{
    public static readonly Evolve<FileState> Evolve = (state, e) => e switch
    {
        FileUploaded u => new FileState(u.FileId, Confidentiality.Restricted, "", Guid.Empty),
        FileAttached a when state is not null => state with { Confidentiality = a.Confidentiality, RecordType = a.RecordType, RecordId = a.RecordId, Purpose = a.Purpose },
        FileReclassified r when state is not null => state with { Confidentiality = r.Confidentiality },
        _ => state,
    };

    /// <summary>
    /// The file at <paramref name="level"/>. <paramref name="readAs"/> is the level the file is read at now (a PUBLIC portrait
    /// without consent: STAFF) and <paramref name="recordLevel"/> its record's level: the event records, from them, the levels
    /// the file was seen at before and after (<see cref="FileReclassified.SeenFrom"/>), for the change feed.
    /// </summary>
    public static IReadOnlyList<object> Reclassify(FileState file, Confidentiality level, Confidentiality clearance, bool portraitConsented,
        Confidentiality? readAs = null, Confidentiality? recordLevel = null)
    {
        // GraphQL refuses the level above the caller before this runs; a job or another caller of the handler too.
        WriteClearance.Ensure(level, clearance, "confidentiality");
        EnsurePortraitLevel(file.Purpose, level, portraitConsented);
        var record = recordLevel ?? Confidentiality.Public;
        return file.Confidentiality == level ? []
            : [new FileReclassified(file.Confidentiality, level, Max(readAs ?? file.Confidentiality, record), Max(level, record))];
    }

    private static Confidentiality Max(Confidentiality a, Confidentiality b) => a > b ? a : b;

    /// <summary>A portrait is PUBLIC only while the defender's consent to the publication of a portrait is recorded (VALIDATION otherwise).</summary>
    public static void EnsurePortraitLevel(FilePurpose purpose, Confidentiality level, bool portraitConsented)
    {
        if (purpose == FilePurpose.Portrait && level == Confidentiality.Public && !portraitConsented)
        {
            throw Omct.Platform.BuildingBlocks.Errors.DomainException.Validation("confidentiality",
                "A portrait can be PUBLIC only while the defender has consented to the publication of a portrait.");
        }
    }
}
