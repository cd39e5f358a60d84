using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Security;

/// <summary>Every field of the schema declares who may call it and who may see it (see AccessRules).</summary>
public sealed class SchemaAccessRulesTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public void Every_field_of_every_type_declares_an_access_rule()
    {
        var schema = Schema();
        var missing = FieldsWithoutRule(schema.AllTypes.OfType<IComplexGraphType>().Where(t => t is not IInputObjectGraphType)).ToList();
        Assert.True(missing.Count == 0, "Fields without a declared access rule: " + string.Join(", ", missing));
    }

    [Fact]
    public void Root_fields_declare_a_role_and_no_mutation_is_open_to_anonymous_callers()
    {
        var schema = Schema();
        Assert.All(schema.Query.Fields, f => Assert.Equal(AccessRuleKind.Role, f.DeclaredRule()!.Kind));
        Assert.All(schema.Mutation!.Fields, f =>
        {
            var rule = f.DeclaredRule()!;
            Assert.Equal(AccessRuleKind.Role, rule.Kind);
            Assert.True(rule.Role != BuildingBlocks.Callers.Role.Anonymous, $"mutation {f.Name} is open to anonymous callers");
        });
    }

    [Fact]
    public void The_walk_catches_a_field_without_a_rule()
    {
        var type = new ObjectGraphType { Name = "Careless" };
        type.Field<StringGraphType>("declared").AllowAnonymous();
        type.Field<StringGraphType>("forgotten");
        Assert.Equal(["Careless.forgotten"], FieldsWithoutRule([type]));
    }

    private ISchema Schema()
    {
        var schema = platform.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        return schema;
    }

    private static IEnumerable<string> FieldsWithoutRule(IEnumerable<IComplexGraphType> types) =>
        from type in types
        where !type.Name.StartsWith("__", StringComparison.Ordinal)
        from field in type.Fields
        where field.DeclaredRule() is null
        select $"{type.Name}.{field.Name}";
}
