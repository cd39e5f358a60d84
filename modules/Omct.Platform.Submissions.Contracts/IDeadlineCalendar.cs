using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Submissions.Contracts;

/// <summary>SUBMISSION_DUE: a submission's due date; UN_SESSION: the opening of its mechanism's session; CALL_FOR_INPUT_DEADLINE: an open call's deadline.</summary>
public enum DeadlineKind { SubmissionDue, UnSession, CallForInputDeadline }

/// <summary>Which deadline: its kind, the submission or call for input it belongs to, and its date (a moved deadline is another key).</summary>
public sealed record DeadlineKey(DeadlineKind Kind, Guid SubjectId, DateOnly Date);

/// <summary>One deadline, with the level of its submission or call for input.</summary>
public sealed record DeadlineOccurrence(DeadlineKey Key, Confidentiality Confidentiality)
{
    public DateOnly Date => Key.Date;

    public DeadlineKind Kind => Key.Kind;
}

/// <summary>The deadlines of the submissions module, for other modules (the reminders), always within the caller's clearance.</summary>
public interface IDeadlineCalendar
{
    /// <summary>Every deadline from <paramref name="from"/> to <paramref name="to"/> (inclusive) that the caller may see, by date.</summary>
    Task<IReadOnlyList<DeadlineOccurrence>> BetweenAsync(DateOnly from, DateOnly to, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// The deadlines of these keys as they are now (opaque objects rendered by the schema's
    /// <c>Deadline</c> type), one query per subject type; a key whose deadline is gone (submitted,
    /// moved, call closed) or that the caller may not see is absent.
    /// </summary>
    Task<IReadOnlyDictionary<DeadlineKey, object>> FindAsync(IReadOnlyCollection<DeadlineKey> keys, Caller caller, CancellationToken cancellationToken);
}
