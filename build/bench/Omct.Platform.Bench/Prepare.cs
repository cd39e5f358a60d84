using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Omct.Platform.BuildingBlocks.Ids;

namespace Omct.Platform.Bench;

/// <summary>
/// Everything the load runs need, against the running host (and baseline): a stored API key
/// (STAFF role, STAFF clearance) created through the API with the bootstrap admin key, the
/// request bodies, the case ids the mutation runs cycle through, and a check that the GraphQL
/// field and the baseline endpoint answer the same page (so the comparison is of equal work).
/// </summary>
internal static class Prepare
{
    public const string DashboardQuery =
        "query Dashboard($countries: [CountryCode!], $first: Int) { cases(filter: {countries: $countries, statuses: [OPEN]}, first: $first) " +
        "{ nodes { id reference title status openedOn victims { name } } } }";

    public const string StatisticsQuery = "{ caseStatistics(groupBy: COUNTRY) { key count } }";

    public static async Task<int> RunAsync(Options options)
    {
        var cs = options.Required("cs");
        var hostUrl = options.Required("host").TrimEnd('/');
        var adminKey = options.Required("admin-key");
        var outDir = options.Required("out");
        var baselineUrl = options.Get("baseline")?.TrimEnd('/');
        var countries = options.Get("countries", "CO,GT,PH").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = options.Int("first", 50);
        var mutationCases = options.Int("mutation-cases", 16_000);
        Directory.CreateDirectory(outDir);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        // 1. A stored API key: what integrators and staff tools use (hashed, looked up on each request).
        var created = await GraphQLAsync(http, hostUrl, adminKey,
            "mutation { createApiKey(input: {name: \"bench\", role: STAFF, clearance: STAFF}) { key apiKey { prefix } } }", null);
        var key = created["data"]!["createApiKey"]!["key"]!.GetValue<string>();
        await File.WriteAllTextAsync(Path.Combine(outDir, "api-key"), key);
        Console.WriteLine($"prepare: stored API key {created["data"]!["createApiKey"]!["apiKey"]!["prefix"]}… (role STAFF, clearance STAFF)");

        // 2. Request bodies.
        var t1 = new JsonObject
        {
            ["query"] = DashboardQuery,
            ["variables"] = new JsonObject { ["countries"] = new JsonArray(countries.Select(c => (JsonNode)c).ToArray()), ["first"] = first },
        };
        await File.WriteAllTextAsync(Path.Combine(outDir, "t1-graphql.json"), t1.ToJsonString());
        var t1Baseline = new JsonObject
        {
            ["countries"] = new JsonArray(countries.Select(c => (JsonNode)c).ToArray()),
            ["statuses"] = new JsonArray("OPEN"),
            ["first"] = first,
        };
        await File.WriteAllTextAsync(Path.Combine(outDir, "t1-baseline.json"), t1Baseline.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(outDir, "t2-graphql.json"), new JsonObject { ["query"] = StatisticsQuery }.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(outDir, "t2-baseline.json"), "{}");

        // 3. Cases the mutation runs write to: not closed, visible to the key, oldest first (not the dashboard's).
        await using (var data = NpgsqlDataSource.Create(cs))
        {
            await using var command = data.CreateCommand(
                "select id from omct.mt_doc_cases_case where status <> 'Closed' and confidentiality = any('{Public,Network,Staff}') " +
                "order by order_key limit $1");
            command.Parameters.Add(new NpgsqlParameter { Value = mutationCases * 2 });
            var ids = new List<Guid>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    ids.Add(reader.GetGuid(0));
                }
            }

