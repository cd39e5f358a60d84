namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>A record that carries a confidentiality level.</summary>
public interface IConfidential
{
    Confidentiality Confidentiality { get; }
}

public static class Clearance
{
    private static readonly Confidentiality[][] Visible =
    [
        [Confidentiality.Public],
        [Confidentiality.Public, Confidentiality.Network],
        [Confidentiality.Public, Confidentiality.Network, Confidentiality.Staff],
        [Confidentiality.Public, Confidentiality.Network, Confidentiality.Staff, Confidentiality.Restricted],
    ];

    /// <summary>
    /// The levels a caller may see, for store queries (<c>levels.Contains(x.Confidentiality)</c>):
    /// levels are stored as names, so the filter is a set, not a comparison.
    /// </summary>
    public static Confidentiality[] VisibleLevels(this Caller caller) => Visible[(int)caller.Clearance];
}
