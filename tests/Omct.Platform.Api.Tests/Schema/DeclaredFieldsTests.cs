using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Xunit;

namespace Omct.Platform.Api.Tests.Schema;

/// <summary>
/// Declared fields (BuildingBlocks/GraphQL/README.md): a method of a [MutationFields] class is a root
/// field with the access rule its attribute declares, and an input class is an input type whose
/// fields come base class first and carry the write rules their attributes declare.
/// </summary>
public sealed class DeclaredFieldsTests
{
    [Fact]
    public void Methods_become_root_fields_in_order_with_their_rule_description_and_arguments()
    {
        var mutation = new ObjectGraphType { Name = "Mutation" };
        mutation.AddFieldsOf<SampleMutations>();

        Assert.Equal(["Publish", "Count"], mutation.Fields.Select(f => f.Name));
        var publish = mutation.GetField("Publish")!;
        Assert.Equal(AccessRule.ForRole(Role.Editor), publish.DeclaredRule());
        Assert.Equal("Publishes it.", publish.Description);
        // [FromServices] and the CancellationToken are not arguments.
        Assert.Equal(["input"], publish.Arguments!.Select(a => a.Name));
        Assert.Equal(AccessRule.ForRole(Role.Anonymous), mutation.GetField("Count")!.DeclaredRule());
    }

    [Fact]
    public void A_method_without_an_access_rule_is_refused_at_start_up()
    {
        var mutation = new ObjectGraphType { Name = "Mutation" };
        var refused = Assert.Throws<InvalidOperationException>(mutation.AddFieldsOf<UnruledMutations>);
        Assert.Contains("UnruledMutations.Forgotten declares no access rule", refused.Message, StringComparison.Ordinal);
        Assert.Empty(mutation.Fields);
    }

    [Fact]
    public void A_class_joins_only_the_root_it_is_marked_for()
    {
        var query = new ObjectGraphType { Name = "Query" };
        var refused = Assert.Throws<InvalidOperationException>(query.AddFieldsOf<SampleMutations>);
        Assert.Contains("[QueryFields]", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_class_lists_the_base_fields_first_and_keeps_its_write_rules()
    {
        var input = new DeclaredInputGraphType<SampleInput>();

        Assert.Equal("SampleInput", input.Name);
        Assert.Equal(["ClientMutationId", "ExpectedVersion", "EntityId", "Title", "Secret"], input.Fields.Select(f => f.Name));
        Assert.Equal(Confidentiality.Restricted, input.GetField("Secret")!.WritableFrom());
        Assert.Null(input.GetField("Title")!.WritableFrom());
        Assert.Equal(typeof(NonNullGraphType<IdGraphType>), input.GetField("EntityId")!.Type);
        Assert.Equal("The entity's version as you read it; CONFLICT when it has changed since.", input.GetField("ExpectedVersion")!.Description);
    }

    [MutationFields]
    public sealed class SampleMutations
    {
        [Description("Publishes it.")]
        [RequireRole(Role.Editor)]
        public Task<int> PublishAsync(SampleInput input, [FromServices] IServiceProvider services, CancellationToken ct) => Task.FromResult(input.Title.Length);

        [RequireRole(Role.Anonymous)]
        public int Count() => 0;

    }

    [MutationFields]
    public sealed class UnruledMutations
    {
        public int Forgotten() => 0;
    }

    public abstract class SampleEntityInput : MutationInput
    {
        [Id] public string EntityId { get; set; } = "";
    }

    public sealed class SampleInput : SampleEntityInput
    {
        public string Title { get; set; } = "";

        [WritableFrom(Confidentiality.Restricted)]
        public string? Secret { get; set; }
    }
}
