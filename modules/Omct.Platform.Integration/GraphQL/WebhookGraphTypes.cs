using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Webhooks;
using Omct.Platform.Integration.Webhooks;

namespace Omct.Platform.Integration.GraphQL;

internal sealed class WebhookStatusGraphType : EnumerationGraphType<WebhookStatus>
{
    public WebhookStatusGraphType()
    {
        Name = "WebhookStatus";
        Description = "ACTIVE: delivering. FAILING: delivering, but the last attempt failed (see nextRetryAt). PAUSED: not delivering until resumeWebhook " +
                      "(see pauseCause and pausedReason). DELETED: only in deleteWebhook's answer.";
    }
}

internal sealed class WebhookPauseCauseGraphType : EnumerationGraphType<WebhookPauseCause>
{
    public WebhookPauseCauseGraphType()
    {
        Name = "WebhookPauseCause";
        Description = $"MANUAL: pauseWebhook. FAILURES: {WebhookRetryPolicy.MaxAttempts} failed attempts in a row. GONE: the endpoint answered 410. " +
                      "CREDENTIAL_INACTIVE: the API key it delivers as was revoked or expired. CURSOR_INVALID: the change feed refused its cursor.";
    }
}

internal sealed class WebhookCallerGraphType : ObjectGraphType<WebhookOwner>
{
    public WebhookCallerGraphType()
    {
        Name = "WebhookCaller";
        Description = "Who registered the webhook: it delivers what this caller may see (never more than its clearance at registration).";
        Field<NonNullGraphType<StringGraphType>>("callerId").Description("As in the audit trail (apikey:…).").Resolve(c => c.Source.Id);
        Field(o => o.Name);
        Field<NonNullGraphType<RoleGraphType>>("role").Resolve(c => c.Source.Role);
        Field<NonNullGraphType<ConfidentialityGraphType>>("clearance").Resolve(c => c.Source.Clearance);
        this.FieldsShownWithRecord();
    }
}

internal sealed class WebhookDeliveryGraphType : ObjectGraphType<PendingDelivery>
{
    public WebhookDeliveryGraphType()
    {
        Name = "WebhookDelivery";
        Description = "The batch being delivered: retried with the same id (X-Omct-Delivery) and body until the endpoint accepts it.";
        Field<NonNullGraphType<StringGraphType>>("id").Description("The X-Omct-Delivery header and the body's deliveryId.").Resolve(c => c.Source.Id.ToString());
        Field(d => d.Changes).Description("Changes in the batch.");
        Field(d => d.Attempts).Description("Attempts made so far.");
        Field<NonNullGraphType<IsoDateTimeGraphType>>("readAt").Description("When the batch was read from the feed.").Resolve(c => c.Source.CreatedAt);
        this.FieldsShownWithRecord();
    }
}

internal sealed class WebhookAttemptGraphType : ObjectGraphType<WebhookAttemptRecord>
{
    public WebhookAttemptGraphType()
    {
        Name = "WebhookAttempt";
        Description = "One attempt to deliver a batch.";
        Field<NonNullGraphType<StringGraphType>>("deliveryId").Resolve(c => c.Source.DeliveryId.ToString());
        Field(a => a.Attempt).Description("1 for the first attempt of the delivery, 2 for its first retry …");
        Field<NonNullGraphType<IsoDateTimeGraphType>>("at").Resolve(c => c.Source.At);
        Field(a => a.Delivered).Description("The endpoint answered 2xx.");
        Field(a => a.StatusCode, nullable: true).Description("The endpoint's HTTP status; null when none came back (refused, timed out).");
        Field(a => a.Error, nullable: true).Description("Why it failed (HTTP 500, timed out, connection refused …).");
        Field(a => a.DurationMs);
        Field(a => a.Changes).Description("Changes in the batch.");
        Field<IsoDateTimeGraphType>("nextRetryAt").Description("When the failed batch was to be tried again; null after a success or a pause.")
            .Resolve(c => c.Source.NextRetryAt);
        this.FieldsShownWithRecord();
    }
}

