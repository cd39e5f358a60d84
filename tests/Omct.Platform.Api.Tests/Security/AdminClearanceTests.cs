using System.Net;
using System.Text.Json;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Security;

/// <summary>
/// Issue 15, hole 5: an ADMIN is bounded by its clearance like everyone else — the audit trail, API keys
/// (list, create, revoke) answer for what it may see, and a hidden record is answered like an unknown one.
/// </summary>
public sealed class AdminClearanceTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string Trail = "query($id: ID!) { auditTrail(entityId: $id) { kind action version by at traceId } }";

    [Fact]
    public async Task A_NETWORK_admin_gets_the_same_audit_trail_for_a_RESTRICTED_case_as_for_a_random_id()
    {
        var restricted = await OpenCaseAsync("Togo: restricted trail", "RESTRICTED");
        var network = await OpenCaseAsync("Togo: network trail", "NETWORK");
        var random = GlobalId.Encode("Case", Guid.CreateVersion7());
        var admin = platform.GraphQL(await CreateKeyAsync("ADMIN", "NETWORK"));

        var ofRestricted = await admin.PostAsync(Trail, new { id = restricted });
        var ofRandom = await admin.PostAsync(Trail, new { id = random });
        Assert.Equal(ofRandom.Raw, ofRestricted.Raw);
        Assert.Equal(0, ofRestricted.Data.GetProperty("auditTrail").GetArrayLength());

        // The trail of what it may see is still there, and the RESTRICTED admin sees the hidden one's.
        Assert.NotEqual(0, (await admin.QueryAsync(Trail, new { id = network })).GetProperty("auditTrail").GetArrayLength());
        Assert.NotEqual(0, (await platform.Admin().QueryAsync(Trail, new { id = restricted })).GetProperty("auditTrail").GetArrayLength());
    }

    [Fact]
    public async Task In_a_case_a_NETWORK_admin_may_see_the_trail_leaves_out_the_events_and_victims_above_its_clearance()
    {
        var network = await OpenCaseAsync("Togo: a trail with hidden entries", "NETWORK");
        var root = platform.Admin();
        await root.QueryAsync("mutation($c: ID!) { recordCaseEvent(input: { caseId: $c, type: THREAT, date: \"2013\", confidentiality: NETWORK }) { case { id } } }", new { c = network });
        await root.QueryAsync("mutation($c: ID!) { recordCaseEvent(input: { caseId: $c, type: TORTURE, date: \"2013\", confidentiality: RESTRICTED }) { case { id } } }", new { c = network });
        await root.QueryAsync("mutation($c: ID!) { addVictim(input: { caseId: $c, name: \"Protected witness\", confidentiality: RESTRICTED }) { case { id } } }", new { c = network });
        var admin = platform.GraphQL(await CreateKeyAsync("ADMIN", "NETWORK"));

        static string[] Actions(System.Text.Json.JsonElement data) =>
            [.. data.GetProperty("auditTrail").EnumerateArray().Select(e => e.GetProperty("action").GetString()!)];
        var seen = Actions(await admin.QueryAsync(Trail, new { id = network }));
        var all = Actions(await root.QueryAsync(Trail, new { id = network }));

        // The RESTRICTED admin sees two recorded events and the victim; the NETWORK admin one event and no victim.
        Assert.Equal(2, all.Count(a => a.Contains("event_recorded", StringComparison.Ordinal)));
        Assert.Equal(1, all.Count(a => a.Contains("victim", StringComparison.Ordinal)));
        Assert.Equal(1, seen.Count(a => a.Contains("event_recorded", StringComparison.Ordinal)));
        Assert.DoesNotContain(seen, a => a.Contains("victim", StringComparison.Ordinal));
        Assert.Contains(seen, a => a.Contains("opened", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_NETWORK_admin_cannot_revoke_a_RESTRICTED_key_and_is_told_NOT_FOUND_as_for_an_unknown_key()
    {
        var (restrictedKey, restrictedId) = await CreateKeyWithIdAsync("ADMIN", "RESTRICTED");
        var (_, networkId) = await CreateKeyWithIdAsync("STAFF", "NETWORK");
        var admin = platform.GraphQL(await CreateKeyAsync("ADMIN", "NETWORK"));
        const string revoke = "mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id revokedAt } } }";

        var hidden = await admin.PostAsync(revoke, new { id = restrictedId });
        var unknown = await admin.PostAsync(revoke, new { id = GlobalId.Encode("ApiKey", Guid.CreateVersion7()) });
        Assert.Equal("NOT_FOUND", hidden.ErrorCode);
        Assert.Equal(unknown.Messages(), hidden.Messages());
        Assert.Equal(unknown.Raw, hidden.Raw);

        // The RESTRICTED key still works; a key within the admin's clearance can be revoked.
        Assert.Equal("ADMIN", (await platform.GraphQL(restrictedKey).QueryAsync("{ me { role } }")).GetProperty("me").GetProperty("role").GetString());
        var revoked = await admin.QueryAsync(revoke, new { id = networkId });
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("revokeApiKey").GetProperty("apiKey").GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task CreateApiKey_refuses_a_clearance_above_the_admin_and_a_hidden_or_unknown_organisation_as_VALIDATION_and_writes_nothing()
    {
        var visible = await RegisterOrganisationAsync("Visible NGO", "NETWORK");
        var hidden = await RegisterOrganisationAsync("Hidden NGO", "RESTRICTED");
        var unknown = GlobalId.Encode("Organisation", Guid.CreateVersion7());
        var admin = platform.GraphQL(await CreateKeyAsync("ADMIN", "NETWORK"));
        const string create = "mutation($clearance: Confidentiality!, $org: ID) { createApiKey(input: { name: \"bounded\", role: NETWORK_MEMBER, clearance: $clearance, organisationId: $org }) { key } }";
        var before = await KeyCountAsync();

        var above = await admin.PostAsync(create, new { clearance = "STAFF", org = (string?)null });
        Assert.Equal(("VALIDATION", "clearance"), (above.ErrorCode, above.ErrorField));

        var ofHidden = await admin.PostAsync(create, new { clearance = "NETWORK", org = hidden });
        var ofUnknown = await admin.PostAsync(create, new { clearance = "NETWORK", org = unknown });
        Assert.Equal(("VALIDATION", "organisationId"), (ofHidden.ErrorCode, ofHidden.ErrorField));
        Assert.Equal(ofUnknown.Raw, ofHidden.Raw);
        // Also for the RESTRICTED admin, an organisation that does not exist is refused.
        var restrictedUnknown = await platform.Admin().PostAsync(create, new { clearance = "NETWORK", org = unknown });
        Assert.Equal(("VALIDATION", "organisationId"), (restrictedUnknown.ErrorCode, restrictedUnknown.ErrorField));
        Assert.Equal(before, await KeyCountAsync());

        // Within its clearance it still works.
        Assert.False(string.IsNullOrEmpty((await admin.QueryAsync(create, new { clearance = "NETWORK", org = visible }))
            .GetProperty("createApiKey").GetProperty("key").GetString()));
        Assert.Equal(before + 1, await KeyCountAsync());
    }

    [Fact]
    public async Task ApiKeys_lists_only_keys_within_the_admins_clearance_page_by_page()
    {
        var (_, restrictedId) = await CreateKeyWithIdAsync("STAFF", "RESTRICTED");
        var (_, staffId) = await CreateKeyWithIdAsync("STAFF", "STAFF");
        var (usedKey, networkId) = await CreateKeyWithIdAsync("INTEGRATOR", "NETWORK");
        await platform.GraphQL(usedKey).QueryAsync("{ me { role } }");
        var admin = platform.GraphQL(await CreateKeyAsync("ADMIN", "NETWORK"));

        var seen = new List<JsonElement>();
        string? after = null;
        int? total = null;
        do
        {
            var page = (await admin.QueryAsync(
                    "query($after: String) { apiKeys(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name prefix role clearance createdAt expiresAt revokedAt lastUsedAt } } } }",
                    new { after }))
                .GetProperty("apiKeys");
            total ??= page.GetProperty("totalCount").GetInt32();
            seen.AddRange(page.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")));
            after = page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? page.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
        }
        while (after is not null);

        var ids = seen.Select(k => k.GetProperty("id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(total, ids.Count);
        Assert.All(seen, k => Assert.Contains(k.GetProperty("clearance").GetString(), new[] { "PUBLIC", "NETWORK" }));
        Assert.Contains(networkId, ids);
        Assert.DoesNotContain(restrictedId, ids);
        Assert.DoesNotContain(staffId, ids);
        var used = seen.Single(k => k.GetProperty("id").GetString() == networkId);
        Assert.Equal(JsonValueKind.String, used.GetProperty("lastUsedAt").ValueKind);
        Assert.Equal("INTEGRATOR", used.GetProperty("role").GetString());
        Assert.StartsWith("omct_", used.GetProperty("prefix").GetString(), StringComparison.Ordinal);

        // The RESTRICTED admin sees all three; a bad cursor is VALIDATION on after.
        var all = (await platform.Admin().QueryAsync("{ apiKeys(first: 100) { nodes { id } } }")).GetProperty("apiKeys").GetProperty("nodes")
            .EnumerateArray().Select(n => n.GetProperty("id").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { restrictedId, staffId, networkId }, all.ToHashSet());
        var bad = await admin.PostAsync("{ apiKeys(after: \"nope\") { totalCount } }");
        Assert.Equal(("VALIDATION", "after"), (bad.ErrorCode, bad.ErrorField));
    }

    [Fact]
    public async Task An_admin_below_RESTRICTED_cannot_run_a_job_and_nothing_runs()
    {
        const string run = "mutation { runJob(input: { name: CLOSE_EXPIRED_CALLS }) { run { outcome } } }";
        const string lastRun = "{ scheduledJobs { name lastRun { startedAt } } }";
        var admin = platform.GraphQL(await CreateKeyAsync("ADMIN", "STAFF"));
        var before = (await platform.Admin().PostAsync(lastRun)).Raw;

        var refused = await admin.PostAsync(run);
        Assert.Equal(("VALIDATION", "name"), (refused.ErrorCode, refused.ErrorField));
        Assert.Equal(before, (await platform.Admin().PostAsync(lastRun)).Raw);

        Assert.Equal("SUCCEEDED", (await platform.Admin().QueryAsync(run)).GetProperty("runJob").GetProperty("run").GetProperty("outcome").GetString());
        Assert.NotEqual(before, (await platform.Admin().PostAsync(lastRun)).Raw);
    }

    [Fact]
    public async Task A_NETWORK_admin_neither_sees_nor_manages_a_RESTRICTED_digest_subscription_or_webhook()
    {
        var subscription = (await platform.Admin().QueryAsync("mutation { createDigestSubscription(input: { name: \"restricted desk\", period: DAILY, audience: RESTRICTED, emailRecipients: [\"desk@example.org\"] }) { digestSubscription { id } } }"))
            .GetProperty("createDigestSubscription").GetProperty("digestSubscription").GetProperty("id").GetString();
        var webhook = (await platform.Admin().QueryAsync("mutation { registerWebhook(input: { name: \"restricted hook\", url: \"https://example.org/hooks\" }) { webhook { id } } }"))
            .GetProperty("registerWebhook").GetProperty("webhook").GetProperty("id").GetString();
        var admin = platform.GraphQL(await CreateKeyAsync("ADMIN", "NETWORK"));

        Assert.DoesNotContain(subscription!, (await admin.PostAsync("{ digestSubscriptions(first: 100) { nodes { id } } }")).Raw, StringComparison.Ordinal);
        Assert.DoesNotContain(webhook!, (await admin.PostAsync("{ webhooks(first: 100) { nodes { id } } }")).Raw, StringComparison.Ordinal);

        const string pauseSubscription = "mutation($id: ID!) { pauseDigestSubscription(input: { subscriptionId: $id }) { digestSubscription { id } } }";
        var hiddenSubscription = await admin.PostAsync(pauseSubscription, new { id = subscription });
        Assert.Equal("NOT_FOUND", hiddenSubscription.ErrorCode);
        Assert.Equal((await admin.PostAsync(pauseSubscription, new { id = GlobalId.Encode("DigestSubscription", Guid.CreateVersion7()) })).Raw, hiddenSubscription.Raw);

        const string pauseWebhook = "mutation($id: ID!) { pauseWebhook(input: { webhookId: $id }) { webhook { id } } }";
        var hiddenWebhook = await admin.PostAsync(pauseWebhook, new { id = webhook });
        Assert.Equal("NOT_FOUND", hiddenWebhook.ErrorCode);
        Assert.Equal((await admin.PostAsync(pauseWebhook, new { id = GlobalId.Encode("Webhook", Guid.CreateVersion7()) })).Raw, hiddenWebhook.Raw);
    }

    private async Task<int> KeyCountAsync() =>
        (await platform.Admin().QueryAsync("{ apiKeys { totalCount } }")).GetProperty("apiKeys").GetProperty("totalCount").GetInt32();

    private async Task<string> OpenCaseAsync(string title, string confidentiality) =>
        (await platform.Admin().QueryAsync("mutation($title: String!, $level: Confidentiality) { openCase(input: { title: $title, countryCode: \"TG\", confidentiality: $level }) { case { id } } }",
            new { title, level = confidentiality }))
        .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    private async Task<string> RegisterOrganisationAsync(string name, string confidentiality) =>
        (await platform.Admin().QueryAsync("mutation($name: String!, $level: Confidentiality) { registerOrganisation(input: { name: $name, countryCode: \"TG\", networkMember: true, confidentiality: $level }) { organisation { id } } }",
            new { name, level = confidentiality }))
        .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;

    private async Task<string> CreateKeyAsync(string role, string clearance) => (await CreateKeyWithIdAsync(role, clearance)).Key;

    private async Task<(string Key, string Id)> CreateKeyWithIdAsync(string role, string clearance)
    {
        var created = (await platform.Admin().QueryAsync("mutation($role: Role!, $clearance: Confidentiality!) { createApiKey(input: { name: \"admin clearance\", role: $role, clearance: $clearance }) { key apiKey { id } } }",
            new { role, clearance })).GetProperty("createApiKey");
        return (created.GetProperty("key").GetString()!, created.GetProperty("apiKey").GetProperty("id").GetString()!);
    }
}
