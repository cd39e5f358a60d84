using GraphQL;
using GraphQL.Instrumentation;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>Enforces <see cref="AccessRules"/> on every field that declares one, before its resolver.</summary>
public sealed class AccessRuleFieldMiddleware : IFieldMiddleware
{
    public ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next)
    {
        AccessRules.Enforce(context.FieldDefinition, context.GetCaller());
        return next(context);
    }
}
