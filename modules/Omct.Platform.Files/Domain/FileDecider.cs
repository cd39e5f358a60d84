using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.EventSourcing;

namespace Omct.Platform.Files.Domain;

/// <summary>What the file's rules read.</summary>
public sealed record FileState(Guid Id, Confidentiality Confidentiality, string RecordType, Guid RecordId) : IConfidential;

/// <summary>The file's decisions: pure functions of its state and the command.</summary>
public static class FileDecider
{
    public static readonly Evolve<FileState> Evolve = (state, e) => e switch
    {
        FileUploaded u => new FileState(u.FileId, Confidentiality.Restricted, "", Guid.Empty),
        FileAttached a when state is not null => state with { Confidentiality = a.Confidentiality, RecordType = a.RecordType, RecordId = a.RecordId },
        FileReclassified r when state is not null => state with { Confidentiality = r.Confidentiality },
        _ => state,
    };

    public static IReadOnlyList<object> Reclassify(FileState file, Confidentiality level, Confidentiality clearance)
    {
        // GraphQL refuses the level above the caller before this runs; a job or another caller of the handler too.
        WriteClearance.Ensure(level, clearance, "confidentiality");
        return file.Confidentiality == level ? [] : [new FileReclassified(file.Confidentiality, level)];
    }
}
