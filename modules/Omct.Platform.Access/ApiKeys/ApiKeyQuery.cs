using System.ComponentModel;
using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;

namespace Omct.Platform.Access.ApiKeys;

/// <summary><c>apiKeys(first, after)</c> (see <see cref="ApiKeyListing"/>).</summary>
[QueryFields]
internal sealed class ApiKeyQuery
{
    /// <summary>Where the page's last uses are kept for <see cref="ApiKeyGraphType"/> (one query per page, not per key).</summary>
    internal const string LastUsesKey = "omct:apiKeyLastUses";

    [Description("ADMIN: the API keys within your clearance (revoked and expired ones included), oldest first. Secrets are never shown.")]
    [RequireRole(Role.Admin)]
    public async Task<Connection<ApiKey>> ApiKeys(int? first, string? after, [FromServices] ApiKeyListing listing, IResolveFieldContext ctx)
    {
        var (page, uses) = await listing.PageAsync(first, after, ctx.CancellationToken);
        var lastUses = ctx.UserContext.TryGetValue(LastUsesKey, out var known) && known is Dictionary<Guid, DateTimeOffset> existing
            ? existing
            : new Dictionary<Guid, DateTimeOffset>();
        foreach (var use in uses)
        {
            lastUses[use.Id] = use.LastUsedAt;
        }

        ctx.UserContext[LastUsesKey] = lastUses;
        return page;
    }
}
