using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Time;

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

    /// <summary>What the query is kept under: the lowercase hex SHA-256 of its text (UTF-8), as persisted operations are.</summary>
    public static string HashOf(string query) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(query)));

    /// <summary>Whether the query pages (declares <c>$after</c>): a run then reads every page.</summary>
    public static bool DeclaresAfter(string query) => Check(query).Contains("after");

    /// <summary>
    /// VALIDATION on <c>query</c> with the limit's own message when the definition's query, with the variables of a run
    /// today (its date windows resolved), is over what a request over HTTP may be (depth, aliases, fields, list items,
    /// complexity) or is not valid against the schema.
    /// </summary>
    public static async Task CheckLimitsAsync(IGraphQLDocumentLimits limits, ReportDefinition definition, DateTimeOffset now, CancellationToken ct)
    {
        if (await OverLimitsAsync(limits, definition.Query, definition, DayOf(definition, now), ct) is { } refusal)
        {
            throw DomainException.Validation("query", refusal);
        }
    }

    /// <summary>Why <paramref name="query"/> (the definition's) may not run on <paramref name="day"/> (a limit or the schema's validation), or null.</summary>
    public static Task<string?> OverLimitsAsync(IGraphQLDocumentLimits limits, string query, ReportDefinition definition, DateOnly day, CancellationToken ct) =>
        limits.CheckAsync(query, ReportRunner.Variables(definition, day).Variables.ToJsonString(), ct);

    /// <summary>Keeps the definition's query as a persisted operation under its hash, registered on behalf of <paramref name="registeredBy"/>.</summary>
    public static ValueTask RegisterAsync(IPersistedOperations persisted, ReportDefinition definition, string registeredBy, CancellationToken ct) =>
        persisted.RegisterForReportAsync($"Report: {definition.Name}", definition.Query, registeredBy, ct);

    /// <summary>
    /// What a run executes: the persisted operation stored under the definition's hash — registered now on behalf of its
    /// owner when it is not (a definition saved before its queries were kept so).
    /// </summary>
    public static async Task<string> StoredAsync(IPersistedOperations persisted, ReportDefinition definition, CancellationToken ct)
    {
        if (await persisted.FindForReportAsync(definition.QueryHash, ct) is { } stored)
        {
            return stored;
        }

        await RegisterAsync(persisted, definition, definition.OwnerId, ct);
        return definition.Query;
    }

    /// <summary>The day a run at <paramref name="at"/> is for: its date in the definition's time zone.</summary>
    public static DateOnly DayOf(ReportDefinition definition, DateTimeOffset at) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, PlatformTimeZones.Resolve(definition.TimeZone)).DateTime);
}
