using GraphQL;
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

    [Fact]
    public void The_check_runs_only_on_fields_whose_rule_leaves_something_to_check()
    {
        var schema = Schema();
        var field = (string type, string name) => ((IComplexGraphType)schema.AllTypes[type]!).GetField(name)!;

        // Shown with its record: resolved without the middleware.
        Assert.Equal(AccessRuleKind.WithRecord, field("Case", "title").DeclaredRule()!.Kind);
        Assert.Null(field("Case", "title").Middleware);
        Assert.Null(field("Caller", "role").Middleware);
        // A clearance a caller may lack, every root field (role, arguments) and every mutation keep it.
        Assert.Equal(AccessRuleKind.Clearance, field("Defender", "contact").DeclaredRule()!.Kind);
        Assert.NotNull(field("Defender", "contact").Middleware);
        Assert.NotNull(field("Query", "cases").Middleware);
        Assert.NotNull(field("Query", "me").Middleware);
        Assert.All(schema.Query.Fields, f => Assert.NotNull(f.Middleware));
        Assert.All(schema.Mutation!.Fields, f => Assert.NotNull(f.Middleware));
        // And every field whose rule needs it, whatever the type.
        Assert.All(
            from type in schema.AllTypes.OfType<IObjectGraphType>()
            from f in type.Fields
            where AccessRules.NeedsCheck(f, type == schema.Query || type == schema.Mutation)
            select f,
            f => Assert.NotNull(f.Middleware));
    }

    [Fact]
    public void A_field_without_a_rule_keeps_the_check()
    {
        var query = new ObjectGraphType { Name = "Query" };
        query.Field<StringGraphType>("root").AllowAnonymous();
        var type = new ObjectGraphType { Name = "Careless" };
        type.Field<StringGraphType>("forgotten");
        type.Field<StringGraphType>("open").AllowAnonymous();
        type.Field<StringGraphType>("staffOnly").RequireRole(BuildingBlocks.Callers.Role.Staff);
        type.Field<StringGraphType>("publicValue").RequireClearance(BuildingBlocks.Callers.Confidentiality.Public);
        type.Field<StringGraphType>("networkValue").RequireClearance(BuildingBlocks.Callers.Confidentiality.Network);
        type.Field<StringGraphType>("title");
        type.GetField("title")!.WithMetadata(AccessRules.RuleKey, AccessRule.WithRecord);
        AccessRuleFieldMiddleware.ApplyWhereNeeded([query, type], new global::GraphQL.Types.Schema { Query = query });

        Assert.NotNull(query.GetField("root")!.Middleware);
        Assert.NotNull(type.GetField("forgotten")!.Middleware);
        Assert.NotNull(type.GetField("staffOnly")!.Middleware);
        Assert.NotNull(type.GetField("networkValue")!.Middleware);
        Assert.Null(type.GetField("open")!.Middleware);
        Assert.Null(type.GetField("publicValue")!.Middleware);
        Assert.Null(type.GetField("title")!.Middleware);
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
