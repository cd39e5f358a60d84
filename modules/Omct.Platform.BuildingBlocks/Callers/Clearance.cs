namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>
/// What a caller may write: every write follows the clearance rule. A level above the caller's
/// clearance is VALIDATION on its field (the record would vanish from under the caller, or a caller
/// below a confidential value would write it); a new record without a level is <c>STAFF</c> —
/// making something more open is a deliberate act — or the caller's clearance when that is lower.
/// </summary>
public static class WriteClearance
{
    /// <summary>The level of a new record when the caller gives none.</summary>
    public const Confidentiality DefaultLevel = Confidentiality.Staff;

    /// <summary>How the schema describes a new record's level.</summary>
    public const string DefaultDescription =
        "Who may see it (not above your own clearance). Default: STAFF, or your clearance when lower — making a record more open is a deliberate act.";

    /// <summary>How the schema describes a new entry's level (an event or a victim of a case).</summary>
    public const string EntryDescription =
        "Who may see it (not above your own clearance). Default: STAFF, or your clearance when lower, and at least the record's own level.";

    /// <summary>
    /// The level to write: <paramref name="requested"/> when the caller may write it; when absent,
    /// <see cref="DefaultLevel"/> (or <paramref name="clearance"/> when lower), and never below
    /// <paramref name="floor"/> (an entry of a record is at least as closed as the record by default).
    /// </summary>
    public static Confidentiality Writable(Confidentiality? requested, Confidentiality clearance, string field = "confidentiality",
        Confidentiality floor = Confidentiality.Public)
    {
        if (requested is { } level)
        {
            Ensure(level, clearance, field);
            return level;
        }

        var byDefault = DefaultLevel < clearance ? DefaultLevel : clearance;
        return byDefault > floor ? byDefault : floor;
    }

    /// <summary>The level to write for <paramref name="caller"/> (see <see cref="Writable(Confidentiality?, Confidentiality, string, Confidentiality)"/>).</summary>
    public static Confidentiality Writable(this Caller caller, Confidentiality? requested, string field = "confidentiality",
        Confidentiality floor = Confidentiality.Public) =>
        Writable(requested, caller.Clearance, field, floor);

    /// <summary>VALIDATION on <paramref name="field"/> when <paramref name="level"/> is above <paramref name="clearance"/>.</summary>
    public static void Ensure(Confidentiality level, Confidentiality clearance, string field)
    {
        if (level > clearance)
        {
            throw Errors.DomainException.Validation(field, "You cannot give a level above your own clearance.");
        }
    }

    /// <summary>
    /// VALIDATION on <paramref name="field"/> when a caller of <paramref name="clearance"/> may not read what it would write: a
    /// value whose read rule is <paramref name="readLevel"/> (a defender's contact is RESTRICTED).
    /// </summary>
    public static void EnsureMayWrite(Confidentiality clearance, Confidentiality readLevel, string field)
    {
        if (clearance < readLevel)
        {
            throw Errors.DomainException.Validation(field, $"Only a caller with {readLevel.ToString().ToUpperInvariant()} clearance may write this value.");
        }
    }
}
