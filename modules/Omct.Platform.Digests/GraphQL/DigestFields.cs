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
/// <c>digests</c>, <c>digestSubscriptions</c>, <c>reports</c> and the subscription mutations.
/// Digests and subscriptions are STAFF work (editors and admins include staff): a digest carries its
/// recipients and delivery failures, and a subscription decides what goes out of the organisation.
/// Reports are statistics, pulled like exports: INTEGRATOR and STAFF up. Every list holds only what
/// the caller's clearance reaches (a digest's audience, a report's clearance, a subscription's audience).
/// </summary>
internal static class DigestFields
{
    public static void RegisterQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionGraphType<DigestGraphType>>>("digests")
            .Description("The digests whose audience the caller's clearance reaches, newest first. STAFF and up.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .RequireRole(Role.Staff)
            .ResolveAsync(ctx => PageByClearanceAsync<DigestStore, Digest>(ctx, d => d.OrderKey));

        query.Field<NonNullGraphType<ConnectionGraphType<DigestSubscriptionGraphType>>>("digestSubscriptions")
            .Description("The digest subscriptions whose audience the caller's clearance reaches, newest first. STAFF and up.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var pageSize = Paging.PageSize(ctx.GetArgument<int?>("first"));
                var after = Paging.DecodeCursor(ctx.GetArgument<string?>("after"));
                var levels = ctx.GetCaller().VisibleLevels();
                var store = ctx.Service<IDocumentStore>();
                await using var session = store.QuerySession();
                var query = session.Query<DigestSubscription>().Where(s => levels.Contains(s.Audience));
                if (after is { } key)
                {
                    query = query.Where(s => s.OrderKey < key);
                }

                var rows = await query.OrderByDescending(s => s.OrderKey).Take(pageSize + 1).ToListAsync(ctx.CancellationToken);
                return Paging.Page(rows, pageSize, s => s.OrderKey, async ct =>
                {
                    await using var count = store.QuerySession();
                    return await count.Query<DigestSubscription>().Where(s => levels.Contains(s.Audience)).CountAsync(ct);
                });
            });

        query.Field<NonNullGraphType<ConnectionGraphType<ReportGraphType>>>("reports")
            .Description("The monthly reports whose clearance the caller's reaches, newest first. INTEGRATOR, STAFF and up.")
            .Argument<IntGraphType>("first")
            .Argument<StringGraphType>("after")
            .RequireRole(Role.Integrator)
            .ResolveAsync(ctx => PageByClearanceAsync<ReportStore, Report>(ctx, r => r.OrderKey));
    }

    /// <summary>A page of what a store keeps per clearance (digests per audience, reports per clearance), newest first.</summary>
    private static async Task<object?> PageByClearanceAsync<TStore, T>(IResolveFieldContext ctx, Func<T, long> key)
        where TStore : class, IPagedByClearance<T>
    {
        var pageSize = Paging.PageSize(ctx.GetArgument<int?>("first"));
        var after = Paging.DecodeCursor(ctx.GetArgument<string?>("after"));
        var levels = ctx.GetCaller().VisibleLevels();
        var store = ctx.Service<TStore>();
        var rows = await store.PageAsync(levels, after, pageSize + 1, ctx.CancellationToken);
        return Paging.Page(rows, pageSize, key, ct => store.CountAsync(levels, ct));
    }

    public static void RegisterMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<DigestSubscriptionPayloadGraphType>>("createDigestSubscription")
            .Description("STAFF: subscribes recipients and/or a webhook to daily or weekly digests. The webhook's signing secret is in this payload, once.")
            .Argument<NonNullGraphType<CreateDigestSubscriptionInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<DigestSubscriptionInput>("input");
                var result = await ctx.Service<SubscriptionCommands>().CreateAsync(input.Change(), input.ClientMutationId, ctx.CancellationToken);
                return new SubscriptionPayload(result.Subscription, result.WebhookSecret, input.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<DigestSubscriptionPayloadGraphType>>("updateDigestSubscription")
            .Description("STAFF: changes the fields given (an empty list clears it, webhookUrl \"\" removes the webhook). " +
                         "A new webhook, or rotateWebhookSecret, returns a new secret once.")
            .Argument<NonNullGraphType<UpdateDigestSubscriptionInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<DigestSubscriptionInput>("input");
                var result = await ctx.Service<SubscriptionCommands>().UpdateAsync(
                    IdOf(input.SubscriptionId), input.Change(), input.ExpectedVersion, input.ClientMutationId, ctx.CancellationToken);
                return new SubscriptionPayload(result.Subscription, result.WebhookSecret, input.ClientMutationId);
            });

        mutation.Field<NonNullGraphType<DigestSubscriptionPayloadGraphType>>("pauseDigestSubscription")
            .Description("STAFF: no digest is made for it until it is resumed (deliveries already queued still go).")
            .Argument<NonNullGraphType<PauseDigestSubscriptionInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(ctx => PauseAsync(ctx, paused: true));

        mutation.Field<NonNullGraphType<DigestSubscriptionPayloadGraphType>>("resumeDigestSubscription")
            .Description("STAFF: digests are made for it again, from the next day's run.")
            .Argument<NonNullGraphType<ResumeDigestSubscriptionInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(ctx => PauseAsync(ctx, paused: false));

        mutation.Field<NonNullGraphType<DigestSubscriptionPayloadGraphType>>("deleteDigestSubscription")
            .Description("STAFF: deletes the subscription and its deliveries not yet made; its digests stay. Returns it as it was.")
            .Argument<NonNullGraphType<DeleteDigestSubscriptionInputGraphType>>("input")
            .RequireRole(Role.Staff)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<DigestSubscriptionInput>("input");
                var deleted = await ctx.Service<SubscriptionCommands>().DeleteAsync(
                    IdOf(input.SubscriptionId), input.ExpectedVersion, input.ClientMutationId, ctx.CancellationToken);
                return new SubscriptionPayload(deleted, null, input.ClientMutationId);
            });
    }

    private static async Task<object?> PauseAsync(IResolveFieldContext ctx, bool paused)
    {
        var input = ctx.GetArgument<DigestSubscriptionInput>("input");
        var result = await ctx.Service<SubscriptionCommands>().PauseAsync(IdOf(input.SubscriptionId), paused, input.ExpectedVersion, input.ClientMutationId, ctx.CancellationToken);
        return new SubscriptionPayload(result.Subscription, null, input.ClientMutationId);
    }

    private static Guid IdOf(string? id) =>
        GlobalId.TryDecode(id, DigestSubscriptionGraphType.TypeName, out var guid) ? guid : throw DomainException.NotFound("The digest subscription");
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

