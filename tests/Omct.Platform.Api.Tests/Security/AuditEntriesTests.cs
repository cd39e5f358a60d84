using System.Text.Json;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Security;

/// <summary>
/// Issue 20: <c>auditEntries</c>, the audit trail of a record filtered and paged on the server — each filter narrows
/// exactly as the whole trail (<c>auditTrail</c>) filtered by hand, pages follow one another without a duplicate or a
/// gap, and it is protected as <c>auditTrail</c> is (ADMIN only, within the admin's clearance).
/// </summary>
public sealed class AuditEntriesTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string Entries =
        "query($id: ID!, $filter: AuditEntryFilter, $first: Int, $after: String) { auditEntries(entityId: $id, filter: $filter, first: $first, after: $after) { " +
        "totalCount pageInfo { hasNextPage endCursor } edges { cursor node { kind at action version by traceId clientMutationId } } } }";

    private const string Trail = "query($id: ID!) { auditTrail(entityId: $id) { kind at action version by traceId clientMutationId } }";

    [Fact]
    public async Task Each_filter_narrows_the_trail_to_exactly_the_matching_entries()
    {
        var root = platform.Admin();
        var (otherKey, otherId) = await CreateKeyAsync("ADMIN", "RESTRICTED");
        var other = platform.GraphQL(otherKey);
        var otherBy = "apikey:" + GlobalIdGuid(otherId);
        var id = await RegisterDefenderAsync("Audit Filter Person");
        var elsewhere = await RegisterDefenderAsync("Audit Elsewhere Person");
        await ReadContactAsync(root, id);
        await UpdateAsync(other, id, "Filtered one");
        await ReadContactAsync(other, id);
        await ReadContactAsync(other, id);
        await UpdateAsync(root, id, "Filtered two");
        await ReadContactAsync(root, elsewhere);
        var all = await TrailAsync(id, reads: 3);
        Assert.Equal(1, all.Count(e => e.Kind == "CHANGE" && e.By == otherBy));
        Assert.True(all.Count(e => e.Kind == "CHANGE") >= 3);

        async Task AssertFilterAsync(object filter, Func<Entry, bool> matches)
        {
            var expected = all.Where(matches).ToList();
            Assert.NotEmpty(expected);
            Assert.True(expected.Count < all.Count, "the filter leaves something out");
            var (entries, total) = await AllPagesAsync(root, id, filter, pageSize: 100);
            Assert.Equal(expected, entries);
            Assert.Equal(expected.Count, total);
        }

        await AssertFilterAsync(new { kinds = new[] { "CHANGE" } }, e => e.Kind == "CHANGE");
        await AssertFilterAsync(new { kinds = new[] { "RESTRICTED_READ" } }, e => e.Kind == "RESTRICTED_READ");
        await AssertFilterAsync(new { by = otherBy }, e => e.By == otherBy);
        await AssertFilterAsync(new { by = otherBy, kinds = new[] { "RESTRICTED_READ" } }, e => e.By == otherBy && e.Kind == "RESTRICTED_READ");
        var firstUpdate = all.First(e => e.Kind == "CHANGE" && e.By == otherBy).At;
        var secondUpdate = all.Last(e => e.Kind == "CHANGE").At;
        await AssertFilterAsync(new { from = firstUpdate }, e => e.At >= firstUpdate);
        await AssertFilterAsync(new { to = firstUpdate }, e => e.At < firstUpdate);
        await AssertFilterAsync(new { from = firstUpdate, to = secondUpdate }, e => e.At >= firstUpdate && e.At < secondUpdate);

        // Without a filter it is the whole trail; the entity id keeps another record's entries out.
        Assert.Equal(all, (await AllPagesAsync(root, id, null, pageSize: 100)).Entries);
        var (ofElsewhere, _) = await AllPagesAsync(root, elsewhere, null, pageSize: 100);
        Assert.Equal(await TrailAsync(elsewhere, reads: 1), ofElsewhere);
        Assert.Empty(ofElsewhere.Intersect(all));
    }

    [Fact]
    public async Task Pages_follow_one_another_without_duplicates_or_gaps_even_while_the_record_changes()
    {
        var root = platform.Admin();
        var id = await RegisterDefenderAsync("Audit Paging Person");
        for (var i = 0; i < 5; i++)
        {
            await UpdateAsync(root, id, $"Paged {i}");
            await ReadContactAsync(root, id);
        }

        var before = await TrailAsync(id, reads: 5);
        Assert.True(before.Count >= 11);

        var seen = new List<Entry>();
        var cursors = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await PageAsync(root, id, null, 3, after);
            Assert.True(page.Entries.Count <= 3);
            seen.AddRange(page.Entries);
            cursors.AddRange(page.Cursors);
            after = page.HasNextPage ? page.EndCursor : null;
            if (pages++ == 1)
            {
                await UpdateAsync(root, id, "Changed while paging"); // written after the first pages were read
            }
        }
        while (after is not null);

        Assert.Equal(before, seen.Take(before.Count));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(cursors.Count, cursors.Distinct().Count());
        Assert.Equal(await TrailAsync(id, reads: 5), seen);
        Assert.Equal(before.Count + 1, seen.Count);
    }

    [Fact]
    public async Task Only_admins_read_it_within_their_clearance_and_bad_input_is_VALIDATION_on_its_field()
    {
        var root = platform.Admin();
        var restricted = await OpenCaseAsync("Togo: restricted entries", "RESTRICTED");
        var network = await OpenCaseAsync("Togo: network entries", "NETWORK");
        await root.QueryAsync("mutation($c: ID!) { recordCaseEvent(input: { caseId: $c, type: TORTURE, date: \"2013\", confidentiality: RESTRICTED }) { case { id } } }", new { c = network });
        await root.QueryAsync("mutation($c: ID!) { recordCaseEvent(input: { caseId: $c, type: THREAT, date: \"2013\", confidentiality: NETWORK }) { case { id } } }", new { c = network });

        var (staffKey, _) = await CreateKeyAsync("STAFF", "RESTRICTED");
        var refused = await platform.GraphQL(staffKey).PostAsync(Entries, new { id = network });
        Assert.Equal("FORBIDDEN", refused.ErrorCode);
        Assert.DoesNotContain("\"edges\"", refused.Raw, StringComparison.Ordinal);
        Assert.Equal("UNAUTHENTICATED", (await platform.GraphQL().PostAsync(Entries, new { id = network })).ErrorCode);

        // A NETWORK admin: a RESTRICTED record answers as an unknown id; in a record it may see, the RESTRICTED event is left out.
        var (networkKey, _) = await CreateKeyAsync("ADMIN", "NETWORK");
        var admin = platform.GraphQL(networkKey);
        var ofRestricted = await admin.PostAsync(Entries, new { id = restricted });
        Assert.Equal((await admin.PostAsync(Entries, new { id = GlobalId.Encode("Case", Guid.CreateVersion7()) })).Raw, ofRestricted.Raw);
        Assert.Equal(0, ofRestricted.Data.GetProperty("auditEntries").GetProperty("totalCount").GetInt32());
        var (seen, seenTotal) = await AllPagesAsync(admin, network, null, pageSize: 2);
        var (all, _) = await AllPagesAsync(root, network, null, pageSize: 2);
        Assert.Equal(all.Count - 1, seen.Count);
        Assert.Equal(seen.Count, seenTotal);
        Assert.Equal(1, seen.Count(e => e.Action.Contains("event_recorded", StringComparison.Ordinal)));
        var trailOfAdmin = (await admin.QueryAsync(Trail, new { id = network })).GetProperty("auditTrail").EnumerateArray().Select(Entry.Of).ToList();
        Assert.Equal(trailOfAdmin, seen);

        // Bad input names its field.
        async Task AssertInvalidAsync(object variables, string code, string? field)
        {
            var response = await root.PostAsync(Entries, variables);
            Assert.Equal((code, field), (response.ErrorCode, response.ErrorField));
        }

        await AssertInvalidAsync(new { id = network, filter = new { by = "nobody" } }, "VALIDATION", "filter.by");
        await AssertInvalidAsync(new { id = network, filter = new { by = new string('x', 300) } }, "VALIDATION", "filter.by");
        await AssertInvalidAsync(new { id = network, filter = new { from = "2026-02-01T00:00:00Z", to = "2026-01-01T00:00:00Z" } }, "VALIDATION", "filter.from");
        await AssertInvalidAsync(new { id = network, filter = new { to = "1900-01-01T00:00:00Z" } }, "VALIDATION", "filter.to");
        await AssertInvalidAsync(new { id = network, after = "nope" }, "VALIDATION", "after");
        await AssertInvalidAsync(new { id = "not-an-id" }, "VALIDATION", "entityId");
        await AssertInvalidAsync(new { id = network, first = 101 }, "LIMIT_EXCEEDED", null);
    }

    private sealed record Entry(string Kind, DateTimeOffset At, string Action, long? Version, string? By, string? TraceId, string? ClientMutationId)
    {
        public static Entry Of(JsonElement e) => new(
            e.GetProperty("kind").GetString()!, e.GetProperty("at").GetDateTimeOffset(), e.GetProperty("action").GetString()!,
            e.GetProperty("version").ValueKind == JsonValueKind.Null ? null : e.GetProperty("version").GetInt64(),
            e.GetProperty("by").GetString(), e.GetProperty("traceId").GetString(), e.GetProperty("clientMutationId").GetString());
    }

    private sealed record Page(List<Entry> Entries, List<string> Cursors, bool HasNextPage, string? EndCursor, int TotalCount);

    private static async Task<Page> PageAsync(GraphQLClient client, string id, object? filter, int first, string? after)
    {
        var connection = (await client.QueryAsync(Entries, new { id, filter, first, after })).GetProperty("auditEntries");
        var edges = connection.GetProperty("edges").EnumerateArray().ToList();
        var info = connection.GetProperty("pageInfo");
        return new Page(
            [.. edges.Select(e => Entry.Of(e.GetProperty("node")))], [.. edges.Select(e => e.GetProperty("cursor").GetString()!)],
            info.GetProperty("hasNextPage").GetBoolean(), info.GetProperty("endCursor").GetString(), connection.GetProperty("totalCount").GetInt32());
    }

    private static async Task<(List<Entry> Entries, int Total)> AllPagesAsync(GraphQLClient client, string id, object? filter, int pageSize)
    {
        var entries = new List<Entry>();
        string? after = null;
        int? total = null;
        do
        {
            var page = await PageAsync(client, id, filter, pageSize, after);
            total ??= page.TotalCount;
            entries.AddRange(page.Entries);
            after = page.HasNextPage ? page.EndCursor : null;
        }
        while (after is not null);

        return (entries, total.Value);
    }

    /// <summary>The whole trail (auditTrail), once the RESTRICTED reads the writer records in the background are there.</summary>
    private async Task<List<Entry>> TrailAsync(string id, int reads)
    {
        await platform.RestrictedReadsWrittenAsync();
        var trail = (await platform.Admin().QueryAsync(Trail, new { id })).GetProperty("auditTrail").EnumerateArray().Select(Entry.Of).ToList();
        Assert.Equal(reads, trail.Count(e => e.Kind == "RESTRICTED_READ"));
        return trail;
    }

    private static string GlobalIdGuid(string id) => GlobalId.TryDecode(id, out _, out var guid) ? guid.ToString() : throw new InvalidOperationException(id);

    private async Task<string> RegisterDefenderAsync(string name) =>
        (await platform.Admin().QueryAsync(
            "mutation($name: String!) { registerDefender(input: { name: $name, countryCode: \"TG\", confidentiality: PUBLIC, contact: \"+228 secret\" }) { defender { id } } }",
            new { name }))
        .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()!;

    private static Task ReadContactAsync(GraphQLClient client, string id) =>
        client.QueryAsync("query($id: ID!) { defender(id: $id) { contact } }", new { id });

    private static Task UpdateAsync(GraphQLClient client, string id, string pseudonym) =>
        client.QueryAsync("mutation($id: ID!, $p: String) { updateDefender(input: { defenderId: $id, pseudonym: $p }) { defender { id } } }", new { id, p = pseudonym });

    private async Task<string> OpenCaseAsync(string title, string confidentiality) =>
        (await platform.Admin().QueryAsync("mutation($title: String!, $level: Confidentiality) { openCase(input: { title: $title, countryCode: \"TG\", confidentiality: $level }) { case { id } } }",
            new { title, level = confidentiality }))
        .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    private async Task<(string Key, string Id)> CreateKeyAsync(string role, string clearance)
    {
        var created = (await platform.Admin().QueryAsync("mutation($role: Role!, $clearance: Confidentiality!) { createApiKey(input: { name: \"audit entries\", role: $role, clearance: $clearance }) { key apiKey { id } } }",
            new { role, clearance })).GetProperty("createApiKey");
        return (created.GetProperty("key").GetString()!, created.GetProperty("apiKey").GetProperty("id").GetString()!);
    }
}
