using GraphQL.Types;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Modules;

namespace Omct.Platform.Host.GraphQL;

/// <summary>The one schema: root fields are the modules' contributions, nothing else.</summary>
internal sealed class PlatformSchema : Schema
{
    public PlatformSchema(IServiceProvider services, QueryType query, MutationType mutation) : base(services)
    {
        Query = query;
        Mutation = mutation;
        Description = "OMCT platform: cases, defenders, news and submissions.";
        // The contract's DateTime, for every DateTimeOffset a field is inferred from.
        RegisterTypeMapping(typeof(DateTimeOffset), typeof(IsoDateTimeGraphType));
    }

    /// <summary>
    /// The schema's types, with the access rules' middleware on the fields that have something to check and on no
    /// other (<see cref="AccessRuleFieldMiddleware.ApplyWhereNeeded"/>): GraphQL.NET wraps each field's resolver
    /// with its own middleware right after this, when the schema initialises.
    /// </summary>
    protected override SchemaTypes CreateSchemaTypes()
    {
        var types = base.CreateSchemaTypes();
        AccessRuleFieldMiddleware.ApplyWhereNeeded(types, this);
        return types;
    }
}

internal sealed class QueryType : ObjectGraphType
{
    public QueryType(IEnumerable<PlatformModule> modules)
    {
        Name = "Query";
        this.AddFieldsOf<NodeQueries>();
        foreach (var module in modules)
        {
            module.AddQueryFields(this);
        }
    }
}

internal sealed class MutationType : ObjectGraphType
{
    public MutationType(IEnumerable<PlatformModule> modules)
    {
        Name = "Mutation";
        foreach (var module in modules)
        {
            module.AddMutationFields(this);
        }
    }
}
