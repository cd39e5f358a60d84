using GraphQL;
using GraphQLParser.AST;

namespace Omct.Platform.Cases.GraphQL;

/// <summary>
/// Whether what a request selects of the cases of a <c>cases</c> page is all on their list rows
/// (<see cref="CaseList.CaseSearch.ListPageAsync"/>), so the page need not read whole documents.
/// </summary>
internal static class CaseListSelection
{
    /// <summary>
    /// The <c>Case</c> fields a list row answers: those it carries, the victims (each with all its fields) and
    /// what is found by the case's id alone. Any other (events, interventions, summary, version, times…) needs the document.
    /// </summary>
    private static readonly HashSet<string> OnListRow = new(StringComparer.Ordinal)
    {
        "__typename", "id", "reference", "title", "country", "status", "confidentiality", "openedOn", "victims", "files", "history",
    };

    /// <summary>
    /// True when every field selected of the connection's cases (under <c>nodes</c> and <c>edges { node }</c>, through
    /// fragments and whatever their directives) is one of <see cref="OnListRow"/>.
    /// </summary>
    public static bool ListRowsSuffice(IResolveFieldContext context)
    {
        var fragments = context.Document.Definitions.OfType<GraphQLFragmentDefinition>()
            .ToDictionary(f => f.FragmentName.Name.StringValue, StringComparer.Ordinal);
        return All(context.FieldAst.SelectionSet, fragments, [], field => field.Name.StringValue switch
        {
            "nodes" => CasesOnListRow(field.SelectionSet, fragments),
            "edges" => All(field.SelectionSet, fragments, [], edge => edge.Name.StringValue != "node" || CasesOnListRow(edge.SelectionSet, fragments)),
            _ => true,
        });
    }

    private static bool CasesOnListRow(GraphQLSelectionSet? cases, Dictionary<string, GraphQLFragmentDefinition> fragments) =>
        All(cases, fragments, [], field => OnListRow.Contains(field.Name.StringValue));

    /// <summary>Whether <paramref name="holds"/> holds for every field of <paramref name="set"/>, fragments spread in.</summary>
    private static bool All(GraphQLSelectionSet? set, Dictionary<string, GraphQLFragmentDefinition> fragments, HashSet<string> spread,
        Func<GraphQLField, bool> holds)
    {
        foreach (var selection in set?.Selections ?? [])
        {
            var ok = selection switch
            {
                GraphQLField field => holds(field),
                GraphQLInlineFragment inline => All(inline.SelectionSet, fragments, spread, holds),
                // A fragment spread twice on one level is checked once (validation refuses cycles and unknown names).
                GraphQLFragmentSpread named => !spread.Add(named.FragmentName.Name.StringValue)
                    || (fragments.TryGetValue(named.FragmentName.Name.StringValue, out var fragment) && All(fragment.SelectionSet, fragments, spread, holds)),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
