using GraphQL;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.GraphQL;

public static class ResolveFieldContextExtensions
{
    /// <summary>The caller of this request, as authenticated by the endpoint.</summary>
    public static Caller GetCaller(this IResolveFieldContext context) =>
        (context.RequestServices ?? throw new InvalidOperationException("No request services.")).GetRequiredService<ICallerContext>().Current;

    /// <summary>A scoped service of this request.</summary>
    public static T Service<T>(this IResolveFieldContext context) where T : notnull =>
        (context.RequestServices ?? throw new InvalidOperationException("No request services.")).GetRequiredService<T>();
}
