using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Omct.Platform.BuildingBlocks.Errors;

namespace Omct.Platform.Digests.ScheduledReports;

/// <summary>What a definition's query must be: one GraphQL query operation (never a mutation or a subscription) that declares the variables the definition fills.</summary>
internal static class ReportQuery
{
    public const int MaxLength = 20_000;

    /// <summary>The variables the query declares; VALIDATION on <c>query</c> when it does not parse, holds other than one operation, or is not a query.</summary>
    public static IReadOnlySet<string> Check(string? text)
    {
        var query = Input.Required(text, "query", MaxLength);
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(query, new ParserOptions { MaxDepth = 64, Ignore = IgnoreOptions.Comments });
        }
        catch (GraphQLMaxDepthExceededException)
        {
            throw DomainException.Validation("query", "The query is nested too deeply.");
        }
        catch (GraphQLParserException e)
        {
            throw DomainException.Validation("query", $"Syntax error: {e.Description} (line {e.Location.Line}, column {e.Location.Column}).");
        }

        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        if (operations.Count != 1)
        {
            throw DomainException.Validation("query", "Give exactly one operation.");
        }

        if (operations[0].Operation != OperationType.Query)
        {
            throw DomainException.Validation("query", "A report reads: its operation is a query, not a mutation or a subscription.");
        }

        return (operations[0].Variables?.Items ?? []).Select(v => v.Variable.Name.StringValue).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether the query pages (declares <c>$after</c>): a run then reads every page.</summary>
    public static bool DeclaresAfter(string query) => Check(query).Contains("after");
}
