using GraphQL;
using GraphQL.Instrumentation;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Auditing;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// Enforces <see cref="AccessRules"/> before a field's resolver: refuses a caller below the field's role, hides
/// (null) a value above the caller's clearance, reports reads of <c>RESTRICTED</c> values to the audit trail, and
/// checks a root field's arguments against <see cref="WriteRules"/> (what a mutation may write, no NUL in text).
/// It is put, when the schema is built (<see cref="ApplyWhereNeeded"/>), on every field whose rule leaves
/// something to check (<see cref="AccessRules.NeedsCheck"/>) and on no other: a field shown with its record
/// resolves without a call through it.
/// </summary>
public sealed class AccessRuleFieldMiddleware : IFieldMiddleware
{
    public static readonly AccessRuleFieldMiddleware Instance = new();

    private AccessRuleFieldMiddleware() { }

    /// <summary>
    /// Puts the middleware on the fields of <paramref name="types"/> that need it (GraphQL.NET's field middleware,
    /// <see cref="FieldType.Middleware"/>, wrapped around the resolver when the schema initialises). Call it
    /// once, on the types the schema has discovered, before it applies field middleware.
    /// </summary>
    public static void ApplyWhereNeeded(IEnumerable<IGraphType> types, ISchema schema)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(schema);
        foreach (var type in types.OfType<IObjectGraphType>())
        {
            var root = type == schema.Query || type == schema.Mutation;
            foreach (var field in type.Fields.Where(f => AccessRules.NeedsCheck(f, root)))
            {
                field.ApplyMiddleware(Instance);
            }
        }
    }

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