internal sealed class WebhookGraphType : ObjectGraphType<Webhook>
{
    public WebhookGraphType()
    {
        Name = "Webhook";
        Description = "An endpoint that receives the change feed: signed POSTs of batches of changes, as its registrant may see them.";
        Interface<NodeInterfaceGraphType>();
        IsTypeOf = o => o is Webhook;
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => GlobalId.Encode(Webhook.TypeName, c.Source.Id));
        Field(w => w.Name);
        Field(w => w.Url);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EntityTypeGraphType>>>>("entityTypes").Description("Empty: every entity type.")
            .Resolve(c => c.Source.EntityTypes);
        Field<NonNullGraphType<WebhookStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<WebhookPauseCauseGraphType>("pauseCause").Resolve(c => c.Source.PauseCause);
        Field(w => w.PausedReason, nullable: true);
        Field<IsoDateTimeGraphType>("pausedAt").Resolve(c => c.Source.PausedAt);
        Field<NonNullGraphType<WebhookCallerGraphType>>("deliversAs").Resolve(c => c.Source.Owner);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("createdAt").Resolve(c => c.Source.CreatedAt);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("updatedAt").Resolve(c => c.Source.UpdatedAt);
        Field(w => w.Version);
        Field<NonNullGraphType<IsoDateTimeGraphType>>("secretRotatedAt").Description("When the current secret was made (at registration or rotateWebhookSecret).")
            .Resolve(c => c.Source.SecretRotatedAt);
        Field<NonNullGraphType<StringGraphType>>("cursor")
            .Description("The change feed position delivered up to: changes(after: cursor, entityTypes: <the webhook's>) lists what is still to come.")
            .Resolve(c => c.Source.Cursor);
        Field<IsoDateTimeGraphType>("lastDeliveredAt").Resolve(c => c.Source.LastDeliveredAt);
        Field<LongGraphType>("lastDeliveredSequence").Description("The sequence of the last change delivered.").Resolve(c => c.Source.LastDeliveredSequence);
        Field<NonNullGraphType<LongGraphType>>("deliveredBatches").Resolve(c => c.Source.DeliveredBatches);
        Field<NonNullGraphType<LongGraphType>>("deliveredChanges").Resolve(c => c.Source.DeliveredChanges);
        Field(w => w.ConsecutiveFailures).Description($"Failed attempts in a row; at {WebhookRetryPolicy.MaxAttempts} the webhook pauses.");
        Field<IsoDateTimeGraphType>("nextRetryAt").Description("When the failing batch is tried again; null when nothing is waiting for a retry.")
            .Resolve(c => c.Source.State == WebhookState.Active ? c.Source.NextAttemptAt : null);
        Field<WebhookDeliveryGraphType>("pendingDelivery").Description("The batch being delivered, if any.").Resolve(c => c.Source.Pending);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<WebhookAttemptGraphType>>>>("lastAttempts")
            .Description($"The last attempts, newest first (at most {WebhookStore.AttemptsKept}).")
            .Argument<IntGraphType>("first", $"How many (default and at most {WebhookStore.AttemptsKept}).")
            .Resolve(c =>
            {
                var first = c.GetArgument<int?>("first") switch
                {
                    null => WebhookStore.AttemptsKept,
                    < 0 => throw BuildingBlocks.Errors.DomainException.Validation("first", "first must not be negative."),
                    var n => Math.Min(n.Value, WebhookStore.AttemptsKept),
                };
                var store = c.Service<WebhookStore>();
                return c.Loader<Guid, IReadOnlyList<WebhookAttemptRecord>>("webhook-attempts", store.AttemptsAsync)
                    .Load(c.Source.Id)
                    .Then(attempts => (IReadOnlyList<WebhookAttemptRecord>)(attempts ?? []).Take(first).ToList());
            });
        this.FieldsShownWithRecord();
    }
}

/// <summary>A payload that shows a webhook's secret, the one time it is shown.</summary>
internal interface IWebhookSecretPayload
{
    Webhook Webhook { get; }

    string Secret { get; }

    string? ClientMutationId { get; }
}

internal sealed record RegisterWebhookPayload(Webhook Webhook, string Secret, string? ClientMutationId) : IWebhookSecretPayload;

internal sealed record RotateWebhookSecretPayload(Webhook Webhook, string Secret, string? ClientMutationId) : IWebhookSecretPayload;

internal abstract class WebhookSecretPayloadGraphType<T> : ObjectGraphType<T>
    where T : IWebhookSecretPayload
{
    protected WebhookSecretPayloadGraphType(string name, string secretDescription)
    {
        Name = name;
        Field<NonNullGraphType<WebhookGraphType>>("webhook").Resolve(c => c.Source.Webhook);
        Field<NonNullGraphType<StringGraphType>>("secret").Description(secretDescription + " Shown once: store it now.").Resolve(c => c.Source.Secret);
        Field<StringGraphType>("clientMutationId").Resolve(c => c.Source.ClientMutationId);
        this.FieldsShownWithRecord();
    }
}

internal sealed class RegisterWebhookPayloadGraphType()
    : WebhookSecretPayloadGraphType<RegisterWebhookPayload>("RegisterWebhookPayload", "The signing secret (X-Omct-Signature).");

internal sealed class RotateWebhookSecretPayloadGraphType()
    : WebhookSecretPayloadGraphType<RotateWebhookSecretPayload>("RotateWebhookSecretPayload", "The new signing secret, used from now on.");
