using GraphQL.Types;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>What every mutation input carries (api-contract: clientMutationId; expectedVersion on an existing entity).</summary>
public abstract class MutationInput
{
    public string? ClientMutationId { get; set; }
    public int? ExpectedVersion { get; set; }
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
