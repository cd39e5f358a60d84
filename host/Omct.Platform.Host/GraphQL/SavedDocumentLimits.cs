using GraphQL;
using GraphQL.Instrumentation;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Host.Configuration;

namespace Omct.Platform.Host.GraphQL;

/// <summary>
/// A saved document held to what <see cref="GraphQLHttpEndpoint"/> holds a request to: the parser's nesting, the
/// <see cref="DocumentLimits"/> (aliases, fields, list items) and the schema's validation with the same complexity
/// analysis (<c>MaxDepth</c>, <c>MaxComplexity</c>) — the messages a request over the limits gets. The validation runs
/// off the request that saves the document: saving a query does not run it, so it is not charged to the caller's rate
/// limit (the analysis charges only a request's own <c>HttpContext</c>).
/// </summary>
internal sealed class SavedDocumentLimits(IOptions<GraphQLOptions> options, IServiceProvider services) : IGraphQLDocumentLimits
{
    public async Task<string?> CheckAsync(string document, string variablesJson, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (document.Length > limits.MaxDocumentBytes)
        {
            return $"The document is longer than {limits.MaxDocumentBytes} characters.";
        }

        var (parsed, _, refused) = GraphQLHttpEndpoint.ParseWithinLimits(document, limits);
        if (parsed is null)
        {
            return refused;
        }

        if (parsed.Definitions.OfType<GraphQLOperationDefinition>().FirstOrDefault() is not { } operation)
        {
            return "The document holds no operation.";
        }

        var serializer = services.GetRequiredService<IGraphQLTextSerializer>();
        var variables = serializer.Deserialize<Inputs>(variablesJson) ?? Inputs.Empty;
        using var json = System.Text.Json.JsonDocument.Parse(variablesJson);
        if (DocumentLimits.CheckVariables(json.RootElement, limits.MaxListItems) is { } listLimit)
        {
            return listLimit;
        }

        var validation = new ValidationOptions
        {
            Schema = services.GetRequiredService<ISchema>(),
            Document = parsed,
            Operation = operation,
            Rules = DocumentValidator.CoreRules.Append(new ComplexityValidationRule(services.GetRequiredService<IOptions<ComplexityOptions>>().Value)).ToList(),
            Variables = variables,
            Extensions = Inputs.Empty,
            Metrics = Metrics.None,
            RequestServices = services,
            CancellationToken = cancellationToken,
        };
        Task<IValidationResult> validating;
        using (ExecutionContext.SuppressFlow())
        {
            validating = Task.Run(async () => await services.GetRequiredService<IDocumentValidator>().ValidateAsync(validation), cancellationToken);
        }

        var result = await validating;
        return result.IsValid ? null : string.Join("; ", result.Errors.Select(e => e.Message).Distinct());
    }
}
