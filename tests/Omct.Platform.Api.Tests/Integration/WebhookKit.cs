using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests.Integration;

/// <summary>A host whose clock the test moves (retries fall due only when it does), accepting http endpoints, with batches of 3 changes.</summary>
public sealed class WebhookPlatformFactory : PlatformFactory
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Omct:Webhooks:AllowHttp"] = "true",
        ["Omct:Webhooks:AllowPrivateNetworks"] = "true", // the receivers listen on the loopback
        ["Omct:Webhooks:BatchSize"] = "3",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>Registering webhooks, running the dispatcher and reading a webhook's state, through the API.</summary>
public static class WebhookKit
{
    public const string Fields =
        "id name url entityTypes status pauseCause pausedReason pausedAt version cursor consecutiveFailures nextRetryAt lastDeliveredAt " +
        "deliveredBatches deliveredChanges deliversAs { callerId role clearance } pendingDelivery { id changes attempts } " +
        "lastAttempts { deliveryId attempt at delivered statusCode error durationMs changes nextRetryAt }";

    public static async Task<(string Id, string Secret, JsonElement Webhook)> RegisterAsync(
        GraphQLClient client, string url, string[]? entityTypes = null, string name = "test hook", string? after = null)
    {
        var data = await client.QueryAsync(
            $"mutation($name: String!, $url: String!, $types: [EntityType!], $after: String) {{ registerWebhook(input: {{ name: $name, url: $url, entityTypes: $types, after: $after }}) {{ secret webhook {{ {Fields} }} }} }}",
            new { name, url, types = entityTypes, after });
        var payload = data.GetProperty("registerWebhook");
        var webhook = payload.GetProperty("webhook");
        return (webhook.GetProperty("id").GetString()!, payload.GetProperty("secret").GetString()!, webhook);
    }

    /// <summary>Runs WEBHOOK_DISPATCH once (the scheduler's path, through runJob); returns the batches it got accepted.</summary>
    public static async Task<int> DispatchAsync(PlatformFactory platform)
    {
        var run = (await platform.Admin().QueryAsync("mutation { runJob(input: { name: WEBHOOK_DISPATCH }) { run { items outcome error } } }"))
            .GetProperty("runJob").GetProperty("run");
        if (run.GetProperty("outcome").GetString() != "SUCCEEDED")
        {
            throw new InvalidOperationException($"WEBHOOK_DISPATCH failed: {run}");
        }

        return run.GetProperty("items").GetInt32();
    }

    public static async Task<JsonElement> GetAsync(GraphQLClient client, string id) =>
        (await client.QueryAsync($"query($id: ID!) {{ node(id: $id) {{ ... on Webhook {{ {Fields} }} }} }}", new { id })).GetProperty("node");

    public static Task<GraphQLResponse> ActAsync(GraphQLClient client, string mutation, string id, int? expectedVersion = null, string? clientMutationId = null) =>
        client.PostAsync(
            $"mutation($id: ID!, $v: Int, $m: String) {{ {mutation}(input: {{ webhookId: $id, expectedVersion: $v, clientMutationId: $m }}) {{ webhook {{ {Fields} }} }} }}",
            new { id, v = expectedVersion, m = clientMutationId });

    public static async Task DeleteAsync(PlatformFactory platform, params string[] ids)
    {
        foreach (var id in ids)
        {
            await ActAsync(platform.Admin(), "deleteWebhook", id);
        }
    }

    public static async Task<(string Key, string Id)> KeyAsync(PlatformFactory platform, string role, string clearance, DateTimeOffset? expiresAt = null)
    {
        var data = await platform.Admin().QueryAsync(
            "mutation($role: Role!, $clearance: Confidentiality!, $expiresAt: DateTime) { createApiKey(input: { name: \"webhook test\", role: $role, clearance: $clearance, expiresAt: $expiresAt }) { key apiKey { id } } }",
            new { role, clearance, expiresAt });
        var created = data.GetProperty("createApiKey");
        return (created.GetProperty("key").GetString()!, created.GetProperty("apiKey").GetProperty("id").GetString()!);
    }

    /// <summary>(entityId, kind, version) of every change in the deliveries, in the order they arrived.</summary>
    public static List<(string EntityId, string Kind, int? Version)> Changes(IEnumerable<ReceivedDelivery> deliveries) =>
        [.. deliveries.SelectMany(d => d.Changes).Select(c => (c.GetProperty("entityId").GetString()!, c.GetProperty("kind").GetString()!,
            c.GetProperty("version").ValueKind == JsonValueKind.Null ? (int?)null : c.GetProperty("version").GetInt32()))];
}
