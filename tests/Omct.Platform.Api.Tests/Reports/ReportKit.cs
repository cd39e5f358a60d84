using System.Net.Http.Headers;
using System.Text.Json;
using Omct.Platform.Testing;

namespace Omct.Platform.Api.Tests.Reports;

/// <summary>The GraphQL documents the scheduled report tests share.</summary>
internal static class ReportKit
{
    public const string Create =
        "mutation($input: CreateReportDefinitionInput!) { createReportDefinition(input: $input) { clientMutationId reportDefinition { id name queryHash cron timeZone " +
        "formats confidentiality accountRecipientIds emailRecipients version } } }";

    public const string RunJob = "mutation { runJob(input: { name: SCHEDULED_REPORTS }) { run { items outcome error } } }";

    public const string RunNow =
        "mutation($id: ID!) { runReportNow(input: { reportDefinitionId: $id }) { reportRun { " + RunFields + " } } }";

    public const string Runs = "query($id: ID!) { reportRuns(definitionId: $id, first: 50) { totalCount nodes { " + RunFields + " } } }";

    public const string RunFields =
        "id status trigger scheduledFor forDay attempts rows windowFrom windowTo error deliveredTo withheld confidentiality files { name contentType size url }";

    /// <summary>The Uruguayan cases opened in the window, one per page (a run reads every page).</summary>
    public const string CasesInWindow =
        "query($from: Date, $to: Date, $after: String) { cases(filter: { countries: [\"UY\"], openedFrom: $from, openedTo: $to }, first: 1, after: $after) { " +
        "pageInfo { hasNextPage endCursor } nodes { reference title openedOn country { code } } } }";

    public static readonly object[] ReportColumns =
    [
        new { path = "reference", headingEn = "Reference", headingFr = "Référence", headingEs = "Referencia" },
        new { path = "title", headingEn = "Title", headingFr = "Titre", headingEs = "Título" },
        new { path = "openedOn", headingEn = "Opened", headingFr = "Ouvert le" },
        new { path = "country.code", headingEn = "Country", headingFr = "Pays", headingEs = "País" },
    ];

    public static async Task<string> CreateAsync(GraphQLClient client, object input) =>
        (await client.QueryAsync(Create, new { input })).GetProperty("createReportDefinition").GetProperty("reportDefinition").GetProperty("id").GetString()!;

    public static async Task<IReadOnlyList<JsonElement>> RunsAsync(GraphQLClient client, string id) =>
        (await client.QueryAsync(Runs, new { id })).GetProperty("reportRuns").GetProperty("nodes").EnumerateArray().ToList();

    public static async Task<string> OpenCaseAsync(GraphQLClient admin, string title, string openedOn, string level = "STAFF") =>
        (await admin.QueryAsync("mutation($title: String!, $openedOn: Date!, $level: Confidentiality) { openCase(input: { title: $title, countryCode: \"UY\", openedOn: $openedOn, confidentiality: $level }) { case { reference } } }",
            new { title, openedOn, level })).GetProperty("openCase").GetProperty("case").GetProperty("reference").GetString()!;

    public static async Task<HttpResponseMessage> GetAsync(HttpClient http, string url, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        return await http.SendAsync(request);
    }

    public static string FileUrl(JsonElement run, string extension) =>
        run.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("name").GetString()!.EndsWith(extension, StringComparison.Ordinal)).GetProperty("url").GetString()!;
}
