using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQL.Validation.Errors.Custom;
using Omct.Platform.BuildingBlocks.Errors;

namespace Omct.Platform.Host.GraphQL;

/// <summary>
/// Shapes every error's <c>extensions</c>: <c>code</c> always, <c>field</c> for validation,
/// <c>traceId</c> for internal errors — and nothing else (no exception types, no stack traces).
/// </summary>
internal sealed class PlatformErrorInfoProvider(
    IHttpContextAccessor http, Microsoft.Extensions.Options.IOptions<Configuration.GraphQLOptions> options, IWebHostEnvironment environment)
    : IErrorInfoProvider
{
    private readonly bool _anonymousSuggestions = options.Value.AnonymousSchemaDiscovery(environment);

    public const string ParseFailed = "GRAPHQL_PARSE_FAILED";
    public const string ValidationFailed = "GRAPHQL_VALIDATION_FAILED";

    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        ArgumentNullException.ThrowIfNull(executionError);
        var extensions = new Dictionary<string, object?>();
        string message = executionError.Message;
        switch (executionError)
        {
            case PlatformError platform:
                extensions["code"] = platform.Code;
                if (platform.Field is not null)
                {
                    extensions["field"] = platform.Field;
                }

                if (platform.TraceId is not null)
                {
                    extensions["traceId"] = platform.TraceId;
                }

                foreach (var (key, value) in platform.Details ?? new Dictionary<string, object?>())
                {
                    extensions.TryAdd(key, value);
                }

                break;
            case ComplexityError:
                extensions["code"] = ErrorCodes.LimitExceeded;
                break;
            case ValidationError:
                extensions["code"] = ValidationFailed;
                message = WithoutSuggestions(message);
                break;
            case DocumentError:
                extensions["code"] = ParseFailed;
                break;
            case UnhandledError:
                // Never reached for resolver exceptions (the exception handler turns them into
                // PlatformError); kept so nothing unexpected ever leaks a message.
                extensions["code"] = ErrorCodes.Internal;
                message = "An internal error occurred.";
                break;
            default:
                extensions["code"] = executionError.Code == "TIMEOUT" ? ErrorCodes.LimitExceeded : executionError.Code ?? ErrorCodes.Internal;
                break;
        }

        return new ErrorInfo { Message = message, Extensions = extensions };
    }

    /// <summary>
    /// "Did you mean …" names fields and types of the schema: an anonymous caller that may not
    /// introspect does not get them either.
    /// </summary>
    private string WithoutSuggestions(string message)
    {
        if (_anonymousSuggestions || http.HttpContext?.RequestServices.GetService<BuildingBlocks.Callers.ICallerContext>() is { Current.IsAuthenticated: true })
        {
            return message;
        }

        var at = message.IndexOf(" Did you mean", StringComparison.Ordinal);
        return at < 0 ? message : message[..at];
    }
}
