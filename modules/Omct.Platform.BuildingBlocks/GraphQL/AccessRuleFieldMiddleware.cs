using GraphQL;
using GraphQL.Instrumentation;
using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// Enforces <see cref="AccessRules"/> on every field before its resolver: refuses a caller below
/// the field's role, hides (null) a value above the caller's clearance, reports reads of
/// <c>RESTRICTED</c> values to the audit trail, and checks a root field's arguments against
/// <see cref="WriteRules"/> (what a mutation may write, no NUL in text).
/// </summary>
public sealed class AccessRuleFieldMiddleware : IFieldMiddleware
{
    public ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next)
    {
        var caller = context.GetCaller();
        if (!AccessRules.Allows(context.FieldDefinition, caller))
        {
            return ValueTask.FromResult<object?>(null);
        }

        if (context.ParentType == context.Schema.Query || context.ParentType == context.Schema.Mutation)
        {
            WriteRules.Check(context, caller);
        }

        if (context.FieldDefinition.DeclaredRule() is { Kind: AccessRuleKind.Clearance, Clearance: Confidentiality.Restricted }
            && context.RequestServices?.GetService(typeof(IRestrictedReadRecorder)) is IRestrictedReadRecorder recorder)
        {
            recorder.Record(caller, $"{context.ParentType.Name}.{context.FieldDefinition.Name}", (context.Source as IHasEntityId)?.Id);
        }

        return next(context);
    }
}
