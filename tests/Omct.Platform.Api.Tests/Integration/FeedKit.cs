using System.Text.Json;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests.Integration;

/// <summary>One change as a test reads it from the feed.</summary>
public sealed record FeedChange(string Cursor, long Sequence, string EntityType, string EntityId, string Kind, int? Version, string? OccurredAt);

/// <summary>Reading the change feed and making keys, through the API.</summary>
public static class FeedKit
{
    public const string Page =
        "query($after: String, $first: Int, $types: [EntityType!]) { changes(after: $after, first: $first, entityTypes: $types) { " +
        "edges { cursor node { cursor sequence entityType entityId kind version occurredAt } } pageInfo { hasNextPage endCursor } } }";

    public static async Task<(List<FeedChange> Changes, bool HasNextPage, string EndCursor)> PageAsync(
        GraphQLClient client, string? after, int? first = null, string[]? types = null)
    {
        var data = await client.QueryAsync(Page, new { after, first, types });
        var changes = data.GetProperty("changes");
        var list = changes.GetProperty("edges").EnumerateArray().Select(e =>
        {
            var n = e.GetProperty("node");
            if (n.GetProperty("cursor").GetString() != e.GetProperty("cursor").GetString())
            {
                throw new InvalidOperationException("The edge's and the node's cursor differ.");
            }

            return new FeedChange(n.GetProperty("cursor").GetString()!, n.GetProperty("sequence").GetInt64(), n.GetProperty("entityType").GetString()!,
                n.GetProperty("entityId").GetString()!, n.GetProperty("kind").GetString()!,
                n.GetProperty("version").ValueKind == JsonValueKind.Null ? null : n.GetProperty("version").GetInt32(),
                n.GetProperty("occurredAt").ValueKind == JsonValueKind.Null ? null : n.GetProperty("occurredAt").GetString());
        }).ToList();
        var info = changes.GetProperty("pageInfo");
        return (list, info.GetProperty("hasNextPage").GetBoolean(), info.GetProperty("endCursor").GetString()!);
    }

    /// <summary>Follows the feed until it is drained; returns what it read and where it ended.</summary>
    public static async Task<(List<FeedChange> Changes, string EndCursor)> DrainAsync(
        GraphQLClient client, string? after = null, int first = 100, string[]? types = null)
    {
        var all = new List<FeedChange>();
        while (true)
        {
            var (changes, hasNext, end) = await PageAsync(client, after, first, types);
            all.AddRange(changes);
            after = end;
            if (!hasNext)
            {
                return (all, end);
            }
        }
    }

    public static async Task<string> KeyAsync(PlatformFactory platform, string role, string clearance)
    {
        var data = await platform.Admin().QueryAsync(
            "mutation($role: Role!, $clearance: Confidentiality!) { createApiKey(input: { name: \"feed test\", role: $role, clearance: $clearance }) { key } }",
            new { role, clearance });
        return data.GetProperty("createApiKey").GetProperty("key").GetString()!;
    }

    public static async Task<string> OpenCaseAsync(GraphQLClient client, string title, string confidentiality = "PUBLIC", string country = "CM")
    {
        var data = await client.QueryAsync(
            "mutation($title: String!, $c: Confidentiality!, $country: CountryCode!) { openCase(input: { title: $title, countryCode: $country, confidentiality: $c }) { case { id } } }",
            new { title, c = confidentiality, country });
        return data.GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
    }

    public static Task<JsonElement> RecordEventAsync(GraphQLClient client, string caseId, string date = "2013-03") =>
        client.QueryAsync("mutation($id: ID!, $date: PartialDate!) { recordCaseEvent(input: { caseId: $id, type: THREAT, date: $date }) { case { version } } }",
            new { id = caseId, date });

    public static Task<JsonElement> SetCaseConfidentialityAsync(GraphQLClient client, string caseId, string level) =>
        client.QueryAsync("mutation($id: ID!, $c: Confidentiality!) { changeCaseConfidentiality(input: { caseId: $id, confidentiality: $c }) { case { confidentiality version } } }",
            new { id = caseId, c = level });
}
