using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.GraphQL;

public static class ResolveFieldContextExtensions
{
    /// <summary>The key of an execution's user context (<see cref="ExecutionOptions.UserContext"/>) that holds its caller.</summary>
    public const string CallerKey = "omct.caller";

    /// <summary>
    /// The user context of an execution on behalf of <paramref name="caller"/> (the request's caller, known before it
    /// starts and never changed during it). Written once, before the execution; its resolvers, which run in parallel,
    /// only read it.
    /// </summary>
    public static Dictionary<string, object?> UserContextFor(Caller caller) => new() { [CallerKey] = caller };

    /// <summary>
    /// The caller of this request, as authenticated by the endpoint: from the execution's user context when it holds it
    /// (no resolution from the request scope, whose lock the resolvers of a page would otherwise queue on), else the
    /// request's <see cref="ICallerContext"/>.
    /// </summary>
    public static Caller GetCaller(this IResolveFieldContext context) =>
        context.UserContext.TryGetValue(CallerKey, out var held) && held is Caller caller
            ? caller
            : (context.RequestServices ?? throw new InvalidOperationException("No request services.")).GetRequiredService<ICallerContext>().Current;

    /// <summary>A scoped service of this request.</summary>
    public static T Service<T>(this IResolveFieldContext context) where T : notnull =>
        (context.RequestServices ?? throw new InvalidOperationException("No request services.")).GetRequiredService<T>();
}
