using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// The access rule of a declared field (a method of a <see cref="DeclaredFields"/> class, a property of
/// an auto-registered type): the same metadata as <see cref="AccessRules.RequireRole{TSource,TReturn}"/>,
/// enforced by <see cref="AccessRuleFieldMiddleware"/>. <c>Role.Anonymous</c> for a public field.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, Inherited = false)]
public sealed class RequireRoleAttribute(Role minimum) : GraphQLAttribute
{
    public Role Minimum { get; } = minimum;

    public override void Modify(FieldType fieldType, bool isInputType)
    {
        ArgumentNullException.ThrowIfNull(fieldType);
        fieldType.WithMetadata(AccessRules.RuleKey, AccessRule.ForRole(Minimum));
    }
}

/// <summary>
/// A confidential value inside a visible record: as <see cref="AccessRules.RequireClearance{TSource,TReturn}"/>
/// (null below the level, a read at RESTRICTED audited).
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, Inherited = false)]
public sealed class RequireClearanceAttribute(Confidentiality level) : GraphQLAttribute
{
    public Confidentiality Level { get; } = level;

    public override void Modify(FieldType fieldType, bool isInputType)
    {
        ArgumentNullException.ThrowIfNull(fieldType);
        fieldType.WithMetadata(AccessRules.RuleKey, AccessRule.ForClearance(Level));
    }
}

/// <summary>
/// An input field only a caller with the level's clearance may give: as
/// <see cref="WriteRules.WritableFrom{TSource,TReturn}"/>, checked by <see cref="WriteRules"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class WritableFromAttribute(Confidentiality level) : GraphQLAttribute
{
    public Confidentiality Level { get; } = level;

    public override void Modify(FieldType fieldType, bool isInputType)
    {
        ArgumentNullException.ThrowIfNull(fieldType);
        fieldType.WithMetadata(WriteRules.WritableFromKey, Level);
    }
}

/// <summary>A text (or list of texts) carried as the <c>CountryCode</c> scalar (ISO 3166-1 alpha-2).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class CountryCodeAttribute : GraphQLAttribute
{
    public override void Modify(TypeInformation typeInformation)
    {
        ArgumentNullException.ThrowIfNull(typeInformation);
        typeInformation.GraphType = typeof(CountryCodeGraphType);
    }
}

/// <summary>A text carried as the <c>PartialDate</c> scalar (2011, 2011-11 or 2011-11-24).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PartialDateAttribute : GraphQLAttribute
{
    public override void Modify(TypeInformation typeInformation)
    {
        ArgumentNullException.ThrowIfNull(typeInformation);
        typeInformation.GraphType = typeof(PartialDateGraphType);
    }
}
