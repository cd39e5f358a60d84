namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>
/// Confidentiality levels, from most open to most closed. The numeric order is the order of
/// clearance: a caller sees a record only when its clearance is at least the record's level.
/// </summary>
public enum Confidentiality
{
    Public = 0,
    Network = 1,
    Staff = 2,
    Restricted = 3,
}
