using System.Text.Json;
using Omct.Platform.Api.Tests.Digests;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Security;

/// <summary>
/// What the one <c>MutationPipeline</c> promises for every kind of write — an event stream, a Marten document, a row of a
/// hand-written store: the same clientMutationId sent several times at once is carried out once, and every duplicate
/// waits for the first and answers what a later repeat would (the first result; CONFLICT where the result is a secret
/// shown once); a malformed id is NOT_FOUND, as an unknown one.
/// </summary>
public sealed class MutationPipelineTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const int AtOnce = 8;

    [Fact]
    public async Task Concurrent_duplicates_of_a_stream_a_document_and_a_store_mutation_write_once_and_all_answer_the_first_result()
    {
        var admin = platform.Admin();
        var caseId = await DigestKit.OpenCaseAsync(admin, "Benin: at once", "BJ", "PUBLIC");
        var (subscriptionId, _) = await DigestKit.SubscribeAsync(admin, new { name = "At once", period = "DAILY", audience = "PUBLIC", emailRecipients = new[] { "desk@example.org" } });
        var integrator = platform.GraphQL((await WebhookKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC")).Key);
        var (webhookId, _, _) = await WebhookKit.RegisterAsync(integrator, "https://example.org/at-once");

        // Each duplicate would write again if it ran: one more event, one more version.
        var stream = await AllAtOnceAsync(() => admin.PostAsync(
            "mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: THREAT, date: \"2013-05\", clientMutationId: \"stream-at-once\" }) { case { id version } } }",
            new { id = caseId }));
        var document = await AllAtOnceAsync(() => admin.PostAsync(
            "mutation($id: ID!) { updateDigestSubscription(input: { subscriptionId: $id, name: \"Renamed at once\", clientMutationId: \"document-at-once\" }) { digestSubscription { id version } } }",
            new { id = subscriptionId }));
        var row = await AllAtOnceAsync(() => integrator.PostAsync(
            "mutation($id: ID!) { updateWebhook(input: { webhookId: $id, name: \"Renamed at once\", clientMutationId: \"row-at-once\" }) { webhook { id version } } }",
            new { id = webhookId }));

        foreach (var (answers, mutation, entity, id) in new[]
                 {
                     (stream, "recordCaseEvent", "case", caseId),
                     (document, "updateDigestSubscription", "digestSubscription", subscriptionId),
                     (row, "updateWebhook", "webhook", webhookId),
                 })
        {
            Assert.All(answers, a => Assert.False(a.HasErrors, $"{mutation}: {a}"));
            // Every answer is the one first result: the entity at the version of the single write.
            Assert.Equal([(id, 2)], answers.Select(a => a.Data.GetProperty(mutation).GetProperty(entity)).Select(e => (e.GetProperty("id").GetString()!, e.GetProperty("version").GetInt32())).Distinct());
        }

        var written = await admin.QueryAsync("query($c: ID!) { case(id: $c) { version events { id } } digestSubscriptions(first: 10) { nodes { id version name } } }", new { c = caseId });
        Assert.Equal((2, 1), (written.GetProperty("case").GetProperty("version").GetInt32(), written.GetProperty("case").GetProperty("events").GetArrayLength()));
        var subscription = written.GetProperty("digestSubscriptions").GetProperty("nodes").EnumerateArray().Single(s => s.GetProperty("id").GetString() == subscriptionId);
        Assert.Equal((2, "Renamed at once"), (subscription.GetProperty("version").GetInt32(), subscription.GetProperty("name").GetString()));
        Assert.Equal(2, (await WebhookKit.GetAsync(integrator, webhookId)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Concurrent_duplicates_of_a_mutation_that_shows_a_secret_create_once_and_the_others_are_CONFLICT()
    {
        var admin = platform.Admin();
        var keysBefore = await KeyCountAsync(admin);
        var answers = await AllAtOnceAsync(() => admin.PostAsync(
            "mutation { createApiKey(input: { name: \"once at once\", role: STAFF, clearance: PUBLIC, clientMutationId: \"key-at-once\" }) { key apiKey { id } } }"));

        var created = Assert.Single(answers, a => !a.HasErrors);
        Assert.False(string.IsNullOrEmpty(created.Data.GetProperty("createApiKey").GetProperty("key").GetString()));
        Assert.All(answers.Where(a => a.HasErrors), a => Assert.Equal("CONFLICT", a.ErrorCode));
        Assert.Equal(keysBefore + 1, await KeyCountAsync(admin));
    }

    [Fact]
    public async Task A_malformed_id_is_NOT_FOUND_in_every_mutation_as_an_unknown_one()
    {
        var admin = platform.Admin();
        var caseId = await DigestKit.OpenCaseAsync(admin, "Niger: malformed ids", "NE", "PUBLIC");
        foreach (var (mutation, document, variables) in new (string, string, object)[]
                 {
                     ("correctCaseEvent (eventId)", "mutation($c: ID!) { correctCaseEvent(input: { caseId: $c, eventId: \"nope\", type: THREAT, date: \"2013\" }) { case { id } } }", new { c = caseId }),
                     ("addVictim (defenderId)", "mutation($c: ID!) { addVictim(input: { caseId: $c, defenderId: \"nope\" }) { case { id } } }", new { c = caseId }),
                     ("recordCaseEvent (victimIds)", "mutation($c: ID!) { recordCaseEvent(input: { caseId: $c, type: THREAT, date: \"2013\", victimIds: [\"nope\"] }) { case { id } } }", new { c = caseId }),
                     ("changeCaseStatus (caseId)", "mutation { changeCaseStatus(input: { caseId: \"nope\", status: CLOSED }) { case { id } } }", new { }),
                     ("createApiKey (organisationId)", "mutation { createApiKey(input: { name: \"k\", role: NETWORK_MEMBER, clearance: PUBLIC, organisationId: \"nope\" }) { key } }", new { }),
                     ("revokeApiKey (id)", "mutation { revokeApiKey(input: { id: \"nope\" }) { apiKey { id } } }", new { }),
                     ("updateDigestSubscription (subscriptionId)", "mutation { updateDigestSubscription(input: { subscriptionId: \"nope\", name: \"n\" }) { digestSubscription { id } } }", new { }),
                     ("pauseWebhook (webhookId)", "mutation { pauseWebhook(input: { webhookId: \"nope\" }) { webhook { id } } }", new { }),
                 })
        {
            var answer = await admin.PostAsync(document, variables);
            Assert.True(answer.ErrorCode == "NOT_FOUND", $"{mutation}: {answer}");
        }

        // The same code for an id of the right shape that does not exist.
        var unknown = await admin.PostAsync("mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }", new { id = GlobalId.Encode("ApiKey", Guid.CreateVersion7()) });
        Assert.Equal("NOT_FOUND", unknown.ErrorCode);
    }

    /// <summary>Sends <see cref="AtOnce"/> requests released together.</summary>
    private static async Task<GraphQLResponse[]> AllAtOnceAsync(Func<Task<GraphQLResponse>> send)
    {
        using var start = new ManualResetEventSlim();
        var sent = Enumerable.Range(0, AtOnce).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await send();
        })).ToArray();
        start.Set();
        return await Task.WhenAll(sent);
    }

    private static async Task<int> KeyCountAsync(GraphQLClient admin) =>
        (await admin.QueryAsync("{ apiKeys(first: 100) { totalCount } }")).GetProperty("apiKeys").GetProperty("totalCount").GetInt32();
}
