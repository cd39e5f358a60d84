using GraphQL;
using GraphQL.Types;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>What a mutation returns (api-contract): the changed entity, and the clientMutationId sent.</summary>
public sealed record Payload<T>(T Entity, string? ClientMutationId) : IPayload
{
    object? IPayload.Entity => Entity;
}

/// <summary>A <see cref="Payload{T}"/> whatever its entity type.</summary>
public interface IPayload
{
    object? Entity { get; }

    string? ClientMutationId { get; }
}

/// <summary>
/// The payload type of a mutation, <c>XxxPayload { xxx clientMutationId }</c>: the changed entity
/// under its type's name in lower camel case (<c>ArticleGraphType</c> → <c>ArticlePayload { article … }</c>).
/// A declared mutation returning <see cref="Payload{T}"/> gets it without naming it.
/// </summary>
public class PayloadGraphType<TEntityGraphType> : ObjectGraphType<IPayload>
    where TEntityGraphType : IGraphType
{
    public PayloadGraphType()
        : this(typeof(TEntityGraphType).GraphQLName() + "Payload", LowerCamel(typeof(TEntityGraphType).GraphQLName()))
    {
    }

    /// <summary>For a payload whose entity field is not named after its type (<c>JobRunPayload { run }</c>).</summary>
    protected PayloadGraphType(string name, string entityField)
    {
        Name = name;
        Field<NonNullGraphType<TEntityGraphType>>(entityField).Resolve(c => c.Source.Entity);
        Field<StringGraphType>("clientMutationId").Resolve(c => c.Source.ClientMutationId);
        this.FieldsShownWithRecord();
    }

    private static string LowerCamel(string name) => string.Concat(char.ToLowerInvariant(name[0]).ToString(), name[1..]);
}
