namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>What a caller may do. Clearance (what it may see) is separate.</summary>
public enum Role
{
    Anonymous = 0,
    NetworkMember = 1,
    Integrator = 2,
    Staff = 3,
    Editor = 4,
    Admin = 5,
    /// <summary>The platform itself: scheduled jobs and seeding, with an explicit clearance.</summary>
    System = 6,
}
