using System.Text.Json;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests.Digests;

/// <summary>The GraphQL documents and small steps the digest tests share.</summary>
internal static class DigestKit
{
    public static readonly TimeZoneInfo Geneva = TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich");

    public const string Create =
        "mutation($input: CreateDigestSubscriptionInput!) { createDigestSubscription(input: $input) { webhookSecret clientMutationId " +
        "digestSubscription { id name period weekday audience countries themes emailRecipients webhookUrl paused version } } }";

    public const string RunJob = "mutation($name: JobName!, $asOf: Date) { runJob(input: { name: $name, asOf: $asOf }) { run { name items outcome asOf error } } }";

    public const string Digests =
        "query($first: Int, $after: String) { digests(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } " +
        "nodes { id period from to audience generatedAt markdown html subscriptionId subscriptionName " +
        "sections { kind title items { title text date reference countryCode type entityId } } " +
        "deliveries { id channel target status attempts lastError nextAttemptAt deliveredAt } } } }";

    /// <summary>Today in the DIGEST job's time zone (Geneva), by the machine's clock: what "now" records fall in.</summary>
    public static DateOnly TodayInGeneva() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Geneva).DateTime);

    /// <summary>
    /// The latest date a case event may have now: the commands refuse dates after today in UTC, which is
    /// yesterday in Geneva between midnight there and midnight UTC.
    /// </summary>
    public static DateOnly LatestEventDate() => DateOnly.FromDateTime(DateTime.UtcNow) is var utc && utc < TodayInGeneva() ? utc : TodayInGeneva();

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<(string Id, string? Secret)> SubscribeAsync(GraphQLClient client, object input)
    {
        var created = (await client.QueryAsync(Create, new { input })).GetProperty("createDigestSubscription");
        var secret = created.GetProperty("webhookSecret");
        return (created.GetProperty("digestSubscription").GetProperty("id").GetString()!, secret.ValueKind == JsonValueKind.String ? secret.GetString() : null);
    }

    public static async Task<JsonElement> RunAsync(GraphQLClient admin, string job, DateOnly? asOf)
    {
        var run = (await admin.QueryAsync(RunJob, new { name = job, asOf = asOf is { } d ? Iso(d) : null })).GetProperty("runJob").GetProperty("run");
        if (run.GetProperty("outcome").GetString() != "SUCCEEDED")
        {
            throw new InvalidOperationException($"{job} failed: {run}");
        }

        return run;
    }

    public static async Task<IReadOnlyList<JsonElement>> DigestsAsync(GraphQLClient client) =>
        (await client.QueryAsync(Digests, new { first = 10 })).GetProperty("digests").GetProperty("nodes").EnumerateArray().ToList();

    public static JsonElement Of(IEnumerable<JsonElement> digests, string subscriptionId) =>
        digests.Single(d => d.GetProperty("subscriptionId").GetString() == subscriptionId);

    public static async Task<string> CreateKeyAsync(GraphQLClient admin, string role, string clearance, string? organisationId = null) =>
        (await admin.QueryAsync("mutation($role: Role!, $clearance: Confidentiality!, $organisation: ID) { createApiKey(input: { name: \"digest test\", role: $role, clearance: $clearance, organisationId: $organisation }) { key } }",
            new { role, clearance, organisation = organisationId })).GetProperty("createApiKey").GetProperty("key").GetString()!;

    public static async Task<string> OpenCaseAsync(GraphQLClient admin, string title, string country, string confidentiality) =>
        (await admin.QueryAsync("mutation($title: String!, $country: CountryCode!, $level: Confidentiality) { openCase(input: { title: $title, countryCode: $country, confidentiality: $level }) { case { id } } }",
            new { title, country, level = confidentiality })).GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;

    /// <summary>Adds a victim (a registered defender or a named person) and returns its victim id.</summary>
    public static async Task<string> AddVictimAsync(GraphQLClient admin, string caseId, string? defenderId, string? name, string confidentiality)
    {
        var victims = (await admin.QueryAsync("mutation($case: ID!, $defender: ID, $name: String, $level: Confidentiality) { addVictim(input: { caseId: $case, defenderId: $defender, name: $name, confidentiality: $level }) { case { victims { id } } } }",
            new { @case = caseId, defender = defenderId, name, level = confidentiality })).GetProperty("addVictim").GetProperty("case").GetProperty("victims");
        return victims[victims.GetArrayLength() - 1].GetProperty("id").GetString()!;
    }

    public static Task<JsonElement> RecordEventAsync(GraphQLClient admin, string caseId, string type, string date, string description, string confidentiality, params string[] victimIds) =>
        admin.QueryAsync("mutation($case: ID!, $type: CaseEventType!, $date: PartialDate!, $description: String, $level: Confidentiality, $victims: [ID!]) { recordCaseEvent(input: { caseId: $case, type: $type, date: $date, description: $description, confidentiality: $level, victimIds: $victims }) { case { id } } }",
            new { @case = caseId, type, date, description, level = confidentiality, victims = victimIds });

    public static Task<JsonElement> IssueInterventionAsync(GraphQLClient admin, string caseId, string type = "URGENT_APPEAL") =>
        admin.QueryAsync("mutation($case: ID!, $type: InterventionType!) { issueIntervention(input: { caseId: $case, type: $type }) { case { id } } }", new { @case = caseId, type });

    public static async Task<string> PublishArticleAsync(GraphQLClient admin, string title, string confidentiality, bool publish = true, string[]? countries = null, string[]? themes = null)
    {
        var id = (await admin.QueryAsync("mutation($title: String!, $level: Confidentiality, $countries: [CountryCode!], $themes: [String!]) { draftArticle(input: { kind: STATEMENT, language: EN, title: $title, summary: $title, body: \"Body of the article.\", confidentiality: $level, countryCodes: $countries, themes: $themes }) { article { id } } }",
            new { title, level = confidentiality, countries, themes })).GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString()!;
        if (publish)
        {
            await admin.QueryAsync("mutation($id: ID!) { publishArticle(input: { articleId: $id }) { article { id } } }", new { id });
        }

        return id;
    }

    /// <summary>The digest as text (Markdown, HTML and the sections' JSON), for "contains nothing of" checks.</summary>
    public static string AllText(JsonElement digest) =>
        digest.GetProperty("markdown").GetString() + "\n" + digest.GetProperty("html").GetString() + "\n" + digest.GetProperty("sections").GetRawText();
}
