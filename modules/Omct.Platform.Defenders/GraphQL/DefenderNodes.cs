using GraphQL;
using Marten;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Organisations;

namespace Omct.Platform.Defenders.GraphQL;

/// <summary><c>node(id)</c> for defenders (following merges) and organisations, within the caller's clearance.</summary>
internal sealed class DefenderNodeResolver(IDefenderDirectory directory) : INodeResolver
{
    public string TypeName => DefenderIds.Defender;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id) =>
        (await directory.ProfilesAsync([id], context.GetCaller(), context.CancellationToken)).GetValueOrDefault(id);
}

internal sealed class OrganisationNodeResolver(IDocumentStore store) : INodeResolver
{
    public string TypeName => DefenderIds.Organisation;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id)
    {
        await using var session = store.QuerySession();
        var found = await session.LoadAsync<Organisation>(id, context.CancellationToken);
        return found is not null && context.GetCaller().CanSee(found) ? found : null;
    }
}
