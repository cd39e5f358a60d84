using GraphQL;
using Marten;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Cases.CaseDetails;

namespace Omct.Platform.Cases.GraphQL;

/// <summary><c>node(id)</c> for cases.</summary>
internal sealed class CaseNodeResolver(IDocumentStore store) : INodeResolver
{
    public string TypeName => CaseIds.Case;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id)
    {
        await using var session = store.QuerySession();
        var found = await session.LoadAsync<Case>(id, context.CancellationToken);
        return found is not null && context.GetCaller().CanSee(found) ? found : null;
    }
}
