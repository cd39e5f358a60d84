using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Omct.Platform.Api.Tests.Integration;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Cases;

/// <summary>
/// The <c>cases</c> page read from the lean list rows (<c>cases_list</c>, kept from the case documents by triggers) when the
/// request shows no more of a case than they carry, and from whole documents otherwise: the SQL each reads, victims
/// filtered by clearance in SQL, a write listed at once, the same pages and cursors both ways, and a database written
/// before the rows existed.
/// </summary>
public sealed class CaseListRowsTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string Dashboard = "nodes { id reference title status openedOn country { code } victims { name } }";

    [Fact]
    public async Task The_dashboard_page_reads_list_rows_and_no_whole_document()
    {
        await OpenAsync("Zambia: dashboard case", "ZM", "PUBLIC", "2024-05-01", ("Mwila Banda", "PUBLIC"));

        var (data, statements) = await CapturedAsync(() => platform.Admin().QueryAsync(
            $"{{ cases(filter: {{ countries: [\"ZM\"], statuses: [OPEN] }}, first: 50) {{ {Dashboard} }} }}"));

        var page = Assert.Single(statements, s => s.Contains("cases_list", StringComparison.Ordinal));
        Assert.DoesNotContain("data", page, StringComparison.Ordinal);
        Assert.DoesNotContain(statements, s => s.Contains("mt_doc_cases_case", StringComparison.Ordinal));
        var node = Assert.Single(data.GetProperty("cases").GetProperty("nodes").EnumerateArray());
        Assert.Equal("Zambia: dashboard case", node.GetProperty("title").GetString());
        Assert.Equal("ZM", node.GetProperty("country").GetProperty("code").GetString());
        Assert.Equal("Mwila Banda", Assert.Single(node.GetProperty("victims").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_detail_field_reads_whole_documents_and_answers_it()
    {
        var id = await OpenAsync("Zimbabwe: detailed case", "ZW", "PUBLIC", "2024-06-01", ("Chanda Phiri", "PUBLIC"));
        await platform.Admin().QueryAsync(
            "mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: ARREST, date: \"2024-05\", confidentiality: PUBLIC }) { case { id } } }", new { id });

        foreach (var detail in new[] { "events { type }", "version", "summary", "interventions { reference }", "updatedAt", "... on Case { createdAt }" })
        {
            var (data, statements) = await CapturedAsync(() => platform.Admin().QueryAsync(
                $"query($t: String) {{ cases(filter: {{ countries: [\"ZW\"], text: $t }}) {{ edges {{ node {{ id title {detail} }} }} }} }}", new { t = "detailed" }));
            Assert.Contains(statements, s => s.StartsWith("select d.data from", StringComparison.Ordinal));
            Assert.DoesNotContain(statements, s => s.Contains("cases_list", StringComparison.Ordinal));
            var node = Assert.Single(data.GetProperty("cases").GetProperty("edges").EnumerateArray()).GetProperty("node");
            Assert.Equal(id, node.GetProperty("id").GetString());
            if (detail.StartsWith("events", StringComparison.Ordinal))
            {
                Assert.Equal("ARREST", Assert.Single(node.GetProperty("events").EnumerateArray()).GetProperty("type").GetString());
            }
        }

        // Through a fragment too.
        var (_, fragment) = await CapturedAsync(() => platform.Admin().QueryAsync(
            "query { cases(filter: { countries: [\"ZW\"] }) { nodes { ...Row } } } fragment Row on Case { title version }"));
        Assert.Contains(fragment, s => s.StartsWith("select d.data from", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Victims_above_the_callers_clearance_are_not_read()
    {
        await OpenAsync("Laos: victims at every level", "LA", "PUBLIC", "2024-01-10",
            ("Public Victim", "PUBLIC"), ("Network Victim", "NETWORK"), ("Staff Victim", "STAFF"), ("Restricted Victim", "RESTRICTED"));
        await OpenAsync("Laos: staff case", "LA", "STAFF", "2024-01-11", ("Staff Case Victim", "STAFF"));

        var network = platform.GraphQL(await FeedKit.KeyAsync(platform, "STAFF", "NETWORK"));
        foreach (var (client, expected, cases) in new[]
                 {
                     (platform.GraphQL(), new[] { "Public Victim" }, 1),
                     (network, ["Public Victim", "Network Victim"], 1),
                     (platform.Admin(), ["Public Victim", "Network Victim", "Staff Victim", "Restricted Victim"], 2),
                 })
        {
            foreach (var selection in new[] { "victims { name confidentiality }", "victims { name confidentiality } summary" })
            {
                var nodes = (await client.QueryAsync($"{{ cases(filter: {{ countries: [\"LA\"] }}, orderBy: OPENED_ON_ASC) {{ nodes {{ title {selection} }} }} }}"))
                    .GetProperty("cases").GetProperty("nodes").EnumerateArray().ToList();
                var everyLevel = nodes.Single(n => n.GetProperty("title").GetString() == "Laos: victims at every level");
                Assert.Equal(expected, everyLevel.GetProperty("victims").EnumerateArray().Select(v => v.GetProperty("name").GetString()));
                Assert.Equal(cases, nodes.Count);
            }
        }

        // The list row's SQL leaves them out: what PostgreSQL sends for an anonymous caller holds no name above PUBLIC.
        var (_, statements) = await CapturedAsync(() => platform.GraphQL().QueryAsync($"{{ cases(filter: {{ countries: [\"LA\"] }}) {{ {Dashboard} }} }}"));
        Assert.Contains(statements, s => s.Contains("jsonb_array_elements(d.victims)", StringComparison.Ordinal) && s.Contains("confidentiality' = any($1)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_write_is_listed_at_once()
    {
        var id = await OpenAsync("Nepal: first title", "NP", "PUBLIC", "2023-03-01", ("Sita Rai", "PUBLIC"));
        var listed = () => platform.Admin().QueryAsync($"{{ cases(filter: {{ countries: [\"NP\"], statuses: [OPEN] }}) {{ {Dashboard} }} }}");

        await platform.Admin().QueryAsync("mutation($id: ID!) { updateCase(input: { caseId: $id, title: \"Nepal: second title\" }) { case { id } } }", new { id });
        var node = Assert.Single((await listed()).GetProperty("cases").GetProperty("nodes").EnumerateArray());
        Assert.Equal("Nepal: second title", node.GetProperty("title").GetString());

        var added = await platform.Admin().QueryAsync(
            "mutation($id: ID!) { addVictim(input: { caseId: $id, name: \"Hari Thapa\", confidentiality: PUBLIC }) { case { victims { id name } } } }", new { id });
        node = Assert.Single((await listed()).GetProperty("cases").GetProperty("nodes").EnumerateArray());
        Assert.Equal(["Sita Rai", "Hari Thapa"], node.GetProperty("victims").EnumerateArray().Select(v => v.GetProperty("name").GetString()));

        var first = added.GetProperty("addVictim").GetProperty("case").GetProperty("victims")[0].GetProperty("id").GetString();
        await platform.Admin().QueryAsync(
            "mutation($id: ID!, $v: ID!) { withdrawVictim(input: { caseId: $id, victimId: $v }) { case { id } } }", new { id, v = first });
        node = Assert.Single((await listed()).GetProperty("cases").GetProperty("nodes").EnumerateArray());
        Assert.Equal(["Hari Thapa"], node.GetProperty("victims").EnumerateArray().Select(v => v.GetProperty("name").GetString()));

        // A new status leaves the OPEN list; a higher level hides the case from the public list at once.
        await platform.Admin().QueryAsync("mutation($id: ID!) { changeCaseStatus(input: { caseId: $id, status: CLOSED }) { case { id } } }", new { id });
        Assert.Empty((await listed()).GetProperty("cases").GetProperty("nodes").EnumerateArray());
        await platform.Admin().QueryAsync("mutation($id: ID!) { changeCaseConfidentiality(input: { caseId: $id, confidentiality: STAFF }) { case { id } } }", new { id });
        var anonymous = await platform.GraphQL().QueryAsync($"{{ cases(filter: {{ countries: [\"NP\"] }}) {{ {Dashboard} }} }}");
        Assert.Empty(anonymous.GetProperty("cases").GetProperty("nodes").EnumerateArray());
    }

    [Fact]
    public async Task Pages_and_cursors_are_the_same_from_list_rows_and_documents()
    {
        var victimProfile = (await platform.Admin().QueryAsync(
            "mutation { registerDefender(input: { name: \"Rowena Cruz\", countryCode: \"CL\", confidentiality: PUBLIC, consentToPublishName: true }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString();
        string[] countries = ["CL", "UY", "PY"];
        string[] levels = ["PUBLIC", "NETWORK", "STAFF", "PUBLIC"], above = ["NETWORK", "STAFF", "RESTRICTED", "NETWORK"];
        for (var i = 0; i < 36; i++)
        {
            // Several cases a day, so the keyset's second part (the case number) orders them too.
            // Each case's victims at its level and one above (a victim is never below its case).
            var level = (i / 2) % 4;
            var id = await OpenAsync($"{(i % 5 == 0 ? "Harassment" : "Arrest")} case {i}", countries[i % 3], levels[level],
                new DateOnly(2022, 1, 1).AddDays(i / 3 * 17).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ($"Victim {i}", levels[level]), ($"Other victim {i}", above[level]));
            if (i % 4 == 1)
            {
                await platform.Admin().QueryAsync(
                    "mutation($id: ID!) { changeCaseStatus(input: { caseId: $id, status: MONITORING }) { case { id } } }", new { id });
            }

            if (i % 6 == 2)
            {
                await platform.Admin().QueryAsync(
                    "mutation($id: ID!) { recordCaseEvent(input: { caseId: $id, type: DETENTION, date: \"2021\", confidentiality: STAFF }) { case { id } } }", new { id });
            }

            if (i % 9 == 4)
            {
                await platform.Admin().QueryAsync(
                    "mutation($id: ID!, $d: ID!, $level: Confidentiality) { addVictim(input: { caseId: $id, defenderId: $d, confidentiality: $level }) { case { id } } }",
                    new { id, d = victimProfile, level = levels[level] });
            }
        }

        var network = platform.GraphQL(await FeedKit.KeyAsync(platform, "STAFF", "NETWORK"));
        string[] filters =
        [
            "countries: [\"CL\", \"UY\", \"PY\"]",
            "countries: [\"CL\", \"PY\"], statuses: [OPEN]",
            "countries: [\"UY\", \"CL\", \"PY\"], statuses: [MONITORING, OPEN], openedFrom: \"2022-03-01\", openedTo: \"2022-09-30\"",
            "countries: [\"CL\", \"UY\", \"PY\"], eventTypes: [DETENTION]",
            "countries: [\"CL\", \"UY\", \"PY\"], text: \"harassment\"",
            $"victimId: \"{victimProfile}\"",
        ];
        foreach (var client in new[] { platform.Admin(), network, platform.GraphQL() })
        {
            foreach (var filter in filters)
            {
                foreach (var order in new[] { "OPENED_ON_DESC", "OPENED_ON_ASC" })
                {
                    var listed = await AllPagesAsync(client, filter, order, "victims { name }");
                    var documents = await AllPagesAsync(client, filter, order, "victims { name } summary");
                    Assert.Equal(documents, listed);
                    Assert.NotEmpty(listed);
                }
            }
        }
    }

    [Fact]
    public async Task Cases_written_before_the_list_rows_existed_are_listed_after_the_upgrade()
    {
        var before = await OpenAsync("Chad: written before the upgrade", "TD", "PUBLIC", "2020-02-02", ("Old Victim", "PUBLIC"));
        // The database as an older version left it: no list rows, no triggers; a case is written meanwhile.
        await ExecuteAsync("drop function omct.cases_list_sync() cascade; drop table omct.cases_list");
        var meanwhile = await OpenAsync("Chad: written meanwhile", "TD", "PUBLIC", "2020-03-03", ("Other Victim", "PUBLIC"));

        await using (var upgraded = new FeedNode(platform.ConnectionString))
        {
            await upgraded.InitializeAsync();
            var nodes = (await upgraded.Admin().QueryAsync($"{{ cases(filter: {{ countries: [\"TD\"] }}) {{ {Dashboard} }} }}"))
                .GetProperty("cases").GetProperty("nodes").EnumerateArray().ToList();
            Assert.Equal([meanwhile, before], nodes.Select(n => n.GetProperty("id").GetString()));
            Assert.Equal("Old Victim", Assert.Single(nodes[1].GetProperty("victims").EnumerateArray()).GetProperty("name").GetString());
        }

        // The triggers are back: a write through this host is listed at once.
        await platform.Admin().QueryAsync("mutation($id: ID!) { updateCase(input: { caseId: $id, title: \"Chad: renamed\" }) { case { id } } }", new { id = before });
        var titles = (await platform.Admin().QueryAsync($"{{ cases(filter: {{ countries: [\"TD\"] }}) {{ {Dashboard} }} }}"))
            .GetProperty("cases").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("title").GetString());
        Assert.Equal(["Chad: written meanwhile", "Chad: renamed"], titles);

        // A second start finds everything in place and rebuilds nothing.
        await ExecuteAsync("update omct.cases_list set title = 'left alone' where id = (select id from omct.cases_list where country_code = 'TD' limit 1)");
        await using (var again = new FeedNode(platform.ConnectionString))
        {
            await again.InitializeAsync();
        }

        Assert.Equal(1L, await ScalarAsync("select count(*) from omct.cases_list where title = 'left alone'"));
    }

    /// <summary>Every page of the list (5 a page) with each case's id, title, victims and cursor, and whether more followed.</summary>
    private static async Task<List<string>> AllPagesAsync(GraphQLClient client, string filter, string order, string selection)
    {
        var rows = new List<string>();
        string? after = null;
        do
        {
            var cases = (await client.QueryAsync(
                $"query($after: String) {{ cases(filter: {{ {filter} }}, orderBy: {order}, first: 5, after: $after) " +
                $"{{ totalCount edges {{ cursor node {{ id title {selection} }} }} pageInfo {{ hasNextPage endCursor }} }} }}", new { after })).GetProperty("cases");
            foreach (var edge in cases.GetProperty("edges").EnumerateArray())
            {
                var node = edge.GetProperty("node");
                rows.Add($"{edge.GetProperty("cursor")} {node.GetProperty("id")} {node.GetProperty("title")} {node.GetProperty("victims")} of {cases.GetProperty("totalCount")}");
            }

            var info = cases.GetProperty("pageInfo");
            rows.Add($"more: {info.GetProperty("hasNextPage")}");
            after = info.GetProperty("hasNextPage").GetBoolean() ? info.GetProperty("endCursor").GetString() : null;
        }
        while (after is not null);

        return rows;
    }

    /// <summary>The answer and the SQL statements run on this class's database meanwhile (Npgsql's activities).</summary>
    private async Task<(JsonElement Data, List<string> Statements)> CapturedAsync(Func<Task<JsonElement>> request)
    {
        var database = new NpgsqlConnectionStringBuilder(platform.ConnectionString).Database;
        var statements = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var name = activity.GetTagItem("db.namespace") ?? activity.GetTagItem("db.name");
                if (Equals(name, database) && (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")) is string sql)
                {
                    statements.Enqueue(sql);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var data = await request();
        Assert.NotEmpty(statements);
        return (data, statements.ToList());
    }

    private async Task<string> OpenAsync(string title, string country, string level, string openedOn, params (string Name, string Level)[] victims)
    {
        var data = await platform.Admin().QueryAsync("mutation($input: OpenCaseInput!) { openCase(input: $input) { case { id } } }",
            new { input = new { title, countryCode = country, confidentiality = level, openedOn, summary = $"About {title}." } });
        var id = data.GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
        foreach (var (name, victimLevel) in victims)
        {
            await platform.Admin().QueryAsync(
                "mutation($id: ID!, $name: String, $level: Confidentiality) { addVictim(input: { caseId: $id, name: $name, confidentiality: $level }) { case { id } } }",
                new { id, name, level = victimLevel });
        }

        return id;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
