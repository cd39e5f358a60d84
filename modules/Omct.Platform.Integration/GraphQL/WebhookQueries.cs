using System.ComponentModel;
using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Integration.Webhooks;

namespace Omct.Platform.Integration.GraphQL;

/// <summary>
/// <c>webhooks</c>: for callers who may read the change feed (INTEGRATOR, STAFF,
/// EDITOR, ADMIN), each seeing its own webhooks; an ADMIN sees every webhook (the mutations: <see cref="WebhookMutations"/>).
/// </summary>
[QueryFields]
internal sealed class WebhookQueries
{
    [Description("Your webhooks (an ADMIN: everyone's whose registrant's clearance is within its own), in registration order, with their status, cursor and last attempts.")]
    [RequireRole(Role.Integrator)]
    public Task<Connection<Webhook>> Webhooks(int? first, string? after, [FromServices] WebhookCommands commands, IResolveFieldContext ctx) =>
        commands.PageAsync(first, after, ctx.GetCaller(), ctx.CancellationToken);
}

/// <summary><c>node(id)</c> for webhooks: only for their registrant and admins.</summary>
internal sealed class WebhookNodeResolver : INodeResolver
{
    public string TypeName => Webhook.TypeName;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id) =>
        await context.Service<WebhookCommands>().FindAsync(BuildingBlocks.Ids.GlobalId.Encode(Webhook.TypeName, id), context.GetCaller(), context.CancellationToken);
}