internal sealed class DigestSubscriptionInput : MutationInput
{
    public string? SubscriptionId { get; set; }
    public string? Name { get; set; }
    public DigestPeriod? Period { get; set; }
    public DayOfWeek? Weekday { get; set; }
    public Confidentiality? Audience { get; set; }
    public List<string>? Countries { get; set; }
    public List<string>? Themes { get; set; }
    public List<string>? EmailRecipients { get; set; }
    public string? WebhookUrl { get; set; }
    public bool? RotateWebhookSecret { get; set; }

    public SubscriptionChange Change() => new(Name, Period, Weekday, Audience, Countries, Themes, EmailRecipients, WebhookUrl, RotateWebhookSecret ?? false);
}

internal sealed class CreateDigestSubscriptionInputGraphType : MutationInputGraphType<DigestSubscriptionInput>
{
    public CreateDigestSubscriptionInputGraphType() : base("CreateDigestSubscriptionInput", onExistingEntity: false)
    {
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<DigestPeriodGraphType>>("period");
        Field<WeekdayGraphType>("weekday").Description("WEEKLY only; MONDAY when absent.");
        Field<NonNullGraphType<ConfidentialityGraphType>>("audience").Description("At most your own clearance.");
        Field<ListGraphType<NonNullGraphType<CountryCodeGraphType>>>("countries");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("themes");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("emailRecipients");
        Field<StringGraphType>("webhookUrl").Description("https (http only with Omct:Webhooks:AllowHttp).");
    }
}

internal sealed class UpdateDigestSubscriptionInputGraphType : MutationInputGraphType<DigestSubscriptionInput>
{
    public UpdateDigestSubscriptionInputGraphType() : base("UpdateDigestSubscriptionInput")
    {
        Field<NonNullGraphType<IdGraphType>>("subscriptionId");
        Field<StringGraphType>("name");
        Field<DigestPeriodGraphType>("period");
        Field<WeekdayGraphType>("weekday");
        Field<ConfidentialityGraphType>("audience");
        Field<ListGraphType<NonNullGraphType<CountryCodeGraphType>>>("countries");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("themes");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("emailRecipients");
        Field<StringGraphType>("webhookUrl").Description("\"\" removes the webhook.");
        Field<BooleanGraphType>("rotateWebhookSecret").Description("A new secret (returned once); the old one stops signing at once.");
    }
}

/// <summary>The input of pause, resume and delete: which subscription (one input type per mutation, as the contract names them).</summary>
internal abstract class DigestSubscriptionRefInputGraphType : MutationInputGraphType<DigestSubscriptionInput>
{
    protected DigestSubscriptionRefInputGraphType(string name) : base(name) => Field<NonNullGraphType<IdGraphType>>("subscriptionId");
}

internal sealed class PauseDigestSubscriptionInputGraphType() : DigestSubscriptionRefInputGraphType("PauseDigestSubscriptionInput");

internal sealed class ResumeDigestSubscriptionInputGraphType() : DigestSubscriptionRefInputGraphType("ResumeDigestSubscriptionInput");

internal sealed class DeleteDigestSubscriptionInputGraphType() : DigestSubscriptionRefInputGraphType("DeleteDigestSubscriptionInput");
