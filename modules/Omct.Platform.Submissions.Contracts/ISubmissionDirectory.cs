using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Submissions.Contracts;

/// <summary>What other modules may ask the submissions module, in one query per call, within the caller's clearance.</summary>
public interface ISubmissionDirectory
{
    /// <summary>
    /// The submissions of the given ids the caller may see (opaque objects rendered by the schema's
    /// <c>Submission</c> type); ids it may not see, or that do not exist, are absent.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, object>> SubmissionsAsync(IReadOnlyCollection<Guid> submissionIds, Caller caller, CancellationToken cancellationToken);

    /// <summary>The id of the submission with exactly this title (demo data and imports); null when none, several, or hidden.</summary>
    Task<Guid?> FindByTitleAsync(string title, Caller caller, CancellationToken cancellationToken);
}

/// <summary>The type names in the submissions module's global ids, for every module that takes or returns one.</summary>
public static class SubmissionIds
{
    public const string Submission = "Submission";
    public const string CallForInput = "CallForInput";
}