            var half = ids.Count / 2;
            await File.WriteAllLinesAsync(Path.Combine(outDir, "t3-case-ids.txt"), ids.Take(half).Select(id => GlobalId.Encode("Case", id)));
            await File.WriteAllLinesAsync(Path.Combine(outDir, "t3-baseline-case-ids.txt"), ids.Skip(half).Select(id => id.ToString()));
            Console.WriteLine($"prepare: {half:N0} case ids for the mutation runs, {ids.Count - half:N0} others for the in-process append baseline");
        }

        // 4. Same answers from the API and the baseline.
        var page = await GraphQLAsync(http, hostUrl, key, DashboardQuery, t1["variables"]!.DeepClone());
        var nodes = page["data"]!["cases"]!["nodes"]!.AsArray();
        var victims = nodes.Sum(n => n!["victims"]!.AsArray().Count);
        Console.WriteLine($"prepare: GraphQL dashboard page: {nodes.Count} cases in {string.Join(",", countries)}, {victims} visible victims; " +
                          $"first {nodes.FirstOrDefault()?["reference"]} opened {nodes.FirstOrDefault()?["openedOn"]}, " +
                          $"last opened {nodes.LastOrDefault()?["openedOn"]}");
        var statistics = await GraphQLAsync(http, hostUrl, key, StatisticsQuery, null);
        var buckets = statistics["data"]!["caseStatistics"]!.AsArray();
        Console.WriteLine($"prepare: GraphQL caseStatistics(COUNTRY): {buckets.Count} buckets, {buckets.Sum(b => b!["count"]!.GetValue<int>()):N0} visible cases; " +
                          $"top {string.Join(", ", buckets.Take(3).Select(b => $"{b!["key"]} {b["count"]}"))}");
        if (baselineUrl is not null)
        {
            var same = Same("dashboard page", page, await PostAsync(http, $"{baselineUrl}/cases", key, t1Baseline.ToJsonString()), "cases")
                       & Same("statistics", statistics, await PostAsync(http, $"{baselineUrl}/stats", key, "{}"), "caseStatistics");
            if (!same)
            {
                Console.WriteLine("prepare: WARNING: the baseline does not answer what the API answers; the ratios compare unequal work");
            }
        }

        // 5. One mutation, to fail early rather than after a 20 s run.
        var sample = (await File.ReadAllLinesAsync(Path.Combine(outDir, "t3-case-ids.txt")))[0];
        var recorded = await GraphQLAsync(http, hostUrl, key,
            "mutation($id: ID!) { recordCaseEvent(input: {caseId: $id, type: INTIMIDATION, date: \"2013-03-05\"}) { case { version } } }",
            new JsonObject { ["id"] = sample });
        Console.WriteLine($"prepare: recordCaseEvent works (case version now {recorded["data"]!["recordCaseEvent"]!["case"]!["version"]})");
        return 0;
    }

    private static bool Same(string what, JsonNode api, JsonNode baseline, string field)
    {
        var a = api["data"]![field]!.ToJsonString();
        var b = baseline["data"]![field]!.ToJsonString();
        if (a == b)
        {
            Console.WriteLine($"prepare: baseline {what}: identical to the GraphQL answer ({Encoding.UTF8.GetByteCount(b):N0} bytes of data)");
            return true;
        }

        var at = 0;
        while (at < Math.Min(a.Length, b.Length) && a[at] == b[at])
        {
            at++;
        }

        Console.WriteLine($"prepare: baseline {what} DIFFERS at char {at}: api …{a[Math.Max(0, at - 60)..Math.Min(a.Length, at + 60)]}… " +
                          $"baseline …{b[Math.Max(0, at - 60)..Math.Min(b.Length, at + 60)]}…");
        return false;
    }

    private static async Task<JsonNode> GraphQLAsync(HttpClient http, string hostUrl, string key, string query, JsonNode? variables)
    {
        var body = new JsonObject { ["query"] = query };
        if (variables is not null)
        {
            body["variables"] = variables;
        }

        var result = await PostAsync(http, $"{hostUrl}/graphql", key, body.ToJsonString());
        if (result["errors"] is { } errors)
        {
            throw new InvalidOperationException($"GraphQL errors: {errors.ToJsonString()}");
        }

        return result;
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string url, string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", key);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {url}: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text) ?? throw new InvalidOperationException($"POST {url}: empty body");
    }
}
