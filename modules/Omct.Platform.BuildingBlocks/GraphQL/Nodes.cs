using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>The Relay <c>Node</c> interface: anything with a global id.</summary>
public sealed class NodeInterfaceGraphType : InterfaceGraphType
{
    public NodeInterfaceGraphType()
    {
        Name = "Node";
        Description = "An object with a global id, resolvable with node(id).";
        Field<NonNullGraphType<IdGraphType>>("id");
        this.FieldsShownWithRecord();
    }
}

/// <summary>A module's way to load one of its node types by id, within the caller's clearance (null when hidden).</summary>
public interface INodeResolver
{
    /// <summary>The type name in the global id (<c>Case</c>, <c>Defender</c> …).</summary>
    string TypeName { get; }

    Task<object?> ResolveAsync(IResolveFieldContext context, Guid id);
}

/// <summary><c>node(id: ID!): Node</c>: any id of the API, null when unknown or hidden from the caller.</summary>
[QueryFields]
public sealed class NodeQueries
{
    [Description("Any object by its global id; null when it does not exist or the caller may not see it.")]
    [RequireRole(Role.Anonymous)]
    [OutputType(typeof(NodeInterfaceGraphType))]
    public async Task<object?> Node([Id] string id, IResolveFieldContext ctx) =>
        GlobalId.TryDecode(id, out var typeName, out var decoded) ? await ctx.ResolveNodeAsync(typeName, decoded) : null;
}

public static class NodeField
{
    /// <summary>Whether a module resolves node ids of <paramref name="typeName"/> (<c>Case</c>, <c>Organisation</c> …).</summary>
    public static bool IsNodeType(this IResolveFieldContext context, string typeName) =>
        context.Service<IEnumerable<INodeResolver>>().Any(r => r.TypeName == typeName);

    /// <summary>The node <paramref name="id"/> of <paramref name="typeName"/> as <c>node(id)</c> gives it: null when unknown, hidden from the caller, or of a type no module resolves.</summary>
    public static async Task<object?> ResolveNodeAsync(this IResolveFieldContext context, string typeName, Guid id) =>
        context.Service<IEnumerable<INodeResolver>>().FirstOrDefault(r => r.TypeName == typeName) is { } resolver
            ? await resolver.ResolveAsync(context, id)
            : null;
}
