using GraphQL.Types;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>What a mutation returns (api-contract): the changed entity, and the clientMutationId sent.</summary>
public sealed record Payload<T>(T Entity, string? ClientMutationId);

/// <summary>
/// The payload type of a mutation: the changed entity under its type's name in lower camel case
/// (<c>case</c>, <c>defender</c> …) and the <c>clientMutationId</c>.
/// </summary>
public abstract class PayloadGraphType<TEntityGraphType, T> : ObjectGraphType<Payload<T>>
    where TEntityGraphType : IGraphType
{
    protected PayloadGraphType(string name, string entityField)
    {
        Name = name;
        Field<NonNullGraphType<TEntityGraphType>>(entityField).Resolve(c => c.Source.Entity);
        Field(p => p.ClientMutationId, nullable: true);
        this.FieldsShownWithRecord();
    }
}
