namespace Omct.Platform.Defenders.Contracts;

/// <summary>The type name in a defender's global id, shared by every module that takes or returns one.</summary>
public static class DefenderIds
{
    public const string Defender = "Defender";
    public const string Organisation = "Organisation";
}
