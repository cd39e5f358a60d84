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

    [Fact]
    public async Task Batches_arrive_one_at_a_time_in_feed_order_so_each_entitys_changes_arrive_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var integrator = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "STAFF")).Key);
        var (id, secret, registered) = await WebhookKit.RegisterAsync(integrator, receiver.Url);
        try
        {
            var first = await FeedKit.OpenCaseAsync(platform.Admin(), "Niger: ordered one", "STAFF");
            var second = await FeedKit.OpenCaseAsync(platform.Admin(), "Niger: ordered two");
            for (var i = 0; i < 3; i++)
            {
                await FeedKit.RecordEventAsync(platform.Admin(), first);
                await FeedKit.RecordEventAsync(platform.Admin(), second);
            }

            // 8 changes in batches of 3 (the factory's Omct:Webhooks:BatchSize): three deliveries in one run, one after the other.
            Assert.Equal(3, await WebhookKit.DispatchAsync(platform));
            var received = receiver.Received;
            Assert.Equal([3, 3, 2], received.Select(r => r.Changes.Count));
            Assert.Equal(3, received.Select(r => r.DeliveryId).Distinct().Count());
            Assert.All(received, r => Assert.True(WebhookSignature.Verify(secret, r.Signature, r.Body, platform.Clock.GetUtcNow())));
            var delivered = WebhookKit.Changes(received);
            Assert.Equal([1, 2, 3, 4], delivered.Where(c => c.EntityId == first).Select(c => c.Version!.Value));
            Assert.Equal([1, 2, 3, 4], delivered.Where(c => c.EntityId == second).Select(c => c.Version!.Value));
            Assert.Equal(1, receiver.MaxInFlight);

            // Exactly what the same integrator pulls from the feed, in the same order.
            var (pulled, _) = await FeedKit.DrainAsync(integrator, registered.GetProperty("cursor").GetString());
            Assert.Equal(pulled.Select(c => (c.EntityId, c.Kind, c.Version)), delivered);
            var sequences = received.SelectMany(r => r.Changes).Select(c => c.GetProperty("sequence").GetInt64()).ToList();
            Assert.Equal(sequences.Order(), sequences);
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, id);
        }
    }

    [Fact]
    public async Task A_webhook_receives_only_its_entity_types_and_a_new_filter_applies_to_later_changes()
    {
        await using var defendersOnly = await WebhookReceiver.StartAsync();
        await using var everything = await WebhookReceiver.StartAsync();
        var integrator = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "RESTRICTED")).Key);
        var (filtered, _, _) = await WebhookKit.RegisterAsync(integrator, defendersOnly.Url, ["DEFENDER"]);
        var (all, _, _) = await WebhookKit.RegisterAsync(integrator, everything.Url);
        try
        {
            var caseId = await FeedKit.OpenCaseAsync(platform.Admin(), "Togo: filtered out");
            var defender = await RegisterDefenderAsync("Filter Person");
            await WebhookKit.DispatchAsync(platform);
            Assert.Equal([(defender, "CREATED", (int?)1)], WebhookKit.Changes(defendersOnly.Accepted));
            Assert.All(defendersOnly.Accepted.SelectMany(d => d.Changes), c => Assert.Equal("DEFENDER", c.GetProperty("entityType").GetString()));
            Assert.Equal([caseId, defender], WebhookKit.Changes(everything.Accepted).Select(c => c.EntityId));

            var updated = await integrator.QueryAsync("mutation($id: ID!) { updateWebhook(input: { webhookId: $id, entityTypes: [CASE] }) { webhook { entityTypes version } } }",
                new { id = filtered });
            Assert.Equal("[\"CASE\"]", updated.GetProperty("updateWebhook").GetProperty("webhook").GetProperty("entityTypes").GetRawText());
            await FeedKit.RecordEventAsync(platform.Admin(), caseId);
            await platform.Admin().QueryAsync("mutation($id: ID!) { updateDefender(input: { defenderId: $id, pseudonym: \"Filtered\" }) { defender { id } } }", new { id = defender });
            await WebhookKit.DispatchAsync(platform);
            Assert.Equal([(defender, "CREATED", (int?)1), (caseId, "UPDATED", 2)], WebhookKit.Changes(defendersOnly.Accepted));
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, filtered, all);
        }
    }

    [Fact]
    public async Task A_public_integrators_webhook_never_receives_a_staff_case_and_gets_REDACTED_once_when_a_case_it_saw_is_raised()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var integrator = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC")).Key);
        var (id, _, _) = await WebhookKit.RegisterAsync(integrator, receiver.Url, ["CASE"]);
        try
        {
            var open = await FeedKit.OpenCaseAsync(platform.Admin(), "Belarus: public case");
            var hidden = await FeedKit.OpenCaseAsync(platform.Admin(), "Belarus: staff case", "STAFF");
            await FeedKit.RecordEventAsync(platform.Admin(), hidden);
            await FeedKit.RecordEventAsync(platform.Admin(), open);
            await WebhookKit.DispatchAsync(platform);
            Assert.Equal([(open, "CREATED", (int?)1), (open, "UPDATED", 2)], WebhookKit.Changes(receiver.Accepted));

            await FeedKit.SetCaseConfidentialityAsync(platform.Admin(), open, "STAFF");
            await FeedKit.RecordEventAsync(platform.Admin(), open);
            await FeedKit.RecordEventAsync(platform.Admin(), hidden);
            await WebhookKit.DispatchAsync(platform);
            var last = receiver.Accepted[^1];
            var redacted = Assert.Single(last.Changes);
            Assert.Equal((open, "REDACTED", JsonValueKind.Null, JsonValueKind.Null), (redacted.GetProperty("entityId").GetString(), redacted.GetProperty("kind").GetString(),
                redacted.GetProperty("version").ValueKind, redacted.GetProperty("occurredAt").ValueKind));

            await FeedKit.RecordEventAsync(platform.Admin(), open);
            await WebhookKit.DispatchAsync(platform);
            Assert.Equal(2, receiver.Accepted.Count);
            Assert.All(receiver.Received, r => Assert.DoesNotContain(hidden, Encoding.UTF8.GetString(r.Body), StringComparison.Ordinal));
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, id);
        }
    }

    [Fact]
    public async Task After_MaxAttempts_failures_a_webhook_pauses_and_resuming_retries_the_same_delivery_at_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.DefaultStatus = 500;
        var integrator = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC")).Key);
        var (id, _, _) = await WebhookKit.RegisterAsync(integrator, receiver.Url, ["CASE"]);
        try
        {
            await FeedKit.OpenCaseAsync(platform.Admin(), "Chad: endpoint down");
            for (var i = 0; i < WebhookRetryPolicy.MaxAttempts; i++)
            {
                await WebhookKit.DispatchAsync(platform);
                platform.Clock.Advance(TimeSpan.FromHours(2)); // past the longest backoff
            }

            var paused = await WebhookKit.GetAsync(integrator, id);
            Assert.Equal(("PAUSED", "FAILURES", WebhookRetryPolicy.MaxAttempts, JsonValueKind.Null),
                (paused.GetProperty("status").GetString(), paused.GetProperty("pauseCause").GetString(), paused.GetProperty("consecutiveFailures").GetInt32(),
                    paused.GetProperty("nextRetryAt").ValueKind));
            Assert.Contains("HTTP 500", paused.GetProperty("pausedReason").GetString(), StringComparison.Ordinal);
            Assert.Equal(WebhookRetryPolicy.MaxAttempts, paused.GetProperty("pendingDelivery").GetProperty("attempts").GetInt32());
            Assert.Equal(WebhookRetryPolicy.MaxAttempts, paused.GetProperty("lastAttempts").GetArrayLength());
            await WebhookKit.DispatchAsync(platform);
            Assert.Equal(WebhookRetryPolicy.MaxAttempts, receiver.Received.Count);

            receiver.DefaultStatus = 204;
            var resumed = await WebhookKit.ActAsync(integrator, "resumeWebhook", id, paused.GetProperty("version").GetInt32());
            Assert.Equal(("ACTIVE", JsonValueKind.Null), (resumed.Data.GetProperty("resumeWebhook").GetProperty("webhook").GetProperty("status").GetString(),
                resumed.Data.GetProperty("resumeWebhook").GetProperty("webhook").GetProperty("pauseCause").ValueKind));
            Assert.Equal(1, await WebhookKit.DispatchAsync(platform)); // at once: the clock has not moved
            Assert.Equal(WebhookRetryPolicy.MaxAttempts + 1, receiver.Received.Count);
            Assert.Single(receiver.Received.Select(r => r.DeliveryId).Distinct());
            Assert.Equal(WebhookRetryPolicy.MaxAttempts + 1, (await WebhookKit.GetAsync(integrator, id)).GetProperty("lastAttempts")[0].GetProperty("attempt").GetInt32());
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, id);
        }
    }

    [Fact]
    public async Task A_410_Gone_pauses_the_webhook_at_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.DefaultStatus = 410;
        var integrator = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC")).Key);
        var (id, _, _) = await WebhookKit.RegisterAsync(integrator, receiver.Url, ["CASE"]);
        try
        {
            await FeedKit.OpenCaseAsync(platform.Admin(), "Chad: endpoint gone");
            await WebhookKit.DispatchAsync(platform);
            var gone = await WebhookKit.GetAsync(integrator, id);
            Assert.Equal(("PAUSED", "GONE", 1), (gone.GetProperty("status").GetString(), gone.GetProperty("pauseCause").GetString(), receiver.Received.Count));
            platform.Clock.Advance(TimeSpan.FromHours(2));
            await WebhookKit.DispatchAsync(platform);
            Assert.Single(receiver.Received);
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, id);
        }
    }

    [Fact]
    public async Task A_revoked_or_expired_key_stops_its_webhooks_deliveries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (key, keyId) = await WebhookKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC");
        var (expiring, _) = await WebhookKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC", platform.Clock.GetUtcNow().AddHours(1));
        var (revokedHook, _, _) = await WebhookKit.RegisterAsync(platform.GraphQL(key), receiver.Url, ["CASE"]);
        var (expiredHook, _, _) = await WebhookKit.RegisterAsync(platform.GraphQL(expiring), receiver.Url, ["CASE"]);
        try
        {
            await FeedKit.OpenCaseAsync(platform.Admin(), "Sudan: before the revocation");
            Assert.Equal(2, await WebhookKit.DispatchAsync(platform));

            await platform.Admin().QueryAsync("mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }", new { id = keyId });
            platform.Clock.Advance(TimeSpan.FromHours(2)); // the other key expires
            await FeedKit.OpenCaseAsync(platform.Admin(), "Sudan: after the revocation");
            Assert.Equal(0, await WebhookKit.DispatchAsync(platform));
            Assert.Equal(2, receiver.Received.Count);
            foreach (var id in new[] { revokedHook, expiredHook })
            {
                var webhook = await WebhookKit.GetAsync(platform.Admin(), id);
                Assert.Equal(("PAUSED", "CREDENTIAL_INACTIVE"), (webhook.GetProperty("status").GetString(), webhook.GetProperty("pauseCause").GetString()));
                var resume = await WebhookKit.ActAsync(platform.Admin(), "resumeWebhook", id);
                Assert.Equal(("VALIDATION", "webhookId"), (resume.ErrorCode, resume.ErrorField));
            }
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, revokedHook, expiredHook);
        }
    }

    [Fact]
    public async Task Another_integrators_webhook_is_NOT_FOUND_word_for_word_as_an_unknown_one()
    {
        var owner = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "RESTRICTED")).Key);
        var other = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "RESTRICTED")).Key);
        var (id, _, _) = await WebhookKit.RegisterAsync(owner, "https://example.org/owner");
        var unknown = BuildingBlocks.Ids.GlobalId.Encode("Webhook", Guid.CreateVersion7());
        var aCase = await FeedKit.OpenCaseAsync(platform.Admin(), "Peru: not a webhook");
        try
        {
            foreach (var mutation in new[] { "updateWebhook", "pauseWebhook", "resumeWebhook", "rotateWebhookSecret", "deleteWebhook" })
            {
                var theirs = await WebhookKit.ActAsync(other, mutation, id);
                var missing = await WebhookKit.ActAsync(other, mutation, unknown);
                var wrongKind = await WebhookKit.ActAsync(other, mutation, aCase);
                Assert.Equal("NOT_FOUND", theirs.ErrorCode);
                Assert.Equal(missing.Raw, theirs.Raw);
                Assert.Equal(missing.Raw, wrongKind.Raw);
            }

            var listed = await other.QueryAsync("query($id: ID!) { webhooks { totalCount nodes { id } } node(id: $id) { id } }", new { id });
            Assert.Equal((0, JsonValueKind.Null), (listed.GetProperty("webhooks").GetProperty("totalCount").GetInt32(), listed.GetProperty("node").ValueKind));
            Assert.Equal([id], (await owner.QueryAsync("{ webhooks { nodes { id } } }")).GetProperty("webhooks").GetProperty("nodes").EnumerateArray()
                .Select(n => n.GetProperty("id").GetString()));
            var seenByAdmin = (await platform.Admin().QueryAsync("{ webhooks(first: 100) { nodes { id } } }")).GetProperty("webhooks").GetProperty("nodes");
            Assert.Contains(id, seenByAdmin.EnumerateArray().Select(n => n.GetProperty("id").GetString()));
            Assert.Equal("ACTIVE", (await WebhookKit.GetAsync(owner, id)).GetProperty("status").GetString()); // untouched by the other's attempts
            var pausedByAdmin = await WebhookKit.ActAsync(platform.Admin(), "pauseWebhook", id);
            Assert.Equal("MANUAL", pausedByAdmin.Data.GetProperty("pauseWebhook").GetProperty("webhook").GetProperty("pauseCause").GetString());

            // An admin whose clearance is below the registrant's may neither see nor manage it: redirecting it or taking its
            // secret would hand that admin what the webhook delivers at RESTRICTED.
            var staffAdmin = platform.GraphQL((await WebhookKit.KeyAsync(platform, "ADMIN", "STAFF")).Key);
            foreach (var mutation in new[] { "updateWebhook", "pauseWebhook", "resumeWebhook", "rotateWebhookSecret", "deleteWebhook" })
            {
                var refused = await WebhookKit.ActAsync(staffAdmin, mutation, id);
                Assert.Equal((await WebhookKit.ActAsync(staffAdmin, mutation, unknown)).Raw, refused.Raw);
            }

            var seenByStaffAdmin = (await staffAdmin.QueryAsync("{ webhooks(first: 100) { totalCount nodes { id } } }")).GetProperty("webhooks");
            Assert.DoesNotContain(id, seenByStaffAdmin.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
            Assert.Equal("PAUSED", (await WebhookKit.GetAsync(owner, id)).GetProperty("status").GetString()); // untouched by the staff admin
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, id);
        }
    }

    [Theory]
    [InlineData("name", "", "https://example.org/hooks", null, null)]
    [InlineData("name", "  ", "https://example.org/hooks", null, null)]
    [InlineData("name", "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789x", "https://example.org/hooks", null, null)]
    [InlineData("url", "hook", "", null, null)]
    [InlineData("url", "hook", "not a url", null, null)]
    [InlineData("url", "hook", "ftp://example.org/hooks", null, null)]
    [InlineData("url", "hook", "https://user:secret@example.org/hooks", null, null)]
    [InlineData("url", "hook", "/hooks", null, null)]
    [InlineData("after", "hook", "https://example.org/hooks", "nonsense", null)]
    [InlineData("clientMutationId", "hook", "https://example.org/hooks", null, 201)]
    public async Task Invalid_registrations_are_VALIDATION_on_their_field_and_register_nothing(string field, string name, string url, string? after, int? mutationIdLength)
    {
        var integrator = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC")).Key);
        var response = await integrator.PostAsync(
            "mutation($name: String!, $url: String!, $after: String, $m: String) { registerWebhook(input: { name: $name, url: $url, after: $after, clientMutationId: $m }) { secret webhook { id } } }",
            new { name, url, after, m = mutationIdLength is { } n ? new string('m', n) : null });
        Assert.Equal(("VALIDATION", field), (response.ErrorCode, response.ErrorField));
        Assert.Equal(JsonValueKind.Null, response.Data.ValueKind);
        Assert.Equal(0, (await integrator.QueryAsync("{ webhooks { totalCount } }")).GetProperty("webhooks").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Updates_are_validated_and_versioned_and_a_repeated_clientMutationId_writes_nothing()
    {
        var integrator = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC")).Key);
        var (id, _, registered) = await WebhookKit.RegisterAsync(integrator, "https://example.org/versioned");
        try
        {
            Assert.Equal(1, registered.GetProperty("version").GetInt32());
            foreach (var (field, variables) in new (string, object)[] { ("url", new { id, url = "ftp://x.org/h", name = (string?)null }), ("name", new { id, url = (string?)null, name = (string?)" " }) })
            {
                var refused = await integrator.PostAsync("mutation($id: ID!, $url: String, $name: String) { updateWebhook(input: { webhookId: $id, url: $url, name: $name }) { webhook { id } } }", variables);
                Assert.Equal(("VALIDATION", field), (refused.ErrorCode, refused.ErrorField));
            }

            var stale = await WebhookKit.ActAsync(integrator, "pauseWebhook", id, expectedVersion: 7);
            Assert.Equal("CONFLICT", stale.ErrorCode);
            var paused = await WebhookKit.ActAsync(integrator, "pauseWebhook", id, expectedVersion: 1, clientMutationId: "pause-1");
            Assert.Equal(("PAUSED", 2), (paused.Data.GetProperty("pauseWebhook").GetProperty("webhook").GetProperty("status").GetString(),
                paused.Data.GetProperty("pauseWebhook").GetProperty("webhook").GetProperty("version").GetInt32()));
            await WebhookKit.ActAsync(integrator, "resumeWebhook", id);
            var repeated = await WebhookKit.ActAsync(integrator, "pauseWebhook", id, clientMutationId: "pause-1");
            Assert.Equal(("ACTIVE", 3), (repeated.Data.GetProperty("pauseWebhook").GetProperty("webhook").GetProperty("status").GetString(),
                repeated.Data.GetProperty("pauseWebhook").GetProperty("webhook").GetProperty("version").GetInt32()));

            // A secret is shown once: a repeated registration or rotation is CONFLICT and makes nothing.
            const string register = "mutation { registerWebhook(input: { name: \"once\", url: \"https://example.org/once\", clientMutationId: \"reg-1\" }) { secret webhook { id } } }";
            var firstTime = await integrator.QueryAsync(register);
            Assert.Equal("CONFLICT", (await integrator.PostAsync(register)).ErrorCode);
            Assert.Equal(2, (await integrator.QueryAsync("{ webhooks { totalCount } }")).GetProperty("webhooks").GetProperty("totalCount").GetInt32());
            await WebhookKit.DeleteAsync(platform, firstTime.GetProperty("registerWebhook").GetProperty("webhook").GetProperty("id").GetString()!);
            var rotate = "mutation($id: ID!) { rotateWebhookSecret(input: { webhookId: $id, clientMutationId: \"rot-1\" }) { secret webhook { version } } }";
            Assert.StartsWith("whsec_", (await integrator.QueryAsync(rotate, new { id })).GetProperty("rotateWebhookSecret").GetProperty("secret").GetString(), StringComparison.Ordinal);
            Assert.Equal("CONFLICT", (await integrator.PostAsync(rotate, new { id })).ErrorCode);

            var lastAttempts = await integrator.PostAsync("query($id: ID!) { node(id: $id) { ... on Webhook { lastAttempts(first: -1) { at } } } }", new { id });
            Assert.Equal(("VALIDATION", "first"), (lastAttempts.ErrorCode, lastAttempts.ErrorField));
            Assert.Equal("LIMIT_EXCEEDED", (await integrator.PostAsync("{ webhooks(first: 101) { totalCount } }")).ErrorCode);
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, id);
        }
    }

    [Fact]
    public async Task A_rotated_secret_signs_from_then_on_and_no_secret_is_ever_returned_again_or_logged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var integrator = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC")).Key);
        var (id, oldSecret, _) = await WebhookKit.RegisterAsync(integrator, receiver.Url, ["CASE"]);
        try
        {
            var rotated = await integrator.QueryAsync("mutation($id: ID!) { rotateWebhookSecret(input: { webhookId: $id }) { secret webhook { secretRotatedAt } } }", new { id });
            var newSecret = rotated.GetProperty("rotateWebhookSecret").GetProperty("secret").GetString()!;
            Assert.NotEqual(oldSecret, newSecret);
            await FeedKit.OpenCaseAsync(platform.Admin(), "Kenya: signed anew");
            Assert.Equal(1, await WebhookKit.DispatchAsync(platform));
            var delivery = Assert.Single(receiver.Received);
            Assert.True(WebhookSignature.Verify(newSecret, delivery.Signature, delivery.Body, platform.Clock.GetUtcNow()));
            Assert.False(WebhookSignature.Verify(oldSecret, delivery.Signature, delivery.Body, platform.Clock.GetUtcNow()));

            var everything = (await integrator.PostAsync($"query($id: ID!) {{ webhooks {{ nodes {{ {WebhookKit.Fields} }} }} node(id: $id) {{ ... on Webhook {{ {WebhookKit.Fields} }} }} }}", new { id })).Raw;
            foreach (var secret in new[] { oldSecret, newSecret })
            {
                Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
                Assert.DoesNotContain(platform.Logs.Events, e => e.RenderMessage().Contains(secret, StringComparison.Ordinal)
                                                               || e.Properties.Values.Any(v => v.ToString().Contains(secret, StringComparison.Ordinal)));
            }

            // Nor the endpoint's URL (receivers put tokens in query strings); the attempts are logged by webhook id.
            Assert.DoesNotContain(platform.Logs.Events, e => e.RenderMessage().Contains(receiver.Url, StringComparison.Ordinal));

            // Deleted: gone from the lists, no more deliveries, and its secret wiped.
            var deleted = await WebhookKit.ActAsync(integrator, "deleteWebhook", id);
            Assert.Equal("DELETED", deleted.Data.GetProperty("deleteWebhook").GetProperty("webhook").GetProperty("status").GetString());
            await FeedKit.OpenCaseAsync(platform.Admin(), "Kenya: after the deletion");
            await WebhookKit.DispatchAsync(platform);
            Assert.Single(receiver.Received);
            Assert.Equal(0, (await integrator.QueryAsync("{ webhooks { totalCount } }")).GetProperty("webhooks").GetProperty("totalCount").GetInt32());
            Assert.Equal("NOT_FOUND", (await WebhookKit.ActAsync(integrator, "deleteWebhook", id)).ErrorCode);
            await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("select secret is null from omct.integration_webhooks where id = $1", connection);
            BuildingBlocks.Ids.GlobalId.TryDecode(id, out _, out var rowId);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = rowId });
            Assert.Equal(true, await command.ExecuteScalarAsync());
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, id);
        }
    }

    [Fact]
    public async Task Two_dispatch_runs_at_once_never_deliver_one_webhook_twice_or_at_the_same_time()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(300);
        var integrator = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC")).Key);
        var (id, _, _) = await WebhookKit.RegisterAsync(integrator, receiver.Url, ["CASE"]);
        try
        {
            var cases = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                cases.Add(await FeedKit.OpenCaseAsync(platform.Admin(), $"Mali: concurrent {i}"));
                await FeedKit.RecordEventAsync(platform.Admin(), cases[^1]);
            }

            var runs = await Task.WhenAll(WebhookKit.DispatchAsync(platform), WebhookKit.DispatchAsync(platform), WebhookKit.DispatchAsync(platform));
            Assert.Equal(3, runs.Sum()); // 8 changes in batches of 3, each accepted once, by whichever run held the webhook
            Assert.Equal(1, receiver.MaxInFlight);
            Assert.Equal(3, receiver.Received.Count);
            Assert.Equal(3, receiver.Received.Select(r => r.DeliveryId).Distinct().Count());
            Assert.Equal(cases.SelectMany(c => new[] { (c, "CREATED", (int?)1), (c, "UPDATED", 2) }).Order(), WebhookKit.Changes(receiver.Received).Order());
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, id);
        }
    }

    [Fact]
    public async Task A_webhook_starts_at_the_feeds_head_or_after_a_given_cursor_and_dispatch_is_a_scheduled_job()
    {
        await using var fromCursor = await WebhookReceiver.StartAsync();
        await using var fromNow = await WebhookReceiver.StartAsync();
        var integrator = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC")).Key);
        var (_, cursor) = await FeedKit.DrainAsync(integrator, types: ["CASE"]);
        var before = await FeedKit.OpenCaseAsync(platform.Admin(), "Guinea: before the registration");
        var (replaying, _, _) = await WebhookKit.RegisterAsync(integrator, fromCursor.Url, ["CASE"], after: cursor);
        var (live, _, _) = await WebhookKit.RegisterAsync(integrator, fromNow.Url, ["CASE"]);
        try
        {
            var after = await FeedKit.OpenCaseAsync(platform.Admin(), "Guinea: after the registration");
            await WebhookKit.DispatchAsync(platform);
            Assert.Equal([before, after], WebhookKit.Changes(fromCursor.Accepted).Select(c => c.EntityId));
            Assert.Equal([after], WebhookKit.Changes(fromNow.Accepted).Select(c => c.EntityId));

            var future = new Omct.Platform.Integration.ChangeFeed.FeedPosition(new Omct.Platform.Integration.ChangeFeed.PgSnapshot(900_000_000, 900_000_000, []), null, 0, 0).Encode();
            var refused = await integrator.PostAsync("mutation($after: String) { registerWebhook(input: { name: \"x\", url: \"https://example.org/x\", after: $after }) { secret } }",
                new { after = future });
            Assert.Equal(("VALIDATION", "after"), (refused.ErrorCode, refused.ErrorField));

            var job = (await platform.Admin().QueryAsync("{ scheduledJobs { name intervalSeconds } }")).GetProperty("scheduledJobs").EnumerateArray()
                .Single(j => j.GetProperty("name").GetString() == "WEBHOOK_DISPATCH");
            Assert.Equal(5, job.GetProperty("intervalSeconds").GetInt32());
        }
        finally
        {
            await WebhookKit.DeleteAsync(platform, replaying, live);
        }
    }

    private async Task<string> RegisterDefenderAsync(string name) =>
        (await platform.Admin().QueryAsync(
            "mutation($name: String!) { registerDefender(input: { name: $name, countryCode: \"TG\", consentToPublishName: true, confidentiality: PUBLIC }) { defender { id } } }",
            new { name }))
        .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;
}
