using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.EventSourcing;

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

    public static IReadOnlyList<object> Reclassify(FileState file, Confidentiality level, Confidentiality clearance, bool portraitConsented)
    {
        // GraphQL refuses the level above the caller before this runs; a job or another caller of the handler too.
        WriteClearance.Ensure(level, clearance, "confidentiality");
        EnsurePortraitLevel(file.Purpose, level, portraitConsented);
        return file.Confidentiality == level ? [] : [new FileReclassified(file.Confidentiality, level)];
    }

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
