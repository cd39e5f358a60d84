using GraphQLParser.AST;

namespace Omct.Platform.Host.GraphQL;

/// <summary>
/// Counts aliases and field selections in the whole parsed document (fragments included) and
/// refuses it above the limits — before validation, whose overlap checks grow with the square of
/// the number of fields, and long before any resolver or database work. The cheap defence against
/// alias bombs and very wide documents; depth and complexity are the complexity analyzer's.
/// </summary>
internal static class DocumentLimits
{
    /// <summary>A message for the caller when the document is over a limit, otherwise null.</summary>
    public static string? Check(GraphQLDocument document, int maxAliases, int maxFields)
    {
        int aliases = 0, fields = 0;
        var pending = new Stack<GraphQLSelectionSet>();
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLOperationDefinition operation:
                    pending.Push(operation.SelectionSet);
                    break;
                case GraphQLFragmentDefinition fragment:
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
                        fields++;
                        if (field.Alias is not null)
                        {
                            aliases++;
                        }

                        if (field.SelectionSet is { } children)
                        {
                            pending.Push(children);
                        }

                        break;
                    case GraphQLInlineFragment inline:
                        pending.Push(inline.SelectionSet);
                        break;
                }

                if (aliases > maxAliases)
                {
                    return $"The document uses more than {maxAliases} aliases.";
                }

                if (fields > maxFields)
                {
                    return $"The document selects more than {maxFields} fields.";
                }
            }
        }

        return null;
    }
}
