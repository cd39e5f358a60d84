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

    /// <summary>
    /// The calls for input of the given ids the caller may see as <c>callForInput</c> shows them (staff within
    /// clearance; a member organisation when the call addresses it) — opaque objects rendered by the schema's
    /// <c>CallForInput</c> type; the others are absent.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, object>> CallsForInputAsync(IReadOnlyCollection<Guid> callIds, Caller caller, CancellationToken cancellationToken);

    /// <summary>The id of the submission with exactly this title (demo data and imports); null when none, several, or hidden.</summary>
    Task<Guid?> FindByTitleAsync(string title, Caller caller, CancellationToken cancellationToken);
}

/// <summary>The type names in the submissions module's global ids, for every module that takes or returns one.</summary>
public static class SubmissionIds
{
    public const string Submission = "Submission";
    public const string CallForInput = "CallForInput";

    /// <summary>An organisation's input to a call for input.</summary>
    public const string CallInput = "CallInput";
}

/// <summary>A deadline with what a digest says of it: its submission's or call's title and the countries it concerns (a call for all members: none).</summary>
public sealed record DeadlineSummary(DeadlineKey Key, string Title, string? Mechanism, IReadOnlyList<string> Countries, Confidentiality Confidentiality);

/// <summary>An open call for input; <see cref="Countries"/> are those it addresses (none: every member).</summary>
public sealed record CallForInputSummary(Guid Id, string Title, string Question, DateOnly Deadline, IReadOnlyList<string> Countries, Confidentiality Confidentiality);

/// <summary>How many submissions the caller may see have this mechanism and status.</summary>
public sealed record SubmissionStatistic(string Mechanism, string Status, long Count);

/// <summary>What the digests and reports ask the submissions module, in one query per call, by the module's own rules.</summary>
public interface ISubmissionActivity
{
    /// <summary>The deadlines of <c>deadlines(from, to)</c> for the caller (inclusive days), with titles, by date.</summary>
    Task<IReadOnlyList<DeadlineSummary>> DeadlinesAsync(DateOnly from, DateOnly to, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// The calls for input open on <paramref name="day"/> (opened by then, deadline not passed, not closed) that the
    /// caller may see. Calls address the network's members: a caller whose clearance is below NETWORK gets none,
    /// whatever the call's own level.
    /// </summary>
    Task<IReadOnlyList<CallForInputSummary>> OpenCallsAsync(DateOnly day, Caller caller, CancellationToken cancellationToken);

    /// <summary>The submissions the caller may see, counted by mechanism and status.</summary>
    Task<IReadOnlyList<SubmissionStatistic>> StatisticsAsync(Caller caller, CancellationToken cancellationToken);
}
