using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.GraphQL;

public static class CountFields
{
    /// <summary>A root <c>Int!</c> field counting the documents of a read model that the caller may see.</summary>
    public static void AddVisibleCount<TDocument>(this ObjectGraphType query, string name, string description)
        where TDocument : IConfidential
    {
        query.Field<NonNullGraphType<IntGraphType>>(name)
            .Description(description)
            .AllowAnonymous()
            .ResolveAsync(async ctx =>
            {
                var levels = ctx.GetCaller().VisibleLevels();
                await using var session = ctx.Service<IDocumentStore>().QuerySession();
                return await session.Query<TDocument>().CountAsync(d => levels.Contains(d.Confidentiality), ctx.CancellationToken);
            });
    }
}
