using System.Globalization;
using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Schema;

/// <summary>The demo data, and more of every kind of record made through the mutations by <see cref="ConnectionPagingTests"/>.</summary>
public sealed class ConnectionPagingPlatformFactory : PlatformFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Omct:SeedDemoData"] = "true" };
}

/// <summary>
/// Every connection of the schema (each root field returning an <c>XxxConnection</c>), found by
/// introspection, paged with small pages through more than two pages: each item is seen exactly once,
/// as many as totalCount says, every page asked for after <c>hasNextPage</c> holds items, and a walk
/// during which records are added still sees every record that existed before its first page exactly
/// once. A new connection field fails here until this class knows how to make records for it.
/// </summary>
public sealed class ConnectionPagingTests(ConnectionPagingPlatformFactory platform) : IClassFixture<ConnectionPagingPlatformFactory>
{
    private const int PageSize = 2;
    private const int MinItems = 2 * PageSize + 1; // more than two pages

    private static readonly string FarFuture = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(400).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>How to make <c>n</c> more records that each connection lists, by root field name.</summary>
    private static readonly Dictionary<string, Func<Records, int, Task>> Fillers = new()
    {
        ["cases"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ openCase(input: {{ title: \"Paging case {i}\", countryCode: \"TG\" }}) {{ case {{ id }} }} }}"),
        ["defenders"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ registerDefender(input: {{ name: \"Paging defender {i}\", countryCode: \"NE\" }}) {{ defender {{ id }} }} }}"),
        ["organisations"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ registerOrganisation(input: {{ name: \"Paging NGO {i}\", countryCode: \"NE\" }}) {{ organisation {{ id }} }} }}"),
        ["articles"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ draftArticle(input: {{ kind: STATEMENT, language: EN, title: \"Paging article {i}\", body: \"Text\" }}) {{ article {{ id }} }} }}"),
        ["submissions"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ planSubmission(input: {{ mechanism: CAT, countryCode: \"NE\", title: \"Paging submission {i}\", dueOn: \"{FarFuture}\" }}) {{ submission {{ id }} }} }}"),
        ["callsForInput"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ openCallForInput(input: {{ title: \"Paging call {i}\", question: \"Q?\", deadline: \"{FarFuture}\" }}) {{ callForInput {{ id }} }} }}"),
        ["changes"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ registerOrganisation(input: {{ name: \"Paging change {i}\", countryCode: \"BF\" }}) {{ organisation {{ id }} }} }}"),
        ["webhooks"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ registerWebhook(input: {{ name: \"paging {i}\", url: \"https://example.org/hooks/{i}\" }}) {{ webhook {{ id }} }} }}"),
        ["reminders"] = (r, n) => r.RemindersAsync(n),
        ["digestSubscriptions"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ createDigestSubscription(input: {{ name: \"paging {i}\", period: DAILY, audience: PUBLIC, emailRecipients: [\"desk{i}@example.org\"] }}) {{ digestSubscription {{ id }} }} }}"),
        ["digests"] = (r, n) => r.DigestsAsync(n),
        ["reports"] = (r, n) => r.ReportsAsync(n),
        ["reportDefinitions"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ createReportDefinition(input: {{ name: \"paging {i}\", query: \"query {{ cases(first: 1) {{ nodes {{ reference }} }} }}\", listPath: \"cases.nodes\", columns: [{{ path: \"reference\", headingEn: \"Reference\" }}] }}) {{ reportDefinition {{ id }} }} }}"),
        ["reportRuns"] = (r, n) => r.ReportRunsAsync(n),
        ["apiKeys"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ createApiKey(input: {{ name: \"paging {i}\", role: INTEGRATOR, clearance: PUBLIC }}) {{ apiKey {{ id }} }} }}"),
        ["accounts"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ inviteAccount(input: {{ email: \"paging{i}@example.org\", displayName: \"Paging {i}\", role: STAFF, clearance: STAFF }}) {{ account {{ id }} }} }}"),
        ["auditEntries"] = (r, n) => r.AuditedCaseEventsAsync(n),
        ["importMappings"] = (r, n) => r.RepeatAsync(n, i => $"mutation {{ saveImportMapping(input: {{ name: \"paging {i}\", kind: ORGANISATION, keyColumn: \"ref\", columns: [{{ column: \"name\", field: \"name\" }}] }}) {{ importMapping {{ id }} }} }}"),
        ["importRuns"] = (r, n) => r.ImportRunsAsync(n),
        ["tasks"] = (r, n) => r.TasksAsync(n),
    };

    /// <summary>The required arguments of the connections that have some, by root field name (read when the walk starts).</summary>
    private static readonly Dictionary<string, Func<string>> RequiredArguments = new()
    {
        ["auditEntries"] = () => $"entityId: \"{Records.AuditedCaseId ?? throw new InvalidOperationException("no audited case yet")}\"",
        ["reportRuns"] = () => $"definitionId: \"{Records.RunReportDefinitionId ?? throw new InvalidOperationException("no report definition yet")}\"",
    };

    /// <summary>What tells two items apart in connections whose node has neither id nor sequence.</summary>
    private static readonly Dictionary<string, string> CompositeIdentities = new()
    {
        ["auditEntries"] = "kind at action version",
    };

    public static TheoryData<string> Connections => new(Fillers.Keys);

    [Fact]
    public async Task Every_connection_field_of_the_schema_is_paged_here()
    {
        var fields = await ConnectionFieldsAsync();
        Assert.True(fields.Keys.Order().SequenceEqual(Fillers.Keys.Order()),
            $"Connection fields of the schema: {string.Join(", ", fields.Keys.Order())}; known here: {string.Join(", ", Fillers.Keys.Order())}. "
            + "Teach ConnectionPagingTests how to make records for a new one.");
        foreach (var (name, field) in fields)
        {
            var filled = RequiredArguments.ContainsKey(name);
            Assert.True(field.RequiredArguments.Count == 0 || filled, $"{name} has required arguments this test does not fill: {string.Join(", ", field.RequiredArguments)}");
            Assert.True(field.HasFirstAndAfter, $"{name} has no first/after arguments");
            Assert.True(field.IdField is not null, $"{name}: its node type has neither id nor sequence to tell items apart, and no composite identity is given here");
        }
    }

    [Theory]
    [MemberData(nameof(Connections))]
    public async Task Paging_sees_every_item_once_through_more_than_two_pages(string name)
    {
        var field = (await ConnectionFieldsAsync())[name];
        var records = new Records(platform.Admin());
        await Fillers[name](records, MinItems);

        var (items, totalCount) = await WalkAsync(field, between: null);
        Assert.True(items.Count >= MinItems, $"{name}: {items.Count} items, fewer than {MinItems}: the walk did not go through more than two pages");
        var repeated = items.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"{name}: seen more than once: {string.Join(", ", repeated)}");
        if (totalCount is { } total)
        {
            Assert.Equal(total, items.Count);
        }

        // Records added while a client pages (after its first page) neither repeat nor push out those that were there.
        var during = await WalkAsync(field, between: () => Fillers[name](records, PageSize + 1));
        var again = during.Items.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(again.Count == 0, $"{name}: seen more than once while records were added: {string.Join(", ", again)}");
        var missed = items.Except(during.Items).ToList();
        Assert.True(missed.Count == 0, $"{name}: skipped while records were added: {string.Join(", ", missed)}");
    }

    private async Task<(List<string> Items, int? TotalCount)> WalkAsync(ConnectionField field, Func<Task>? between)
    {
        var admin = platform.Admin();
        var arguments = RequiredArguments.TryGetValue(field.Name, out var required) ? required() + ", " : "";
        var query = $"query($after: String) {{ {field.Name}({arguments}first: {PageSize}, after: $after) {{ {(field.HasTotalCount ? "totalCount" : "")} "
                    + $"pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ {field.IdField} }} }} }} }}";
        var items = new List<string>();
        int? totalCount = null;
        string? after = null;
        for (var page = 1; ; page++)
        {
            Assert.True(page < 5000, $"{field.Name}: paging does not end");
            var connection = (await admin.QueryAsync(query, new { after })).GetProperty(field.Name);
            if (page == 1 && field.HasTotalCount)
            {
                totalCount = connection.GetProperty("totalCount").GetInt32();
            }

            var edges = connection.GetProperty("edges").EnumerateArray().ToList();
            var pageInfo = connection.GetProperty("pageInfo");
            var hasNextPage = pageInfo.GetProperty("hasNextPage").GetBoolean();
            Assert.True(edges.Count <= PageSize, $"{field.Name}: page {page} has {edges.Count} items, more than first: {PageSize}");
            Assert.True(page == 1 || edges.Count > 0, $"{field.Name}: page {page} is empty although page {page - 1} said hasNextPage (after: {after})");
            if (edges.Count > 0 && field.PageInfoType == "PageInfo") // the change feed's endCursor is a feed position of its own
            {
                Assert.Equal(edges[^1].GetProperty("cursor").GetString(), pageInfo.GetProperty("endCursor").GetString());
            }

            items.AddRange(edges.Select(e => CompositeIdentities.ContainsKey(field.Name)
                ? e.GetProperty("node").GetRawText()
                : Identity(e.GetProperty("node").GetProperty(field.IdField!))));
            if (page == 1 && between is not null)
            {
                await between();
            }

            if (!hasNextPage)
            {
                return (items, totalCount);
            }

            after = pageInfo.GetProperty("endCursor").GetString();
        }
    }

    private static string Identity(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private sealed record ConnectionField(string Name, bool HasTotalCount, string? IdField, bool HasFirstAndAfter, IReadOnlyList<string> RequiredArguments, string PageInfoType);

    /// <summary>The root fields whose type is a connection (edges and pageInfo), read by introspection.</summary>
    private async Task<Dictionary<string, ConnectionField>> ConnectionFieldsAsync()
    {
        var admin = platform.Admin();
        const string TypeRef = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";
        var fields = (await admin.QueryAsync($"{{ __schema {{ queryType {{ fields {{ name args {{ name type {{ {TypeRef} }} }} type {{ {TypeRef} }} }} }} }} }}"))
            .GetProperty("__schema").GetProperty("queryType").GetProperty("fields").EnumerateArray().ToList();
        var found = new Dictionary<string, ConnectionField>();
        foreach (var f in fields)
        {
            var type = f.GetProperty("type");
            if (Named(type) is not { } typeName || type.GetProperty("kind").GetString() is "LIST" || (type.GetProperty("kind").GetString() == "NON_NULL" && type.GetProperty("ofType").GetProperty("kind").GetString() == "LIST"))
            {
                continue;
            }

            var members = await FieldsOfAsync(admin, typeName);
            if (!members.ContainsKey("edges") || !members.ContainsKey("pageInfo"))
            {
                continue;
            }

            var edgeType = Named(members["edges"])!;
            var nodeType = Named((await FieldsOfAsync(admin, edgeType))["node"])!;
            var nodeFields = await FieldsOfAsync(admin, nodeType);
            var args = f.GetProperty("args").EnumerateArray().ToList();
            var name = f.GetProperty("name").GetString()!;
            found[name] = new ConnectionField(
                name,
                members.ContainsKey("totalCount"),
                nodeFields.ContainsKey("id") ? "id" : nodeFields.ContainsKey("sequence") ? "sequence" : CompositeIdentities.GetValueOrDefault(name),
                args.Any(a => a.GetProperty("name").GetString() == "first") && args.Any(a => a.GetProperty("name").GetString() == "after"),
                [.. args.Where(a => a.GetProperty("type").GetProperty("kind").GetString() == "NON_NULL").Select(a => a.GetProperty("name").GetString()!)],
                Named(members["pageInfo"])!);
        }

        return found;
    }

    private static async Task<Dictionary<string, JsonElement>> FieldsOfAsync(GraphQLClient admin, string type)
    {
        var data = await admin.QueryAsync("query($name: String!) { __type(name: $name) { fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }",
            new { name = type });
        var fields = data.GetProperty("__type").GetProperty("fields");
        return fields.ValueKind == JsonValueKind.Array
            ? fields.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("type"))
            : [];
    }

    /// <summary>The named type under NON_NULL and LIST wrappers.</summary>
    private static string? Named(JsonElement type)
    {
        while (type.ValueKind == JsonValueKind.Object && type.GetProperty("kind").GetString() is "NON_NULL" or "LIST")
        {
            if (!type.TryGetProperty("ofType", out type))
            {
                return null;
            }
        }

        return type.ValueKind == JsonValueKind.Object ? type.GetProperty("name").GetString() : null;
    }

    /// <summary>Makes records through the mutations and runJob, with the bootstrap admin key.</summary>
    private sealed class Records(GraphQLClient admin)
    {
        private const string RunJob = "mutation($name: JobName!, $asOf: Date) { runJob(input: { name: $name, asOf: $asOf }) { run { outcome error } } }";
        private static int _counter;
        private static int _reportMonths;
        private static int _digestDays;
        private static readonly SemaphoreSlim AuditedCaseGate = new(1, 1);

        /// <summary>The case whose audit trail <c>auditEntries</c> pages (made by the first call).</summary>
        public static string? AuditedCaseId { get; private set; }

        /// <summary>n more events on one case: n more entries in its audit trail.</summary>
        public async Task AuditedCaseEventsAsync(int n)
        {
            await AuditedCaseGate.WaitAsync();
            try
            {
                AuditedCaseId ??= (await admin.QueryAsync("mutation { openCase(input: { title: \"Paging audit trail\", countryCode: \"TG\" }) { case { id } } }"))
                    .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
            }
            finally
            {
                AuditedCaseGate.Release();
            }

            await RepeatAsync(n, i => $"mutation {{ recordCaseEvent(input: {{ caseId: \"{AuditedCaseId}\", type: ARREST, date: \"2012-08-04\", description: \"Paging event {i}\" }}) {{ case {{ id }} }} }}");
        }

        /// <summary>The report definition whose runs <c>reportRuns</c> pages (made by the first call).</summary>
        public static string? RunReportDefinitionId { get; private set; }

        /// <summary>n more runs of one report definition, run now.</summary>
        public async Task ReportRunsAsync(int n)
        {
            await AuditedCaseGate.WaitAsync();
            try
            {
                RunReportDefinitionId ??= (await admin.QueryAsync("mutation { createReportDefinition(input: { name: \"Paging runs\", query: \"query { cases(first: 1) { nodes { reference } } }\", listPath: \"cases.nodes\", columns: [{ path: \"reference\", headingEn: \"Reference\" }] }) { reportDefinition { id } } }"))
                    .GetProperty("createReportDefinition").GetProperty("reportDefinition").GetProperty("id").GetString();
            }
            finally
            {
                AuditedCaseGate.Release();
            }

            await RepeatAsync(n, _ => $"mutation {{ runReportNow(input: {{ reportDefinitionId: \"{RunReportDefinitionId}\" }}) {{ reportRun {{ id }} }} }}");
        }

        /// <summary>n more tasks, on a case of their own, for an account of their own (the admin key is no account to give them to).</summary>
        public async Task TasksAsync(int n)
        {
            var account = (await admin.QueryAsync($"mutation {{ inviteAccount(input: {{ email: \"paging-tasks-{Guid.NewGuid():N}@example.org\", displayName: \"Paging tasks\", role: STAFF, clearance: STAFF }}) {{ account {{ id }} }} }}"))
                .GetProperty("inviteAccount").GetProperty("account").GetProperty("id").GetString();
            var caseId = (await admin.QueryAsync("mutation { openCase(input: { title: \"Paging tasks\", countryCode: \"TG\" }) { case { id } } }"))
                .GetProperty("openCase").GetProperty("case").GetProperty("id").GetString();
            await RepeatAsync(n, i => $"mutation {{ createTask(input: {{ recordId: \"{caseId}\", title: \"Paging task {i}\", dueOn: \"2031-01-15\", assigneeId: \"{account}\" }}) {{ task {{ id }} }} }}");
        }

        public async Task RepeatAsync(int n, Func<int, string> mutation)
        {
            for (var i = 0; i < n; i++)
            {
                await admin.QueryAsync(mutation(Interlocked.Increment(ref _counter)));
            }
        }

        /// <summary>n submissions due 30 days after a day, and the deadline reminders of that day: one each.</summary>
        public async Task RemindersAsync(int n)
        {
            var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(40);
            await RepeatAsync(n, i => $"mutation {{ planSubmission(input: {{ mechanism: UPR, countryCode: \"MX\", title: \"Paging reminder {i}\", dueOn: \"{Day(day.AddDays(30))}\" }}) {{ submission {{ id }} }} }}");
            await RunAsync("DEADLINE_REMINDERS", day);
        }

        /// <summary>n daily subscriptions, then the digests of a day not composed before: one for each subscription.</summary>
        public async Task DigestsAsync(int n)
        {
            await RepeatAsync(n, i => $"mutation {{ createDigestSubscription(input: {{ name: \"paging digest {i}\", period: DAILY, audience: PUBLIC, emailRecipients: [\"digest{i}@example.org\"] }}) {{ digestSubscription {{ id }} }} }}");
            await RunAsync("DIGEST", DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2 + Interlocked.Increment(ref _digestDays)));
        }

        /// <summary>The monthly reports of n months not reported before (a run on the 1st makes the month before's).</summary>
        private static readonly SemaphoreSlim ImportFileGate = new(1, 1);
        private static string? _importFileId;

        /// <summary>n more dry runs of one small import file (uploaded with tus by the first call).</summary>
        public async Task ImportRunsAsync(int n)
        {
            await ImportFileGate.WaitAsync();
            try
            {
                if (_importFileId is null)
                {
                    var content = System.Text.Encoding.UTF8.GetBytes("ref,name,country\r\nP1,Paging import,TG\r\n");
                    using var create = new HttpRequestMessage(HttpMethod.Post, "/files/uploads");
                    create.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
                    create.Headers.Add("Tus-Resumable", "1.0.0");
                    create.Headers.Add("Upload-Length", content.Length.ToString(CultureInfo.InvariantCulture));
                    create.Headers.Add("Upload-Metadata", $"filename {Convert.ToBase64String("paging.csv"u8.ToArray())}");
                    var location = (await admin.Http.SendAsync(create)).Headers.Location!.OriginalString;
                    using var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(content) };
                    patch.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
                    patch.Headers.Add("Tus-Resumable", "1.0.0");
                    patch.Headers.Add("Upload-Offset", "0");
                    patch.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/offset+octet-stream");
                    Assert.Equal(System.Net.HttpStatusCode.NoContent, (await admin.Http.SendAsync(patch)).StatusCode);
                    _importFileId = (await admin.QueryAsync("mutation($u: String!) { createImport(input: { uploadId: $u }) { importFile { id } } }",
                        new { u = location[(location.LastIndexOf('/') + 1)..] })).GetProperty("createImport").GetProperty("importFile").GetProperty("id").GetString();
                    await admin.QueryAsync("mutation { saveImportMapping(input: { name: \"paging runs\", kind: ORGANISATION, keyColumn: \"ref\", columns: [{ column: \"name\", field: \"name\" }, { column: \"country\", field: \"countryCode\" }] }) { importMapping { id } } }");
                }
            }
            finally
            {
                ImportFileGate.Release();
            }

            await RepeatAsync(n, _ => $"mutation {{ startImport(input: {{ fileId: \"{_importFileId}\", mapping: \"paging runs\", dryRun: true }}) {{ importRun {{ id }} }} }}");
        }

        public async Task ReportsAsync(int n)
        {
            for (var i = 0; i < n; i++)
            {
                await RunAsync("REPORT", new DateOnly(2015, 1, 1).AddMonths(Interlocked.Increment(ref _reportMonths)));
            }
        }

        private async Task RunAsync(string job, DateOnly asOf)
        {
            var run = (await admin.QueryAsync(RunJob, new { name = job, asOf = Day(asOf) })).GetProperty("runJob").GetProperty("run");
            Assert.True(run.GetProperty("outcome").GetString() == "SUCCEEDED", $"{job} {Day(asOf)}: {run}");
        }

        private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
