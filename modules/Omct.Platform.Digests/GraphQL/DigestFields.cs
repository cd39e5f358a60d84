using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Digests.Composing;
using Omct.Platform.Digests.Reports;
using Omct.Platform.Digests.Subscriptions;

namespace Omct.Platform.Digests.GraphQL;

/// <summary>
/// <c>digests</c>, <c>digestSubscriptions</c> and <c>reports</c>.
/// Digests and subscriptions are STAFF work (editors and admins include staff): a digest carries its
/// recipients and delivery failures, and a subscription decides what goes out of the organisation.
/// Reports are statistics, pulled like exports: INTEGRATOR and STAFF up. Every list holds only what
/// the caller's clearance reaches (a digest's audience, a report's clearance, a subscription's audience).
/// </summary>
[QueryFields]
internal sealed class DigestQueries
{
    [Description("The digests whose audience the caller's clearance reaches, newest first. STAFF and up.")]
    [RequireRole(Role.Staff)]
    public Task<Connection<Digest>> Digests(int? first, string? after, [FromServices] DigestStore store, IResolveFieldContext ctx) =>
        PageByClearanceAsync(store, first, after, d => d.OrderKey, ctx);

    [Description("The digest subscriptions whose audience the caller's clearance reaches, newest first. STAFF and up.")]
    [RequireRole(Role.Staff)]
    public async Task<Connection<DigestSubscription>> DigestSubscriptions(int? first, string? after, [FromServices] IDocumentStore store, IResolveFieldContext ctx)
    {
        var pageSize = Paging.PageSize(first);
        var levels = ctx.GetCaller().VisibleLevels();
        await using var session = store.QuerySession();
        var query = session.Query<DigestSubscription>().Where(s => levels.Contains(s.Audience));
        if (Paging.DecodeCursor(after) is { } key)
        {
            query = query.Where(s => s.OrderKey < key);
        }

        var rows = await query.OrderByDescending(s => s.OrderKey).Take(pageSize + 1).ToListAsync(ctx.CancellationToken);
        return Paging.Page(rows, pageSize, s => s.OrderKey, async ct =>
        {
            await using var count = store.QuerySession();
            return await count.Query<DigestSubscription>().Where(s => levels.Contains(s.Audience)).CountAsync(ct);
        });
    }

    [Description("The monthly reports whose clearance the caller's reaches, newest first. INTEGRATOR, STAFF and up.")]
    [RequireRole(Role.Integrator)]
    public Task<Connection<Report>> Reports(int? first, string? after, [FromServices] ReportStore store, IResolveFieldContext ctx) =>
        PageByClearanceAsync(store, first, after, r => r.OrderKey, ctx);

    /// <summary>A page of what a store keeps per clearance (digests per audience, reports per clearance), newest first.</summary>
    private static async Task<Connection<T>> PageByClearanceAsync<T>(IPagedByClearance<T> store, int? first, string? after, Func<T, long> key, IResolveFieldContext ctx)
    {
        var pageSize = Paging.PageSize(first);
        var levels = ctx.GetCaller().VisibleLevels();
        var rows = await store.PageAsync(levels, Paging.DecodeCursor(after), pageSize + 1, ctx.CancellationToken);
        return Paging.Page(rows, pageSize, key, ct => store.CountAsync(levels, ct));
    }
}

/// <summary>The subscription mutations: STAFF work (a subscription decides what goes out of the organisation).</summary>
[MutationFields]
internal sealed class DigestSubscriptionMutations
{
    [Description("STAFF: subscribes recipients and/or a webhook to daily or weekly digests. The webhook's signing secret is in this payload, once.")]
    [RequireRole(Role.Staff)]
    public async Task<SubscriptionPayload> CreateDigestSubscription(
        CreateDigestSubscriptionInput input, [FromServices] SubscriptionCommands commands, CancellationToken ct)
    {
        var result = await commands.CreateAsync(input.Change(), input.ClientMutationId, ct);
        return new SubscriptionPayload(result.Subscription, result.WebhookSecret, input.ClientMutationId);
    }

    [Description("STAFF: changes the fields given (an empty list clears it, webhookUrl \"\" removes the webhook). " +
                 "A new webhook, or rotateWebhookSecret, returns a new secret once.")]
    [RequireRole(Role.Staff)]
    public async Task<SubscriptionPayload> UpdateDigestSubscription(
        UpdateDigestSubscriptionInput input, [FromServices] SubscriptionCommands commands, CancellationToken ct)
    {
        var result = await commands.UpdateAsync(IdOf(input), input.Change(), input.ExpectedVersion, input.ClientMutationId, ct);
        return new SubscriptionPayload(result.Subscription, result.WebhookSecret, input.ClientMutationId);
    }

