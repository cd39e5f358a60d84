using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// The one mechanism that decides, for every field of the schema, who may call it and who may see
/// its value. Every field declares exactly one rule (a test walks the schema and fails on a field
/// without one); <see cref="AccessRuleFieldMiddleware"/> enforces it before the resolver runs, on the fields
/// whose rule leaves something to check (<see cref="NeedsCheck"/>).
/// <list type="bullet">
/// <item><see cref="AllowAnonymous{TSource,TReturn}"/> / <see cref="RequireRole{TSource,TReturn}"/>:
/// what a caller may do — below the role the field fails with UNAUTHENTICATED or FORBIDDEN.
/// Root fields use these; the resolver still filters what it returns by clearance.</item>
/// <item><see cref="RequireClearance{TSource,TReturn}"/>: a confidential value inside a visible
/// record (a defender's contact): the field is null for a caller below the level, and a read at
/// <c>RESTRICTED</c> is reported to <see cref="Auditing.IRestrictedReadRecorder"/> (the audit trail).</item>
/// <item><see cref="FieldsShownWithRecord"/>: the fields of an object whose visibility the field
/// that returned it has already decided (a case's title once the case is visible).</item>
/// </list>
/// </summary>
public static class AccessRules
{
    public const string RuleKey = "omct:access";

    public static FieldBuilder<TSource, TReturn> AllowAnonymous<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) =>
        field.RequireRole(Role.Anonymous);

    public static FieldBuilder<TSource, TReturn> RequireRole<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, Role minimum)
    {
        ArgumentNullException.ThrowIfNull(field);
        field.FieldType.WithMetadata(RuleKey, AccessRule.ForRole(minimum));
        return field;
    }

    public static FieldBuilder<TSource, TReturn> RequireClearance<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, Confidentiality level)
    {
        ArgumentNullException.ThrowIfNull(field);
        field.FieldType.WithMetadata(RuleKey, AccessRule.ForClearance(level));
        return field;
    }

    /// <summary>
    /// Declares, for every field of <paramref name="type"/> declared so far without a rule of its
    /// own, that it is shown with its record. Call it at the end of the type's constructor.
    /// </summary>
    public static void FieldsShownWithRecord(this IComplexGraphType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (var field in type.Fields.Where(f => f.DeclaredRule() is null))
        {
            field.WithMetadata(RuleKey, AccessRule.WithRecord);
        }
    }

    /// <summary>The declared rule of a field, or null when it declares none.</summary>
    public static AccessRule? DeclaredRule(this IFieldType field) =>
        field.HasMetadata(RuleKey) ? field.GetMetadata<AccessRule>(RuleKey) : null;

    /// <summary>
    /// Whether a field's rule leaves anything to check when the field resolves, decided once when the schema is
    /// built (<see cref="AccessRuleFieldMiddleware.ApplyWhereNeeded"/>): a root field (its role, and
    /// <see cref="WriteRules"/> on its arguments), a role above anonymous, a clearance above <c>PUBLIC</c>, and —
    /// the safe default — a field that declares no rule. A field shown with its record, open to anonymous callers
    /// or public has nothing a caller could miss: it resolves without the check.
    /// </summary>
    public static bool NeedsCheck(IFieldType field, bool rootField)
    {
        ArgumentNullException.ThrowIfNull(field);
        return rootField || field.DeclaredRule() switch
        {
            null => true,
            { Kind: AccessRuleKind.Role, Role: var role } => role != Role.Anonymous,
            { Kind: AccessRuleKind.Clearance, Clearance: var level } => level != Confidentiality.Public,
            _ => false,
        };
    }

    /// <summary>
    /// Applies a field's rule: throws UNAUTHENTICATED or FORBIDDEN below its role; returns false
    /// (the field resolves to null) below its clearance; true when the resolver may run.
    /// </summary>
    public static bool Allows(IFieldType field, Caller caller)
    {
        switch (field.DeclaredRule())
        {
            case { Kind: AccessRuleKind.Role, Role: var role } when !caller.HasRole(role):
                throw caller.IsAuthenticated ? DomainException.Forbidden() : DomainException.Unauthenticated();
            case { Kind: AccessRuleKind.Clearance, Clearance: var level }:
                return caller.CanSee(level);
            default:
                return true;
        }
    }
}

public enum AccessRuleKind { Role, Clearance, WithRecord }

/// <summary>A field's declared access rule (see <see cref="AccessRules"/>).</summary>
public sealed record AccessRule(AccessRuleKind Kind, Role Role, Confidentiality Clearance)
{
    public static readonly AccessRule WithRecord = new(AccessRuleKind.WithRecord, Role.Anonymous, Confidentiality.Public);

    public static AccessRule ForRole(Role minimum) => new(AccessRuleKind.Role, minimum, Confidentiality.Public);

    public static AccessRule ForClearance(Confidentiality level) => new(AccessRuleKind.Clearance, Role.Anonymous, level);

    public override string ToString() => Kind switch
    {
        AccessRuleKind.Role => $"role ≥ {Role}",
        AccessRuleKind.Clearance => $"clearance ≥ {Clearance}",
        _ => "shown with its record",
    };
}
