using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary><c>PUBLIC | NETWORK | STAFF | RESTRICTED</c>.</summary>
public sealed class ConfidentialityGraphType : EnumerationGraphType<Confidentiality>
{
    public ConfidentialityGraphType()
    {
        Name = "Confidentiality";
        Description = "Confidentiality levels, from most open to most closed. A caller sees a record only when its clearance is at least the record's level.";
    }
}

/// <summary><c>ANONYMOUS | NETWORK_MEMBER | INTEGRATOR | STAFF | EDITOR | ADMIN | SYSTEM</c>.</summary>
public sealed class RoleGraphType : EnumerationGraphType<Role>
{
    public RoleGraphType()
    {
        Name = "Role";
        Description = "What a caller may do.";
    }
}
