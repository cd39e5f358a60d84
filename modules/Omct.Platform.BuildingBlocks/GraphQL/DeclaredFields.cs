using System.Linq.Expressions;
using System.Reflection;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// Marks a class whose public methods are root <c>Query</c> fields (see <see cref="DeclaredFields"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class QueryFieldsAttribute : Attribute;

/// <summary>
/// Marks a class whose public methods are root <c>Mutation</c> fields (see <see cref="DeclaredFields"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MutationFieldsAttribute : Attribute;

/// <summary>
/// Root fields declared as methods. Each public instance method of a class marked
/// <see cref="QueryFieldsAttribute"/> or <see cref="MutationFieldsAttribute"/> is one field, in the
/// order written: its name (an <c>Async</c> suffix dropped, lower camel case), its arguments (the
/// parameters; <see cref="CancellationToken"/>, <see cref="IResolveFieldContext"/> and
/// <c>[FromServices]</c> ones are not arguments), its type (the return type, a <c>Task</c>
/// unwrapped: <see cref="Connection{T}"/> → <c>XxxConnection</c>, <see cref="Payload{T}"/> →
/// <c>XxxPayload</c>, see <see cref="GraphTypeConventions"/>), its description
/// (<c>[Description]</c>) and its access rule (<see cref="RequireRoleAttribute"/>) all read from the
/// method. The class is made for each call with the request's services.
/// </summary>
public static class DeclaredFields
{
    /// <summary>Adds the fields declared by <typeparamref name="T"/> to the root type (<c>Query</c> or <c>Mutation</c>).</summary>
    public static void AddFieldsOf<T>(this ObjectGraphType root)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(root);
        var marker = root.Name switch
        {
            "Query" => typeof(QueryFieldsAttribute),
            "Mutation" => typeof(MutationFieldsAttribute),
            _ => throw new InvalidOperationException($"{root.Name} is not a root type with declared fields."),
        };
        if (!typeof(T).IsDefined(marker, inherit: false))
        {
            throw new InvalidOperationException($"{typeof(T).Name} declares no {root.Name} fields: mark it [{marker.Name.Replace("Attribute", "", StringComparison.Ordinal)}].");
        }

        foreach (var field in new DeclaredFieldsGraphType<T>().Fields)
        {
            root.AddField(field);
        }
    }
}

/// <summary>The fields of a <see cref="DeclaredFields"/> class, before they join their root type.</summary>
[DoNotRegister]
internal sealed class DeclaredFieldsGraphType<T> : AutoRegisteringObjectGraphType<T>
    where T : class
{
    private static readonly Expression<Func<IResolveFieldContext, T>> Instance = context => Create(context);

    private static T Create(IResolveFieldContext context) =>
        ActivatorUtilities.GetServiceOrCreateInstance<T>(context.RequestServices ?? throw new InvalidOperationException("No request services."));

    protected override IEnumerable<MemberInfo> GetRegisteredMembers() =>
        typeof(T).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.ReturnType != typeof(void) && m.ReturnType != typeof(Task));

    protected override LambdaExpression BuildMemberInstanceExpression(MemberInfo memberInfo) => Instance;

    protected override FieldType? CreateField(MemberInfo memberInfo)
    {
        var field = base.CreateField(memberInfo);
        if (field is not null && field.DeclaredRule() is null)
        {
            throw new InvalidOperationException(
                $"{typeof(T).Name}.{memberInfo.Name} declares no access rule: add [RequireRole(...)] (Role.Anonymous for a public field).");
        }

        return field;
    }
}
