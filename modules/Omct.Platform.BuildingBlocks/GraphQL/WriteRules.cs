using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// The clearance rule for what a mutation writes, checked on every mutation's arguments before its
/// resolver runs (<see cref="AccessRuleFieldMiddleware"/>), so that a new mutation is covered by
/// declaring its input and nothing else:
/// <list type="bullet">
/// <item>every <c>Confidentiality</c> value of a mutation's input is at most the caller's clearance
/// (a level, an audience, a key's clearance): above it is VALIDATION on that field;</item>
/// <item>an input field declared <see cref="WritableFrom{TSource,TReturn}"/> a level (a defender's
/// contact: RESTRICTED, as its read rule) is refused, when given, to a caller below that level;</item>
/// <item>no text argument of any root field (queries too) holds a NUL character, which PostgreSQL
/// cannot store or compare: VALIDATION rather than a database error.</item>
/// </list>
/// The command handlers apply the same rule (<see cref="WriteClearance"/>) where they decide, for
/// callers that do not come through GraphQL (jobs) and for defaults.
/// </summary>
public static class WriteRules
{
    public const string WritableFromKey = "omct:writableFrom";

    private static readonly ConcurrentDictionary<(Type, string), PropertyInfo?> Properties = new();

    /// <summary>Declares that only a caller with <paramref name="level"/> clearance may give this input field.</summary>
    public static FieldBuilder<TSource, TReturn> WritableFrom<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, Confidentiality level)
    {
        ArgumentNullException.ThrowIfNull(field);
        field.FieldType.WithMetadata(WritableFromKey, level);
        return field;
    }

    /// <summary>The clearance an input field needs to be given, when it declares one.</summary>
    public static Confidentiality? WritableFrom(this IFieldType field) =>
        field.HasMetadata(WritableFromKey) ? field.GetMetadata<Confidentiality>(WritableFromKey) : null;

    /// <summary>Checks the arguments of a root field (see the type's summary); throws VALIDATION naming the field at fault.</summary>
    public static void Check(IResolveFieldContext context, Caller caller)
    {
        if (context.Arguments is not { Count: > 0 } arguments || context.FieldDefinition.Arguments is not { } definitions)
        {
            return;
        }

        var mutation = context.ParentType == context.Schema.Mutation;
        foreach (var argument in definitions)
        {
            if (arguments.TryGetValue(argument.Name, out var value) && value.Value is not null)
            {
                // The contract names an input's fields without the argument ("confidentiality"), other arguments with it ("filter.text").
                Walk(argument.ResolvedType!, value.Value, argument.Name == "input" ? "" : argument.Name, mutation, caller);
            }
        }
    }

    private static void Walk(IGraphType type, object? value, string path, bool mutation, Caller caller)
    {
        switch (type)
        {
            case null:
                return;
            case NonNullGraphType nonNull:
                Walk(nonNull.ResolvedType!, value, path, mutation, caller);
                return;
            case ListGraphType list when value is IEnumerable items and not string:
                var i = 0;
                foreach (var item in items)
                {
                    Walk(list.ResolvedType!, item, $"{path}[{i++}]", mutation, caller);
                }

                return;
            case ConfidentialityGraphType when mutation && value is Confidentiality level:
                WriteClearance.Ensure(level, caller.Clearance, path);
                return;
            case ScalarGraphType when value is string text && text.Contains('\0', StringComparison.Ordinal):
                throw DomainException.Validation(path, "Text may not contain the NUL character.");
            case IInputObjectGraphType input when value is not null:
                foreach (var field in input.Fields)
                {
                    var member = Member(value, field.Name);
                    if (member is null)
                    {
                        continue;
                    }

                    var fieldPath = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
                    if (mutation && field.WritableFrom() is { } needed)
                    {
                        WriteClearance.EnsureMayWrite(caller.Clearance, needed, fieldPath);
                    }

                    Walk(field.ResolvedType!, member, fieldPath, mutation, caller);
                }

                return;
        }
    }

    /// <summary>An input field's value: input objects are parsed into their CLR type (properties named as the fields) or left as dictionaries.</summary>
    private static object? Member(object value, string name)
    {
        if (value is IDictionary<string, object?> dictionary)
        {
            return dictionary.TryGetValue(name, out var found) ? found : null;
        }

        var property = Properties.GetOrAdd((value.GetType(), name), key =>
            key.Item1.GetProperty(key.Item2, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase));
        return property?.GetValue(value);
    }
}
