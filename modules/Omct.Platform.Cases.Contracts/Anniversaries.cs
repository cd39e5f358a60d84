using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.Cases.Contracts;

/// <summary>YEARLY: 1, 2, 3 … years after a dated case event; DETENTION_DAYS: 100, 500, 1000, 1500 … days of a victim's detention.</summary>
public enum AnniversaryKind { Yearly, DetentionDays }

/// <summary>
/// Which anniversary: the case event it comes from (for a detention milestone, the event that
/// started the detention), the victim of a milestone, its kind and its date. Identifies one
/// occurrence: a correction that moves the event's date moves the anniversary to another key.
/// </summary>
public sealed record AnniversaryKey(Guid CaseId, Guid CaseEventId, Guid? VictimId, AnniversaryKind Kind, DateOnly Date);

/// <summary>The levels of what an anniversary shows: its case, its case event and (for a milestone) its victim.</summary>
public sealed record AnniversaryLevels(Confidentiality Case, Confidentiality CaseEvent, Confidentiality? Victim)
{
    /// <summary>The most closed of them: a caller sees the anniversary only when its clearance reaches it.</summary>
    public Confidentiality Highest => (Confidentiality)Math.Max(Math.Max((int)Case, (int)CaseEvent), (int)(Victim ?? Confidentiality.Public));
}

/// <summary>One anniversary as the cases module computes it.</summary>
public sealed record AnniversaryOccurrence(AnniversaryKey Key, int? Years, int? Days, AnniversaryLevels Levels)
{
    public Confidentiality Confidentiality => Levels.Highest;

    public DateOnly Date => Key.Date;

    public AnniversaryKind Kind => Key.Kind;
}

/// <summary>The anniversaries of the cases, for other modules (the reminders), always within the caller's clearance.</summary>
public interface IAnniversaryCalendar
{
    /// <summary>Every anniversary dated from <paramref name="from"/> to <paramref name="to"/> (inclusive) that the caller may see, by date.</summary>
    Task<IReadOnlyList<AnniversaryOccurrence>> BetweenAsync(DateOnly from, DateOnly to, Caller caller, CancellationToken cancellationToken);

    /// <summary>
    /// The anniversaries of these keys as they are now (opaque objects rendered by the schema's
    /// <c>Anniversary</c> type), one query per call; a key whose anniversary no longer exists
    /// (corrected, case closed, victim released) or that the caller may not see is absent.
    /// </summary>
    Task<IReadOnlyDictionary<AnniversaryKey, object>> FindAsync(IReadOnlyCollection<AnniversaryKey> keys, Caller caller, CancellationToken cancellationToken);
}
