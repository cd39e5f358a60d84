using System.Text;
using System.Text.Json;
using Omct.Platform.BuildingBlocks.Webhooks;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Integration;

/// <summary>
/// Webhooks end to end: registered through the API, delivered by the WEBHOOK_DISPATCH job over real HTTP
/// to a receiver in the test, with the platform's clock moved by the test (retries fall due only when it is).
/// </summary>
public sealed class WebhookTests(WebhookPlatformFactory platform) : IClassFixture<WebhookPlatformFactory>
{
    [Fact]
    public async Task A_receiver_that_fails_twice_then_succeeds_accepts_one_delivery_with_a_valid_signature()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond(500, 503);
        var (key, _) = await WebhookKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC");
        var integrator = platform.GraphQL(key);
        var (id, secret, registered) = await WebhookKit.RegisterAsync(integrator, receiver.Url, ["CASE"]);
        Assert.Equal(("ACTIVE", "INTEGRATOR", "PUBLIC"), (registered.GetProperty("status").GetString(),
            registered.GetProperty("deliversAs").GetProperty("role").GetString(), registered.GetProperty("deliversAs").GetProperty("clearance").GetString()));
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        try
        {
            var caseId = await FeedKit.OpenCaseAsync(platform.Admin(), "Cameroon: webhook retried");
            await FeedKit.RecordEventAsync(platform.Admin(), caseId);

            // First attempt: 500. The retry is scheduled 30–36 s later, and not a moment before.
            var firstAttemptAt = platform.Clock.GetUtcNow();
            Assert.Equal(0, await WebhookKit.DispatchAsync(platform));
            var failing = await WebhookKit.GetAsync(integrator, id);
            Assert.Equal(("FAILING", 1), (failing.GetProperty("status").GetString(), failing.GetProperty("consecutiveFailures").GetInt32()));
            var firstRetry = failing.GetProperty("nextRetryAt").GetDateTimeOffset();
            Assert.InRange((firstRetry - platform.Clock.GetUtcNow()).TotalSeconds, 30, 36);
            var attempt = Assert.Single(failing.GetProperty("lastAttempts").EnumerateArray());
            Assert.Equal((1, false, 500, "HTTP 500", firstRetry), (attempt.GetProperty("attempt").GetInt32(), attempt.GetProperty("delivered").GetBoolean(),
                attempt.GetProperty("statusCode").GetInt32(), attempt.GetProperty("error").GetString(), attempt.GetProperty("nextRetryAt").GetDateTimeOffset()));

            await WebhookKit.DispatchAsync(platform);
            platform.Clock.SetUtcNow(firstRetry.AddSeconds(-1));
            await WebhookKit.DispatchAsync(platform);
            Assert.Single(receiver.Received);

            // Second attempt at its time: 503; the next one waits longer (60–72 s).
            platform.Clock.SetUtcNow(firstRetry);
            Assert.Equal(0, await WebhookKit.DispatchAsync(platform));
            Assert.Equal(2, receiver.Received.Count);
            var secondRetry = (await WebhookKit.GetAsync(integrator, id)).GetProperty("nextRetryAt").GetDateTimeOffset();
            Assert.InRange((secondRetry - firstRetry).TotalSeconds, 60, 72);
            platform.Clock.SetUtcNow(secondRetry.AddSeconds(-1));
            await WebhookKit.DispatchAsync(platform);
            Assert.Equal(2, receiver.Received.Count);

            // Third attempt: accepted.
            platform.Clock.SetUtcNow(secondRetry);
            Assert.Equal(1, await WebhookKit.DispatchAsync(platform));
            Assert.Equal(0, await WebhookKit.DispatchAsync(platform));

            var received = receiver.Received;
            Assert.Equal([500, 503, 200], received.Select(r => r.AnsweredWith));
            var delivered = Assert.Single(receiver.Accepted);
            // The same delivery (id and body) each time: a receiver that saw it already drops it.
            Assert.Single(received.Select(r => r.DeliveryId).Distinct());
            Assert.All(received, r => Assert.Equal(delivered.Body, r.Body));
            Assert.Equal(delivered.DeliveryId, delivered.Json.GetProperty("deliveryId").GetString());
            Assert.Equal(id, delivered.Json.GetProperty("webhookId").GetString());
            Assert.Equal(("changes", "application/json; charset=utf-8"), (delivered.Event, delivered.ContentType));
            Assert.True(WebhookSignature.Verify(secret, delivered.Signature, delivered.Body, platform.Clock.GetUtcNow()));
            Assert.False(WebhookSignature.Verify(WebhookSignature.NewSecret(), delivered.Signature, delivered.Body, platform.Clock.GetUtcNow()));
            Assert.Equal([(caseId, "CREATED", (int?)1), (caseId, "UPDATED", 2)], WebhookKit.Changes([delivered]));

            // Visible: the three attempts newest first, the retry times between them; nothing pending.
            var done = await WebhookKit.GetAsync(integrator, id);
            Assert.Equal(("ACTIVE", 0, JsonValueKind.Null, JsonValueKind.Null), (done.GetProperty("status").GetString(), done.GetProperty("consecutiveFailures").GetInt32(),
                done.GetProperty("nextRetryAt").ValueKind, done.GetProperty("pendingDelivery").ValueKind));
            Assert.Equal((1, 2), (done.GetProperty("deliveredBatches").GetInt32(), done.GetProperty("deliveredChanges").GetInt32()));
            // Its cursor stands after everything delivered: the feed from there has nothing more for this integrator.
            Assert.Empty((await FeedKit.DrainAsync(integrator, done.GetProperty("cursor").GetString(), types: ["CASE"])).Changes);
            Assert.Empty((await FeedKit.DrainAsync(integrator, delivered.Json.GetProperty("endCursor").GetString(), types: ["CASE"])).Changes);
            var attempts = done.GetProperty("lastAttempts").EnumerateArray().ToList();
            Assert.Equal([3, 2, 1], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
            Assert.Equal([200, 503, 500], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
            Assert.Equal([true, false, false], attempts.Select(a => a.GetProperty("delivered").GetBoolean()));
            Assert.All(attempts, a => Assert.Equal(delivered.DeliveryId, a.GetProperty("deliveryId").GetString()));
            Assert.Equal([secondRetry, firstRetry, firstAttemptAt], attempts.Select(a => a.GetProperty("at").GetDateTimeOffset()));
            Assert.Equal([secondRetry, firstRetry], attempts.Skip(1).Select(a => a.GetProperty("nextRetryAt").GetDateTimeOffset()));
            Assert.Equal(JsonValueKind.Null, attempts[0].GetProperty("nextRetryAt").ValueKind);
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, id);
        }
    }
}
