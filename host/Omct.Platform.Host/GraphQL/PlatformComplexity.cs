using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using GraphQL.Validation.Complexity;

namespace Omct.Platform.Host.GraphQL;

/// <summary>
/// The complexity of fields that set none of their own: data fields as GraphQL.NET counts them (one per
/// field, lists multiplied by <c>first</c> or the default five), and introspection as what it costs.
/// <para>
/// Counted like data, GraphiQL's introspection query was 3,005,521 (lists of lists of lists, each
/// multiplied by a guess), so the IDE could not load the schema under the default budget of 20,000.
/// What introspection really costs is bounded by the schema, in memory: walking the schema's directory
/// (<c>__schema { types { fields { args … } } }</c>, <c>directives</c>, <c>__type(name:)</c>) yields each
/// type, field, argument or value once per selection, whatever the document's shape. So:
/// </para>
/// <list type="bullet">
/// <item><c>__schema</c> costs <see cref="SchemaImpact"/> (a whole walk, as a large page of data), <c>__type</c>
/// <see cref="TypeImpact"/>; each field below them one, and the directory's lists do not multiply: aliases of
/// <c>__schema</c> add up (twenty whole walks are over the default budget);</item>
/// <item>a <em>reference</em> (<c>type</c>, <c>ofType</c>, <c>interfaces</c>, <c>possibleTypes</c> … — any
/// field to a <c>__Type</c> but the directory's own: <c>__schema.types</c>, its root types <c>queryType</c>,
/// <c>mutationType</c>, <c>subscriptionType</c>, and <c>__type(name:)</c>) leads back into a type, whose
/// lists are then repeated for every reference: below a reference, every list is multiplied by the
/// longest list of the schema (the most fields, values or arguments of any type or field). That is what
/// recursive documents (<c>types { fields { type { fields { type { fields … } } } } }</c>) are made of: each
/// level costs a hundredfold, so two levels fit the budget and three do not.</item>
/// </list>
/// </summary>
internal static class PlatformComplexity
{
    /// <summary>
    /// Puts these rules on the introspection fields that come with a complexity of their own
    /// (<c>__Schema.types</c> and <c>directives</c> multiply by the number of types or directives).
    /// </summary>
    public sealed class IntrospectionFields : BaseSchemaNodeVisitor
    {
        public override void VisitObjectFieldDefinition(FieldType field, IObjectGraphType type, ISchema schema)
        {
            if (IsIntrospection(type))
            {
                field.WithComplexityImpact(context => Impact(context, static _ => throw new InvalidOperationException("not a data field")));
            }
        }
    }

    /// <summary>A whole walk of the schema.</summary>
    public const double SchemaImpact = 1_000;

    /// <summary>One type looked up by name.</summary>
    public const double TypeImpact = 10;

    private static readonly ConditionalWeakTable<ISchema, StrongBox<double>> LongestLists = new();

    /// <summary>The delegate for <see cref="ComplexityOptions.DefaultComplexityImpactDelegate"/>, falling back to <paramref name="data"/> (the library's) for data fields.</summary>
    public static Func<FieldImpactContext, FieldComplexityResult> Impact(Func<FieldImpactContext, FieldComplexityResult> data) =>
        context => Impact(context, data);

    private static FieldComplexityResult Impact(FieldImpactContext context, Func<FieldImpactContext, FieldComplexityResult> data)
    {
        var field = context.FieldDefinition;
        var schema = context.ValidationContext.Schema;
        if (ReferenceEquals(field, schema.SchemaMetaFieldType))
        {
            return new FieldComplexityResult(SchemaImpact, 1);
        }

        if (ReferenceEquals(field, schema.TypeMetaFieldType))
        {
            return new FieldComplexityResult(TypeImpact, 1);
        }

        if (!IsIntrospection(context.ParentType))
        {
            return data(context);
        }

        var multiplier = IsList(field.ResolvedType) && BelowReference(context) ? LongestList(schema) : 1;
        return new FieldComplexityResult(1, multiplier);
    }

    private static bool IsIntrospection(IGraphType? type) => type?.Name.StartsWith("__", StringComparison.Ordinal) == true;

    /// <summary>Whether a reference to a type is among the field's ancestors (the field itself not included).</summary>
    private static bool BelowReference(FieldImpactContext context)
    {
        for (var parent = context.Parent; parent is { } ancestor; parent = ancestor.Parent)
        {
            if (IsReference(ancestor))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A field to a <c>__Type</c> but <c>__Schema.types</c>, the schema's root types and <c>__type</c> (the ancestors of an introspection field
    /// are introspection fields: the parent type of an ancestor is not known here, its field is).
    /// </summary>
    private static bool IsReference(FieldImpactContext context) =>
        context.FieldDefinition.ResolvedType?.GetNamedType().Name == "__Type"
        && context.FieldDefinition.Name is not ("types" or "queryType" or "mutationType" or "subscriptionType")
        && !ReferenceEquals(context.FieldDefinition, context.ValidationContext.Schema.TypeMetaFieldType);

    private static bool IsList(IGraphType? type) => type switch
    {
        NonNullGraphType nonNull => IsList(nonNull.ResolvedType),
        ListGraphType => true,
        _ => false,
    };

    /// <summary>The longest list introspection can return in this schema (computed once per schema).</summary>
    private static double LongestList(ISchema schema) => LongestLists.GetValue(schema, static s =>
    {
        var longest = s.Directives.Select(d => d.Arguments?.Count ?? 0).DefaultIfEmpty(0).Max();
        foreach (var type in s.AllTypes)
        {
            var size = type switch
            {
                IComplexGraphType complex => Math.Max(complex.Fields.Count, complex.Fields.Select(f => f.Arguments?.Count ?? 0).DefaultIfEmpty(0).Max()),
                EnumerationGraphType enumeration => enumeration.Values.Count,
                UnionGraphType union => union.PossibleTypes.Count,
                _ => 0,
            };
            if (type is IInterfaceGraphType @interface)
            {
                size = Math.Max(size, @interface.PossibleTypes.Count);
            }

            longest = Math.Max(longest, size);
        }

        return new StrongBox<double>(Math.Max(longest, 5));
    }).Value;
}
