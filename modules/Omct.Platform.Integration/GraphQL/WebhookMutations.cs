using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Integration.Webhooks;

namespace Omct.Platform.Integration.GraphQL;

/// <summary>
/// The webhook mutations: for callers who may read the change feed (INTEGRATOR, STAFF, EDITOR, ADMIN),
/// each managing its own webhooks; an ADMIN manages every webhook.
/// </summary>
[MutationFields]
internal sealed class WebhookMutations
{
    [Description("Registers an endpoint for the change feed, delivering as you (your API key and its clearance). The signing secret is returned once.")]
    [RequireRole(Role.Integrator)]
    public async Task<RegisterWebhookPayload> RegisterWebhook(RegisterWebhookInput input, [FromServices] WebhookCommands commands, IResolveFieldContext ctx)
    {
        var (webhook, secret) = await commands.RegisterAsync(input, ctx.GetCaller(), ctx.CancellationToken);
        return new RegisterWebhookPayload(webhook, secret, input.ClientMutationId);
    }

    [Description("Changes a webhook's name, URL or entity types.")]
    [RequireRole(Role.Integrator)]
    public async Task<Payload<Webhook>> UpdateWebhook(UpdateWebhookInput input, [FromServices] WebhookCommands commands, IResolveFieldContext ctx) =>
        new(await commands.UpdateAsync(input, ctx.GetCaller(), ctx.CancellationToken), input.ClientMutationId);

    [Description("Stops deliveries until resumeWebhook (a delivery in progress finishes first).")]
    [RequireRole(Role.Integrator)]
    public async Task<Payload<Webhook>> PauseWebhook(PauseWebhookInput input, [FromServices] WebhookCommands commands, IResolveFieldContext ctx) =>
        new(await commands.PauseAsync(input, ctx.GetCaller(), ctx.CancellationToken), input.ClientMutationId);

    [Description("Delivers again, at once: a paused or failing webhook's pending delivery is retried on the next dispatch, with the same delivery id.")]
    [RequireRole(Role.Integrator)]
    public async Task<Payload<Webhook>> ResumeWebhook(ResumeWebhookInput input, [FromServices] WebhookCommands commands, IResolveFieldContext ctx) =>
        new(await commands.ResumeAsync(input, ctx.GetCaller(), ctx.CancellationToken), input.ClientMutationId);

    [Description("Deletes a webhook: no more deliveries; its secret is wiped.")]
    [RequireRole(Role.Integrator)]
    public async Task<Payload<Webhook>> DeleteWebhook(DeleteWebhookInput input, [FromServices] WebhookCommands commands, IResolveFieldContext ctx) =>
        new(await commands.DeleteAsync(input, ctx.GetCaller(), ctx.CancellationToken), input.ClientMutationId);

    [Description("Replaces the signing secret; every attempt from now on is signed with the new one, returned once.")]
    [RequireRole(Role.Integrator)]
    public async Task<RotateWebhookSecretPayload> RotateWebhookSecret(
        RotateWebhookSecretInput input, [FromServices] WebhookCommands commands, IResolveFieldContext ctx)
    {
        var (webhook, secret) = await commands.RotateSecretAsync(input, ctx.GetCaller(), ctx.CancellationToken);
        return new RotateWebhookSecretPayload(webhook, secret, input.ClientMutationId);
    }
}

internal sealed class RegisterWebhookInput : IdempotentInput
{
    [Description("To recognise it (1–100 characters).")]
    public string Name { get; set; } = "";

    [Description("Where deliveries are POSTed: an absolute https URL (http only where Omct:Webhooks:AllowHttp).")]
    public string Url { get; set; } = "";

    [Description("Only these entity types (default: all).")]
    [InputType(typeof(ListGraphType<NonNullGraphType<EntityTypeGraphType>>))]
    public List<string>? EntityTypes { get; set; }

    [Description("Deliver the changes after this feed cursor (an export's X-Omct-Feed-Cursor, a changes endCursor; changes(first: 0) gives the start). " +
                 "Default: the feed as it stands now, so only later changes are delivered.")]
    public string? After { get; set; }
}

internal sealed class UpdateWebhookInput : MutationInput
{
    [Id] public string WebhookId { get; set; } = "";

    [Description("Unchanged when absent.")]
    public string? Name { get; set; }

    [Description("Unchanged when absent. A new URL resets the failure count: the next attempt is at once.")]
    public string? Url { get; set; }

    [Description("Unchanged when absent; empty for all. Applies from the feed's next snapshot on (the batch in progress keeps its types).")]
    [InputType(typeof(ListGraphType<NonNullGraphType<EntityTypeGraphType>>))]
    public List<string>? EntityTypes { get; set; }
}

/// <summary>The input of pauseWebhook, resumeWebhook, deleteWebhook and rotateWebhookSecret (one class each: an input type is named after its class).</summary>
internal abstract class WebhookRefInput : MutationInput
{
    [Id] public string WebhookId { get; set; } = "";
}

internal sealed class PauseWebhookInput : WebhookRefInput;

internal sealed class ResumeWebhookInput : WebhookRefInput;

internal sealed class DeleteWebhookInput : WebhookRefInput;

internal sealed class RotateWebhookSecretInput : WebhookRefInput;
