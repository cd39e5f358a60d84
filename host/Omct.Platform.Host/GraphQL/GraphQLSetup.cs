using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Errors.Custom;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Host.Authentication;
using Omct.Platform.Host.Configuration;
using Omct.Platform.Host.Health;

namespace Omct.Platform.Host.GraphQL;

internal static class GraphQLSetup
{
    public static IServiceCollection AddPlatformGraphQL(this IServiceCollection services, GraphQLOptions limits)
    {
        services.AddSingleton<GraphQLHttpEndpoint>();
        services.AddSingleton<ValidatedDocumentCache>();
        services.AddSingleton<IGraphQLDocumentLimits, SavedDocumentLimits>();
        services.AddGraphQL(b => b
            .AddSchema<PlatformSchema>()
            .ConfigureSchema(s => s.RegisterVisitor(new PlatformComplexity.IntrospectionFields()))
            .AddGraphTypes(typeof(GraphQLSetup).Assembly)
            .AddGraphTypes(typeof(AccessRules).Assembly)
            .AddSystemTextJson()
            .AddErrorInfoProvider<PlatformErrorInfoProvider>()
            .AddComplexityAnalyzer(c =>
            {
                c.MaxDepth = limits.MaxDepth;
                c.MaxComplexity = limits.MaxComplexity;
                c.DefaultComplexityImpactDelegate = PlatformComplexity.Impact(c.DefaultComplexityImpactDelegate);
                c.ValidateComplexityDelegate = ChargeComplexity;
            })
            .AddUnhandledExceptionHandler(TranslateException));
        return services;
    }

    /// <summary>
    /// Rate limits count what a document costs, not only that it came (<see cref="CallerPartitions.TryCharge"/>, the
    /// request's own partition of the rate limiter):
    /// a document within the complexity budget that the caller's bucket cannot pay for is refused before it
    /// runs — LIMIT_EXCEEDED, answered 429 with Retry-After by the endpoint.
    /// </summary>
    private static Task ChargeComplexity(ComplexityValidationContext context)
    {
        if (context.Error is not null || context.ValidationContext.RequestServices is not { } services
            || services.GetService<IHttpContextAccessor>()?.HttpContext is not { } http)
        {
            return Task.CompletedTask;
        }

        if (services.GetRequiredService<CallerPartitions>().TryCharge(http, context.TotalImpact) is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = RateLimits.Header(retryAfter);
            http.Items[RateLimitedKey] = true;
            context.Error = new ComplexityError(
                $"Too many requests for what they cost: this document costs {Math.Floor(context.TotalImpact / CallerPartitions.ComplexityPerRequest) + 1:0} requests; retry after {retryAfter} s.");
        }

        return Task.CompletedTask;
    }

    /// <summary>Set on the request when <see cref="ChargeComplexity"/> refused its document: the endpoint answers 429.</summary>
    public const string RateLimitedKey = "omct:rate-limited";

    /// <summary>
    /// Turns what a resolver throws into the contract's error: a domain refusal keeps its code and
    /// message; a stale <c>expectedVersion</c> becomes CONFLICT; anything else is logged with its
    /// stack trace and answered as INTERNAL with only the trace id.
    /// </summary>
    private static void TranslateException(UnhandledExceptionContext context)
    {
        var options = context.ExecutionOptions;
        var services = options.RequestServices;
        var traceId = services?.GetService<IHttpContextAccessor>()?.HttpContext is { } http
            ? TraceId.Of(http)
            : System.Diagnostics.Activity.Current?.TraceId.ToString();
        switch (context.OriginalException)
        {
            case DomainException domain:
                context.Exception = new PlatformError(domain.Code, domain.Message, domain.Field, details: domain.Details);
                return;
            case JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException or JasperFx.Events.ExistingStreamIdCollisionException:
                context.Exception = new PlatformError(ErrorCodes.Conflict,
                    "The record was changed by someone else (expectedVersion is stale). Reload it and try again.");
                return;
            case JasperFx.DocumentAlreadyExistsException:
                context.Exception = new PlatformError(ErrorCodes.Conflict, "A unique value (a reference, a slug) is already taken.");
                return;
            case var e when DatabaseUnavailable.Is(e):
                services?.GetService<ILoggerFactory>()?.CreateLogger("Omct.Platform.GraphQL")
                    .LogWarning("The database is unreachable in field {Field} (trace {TraceId}): {Error}", context.FieldContext?.FieldDefinition.Name, traceId, e.Message);
                context.Exception = new PlatformError(ErrorCodes.Unavailable, DatabaseUnavailable.Message, traceId: traceId);
                return;
            case OperationCanceledException when options.CancellationToken.IsCancellationRequested:
                context.Exception = new PlatformError(ErrorCodes.Internal, "The request was cancelled.", traceId: traceId);
                return;
        }

        var log = services?.GetService<ILoggerFactory>()?.CreateLogger("Omct.Platform.GraphQL");
        log?.LogError(context.OriginalException, "Unhandled error in field {Field} (trace {TraceId})",
            context.FieldContext?.FieldDefinition.Name, traceId);
        context.Exception = new PlatformError(ErrorCodes.Internal, "An internal error occurred.", traceId: traceId);
    }
}
