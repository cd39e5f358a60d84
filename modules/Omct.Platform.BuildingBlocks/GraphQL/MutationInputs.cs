using System.ComponentModel;
using System.Reflection;
using GraphQL.Types;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>What every mutation input carries (api-contract: clientMutationId); the input of a mutation that creates an entity.</summary>
public abstract class IdempotentInput
{
    [Description("Sent again by the same caller: the first result, nothing written.")]
    public string? ClientMutationId { get; set; }
}

/// <summary>The input of a mutation on an existing entity: also <c>expectedVersion</c>.</summary>
public abstract class MutationInput : IdempotentInput
{
    [Description("The entity's version as you read it; CONFLICT when it has changed since.")]
    public int? ExpectedVersion { get; set; }
}

/// <summary>
/// A plain input class as an input type (<see cref="GraphTypeConventions"/> maps a module's input
/// classes to it): named as the class, one field per public settable property — the base class's
/// first (<c>clientMutationId</c>, <c>expectedVersion</c>, then an id), each in the order written.
/// Non-nullable properties are required (<c>!</c>); <c>[Description]</c>, <c>[DefaultValue]</c>,
/// <c>[Id]</c>, <c>[CountryCode]</c>, <c>[Name]</c> and <see cref="WritableFromAttribute"/> apply.
/// </summary>
public sealed class DeclaredInputGraphType<T> : AutoRegisteringInputObjectGraphType<T>
{
    protected override IEnumerable<MemberInfo> GetRegisteredMembers() =>
        base.GetRegisteredMembers().OrderBy(m => Depth(m.DeclaringType));

    private static int Depth(Type? type)
    {
        var depth = 0;
        for (; type?.BaseType is not null; type = type.BaseType)
        {
            depth++;
        }

        return depth;
    }
}

/// <summary>The input type of a mutation: <c>clientMutationId</c>, and <c>expectedVersion</c> when it changes an existing entity.</summary>
public abstract class MutationInputGraphType<T> : InputObjectGraphType<T>
    where T : MutationInput
{
    protected MutationInputGraphType(string name, bool onExistingEntity = true)
    {
        Name = name;
        Field<StringGraphType>("clientMutationId").Description("Sent again by the same caller: the first result, nothing written.");
        if (onExistingEntity)
        {
            Field<IntGraphType>("expectedVersion").Description("The entity's version as you read it; CONFLICT when it has changed since.");
        }
    }
}
