using System.Globalization;

namespace Omct.Platform.Integration.ChangeFeed;

/// <summary>
/// A PostgreSQL snapshot (<c>pg_snapshot</c>): every transaction below <see cref="Xmin"/> had
/// finished, none from <see cref="Xmax"/> on had, and those in <see cref="InProgress"/> were still
/// running. A transaction id is visible in it when it finished before the snapshot was taken.
/// Ids are the 64-bit <c>xid8</c> values (never wrap around).
/// </summary>
internal sealed record PgSnapshot(ulong Xmin, ulong Xmax, IReadOnlyList<ulong> InProgress)
{
    /// <summary>Sees nothing: the snapshot the feed starts from ("before the first transaction").</summary>
    public static PgSnapshot Empty { get; } = new(1, 1, []);

    public const int MaxInProgress = 65_535;

    /// <summary>The snapshot's text form, as <c>pg_snapshot</c> input and output spell it (<c>10:20:10,14,15</c>).</summary>
    public override string ToString() =>
        $"{Xmin.ToString(CultureInfo.InvariantCulture)}:{Xmax.ToString(CultureInfo.InvariantCulture)}:" +
        string.Join(',', InProgress.Select(x => x.ToString(CultureInfo.InvariantCulture)));

    public bool IsVisible(ulong xid) => xid < Xmin || (xid < Xmax && !InProgress.Contains(xid));

    /// <summary>True when the two see the same transactions.</summary>
    public bool SameAs(PgSnapshot other) => Xmin == other.Xmin && Xmax == other.Xmax && InProgress.SequenceEqual(other.InProgress);

    /// <summary>Whether the values make a snapshot: xmin ≤ xmax, in-progress ids ascending, distinct and in [xmin, xmax).</summary>
    public bool IsWellFormed()
    {
        if (Xmin == 0 || Xmin > Xmax || InProgress.Count > MaxInProgress)
        {
            return false;
        }

        var previous = 0UL;
        for (var i = 0; i < InProgress.Count; i++)
        {
            var x = InProgress[i];
            if (x < Xmin || x >= Xmax || (i > 0 && x <= previous))
            {
                return false;
            }

            previous = x;
        }

        return true;
    }

    /// <summary>Parses PostgreSQL's text output of a <c>pg_snapshot</c>.</summary>
    public static PgSnapshot Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3)
        {
            throw new FormatException($"Not a pg_snapshot: '{text}'.");
        }

        var inProgress = parts[2].Length == 0
            ? []
            : parts[2].Split(',').Select(x => ulong.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        return new PgSnapshot(ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture), inProgress);
    }
}
