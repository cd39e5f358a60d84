using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Integration.Webhooks;

namespace Omct.Platform.Integration.GraphQL;

/// <summary>
/// <c>webhooks</c> and the webhook mutations: for callers who may read the change feed (INTEGRATOR, STAFF,
/// EDITOR, ADMIN), each managing its own webhooks; an ADMIN sees and manages every webhook.
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

    public static void RegisterMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RegisterWebhookPayloadGraphType>>("registerWebhook")
            .Description("Registers an endpoint for the change feed, delivering as you (your API key and its clearance). The signing secret is returned once.")
            .Argument<NonNullGraphType<RegisterWebhookInputGraphType>>("input")
            .RequireRole(Role.Integrator)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<RegisterWebhookInput>("input");
                var (webhook, secret) = await ctx.Service<WebhookCommands>().RegisterAsync(input, ctx.GetCaller(), ctx.CancellationToken);
                return new WebhookSecretPayload(webhook, secret, input.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<PayloadGraphType<WebhookGraphType>>>("updateWebhook")
            .Description("Changes a webhook's name, URL or entity types.")
            .Argument<NonNullGraphType<UpdateWebhookInputGraphType>>("input")
            .RequireRole(Role.Integrator)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<UpdateWebhookInput>("input");
                return new Payload<Webhook>(await ctx.Service<WebhookCommands>().UpdateAsync(input, ctx.GetCaller(), ctx.CancellationToken), input.ClientMutationId);
            });

        Ref<PauseWebhookInputGraphType>(mutation, "pauseWebhook", "Stops deliveries until resumeWebhook (a delivery in progress finishes first).",
            (commands, input, caller, ct) => commands.PauseAsync(input, caller, ct));
        Ref<ResumeWebhookInputGraphType>(mutation, "resumeWebhook",
            "Delivers again, at once: a paused or failing webhook's pending delivery is retried on the next dispatch, with the same delivery id.",
            (commands, input, caller, ct) => commands.ResumeAsync(input, caller, ct));
        Ref<DeleteWebhookInputGraphType>(mutation, "deleteWebhook", "Deletes a webhook: no more deliveries; its secret is wiped.",
            (commands, input, caller, ct) => commands.DeleteAsync(input, caller, ct));

        mutation.Field<NonNullGraphType<RotateWebhookSecretPayloadGraphType>>("rotateWebhookSecret")
            .Description("Replaces the signing secret; every attempt from now on is signed with the new one, returned once.")
            .Argument<NonNullGraphType<RotateWebhookSecretInputGraphType>>("input")
            .RequireRole(Role.Integrator)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<WebhookRefInput>("input");
                var (webhook, secret) = await ctx.Service<WebhookCommands>().RotateSecretAsync(input, ctx.GetCaller(), ctx.CancellationToken);
                return new WebhookSecretPayload(webhook, secret, input.ClientMutationId);
            });
    }

    private static void Ref<TInput>(
        ObjectGraphType mutation, string name, string description, Func<WebhookCommands, WebhookRefInput, Caller, CancellationToken, Task<Webhook>> run)
        where TInput : WebhookRefInputGraphType =>
        mutation.Field<NonNullGraphType<PayloadGraphType<WebhookGraphType>>>(name)
            .Description(description)
            .Argument<NonNullGraphType<TInput>>("input")
            .RequireRole(Role.Integrator)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<WebhookRefInput>("input");
                return new Payload<Webhook>(await run(ctx.Service<WebhookCommands>(), input, ctx.GetCaller(), ctx.CancellationToken), input.ClientMutationId);
            });
}

/// <summary><c>node(id)</c> for webhooks: only for their registrant and admins.</summary>
internal sealed class WebhookNodeResolver : INodeResolver
{
    public string TypeName => Webhook.TypeName;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id) =>
        await context.Service<WebhookCommands>().FindAsync(BuildingBlocks.Ids.GlobalId.Encode(Webhook.TypeName, id), context.GetCaller(), context.CancellationToken);
}