    [Description("STAFF: no digest is made for it until it is resumed (deliveries already queued still go).")]
    [RequireRole(Role.Staff)]
    public Task<SubscriptionPayload> PauseDigestSubscription(PauseDigestSubscriptionInput input, [FromServices] SubscriptionCommands commands, CancellationToken ct) =>
        PauseAsync(commands, input, paused: true, ct);

    [Description("STAFF: digests are made for it again, from the next day's run.")]
    [RequireRole(Role.Staff)]
    public Task<SubscriptionPayload> ResumeDigestSubscription(ResumeDigestSubscriptionInput input, [FromServices] SubscriptionCommands commands, CancellationToken ct) =>
        PauseAsync(commands, input, paused: false, ct);

    [Description("STAFF: deletes the subscription and its deliveries not yet made; its digests stay. Returns it as it was.")]
    [RequireRole(Role.Staff)]
    public async Task<SubscriptionPayload> DeleteDigestSubscription(DeleteDigestSubscriptionInput input, [FromServices] SubscriptionCommands commands, CancellationToken ct) =>
        new(await commands.DeleteAsync(IdOf(input), input.ExpectedVersion, input.ClientMutationId, ct), null, input.ClientMutationId);

    private static async Task<SubscriptionPayload> PauseAsync(SubscriptionCommands commands, DigestSubscriptionRefInput input, bool paused, CancellationToken ct)
    {
        var result = await commands.PauseAsync(IdOf(input), paused, input.ExpectedVersion, input.ClientMutationId, ct);
        return new SubscriptionPayload(result.Subscription, null, input.ClientMutationId);
    }

    private static Guid IdOf(DigestSubscriptionRefInput input) =>
        GlobalId.TryDecode(input.SubscriptionId, DigestSubscriptionGraphType.TypeName, out var guid) ? guid : throw DomainException.NotFound("The digest subscription");
}

internal sealed record SubscriptionPayload(DigestSubscription Subscription, string? WebhookSecret, string? ClientMutationId);

internal sealed class DigestSubscriptionPayloadGraphType : ObjectGraphType<SubscriptionPayload>
{
    public DigestSubscriptionPayloadGraphType()
    {
        Name = "DigestSubscriptionPayload";
        Field<NonNullGraphType<DigestSubscriptionGraphType>>("digestSubscription").Resolve(c => c.Source.Subscription);
        Field(p => p.WebhookSecret, nullable: true)
            .Description("The webhook's signing secret (HMAC-SHA256, header X-Omct-Signature), only in the payload that made it: store it now.");
        Field(p => p.ClientMutationId, nullable: true);
        this.FieldsShownWithRecord();
    }
}

internal sealed class CreateDigestSubscriptionInput : IdempotentInput
{
    public string Name { get; set; } = "";
    public DigestPeriod Period { get; set; }
    [Description("WEEKLY only; MONDAY when absent.")]
    public DayOfWeek? Weekday { get; set; }
    [Description("At most your own clearance.")]
    public Confidentiality Audience { get; set; }
    [CountryCode] public List<string>? Countries { get; set; }
    public List<string>? Themes { get; set; }
    public List<string>? EmailRecipients { get; set; }
    [Description("https (http only with Omct:Webhooks:AllowHttp).")]
    public string? WebhookUrl { get; set; }

    public SubscriptionChange Change() => new(Name, Period, Weekday, Audience, Countries, Themes, EmailRecipients, WebhookUrl, false);
}

/// <summary>Which subscription (one input type per mutation, as the contract names them).</summary>
internal abstract class DigestSubscriptionRefInput : MutationInput
{
    [Id] public string SubscriptionId { get; set; } = "";
}

internal sealed class UpdateDigestSubscriptionInput : DigestSubscriptionRefInput
{
    public string? Name { get; set; }
    public DigestPeriod? Period { get; set; }
    public DayOfWeek? Weekday { get; set; }
    public Confidentiality? Audience { get; set; }
    [CountryCode] public List<string>? Countries { get; set; }
    public List<string>? Themes { get; set; }
    public List<string>? EmailRecipients { get; set; }
    [Description("\"\" removes the webhook.")]
    public string? WebhookUrl { get; set; }
    [Description("A new secret (returned once); the old one stops signing at once.")]
    public bool? RotateWebhookSecret { get; set; }

    public SubscriptionChange Change() => new(Name, Period, Weekday, Audience, Countries, Themes, EmailRecipients, WebhookUrl, RotateWebhookSecret ?? false);
}

internal sealed class PauseDigestSubscriptionInput : DigestSubscriptionRefInput;

internal sealed class ResumeDigestSubscriptionInput : DigestSubscriptionRefInput;

internal sealed class DeleteDigestSubscriptionInput : DigestSubscriptionRefInput;
