using System.Text.Json;
using GraphQLParser.AST;

namespace Omct.Platform.Host.GraphQL;

/// <summary>
/// Refuses documents over the limits before validation — whose overlap checks grow with the square
/// of the number of fields and whose complexity analysis walks every fragment spread again — and
/// long before any resolver or database work:
/// <list type="bullet">
/// <item>aliases and selections (fields, fragment spreads) written in the document: alias bombs and
/// very wide documents;</item>
/// <item>selections once fragments are expanded, counted with each fragment's total computed once:
/// a fragment bomb (each fragment spreading the previous one twice) is a few hundred bytes that
/// expand to 2^30 fields, which the validation would otherwise walk for minutes;</item>
/// <item>items of any list value, in the document or in the variables: a filter of 10,000 values is
/// valid GraphQL that would otherwise go to the database.</item>
/// </list>
/// Depth and complexity are the complexity analyzer's, on a document these checks have bounded.
/// </summary>
internal static class DocumentLimits
{
    /// <summary>A message for the caller when the document is over a limit, otherwise null.</summary>
    public static string? Check(GraphQLDocument document, int maxAliases, int maxFields, int maxListItems)
    {
        int aliases = 0, selections = 0;
        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        var pending = new Stack<GraphQLSelectionSet>();
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLOperationDefinition operation:
                    pending.Push(operation.SelectionSet);
                    foreach (var variable in operation.Variables?.Items ?? [])
                    {
                        if (variable.DefaultValue is { } value && LongestList(value) > maxListItems)
                        {
                            return TooLongList(maxListItems);
                        }
                    }

                    break;
                case GraphQLFragmentDefinition fragment:
                    fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
                    pending.Push(fragment.SelectionSet);
                    break;
            }
        }

        while (pending.Count > 0)
        {
            foreach (var selection in pending.Pop().Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        selections++;
                        if (field.Alias is not null)
                        {
                            aliases++;
                        }

                        if (LongestList(field.Arguments) > maxListItems || LongestList(field.Directives) > maxListItems)
                        {
                            return TooLongList(maxListItems);
                        }

                        if (field.SelectionSet is { } children)
                        {
                            pending.Push(children);
                        }

                        break;
                    case GraphQLFragmentSpread:
                        selections++;
                        break;
                    case GraphQLInlineFragment inline:
                        pending.Push(inline.SelectionSet);
                        break;
                }

                if (aliases > maxAliases)
                {
                    return $"The document uses more than {maxAliases} aliases.";
                }

                if (selections > maxFields)
                {
                    return $"The document selects more than {maxFields} fields.";
                }
            }
        }

        // The written document is small now; what it expands to may not be. Each fragment's total is
        // computed once, so this costs one pass over the document whatever the fragments multiply to.
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in document.Definitions.OfType<GraphQLOperationDefinition>())
        {
            if (Expanded(operation.SelectionSet, fragments, totals, visiting, maxFields) > maxFields)
            {
                return $"The document selects more than {maxFields} fields once its fragments are expanded.";
            }
        }

        return null;
    }

    /// <summary>
    /// The fields <paramref name="set"/> selects with every fragment spread replaced by the fragment
    /// (at most <paramref name="cap"/> + 1: counting stops there). A spread of an unknown fragment, or
    /// one that cycles back, counts nothing: validation refuses those with the specification's error.
    /// </summary>
    private static long Expanded(GraphQLSelectionSet set, Dictionary<string, GraphQLFragmentDefinition> fragments,
        Dictionary<string, long> totals, HashSet<string> visiting, long cap)
    {
        long count = 0;
        foreach (var selection in set.Selections)
        {
            switch (selection)
            {
                case GraphQLField field:
                    count += 1 + (field.SelectionSet is { } children ? Expanded(children, fragments, totals, visiting, cap) : 0);
                    break;
                case GraphQLInlineFragment inline:
                    count += Expanded(inline.SelectionSet, fragments, totals, visiting, cap);
                    break;
                case GraphQLFragmentSpread spread:
                    var name = spread.FragmentName.Name.StringValue;
                    if (!totals.TryGetValue(name, out var total))
                    {
                        if (!fragments.TryGetValue(name, out var fragment) || !visiting.Add(name))
                        {
                            break;
                        }

                        total = Expanded(fragment.SelectionSet, fragments, totals, visiting, cap);
                        visiting.Remove(name);
                        totals[name] = total;
                    }

                    count += total;
                    break;
            }

            if (count > cap)
            {
                return cap + 1;
            }
        }

        return count;
    }

    /// <summary>The number of items of the longest list in <paramref name="node"/>'s values (arguments, directives, nested lists and objects).</summary>
    private static int LongestList(ASTNode? node)
    {
        switch (node)
        {
            case null:
                return 0;
            case GraphQLArguments arguments:
                return arguments.Items.Select(a => LongestList(a.Value)).DefaultIfEmpty(0).Max();
            case GraphQLDirectives directives:
                return directives.Items.Select(d => LongestList(d.Arguments)).DefaultIfEmpty(0).Max();
            case GraphQLListValue list:
                var items = list.Values?.Count ?? 0;
                return Math.Max(items, list.Values?.Select(LongestList).DefaultIfEmpty(0).Max() ?? 0);
            case GraphQLObjectValue value:
                return value.Fields?.Select(f => LongestList(f.Value)).DefaultIfEmpty(0).Max() ?? 0;
            default:
                return 0;
        }
    }

    /// <summary>A message when a list in the variables has more than <paramref name="maxListItems"/> items, otherwise null.</summary>
    public static string? CheckVariables(JsonElement? variables, int maxListItems) =>
        variables is { } value && LongestList(value) > maxListItems ? TooLongList(maxListItems) : null;

    private static int LongestList(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => Math.Max(value.GetArrayLength(), value.EnumerateArray().Select(LongestList).DefaultIfEmpty(0).Max()),
        JsonValueKind.Object => value.EnumerateObject().Select(p => LongestList(p.Value)).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    private static string TooLongList(int maxListItems) => $"A list in the request has more than {maxListItems} items.";
}
