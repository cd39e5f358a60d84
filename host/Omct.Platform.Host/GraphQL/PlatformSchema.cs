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
