using System.Reflection;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// Which graph type a CLR type of a declared field (<see cref="DeclaredFields"/>) or of an
/// auto-registered input stands for:
/// <list type="bullet">
/// <item>a class with one graph type in the modules (<c>ArticleGraphType : ObjectGraphType&lt;ArticleView&gt;</c>,
/// an <c>EnumerationGraphType&lt;T&gt;</c> subclass) → that graph type;</item>
/// <item><see cref="Connection{T}"/>, <see cref="Edge{T}"/>, <see cref="Payload{T}"/> → the generic
/// <see cref="ConnectionGraphType{TNodeGraphType}"/>, <see cref="EdgeGraphType{TNodeGraphType}"/>,
/// <see cref="PayloadGraphType{TNodeGraphType}"/> of <c>T</c>'s graph type (<c>ArticleConnection</c> …);</item>
/// <item>any other input class of a module → <see cref="DeclaredInputGraphType{T}"/>, named as the class;</item>
/// <item><see cref="DateOnly"/> → <c>Date</c>, <see cref="DateTimeOffset"/> → <c>DateTime</c>; an enum
/// without a graph type of its own → <c>EnumerationGraphType&lt;T&gt;</c> (GraphQL.NET's default: its
/// name, <c>[Description]</c> and <c>[Obsolete]</c> read from the enum).</item>
/// </list>
/// </summary>
public sealed class GraphTypeConventions : IGraphTypeMappingProvider
{
    private readonly Dictionary<Type, List<Type>> outputs = [];
    private readonly Dictionary<Type, List<Type>> inputs = [];
    private readonly HashSet<Assembly> assemblies = [];
    private readonly Lock gate = new();

    public GraphTypeConventions() => Scan(typeof(GraphTypeConventions).Assembly);

    /// <summary>Adds the graph types of a module's assembly (idempotent).</summary>
    public void Scan(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        lock (gate)
        {
            if (!assemblies.Add(assembly))
            {
                return;
            }

            foreach (var graphType in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && typeof(IGraphType).IsAssignableFrom(t)))
            {
                for (var type = graphType.BaseType; type is not null; type = type.BaseType)
                {
                    if (!type.IsConstructedGenericType)
                    {
                        continue;
                    }

                    var definition = type.GetGenericTypeDefinition();
                    var clrType = type.GetGenericArguments()[0];
                    if (clrType == typeof(object) || clrType.IsInterface || clrType.IsGenericType)
                    {
                        break;
                    }

                    if (definition == typeof(ObjectGraphType<>))
                    {
                        Add(outputs, clrType, graphType);
                        break;
                    }

                    if (definition == typeof(InputObjectGraphType<>))
                    {
                        Add(inputs, clrType, graphType);
                        break;
                    }

                    if (definition == typeof(EnumerationGraphType<>))
                    {
                        Add(outputs, clrType, graphType);
                        Add(inputs, clrType, graphType);
                        break;
                    }
                }
            }
        }
    }

    private static void Add(Dictionary<Type, List<Type>> map, Type clrType, Type graphType)
    {
        if (!map.TryGetValue(clrType, out var list))
        {
            map[clrType] = list = [];
        }

        list.Add(graphType);
    }

    public Type? GetGraphTypeFromClrType(Type clrType, bool isInputType, Type? preferredGraphType)
    {
        ArgumentNullException.ThrowIfNull(clrType);
        if (preferredGraphType is not null)
        {
            return preferredGraphType;
        }

        if (clrType == typeof(DateOnly))
        {
            return typeof(IsoDateGraphType);
        }

        if (clrType == typeof(DateTimeOffset))
        {
            return typeof(IsoDateTimeGraphType);
        }

        if (Declared(isInputType ? inputs : outputs, clrType) is { } declared)
        {
            return declared;
        }

        if (isInputType)
        {
            return clrType.IsClass && !typeof(IGraphType).IsAssignableFrom(clrType) && IsModuleType(clrType)
                ? typeof(DeclaredInputGraphType<>).MakeGenericType(clrType)
                : null;
        }

        if (clrType.IsConstructedGenericType)
        {
            var definition = clrType.GetGenericTypeDefinition();
            var generic = definition == typeof(Connection<>) ? typeof(ConnectionGraphType<>)
                : definition == typeof(Edge<>) ? typeof(EdgeGraphType<>)
                : definition == typeof(Payload<>) ? typeof(PayloadGraphType<>)
                : null;
            if (generic is not null)
            {
                var node = clrType.GetGenericArguments()[0];
                var nodeGraphType = Declared(outputs, node)
                    ?? throw new InvalidOperationException($"{clrType.Name}: {node.Name} has no graph type (ObjectGraphType<{node.Name}>) in a module.");
                return generic.MakeGenericType(nodeGraphType);
            }
        }

        return null;
    }

    private Type? Declared(Dictionary<Type, List<Type>> map, Type clrType)
    {
        lock (gate)
        {
            return map.TryGetValue(clrType, out var found) switch
            {
                false => null,
                true when found!.Count == 1 => found[0],
                _ => throw new InvalidOperationException(
                    $"{clrType.Name} stands for several graph types ({string.Join(", ", found!.Select(t => t.Name))}): give each field its graph type, or each its own CLR type."),
            };
        }
    }

    private bool IsModuleType(Type clrType)
    {
        lock (gate)
        {
            return assemblies.Contains(clrType.Assembly);
        }
    }
}

public static class GraphTypeConventionsRegistration
{
    /// <summary>
    /// Registers the graph types of a module's assembly and the <see cref="GraphTypeConventions"/>
    /// that map its declared fields' CLR types to them.
    /// </summary>
    public static IServiceCollection AddModuleGraphTypes(this IServiceCollection services, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGraphQL(b => b.AddGraphTypes(assembly));
        var conventions = services
            .Where(d => d.ServiceType == typeof(IGraphTypeMappingProvider) && d.ImplementationInstance is GraphTypeConventions)
            .Select(d => (GraphTypeConventions)d.ImplementationInstance!)
            .FirstOrDefault();
        if (conventions is null)
        {
            conventions = new GraphTypeConventions();
            services.AddSingleton<IGraphTypeMappingProvider>(conventions);
        }

        conventions.Scan(assembly);
        return services;
    }
}
