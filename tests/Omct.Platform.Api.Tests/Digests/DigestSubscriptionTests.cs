using System.Text.Json;
using Npgsql;
using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Digests.DigestKit;

namespace Omct.Platform.Api.Tests.Digests;

/// <summary>Subscriptions through GraphQL (validation, versions, clearance), and the DIGEST job's periods, reruns and catch-up.</summary>
public sealed class DigestSubscriptionTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string Update =
        "mutation($input: UpdateDigestSubscriptionInput!) { updateDigestSubscription(input: $input) { webhookSecret digestSubscription { id name period weekday audience countries themes emailRecipients webhookUrl paused version } } }";

    private static readonly object Valid = new { name = "Weekly for the network", period = "WEEKLY", audience = "NETWORK", emailRecipients = new[] { "network@example.org" } };

    [Theory]
    [InlineData("{\"name\":\" \",\"period\":\"DAILY\",\"audience\":\"PUBLIC\",\"emailRecipients\":[\"a@example.org\"]}", "name")]
    [InlineData("{\"name\":\"n\",\"period\":\"DAILY\",\"audience\":\"PUBLIC\"}", "emailRecipients")]
    [InlineData("{\"name\":\"n\",\"period\":\"DAILY\",\"audience\":\"PUBLIC\",\"emailRecipients\":[\"not an address\"]}", "emailRecipients[0]")]
    [InlineData("{\"name\":\"n\",\"period\":\"DAILY\",\"audience\":\"PUBLIC\",\"emailRecipients\":[\"a@example.org\",\"Someone <b@example.org>\"]}", "emailRecipients[1]")]
    [InlineData("{\"name\":\"n\",\"period\":\"DAILY\",\"audience\":\"PUBLIC\",\"webhookUrl\":\"http://receiver.example.org/hook\"}", "webhookUrl")]
    [InlineData("{\"name\":\"n\",\"period\":\"DAILY\",\"audience\":\"PUBLIC\",\"webhookUrl\":\"https://user:pw@receiver.example.org/hook\"}", "webhookUrl")]
    [InlineData("{\"name\":\"n\",\"period\":\"DAILY\",\"audience\":\"PUBLIC\",\"webhookUrl\":\"ftp://receiver.example.org\"}", "webhookUrl")]
    [InlineData("{\"name\":\"n\",\"period\":\"DAILY\",\"weekday\":\"FRIDAY\",\"audience\":\"PUBLIC\",\"emailRecipients\":[\"a@example.org\"]}", "weekday")]
    [InlineData("{\"name\":\"n\",\"period\":\"DAILY\",\"audience\":\"PUBLIC\",\"countries\":[\"NE\",\"XX\"],\"emailRecipients\":[\"a@example.org\"]}", "countries[1]")]
    [InlineData("{\"name\":\"n\",\"period\":\"DAILY\",\"audience\":\"PUBLIC\",\"themes\":[\"\"],\"emailRecipients\":[\"a@example.org\"]}", "themes[0]")]
    [InlineData("{\"name\":\"n\",\"period\":\"DAILY\",\"audience\":\"RESTRICTED\",\"emailRecipients\":[\"a@example.org\"]}", "audience")]
    public async Task An_invalid_subscription_is_refused_on_its_field_and_nothing_is_stored(string input, string field)
    {
        // A STAFF key with STAFF clearance: a RESTRICTED audience is above its own clearance.
        var staff = platform.GraphQL(await CreateKeyAsync(platform.Admin(), "STAFF", "STAFF"));
        var before = await CountAsync();
        var response = await staff.PostAsync(Create, new { input = JsonDocument.Parse(input).RootElement });
        Assert.Equal(("VALIDATION", field), (response.ErrorCode, response.ErrorField));
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Deliveries_not_yet_made_go_only_to_the_targets_and_the_audience_the_subscription_still_has()
    {
        var admin = platform.Admin();
        var (id, _) = await SubscribeAsync(admin, new { name = "Retargeted desk", period = "DAILY", audience = "STAFF", countries = new[] { "BI" },
            emailRecipients = new[] { "kept@example.org", "removed@example.org" } });
        // Jobs are off and no SMTP server is set: the DIGEST run queues the deliveries, which stay pending.
        await RunAsync(admin, "DIGEST", TodayInGeneva().AddDays(1));
        Assert.Equal(["kept@example.org", "removed@example.org"], await PendingAsync(id));

        await admin.QueryAsync(Update, new { input = new { subscriptionId = id, emailRecipients = new[] { "kept@example.org", "added@example.org" } } });
        Assert.Equal(["kept@example.org"], await PendingAsync(id)); // removed: nothing more; added: from the next digest on

        await admin.QueryAsync(Update, new { input = new { subscriptionId = id, name = "Renamed desk" } });
        Assert.Equal(["kept@example.org"], await PendingAsync(id)); // a change of something else leaves them

        await admin.QueryAsync(Update, new { input = new { subscriptionId = id, audience = "PUBLIC" } });
        Assert.Empty(await PendingAsync(id)); // the digest was composed for STAFF

        // Gone, so that the other tests' DIGEST runs count only their own subscriptions.
        await admin.QueryAsync("mutation($id: ID!) { deleteDigestSubscription(input: { subscriptionId: $id }) { digestSubscription { id } } }", new { id });
    }

    private async Task<List<string>> PendingAsync(string subscriptionId)
    {
        Assert.True(Omct.Platform.BuildingBlocks.Ids.GlobalId.TryDecode(subscriptionId, out _, out var id));
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select target from omct.digests_delivery where subscription_id = $1 and status <> 'Delivered' order by target", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        var targets = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            targets.Add(reader.GetString(0));
        }

        return targets;
    }

    [Fact]
    public async Task A_subscription_is_created_with_its_secret_once_then_updated_paused_resumed_and_deleted_with_expected_versions()
    {
        var staff = platform.GraphQL(await CreateKeyAsync(platform.Admin(), "STAFF", "STAFF"));
        var created = (await staff.QueryAsync(Create, new
        {
            input = new { name = "Sahel weekly", period = "WEEKLY", weekday = "FRIDAY", audience = "STAFF", countries = new[] { "ml", "NE", "NE" }, themes = new[] { "Torture " },
                          emailRecipients = new[] { "desk@example.org", "DESK@example.org" }, webhookUrl = "https://receiver.example.org/omct", clientMutationId = "create-1" },
        })).GetProperty("createDigestSubscription");
        var subscription = created.GetProperty("digestSubscription");
        var id = subscription.GetProperty("id").GetString();
        Assert.StartsWith("whsec_", created.GetProperty("webhookSecret").GetString(), StringComparison.Ordinal);
        Assert.Equal(("WEEKLY", "FRIDAY", "STAFF", 1), (subscription.GetProperty("period").GetString(), subscription.GetProperty("weekday").GetString(),
            subscription.GetProperty("audience").GetString(), subscription.GetProperty("version").GetInt32()));
        Assert.Equal(["ML", "NE"], subscription.GetProperty("countries").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["torture"], subscription.GetProperty("themes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["desk@example.org"], subscription.GetProperty("emailRecipients").EnumerateArray().Select(c => c.GetString()));

        // The same clientMutationId: the first subscription, without its secret, nothing new stored.
        var count = await CountAsync();
        var repeat = (await staff.QueryAsync(Create, new { input = new { name = "Other", period = "DAILY", audience = "PUBLIC", emailRecipients = new[] { "x@example.org" }, clientMutationId = "create-1" } }))
            .GetProperty("createDigestSubscription");
        Assert.Equal(id, repeat.GetProperty("digestSubscription").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, repeat.GetProperty("webhookSecret").ValueKind);
        Assert.Equal(count, await CountAsync());

        // The secret is never readable again: the type has no such field.
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", (await staff.PostAsync("{ digestSubscriptions { nodes { webhookSecret } } }")).ErrorCode);

        var updated = (await staff.QueryAsync(Update, new { input = new { subscriptionId = id, name = "Sahel, weekly", emailRecipients = Array.Empty<string>(), expectedVersion = 1 } }))
            .GetProperty("updateDigestSubscription");
        Assert.Equal(("Sahel, weekly", 2, 0), (updated.GetProperty("digestSubscription").GetProperty("name").GetString(),
            updated.GetProperty("digestSubscription").GetProperty("version").GetInt32(), updated.GetProperty("digestSubscription").GetProperty("emailRecipients").GetArrayLength()));
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("webhookSecret").ValueKind);
        Assert.Equal("CONFLICT", (await staff.PostAsync(Update, new { input = new { subscriptionId = id, name = "Stale", expectedVersion = 1 } })).ErrorCode);
        // Removing the webhook now would leave it going nowhere.
        Assert.Equal(("VALIDATION", "emailRecipients"), await ErrorAsync(staff, Update, new { input = new { subscriptionId = id, webhookUrl = "" } }));
        var rotated = (await staff.QueryAsync(Update, new { input = new { subscriptionId = id, rotateWebhookSecret = true } })).GetProperty("updateDigestSubscription");
        Assert.StartsWith("whsec_", rotated.GetProperty("webhookSecret").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(created.GetProperty("webhookSecret").GetString(), rotated.GetProperty("webhookSecret").GetString());

        var paused = (await staff.QueryAsync("mutation($id: ID!) { pauseDigestSubscription(input: { subscriptionId: $id, expectedVersion: 3 }) { digestSubscription { paused version } } }", new { id }))
            .GetProperty("pauseDigestSubscription").GetProperty("digestSubscription");
        Assert.Equal((true, 4), (paused.GetProperty("paused").GetBoolean(), paused.GetProperty("version").GetInt32()));
        var resumed = (await staff.QueryAsync("mutation($id: ID!) { resumeDigestSubscription(input: { subscriptionId: $id }) { digestSubscription { paused } } }", new { id }))
            .GetProperty("resumeDigestSubscription").GetProperty("digestSubscription");
        Assert.False(resumed.GetProperty("paused").GetBoolean());

        // Staff whose clearance does not reach the audience: the subscription does not exist for them.
        var networkStaff = platform.GraphQL(await CreateKeyAsync(platform.Admin(), "STAFF", "NETWORK"));
        Assert.Equal("NOT_FOUND", (await networkStaff.PostAsync("mutation($id: ID!) { deleteDigestSubscription(input: { subscriptionId: $id }) { digestSubscription { id } } }", new { id })).ErrorCode);
        Assert.Equal("NOT_FOUND", (await networkStaff.PostAsync(Update, new { input = new { subscriptionId = id, name = "Taken over" } })).ErrorCode);

        var deleted = await staff.QueryAsync("mutation($id: ID!) { deleteDigestSubscription(input: { subscriptionId: $id, expectedVersion: 5 }) { digestSubscription { id name } } }", new { id });
        Assert.Equal("Sahel, weekly", deleted.GetProperty("deleteDigestSubscription").GetProperty("digestSubscription").GetProperty("name").GetString());
        Assert.Equal("NOT_FOUND", (await staff.PostAsync("mutation($id: ID!) { pauseDigestSubscription(input: { subscriptionId: $id }) { digestSubscription { id } } }", new { id })).ErrorCode);
    }

    [Fact]
    public async Task A_weekly_digest_is_made_on_its_weekday_for_the_7_days_before_once_and_a_catch_up_makes_the_missed_daily_ones()
    {
        var admin = platform.Admin();
        // A week of its own far in the past, so other tests' digests do not meet it: Monday 2 March 2015.
        var monday = new DateOnly(2015, 3, 2);
        var weeklyCase = await OpenCaseOnAsync(admin, "Togo: opened on Wednesday before", "TG", monday.AddDays(-5));
        await OpenCaseOnAsync(admin, "Togo: opened the week before", "TG", monday.AddDays(-9));
        var (weekly, _) = await SubscribeAsync(admin, new { name = "Togo weekly", period = "WEEKLY", audience = "PUBLIC", countries = new[] { "TG" }, emailRecipients = new[] { "togo@example.org" } });

        Assert.Equal(0, (await RunAsync(admin, "DIGEST", monday.AddDays(-1))).GetProperty("items").GetInt32()); // Sunday: no weekly digest
        Assert.Equal(1, (await RunAsync(admin, "DIGEST", monday)).GetProperty("items").GetInt32());
        var digest = Of(await DigestsAsync(admin), weekly);
        Assert.Equal(("WEEKLY", "2015-02-23", "2015-03-01"), (digest.GetProperty("period").GetString(), digest.GetProperty("from").GetString(), digest.GetProperty("to").GetString()));
        var newCases = digest.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("kind").GetString() == "NEW_CASES").GetProperty("items");
        Assert.Equal(["Togo: opened on Wednesday before"], newCases.EnumerateArray().Select(i => i.GetProperty("title").GetString()));
        Assert.Equal(weeklyCase, newCases[0].GetProperty("entityId").GetString());
        var delivery = Assert.Single(digest.GetProperty("deliveries").EnumerateArray());
        Assert.Equal(("EMAIL", "togo@example.org", "PENDING", 0), (delivery.GetProperty("channel").GetString(), delivery.GetProperty("target").GetString(),
            delivery.GetProperty("status").GetString(), delivery.GetProperty("attempts").GetInt32()));

        // A rerun writes nothing: no digest, no delivery, no sequence number.
        var rows = await TableCountsAsync();
        Assert.Equal(0, (await RunAsync(admin, "DIGEST", monday)).GetProperty("items").GetInt32());
        Assert.Equal(rows, await TableCountsAsync());

        // A daily subscription and a run three days later: the job catches up each day it missed (Tuesday, Wednesday, Thursday).
        var (daily, _) = await SubscribeAsync(admin, new { name = "Togo daily", period = "DAILY", audience = "PUBLIC", countries = new[] { "TG" }, emailRecipients = new[] { "togo@example.org" } });
        Assert.Equal(3, (await RunAsync(admin, "DIGEST", monday.AddDays(3))).GetProperty("items").GetInt32());
        var dailies = (await DigestsAsync(admin)).Where(d => d.GetProperty("subscriptionId").GetString() == daily).Select(d => d.GetProperty("from").GetString()).ToList();
        Assert.Equal(["2015-03-04", "2015-03-03", "2015-03-02"], dailies);

        // Paused: nothing more.
        await admin.QueryAsync("mutation($id: ID!) { pauseDigestSubscription(input: { subscriptionId: $id }) { digestSubscription { paused } } }", new { id = daily });
        Assert.Equal(0, (await RunAsync(admin, "DIGEST", monday.AddDays(4))).GetProperty("items").GetInt32());
    }

    private static async Task<string> OpenCaseOnAsync(GraphQLClient admin, string title, string country, DateOnly openedOn) =>
        (await admin.QueryAsync("mutation($title: String!, $country: CountryCode!, $on: Date) { openCase(input: { title: $title, countryCode: $country, openedOn: $on, confidentiality: PUBLIC }) { case { id } } }",
            new { title, country, on = Iso(openedOn) })).GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    private static async Task<(string?, string?)> ErrorAsync(GraphQLClient client, string query, object variables)
    {
        var response = await client.PostAsync(query, variables);
        return (response.ErrorCode, response.ErrorField);
    }

    private async Task<long> CountAsync() => await ScalarAsync("select count(*) from omct.mt_doc_digests_subscription");

    private async Task<(long, long, long)> TableCountsAsync() =>
        (await ScalarAsync("select count(*) from omct.digests_digest"), await ScalarAsync("select count(*) from omct.digests_delivery"),
         await ScalarAsync("select last_value from omct.digests_digest_seq"));

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
