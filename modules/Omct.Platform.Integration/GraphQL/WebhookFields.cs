using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Integration.Webhooks;

namespace Omct.Platform.Integration.GraphQL;

/// <summary>
/// <c>webhooks</c>: for callers who may read the change feed (INTEGRATOR, STAFF,
/// EDITOR, ADMIN), each seeing its own webhooks; an ADMIN sees every webhook (the mutations: <see cref="WebhookMutations"/>).
/// </summary>
internal static class WebhookFields
{
    public static void RegisterQueries(ObjectGraphType query) =>
        query.Field<NonNullGraphType<ConnectionGraphType<WebhookGraphType>>>("webhooks")
            .Description("Your webhooks (an ADMIN: everyone's whose registrant's clearance is within its own), in registration order, with their status, cursor and last attempts.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .RequireRole(Role.Integrator)
            .ResolveAsync(async ctx =>
            {
                var caller = ctx.GetCaller();
                var store = ctx.Service<WebhookStore>();
                // Your own; an admin: everyone's whose registrant's clearance its own reaches (Webhook.IsManagedBy).
                var owner = caller.HasRole(Role.Admin) ? null : caller.Id;
                var levels = owner is null ? caller.VisibleLevels() : Enum.GetValues<Confidentiality>();
                var size = Paging.PageSize(ctx.GetArgument<int?>("first"));
                var rows = await store.PageAsync(owner, levels, Paging.DecodeCursor(ctx.GetArgument<string?>("after")), size + 1, ctx.CancellationToken);
                return Paging.Page(rows, size, w => w.OrderKey, ct => store.CountAsync(owner, levels, ct));
            });
}

/// <summary><c>node(id)</c> for webhooks: only for their registrant and admins.</summary>
internal sealed class WebhookNodeResolver : INodeResolver
{
    public string TypeName => Webhook.TypeName;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id) =>
        await context.Service<WebhookCommands>().FindAsync(BuildingBlocks.Ids.GlobalId.Encode(Webhook.TypeName, id), context.GetCaller(), context.CancellationToken);
}
