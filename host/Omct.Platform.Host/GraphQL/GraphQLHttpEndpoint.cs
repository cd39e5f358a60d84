using System.Buffers;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Host.Authentication;
using Omct.Platform.Host.Configuration;
using Omct.Platform.Host.Health;

namespace Omct.Platform.Host.GraphQL;

/// <summary>
/// GraphQL over HTTP (the GraphQL-over-HTTP specification): POST with a JSON body, GET for
/// queries only; <c>application/graphql-response+json</c> when the client accepts it, otherwise
/// <c>application/json</c> (with the legacy 200 status for request errors). Limits on size, parse
/// depth, aliases, fields, depth and complexity are checked before any resolver runs.
/// </summary>
internal sealed class GraphQLHttpEndpoint(
    IDocumentExecuter executer,
    ISchema schema,
    IGraphQLTextSerializer serializer,
    IOptions<GraphQLOptions> options,
    IPersistedOperations persistedOperations,
    ValidatedDocumentCache documents,
    IWebHostEnvironment environment,
    ILogger<GraphQLHttpEndpoint> log)
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";
    private const string BadRequest = "BAD_REQUEST";
    private const string PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND";

    /// <summary>The parser's recursion limit: deeper documents are refused as LIMIT_EXCEEDED while parsing.</summary>
    private const int MaxParserDepth = 64;

    private readonly GraphQLOptions _options = options.Value;
    private readonly bool _anonymousIntrospection = options.Value.AnonymousSchemaDiscovery(environment);

    /// <summary>
    /// One request: the transport (method, GraphiQL, response type), then the document — read, resolved from a
    /// persisted operation, found among the validated ones or parsed within the limits — then execution. Each
    /// step either goes on or answers with a <see cref="Refusal"/>. Authenticated, rate-limited and authorised
    /// (<c>PlatformPolicies.Caller</c>) before it gets here.
    /// </summary>
    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var isGet = HttpMethods.IsGet(request.Method);
        if (!isGet && !HttpMethods.IsPost(request.Method))
        {
            await RefuseAsync(http, Json, new Refusal(StatusCodes.Status405MethodNotAllowed, BadRequest, "Use GET or POST.", Allow: "GET, POST"));
            return;
        }

        if (isGet && !request.Query.ContainsKey("query") && AcceptsHtml(request))
        {
            await GraphiQL.ServeAsync(http, environment);
            return;
        }

        if (NegotiateResponseType(request) is not { } responseType)
        {
            await RefuseAsync(http, Json, new Refusal(StatusCodes.Status406NotAcceptable, BadRequest, $"Accept {GraphQLResponseJson} or {Json}."));
            return;
        }

        var caller = http.RequestServices.GetRequiredService<ICallerContext>().Current;
        var (prepared, refusal) = await PrepareAsync(http, isGet, caller, legacy: responseType == Json);
        if (prepared is null)
        {
            await RefuseAsync(http, responseType, refusal!);
            return;
        }

        var result = await ExecuteAsync(http, prepared);
        await WriteAsync(http, responseType, StatusOf(http, result, legacy: responseType == Json), result);
    }

    /// <summary>A request refused before execution: its status, code, message and, for 405, the methods allowed.</summary>
    private sealed record Refusal(int Status, string Code, string Message, string? Allow = null);

    /// <summary>A document ready to execute: <see cref="Validated"/> when it came from the cache of validated documents.</summary>
    private sealed record Prepared(GraphQLHttpRequest Parameters, GraphQLDocument Document, bool Validated, bool WithoutIntrospection, Inputs Variables, Inputs Extensions);

    private async Task<(Prepared?, Refusal?)> PrepareAsync(HttpContext http, bool isGet, Caller caller, bool legacy)
    {
        // Request errors keep the legacy 200 in application/json (GraphQL over HTTP), 400 otherwise.
        var requestError = legacy ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        var (read, status, code, error) = isGet ? ReadGet(http.Request) : await ReadPostAsync(http.Request);
        if (read is null)
        {
            return (null, new Refusal(status, code, error!));
        }

        var (parameters, refusal) = await ResolvePersistedAsync(read, caller, requestError, http.RequestAborted);
        if (parameters is null)
        {
            return (null, refusal);
        }

        if ((parameters.VariablesRefusal ?? DocumentLimits.CheckVariables(parameters.Variables, _options.MaxListItems)) is { } tooLong)
        {
            return (null, new Refusal(requestError, ErrorCodes.LimitExceeded, tooLong));
        }

        var withoutIntrospection = !caller.IsAuthenticated && !_anonymousIntrospection;
        var cached = documents.Find(parameters.Query!, withoutIntrospection);
        var (document, parseRefusal) = cached is null ? Parse(parameters.Query!, requestError) : (cached, null);
        if (document is null)
        {
            return (null, parseRefusal);
        }

        if (isGet && SelectsMutation(document, parameters.OperationName))
        {
            return (null, new Refusal(StatusCodes.Status405MethodNotAllowed, BadRequest, "Mutations are only accepted with POST.", Allow: "POST"));
        }

        try
        {
            var variables = parameters.Variables is { } v ? serializer.ReadNode<Inputs>(v) ?? Inputs.Empty : Inputs.Empty;
            var extensions = parameters.Extensions is { } x ? serializer.ReadNode<Inputs>(x) ?? Inputs.Empty : Inputs.Empty;
            return (new Prepared(parameters, document, cached is not null, withoutIntrospection, variables, extensions), null);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return (null, new Refusal(StatusCodes.Status400BadRequest, BadRequest, "The 'variables' or 'extensions' parameter could not be read."));
        }
    }

    /// <summary>A <c>documentId</c> becomes its registered document; a key restricted to persisted operations sends nothing else.</summary>
    private async Task<(GraphQLHttpRequest?, Refusal?)> ResolvePersistedAsync(
        GraphQLHttpRequest parameters, Caller caller, int requestError, CancellationToken cancellationToken)
    {
        if (parameters.DocumentHash is not { } hash)
        {
            return caller.PersistedOperationsOnly
                ? (null, new Refusal(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
                    "This key may run only persisted operations: send documentId \"sha256:<hash>\" instead of the document."))
                : (parameters, null);
        }

        var known = await persistedOperations.FindAsync(hash, cancellationToken);
        if (known is null)
        {
            return (null, new Refusal(requestError, PersistedQueryNotFound,
                "No persisted operation has this hash (an admin registers documents with registerPersistedOperation)."));
        }

        return parameters.Query is not null && !string.Equals(parameters.Query, known, StringComparison.Ordinal)
            ? (null, new Refusal(StatusCodes.Status400BadRequest, BadRequest, "The document does not match the persisted operation's hash."))
            : (parameters with { Query = known }, null);
    }

    /// <summary>Parses a document not validated before, within the parser's depth and the document limits.</summary>
    private (GraphQLDocument?, Refusal?) Parse(string query, int requestError)
    {
        var (document, code, message) = ParseWithinLimits(query, _options);
        return document is null ? (null, new Refusal(requestError, code!, message!)) : (document, null);
    }

    /// <summary>
    /// A document parsed within the parser's depth and the <see cref="DocumentLimits"/> — or, when it is not, the error's code
    /// and the message a request gets (a saved document is held to the same, see <see cref="SavedDocumentLimits"/>).
    /// </summary>
    internal static (GraphQLDocument? Document, string? Code, string? Message) ParseWithinLimits(string query, GraphQLOptions options)
    {
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(query, new ParserOptions { MaxDepth = MaxParserDepth, Ignore = IgnoreOptions.Comments });
        }
        catch (GraphQLMaxDepthExceededException)
        {
            return (null, ErrorCodes.LimitExceeded, $"The document is nested too deeply (at most {options.MaxDepth} levels of fields).");
        }
        catch (GraphQLParserException e)
        {
            return (null, PlatformErrorInfoProvider.ParseFailed, $"Syntax error: {e.Description} (line {e.Location.Line}, column {e.Location.Column}).");
        }

        return DocumentLimits.Check(document, options.MaxAliases, options.MaxFields, options.MaxListItems) is { } limit
            ? (null, ErrorCodes.LimitExceeded, limit)
            : (document, null, null);
    }

    private async Task<ExecutionResult> ExecuteAsync(HttpContext http, Prepared prepared)
    {
        var result = await executer.ExecuteAsync(o =>
        {
            o.Schema = schema;
            o.Query = prepared.Parameters.Query!;
            o.Document = prepared.Document;
            o.OperationName = prepared.Parameters.OperationName;
            o.Variables = prepared.Variables;
            o.Extensions = prepared.Extensions;
            o.RequestServices = http.RequestServices;
            o.UserContext = Omct.Platform.BuildingBlocks.GraphQL.ResolveFieldContextExtensions.UserContextFor(http.RequestServices.GetRequiredService<ICallerContext>().Current);
            o.User = http.User;
            o.CancellationToken = http.RequestAborted;
            o.Timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds);
            o.TimeoutAction = TimeoutAction.ReturnTimeoutError;
            if (prepared.Validated)
            {
                // The document passed the specification's rules (and NoIntrospection, when it applies) before:
                // none of them looks at variables or at the caller. The rules registered with the schema — the
                // complexity analysis, which does — are appended by GraphQL.NET and run as always.
                o.ValidationRules = [];
            }
            else if (prepared.WithoutIntrospection)
            {
                o.ValidationRules = (o.ValidationRules ?? DocumentValidator.CoreRules).Append(NoIntrospectionValidationRule.Instance);
            }
        });

        if (!prepared.Validated && result.Executed)
        {
            // Executed: the validation passed (a refused document never gets here).
            documents.Add(prepared.Parameters.Query!, prepared.WithoutIntrospection, prepared.Document);
        }

        return result;
    }

    /// <summary>200 when executed (or legacy JSON), 429 when the rate limit refused the document's cost, 400 otherwise; 503 when the database could not be reached.</summary>
    private static int StatusOf(HttpContext http, ExecutionResult result, bool legacy)
    {
        if (result.Errors?.Any(e => e.Code == ErrorCodes.Unavailable) == true)
        {
            // The database could not be reached: the whole request is to be retried, whatever else resolved.
            http.Response.Headers.RetryAfter = RateLimits.Header(DatabaseUnavailable.RetryAfterSeconds);
            return StatusCodes.Status503ServiceUnavailable;
        }

        return result.Executed || legacy ? StatusCodes.Status200OK
            : http.Items.ContainsKey(GraphQLSetup.RateLimitedKey) ? StatusCodes.Status429TooManyRequests
            : StatusCodes.Status400BadRequest;
    }

    private (GraphQLHttpRequest? Parameters, int Status, string Code, string? Error) ReadGet(HttpRequest request)
    {
        var query = request.Query["query"].ToString();
        if (query.Length > _options.MaxDocumentBytes)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, ErrorCodes.LimitExceeded, DocumentTooLarge());
        }

        var parameters = GraphQLHttpRequest.FromQueryString(request.Query, out var error);
        return (parameters, 400, BadRequest, error);
    }

    private async Task<(GraphQLHttpRequest? Parameters, int Status, string Code, string? Error)> ReadPostAsync(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase))
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, BadRequest, $"Send the request with Content-Type: {Json}.");
        }

        if (contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, BadRequest, "Only UTF-8 request bodies are accepted.");
        }

        var max = _options.MaxDocumentBytes;
        if (request.ContentLength > max)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, ErrorCodes.LimitExceeded, DocumentTooLarge());
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(max + 1, (int?)request.ContentLength + 1 ?? 16 * 1024));
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > max)
                    {
                        return (null, StatusCodes.Status413PayloadTooLarge, ErrorCodes.LimitExceeded, DocumentTooLarge());
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(max + 1, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length, buffer.Length - length), request.HttpContext.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > max)
                {
                    return (null, StatusCodes.Status413PayloadTooLarge, ErrorCodes.LimitExceeded, DocumentTooLarge());
                }
            }

            if (length == 0)
            {
                return (null, 400, BadRequest, "The request body is empty.");
            }

            try
            {
                using var json = JsonDocument.Parse(buffer.AsMemory(0, length), new JsonDocumentOptions { MaxDepth = 64 });
                var parameters = GraphQLHttpRequest.FromJson(json.RootElement, out var error);
                // Variables and extensions are read after the document is disposed: keep copies — but not of variables
                // over the list limit, which are refused once the document is resolved (a hostile list costs one walk).
                var variablesRefusal = DocumentLimits.CheckVariables(parameters?.Variables, _options.MaxListItems);
                parameters = parameters is null ? null : parameters with
                {
                    Variables = variablesRefusal is null ? parameters.Variables?.Clone() : null,
                    VariablesRefusal = variablesRefusal,
                    Extensions = parameters.Extensions?.Clone(),
                };
                return (parameters, 400, BadRequest, error);
            }
            catch (JsonException)
            {
                return (null, 400, BadRequest, "The request body is not valid JSON.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private string DocumentTooLarge() => $"The request is larger than {_options.MaxDocumentBytes} bytes.";

    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    /// <summary>The response media type for the Accept header, or null when none can be served.</summary>
    internal static string? NegotiateResponseType(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || string.IsNullOrWhiteSpace(accept.ToString()))
        {
            return Json;
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var mediaTypes))
        {
            return Json;
        }

        foreach (var mediaType in mediaTypes.OrderByDescending(m => m.Quality ?? 1.0))
        {
            if (mediaType.Quality == 0)
            {
                continue;
            }

            var name = mediaType.MediaType.Value;
            if (string.Equals(name, GraphQLResponseJson, StringComparison.OrdinalIgnoreCase))
            {
                return GraphQLResponseJson;
            }

            if (string.Equals(name, Json, StringComparison.OrdinalIgnoreCase) || name is "*/*" or "application/*")
            {
                return Json;
            }
        }

        return null;
    }

    private static bool SelectsMutation(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var selected = operationName is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name?.Value == operationName);
        // Without a determinable operation, execution reports the error; with one, only queries run on GET.
        return selected is not null ? selected.Operation != OperationType.Query : operations.Any(o => o.Operation != OperationType.Query);
    }

    /// <summary>A refusal before the endpoint runs (authentication, authorisation, rate limits), in the response format the client accepts.</summary>
    public Task WriteRefusalAsync(HttpContext http, int status, string code, string message) =>
        WriteErrorAsync(http, NegotiateResponseType(http.Request) ?? Json, status, code, message);

    private Task RefuseAsync(HttpContext http, string responseType, Refusal refusal)
    {
        if (refusal.Allow is { } allow)
        {
            http.Response.Headers.Allow = allow;
        }

        return WriteErrorAsync(http, responseType, refusal.Status, refusal.Code, refusal.Message);
    }

    private Task WriteErrorAsync(HttpContext http, string responseType, int status, string code, string message)
    {
        if (status >= 500)
        {
            log.LogError("GraphQL request failed with {Code}: {Message}", code, message);
        }

        var result = new ExecutionResult { Executed = false };
        result.AddError(new PlatformError(code, message));
        return WriteAsync(http, responseType, status, result);
    }

    private async Task WriteAsync(HttpContext http, string responseType, int status, ExecutionResult result)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = responseType + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }
}
