using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// Declared access rules on root fields. Every root field states who may call it — anyone
/// (<see cref="AllowAnonymous{TSource,TReturn}"/>) or a minimum role
/// (<see cref="RequireRole{TSource,TReturn}"/>) — and the endpoint's field middleware enforces the
/// rule before the resolver runs. What a permitted caller may <em>see</em> is decided by clearance
/// in the read paths.
/// </summary>
public static class AccessRules
{
    public const string MinimumRoleKey = "omct:minimumRole";

    public static FieldBuilder<TSource, TReturn> AllowAnonymous<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) =>
        field.RequireRole(Role.Anonymous);

    public static FieldBuilder<TSource, TReturn> RequireRole<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, Role minimum)
    {
        ArgumentNullException.ThrowIfNull(field);
        field.FieldType.WithMetadata(MinimumRoleKey, minimum);
        return field;
    }

    /// <summary>The declared minimum role of a field, or null when it declares none.</summary>
    public static Role? DeclaredMinimumRole(this IFieldType field) =>
        field.HasMetadata(MinimumRoleKey) ? field.GetMetadata<Role>(MinimumRoleKey) : null;

    /// <summary>Throws UNAUTHENTICATED or FORBIDDEN when the caller's role is below the field's rule.</summary>
    public static void Enforce(IFieldType field, Caller caller)
    {
        var minimum = field.DeclaredMinimumRole();
        if (minimum is null || caller.HasRole(minimum.Value))
        {
            return;
        }

        throw caller.IsAuthenticated ? DomainException.Forbidden() : DomainException.Unauthenticated();
    }
}
