using System.Net;
using System.Text;
using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Import;

/// <summary>
/// SUBMISSION and CALL_FOR_INPUT import end to end through GraphQL against PostgreSQL: records of the past with their
/// dates (submitted, outcome, inputs received, closed), a dry run, the same file again, a corrected row, clearance per
/// row, no deadline for the past, and the round trip of the platform's own exports into an empty platform.
/// </summary>
public sealed class SubmissionImportTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private readonly ImportKit _kit = ImportKit.InMemory(platform);

    private const string SubmissionFields =
        "id title mechanism status dueOn session sessionStartsOn catStage submittedOn outcomeOn recordedOn wordCount fileReference confidentiality country { code }";

    private const string CallFields = "id title question deadline status closedAt recordedOn confidentiality audience { code } audienceRegions";

    private static readonly Dictionary<string, string> SubmissionColumns = new()
    {
        ["mechanism"] = "mechanism", ["country"] = "countryCode", ["title"] = "title", ["due"] = "dueOn", ["level"] = "confidentiality", ["words"] = "wordCount",
        ["file"] = "fileReference", ["submitted"] = "submittedOn", ["outcome"] = "outcomeOn",
    };

    private static readonly string[] SubmissionHeader = ["key", "mechanism", "country", "title", "due", "level", "words", "file", "submitted", "outcome"];

    private static string[][] Submissions(string p) =>
    [
        [$"{p}1", "UPR", "CO", $"{p}: Colombia, 2nd UPR", "2013-03-25", "PUBLIC", "2500", "colombia-2013.pdf", "2013-03-20", "2013-10-24"],
        [$"{p}2", "CAT", "MX", $"{p}: Mexico, CAT", "2012-10-01", "", "", "", "", ""],
        [$"{p}3", "OTHER", "TN", $"{p}: Tunisia", "2014-05-01", "NETWORK", "100", "", "2014-04-30", ""],
    ];

    private static byte[] SubmissionFile(IEnumerable<string[]> rows) => ImportKit.Csv(new[] { SubmissionHeader }.Concat(rows));

    private Task<Dictionary<string, JsonElement>> SubmissionsAsync(string prefix) => _kit.ByTitleAsync("submissions", SubmissionFields, prefix);

    private Task<Dictionary<string, JsonElement>> CallsAsync(string prefix) => _kit.ByTitleAsync("callsForInput", $"{CallFields} inputs {{ receivedAt text }}", prefix);

    private async Task<string> MemberOrganisationAsync(string name, string country) =>
        (await _kit.Client(null).QueryAsync($"mutation {{ registerOrganisation(input: {{ name: \"{name}\", countryCode: \"{country}\", networkMember: true, confidentiality: PUBLIC }}) {{ organisation {{ id }} }} }}"))
        .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;

    private static string Get(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? "" : e.GetProperty(name).ToString();

    [Fact]
    public async Task A_dry_run_of_submissions_names_the_bad_rows_and_writes_nothing()
    {
        await _kit.SaveMappingAsync("dry-submissions", "SUBMISSION", "key", SubmissionColumns);
        var rows = Submissions("Dry").Append(["Dry4", "UN", "CO", "Dry: bad mechanism", "2013-03-25", "", "", "", "", ""])
            .Append(["Dry5", "UPR", "CO", "Dry: outcome first", "2013-03-25", "", "100", "", "2013-03-20", "2013-03-19"]);
        var before = await _kit.WrittenAsync();

        var run = await _kit.ImportAsync(SubmissionFile(rows), "submissions.csv", "dry-submissions", dryRun: true);

        Assert.Equal(("SUCCEEDED", 3L, 2L), (run.GetProperty("status").GetString(), run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));
        Assert.Equal([(5L, "mechanism", "Not one of UPR, CAT, HRC_SPECIAL_PROCEDURE, OTHER."),
                (6L, "outcome", "The outcome date is before the submission was submitted (2013-03-20).")],
            await _kit.ProblemsAsync(run.GetProperty("id").GetString()!));
        Assert.Equal(before, await _kit.WrittenAsync());
        Assert.Empty(await SubmissionsAsync("Dry"));
    }

    [Fact]
    public async Task Submissions_of_the_past_import_with_their_dates_once_make_no_deadline_and_a_corrected_row_takes_the_steps_left()
    {
        await _kit.SaveMappingAsync("real-submissions", "SUBMISSION", "key", SubmissionColumns);
        var run = await _kit.ImportAsync(SubmissionFile(Submissions("Real")), "submissions.csv", "real-submissions", dryRun: false);
        Assert.Equal((3L, 0L), (run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));

        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var imported = await SubmissionsAsync("Real");
        string Line(string title, params string[] fields) => string.Join("|", fields.Select(f => Get(imported[title], f)));
        Assert.Equal($"OUTCOME_RECORDED|2013-03-25|2013-03-20|2013-10-24|{today}|2500|colombia-2013.pdf|PUBLIC",
            Line("Real: Colombia, 2nd UPR", "status", "dueOn", "submittedOn", "outcomeOn", "recordedOn", "wordCount", "fileReference", "confidentiality"));
        Assert.Equal($"PLANNED|2012-10-01|||{today}|STAFF", Line("Real: Mexico, CAT", "status", "dueOn", "submittedOn", "outcomeOn", "recordedOn", "confidentiality"));
        Assert.Equal("SUBMITTED|2014-04-30||NETWORK", Line("Real: Tunisia", "status", "submittedOn", "outcomeOn", "confidentiality"));

        // Records of the past: their dates before the day they were entered are no deadline (the Mexican one is due, never submitted).
        var ids = imported.Values.Select(s => s.GetProperty("id").GetString()).ToHashSet();
        var deadlines = (await _kit.Client(null).QueryAsync("{ deadlines(from: \"2012-01-01\", to: \"2014-12-31\") { date subject { ... on Submission { id } } } }"))
            .GetProperty("deadlines").EnumerateArray().Where(d => d.GetProperty("subject").TryGetProperty("id", out var id) && ids.Contains(id.GetString()));
        Assert.Empty(deadlines);

        // The same file again writes nothing.
        var written = await _kit.WrittenAsync();
        var again = await _kit.ImportAsync(SubmissionFile(Submissions("Real")), "submissions.csv", "real-submissions", dryRun: false);
        Assert.Equal((0L, 3L), (again.GetProperty("created").GetInt64(), again.GetProperty("unchanged").GetInt64()));
        Assert.Equal(written, await _kit.WrittenAsync());

        // Corrected: the Mexican report was submitted after all (its text and submission are carried out); a new title has no update command.
        var corrected = Submissions("Real");
        corrected[1] = ["Real2", "CAT", "MX", "Real: Mexico, CAT", "2012-10-01", "", "900", "mexico.pdf", "2012-09-30", ""];
        corrected[2] = [.. corrected[2]];
        corrected[2][3] = "Real: Tunisia (renamed)";
        var third = await _kit.ImportAsync(SubmissionFile(corrected), "submissions.csv", "real-submissions", dryRun: false);
        Assert.Equal((1L, 1L, 1L), (third.GetProperty("changed").GetInt64(), third.GetProperty("changedNotApplied").GetInt64(), third.GetProperty("unchanged").GetInt64()));
        imported = await SubmissionsAsync("Real");
        Assert.Equal("SUBMITTED|2012-09-30|900|mexico.pdf", Line("Real: Mexico, CAT", "status", "submittedOn", "wordCount", "fileReference"));
        Assert.Equal(["Real: Colombia, 2nd UPR", "Real: Mexico, CAT", "Real: Tunisia"], imported.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_staff_importers_restricted_submission_is_refused()
    {
        var staff = await _kit.KeyAsync("STAFF", "STAFF");
        await _kit.SaveMappingAsync("staff-submissions", "SUBMISSION", "key", SubmissionColumns, key: staff);
        var rows = new[]
        {
            new[] { "L1", "UPR", "CO", "Level: staff", "2013-03-25", "STAFF", "", "", "", "" },
            ["L2", "UPR", "CO", "Level: restricted", "2013-03-25", "RESTRICTED", "", "", "", ""],
        };
        var run = await _kit.ImportAsync(SubmissionFile(rows), "submissions.csv", "staff-submissions", dryRun: false, key: staff);
        Assert.Equal((1L, 1L), (run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));
        var error = Assert.Single(await _kit.ErrorsAsync(run.GetProperty("id").GetString()!, staff));
        Assert.Equal((3L, "level"), (error.GetProperty("line").GetInt64(), error.GetProperty("column").GetString()));
        Assert.Equal(["Level: staff"], (await SubmissionsAsync("Level")).Keys);
    }

    [Fact]
    public async Task Calls_of_the_past_import_with_their_inputs_received_then_closed_then_once_and_make_no_deadline()
    {
        var harare = await MemberOrganisationAsync("Import Harare Forum", "ZW");
        var pretoria = await MemberOrganisationAsync("Import Pretoria Centre", "ZA");
        await _kit.SaveMappingAsync("calls", "CALL_FOR_INPUT", "key", new Dictionary<string, string>
        {
            ["title"] = "title", ["question"] = "question", ["deadline"] = "deadline", ["audienceCountryCodes"] = "audienceCountryCodes", ["level"] = "confidentiality",
            ["closedAt"] = "closedAt",
        });
        string Call(string key, string title, string deadline, string? closedAt, params object[] inputs) => JsonSerializer.Serialize(new
        {
            key, title, question = "Which challenges?", deadline, audienceCountryCodes = new[] { "ZW", "ZA" }, level = "NETWORK", closedAt, inputs,
        });
        object Input(string organisationId, string text, string receivedAt) => new { organisationId, text, receivedAt };
        byte[] File(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        var good = new[]
        {
            Call("C1", "Calls: WHRD in Africa (2013)", "2013-04-30", "2013-05-02T12:00:00Z",
                Input(harare, "Our answer", "2013-04-20T10:00:00Z"), Input(pretoria, "Ours", "2013-04-30T23:00:00+02:00")),
            Call("C2", "Calls: still open in the archive", "2013-06-30", null),
        };

        // A dry run: an input received after the deadline and one from an unknown organisation are named by their nested column.
        var before = await _kit.WrittenAsync();
        var dry = await _kit.ImportAsync(File([.. good, Call("C3", "Calls: bad inputs", "2013-04-30", null,
            Input(harare, "Late", "2013-05-01T10:00:00Z"), Input("T3JnYW5pc2F0aW9uOm5vdGhpbmc=", "Who?", "2013-04-01"))]), "calls.ndjson", "calls", dryRun: true);
        Assert.Equal((2L, 1L), (dry.GetProperty("created").GetInt64(), dry.GetProperty("errorRows").GetInt64()));
        Assert.Equal([(3L, "inputs[0].receivedAt", "The reception time is after the call's deadline (2013-04-30)."),
                (3L, "inputs[1].organisationId", "Not the id of a record of type Organisation.")],
            await _kit.ProblemsAsync(dry.GetProperty("id").GetString()!));
        Assert.Equal(before, await _kit.WrittenAsync());

        var run = await _kit.ImportAsync(File(good), "calls.ndjson", "calls", dryRun: false);
        Assert.Equal((2L, 0L), (run.GetProperty("created").GetInt64(), run.GetProperty("errorRows").GetInt64()));
        var calls = await CallsAsync("Calls");
        var closed = calls["Calls: WHRD in Africa (2013)"];
        Assert.Equal(("CLOSED", "2013-04-30", "NETWORK"), (closed.GetProperty("status").GetString(), closed.GetProperty("deadline").GetString(), closed.GetProperty("confidentiality").GetString()));
        Assert.Equal(new DateTimeOffset(2013, 5, 2, 12, 0, 0, TimeSpan.Zero), closed.GetProperty("closedAt").GetDateTimeOffset());
        Assert.Equal([(new DateTimeOffset(2013, 4, 20, 10, 0, 0, TimeSpan.Zero), "Our answer"), (new DateTimeOffset(2013, 4, 30, 21, 0, 0, TimeSpan.Zero), "Ours")],
            closed.GetProperty("inputs").EnumerateArray().Select(i => (i.GetProperty("receivedAt").GetDateTimeOffset(), i.GetProperty("text").GetString())).Order().ToList());
        Assert.Equal(["ZA", "ZW"], closed.GetProperty("audience").EnumerateArray().Select(c => c.GetProperty("code").GetString()).Order());
        Assert.Equal(("OPEN", JsonValueKind.Null), (calls["Calls: still open in the archive"].GetProperty("status").GetString(),
            calls["Calls: still open in the archive"].GetProperty("closedAt").ValueKind));

        // No deadline for the past: the open call's deadline of 2013 is none (it was entered today).
        var ids = calls.Values.Select(c => c.GetProperty("id").GetString()).ToHashSet();
        Assert.DoesNotContain((await _kit.Client(null).QueryAsync("{ deadlines(from: \"2013-01-01\", to: \"2013-12-31\") { subject { ... on CallForInput { id } } } }"))
            .GetProperty("deadlines").EnumerateArray(), d => d.GetProperty("subject").TryGetProperty("id", out var id) && ids.Contains(id.GetString()));

        var written = await _kit.WrittenAsync();
        var again = await _kit.ImportAsync(File(good), "calls.ndjson", "calls", dryRun: false);
        Assert.Equal((0L, 2L), (again.GetProperty("created").GetInt64(), again.GetProperty("unchanged").GetInt64()));
        Assert.Equal(written, await _kit.WrittenAsync());

        // Corrected: the open call was closed; the closed call's new question has no update command.
        var corrected = await _kit.ImportAsync(File(good[0].Replace("Which challenges?", "Which risks?", StringComparison.Ordinal),
            Call("C2", "Calls: still open in the archive", "2013-06-30", "2013-07-01T09:00:00Z")), "calls.ndjson", "calls", dryRun: false);
        Assert.Equal((1L, 1L), (corrected.GetProperty("changed").GetInt64(), corrected.GetProperty("changedNotApplied").GetInt64()));
        var reclosed = (await CallsAsync("Calls"))["Calls: still open in the archive"];
        Assert.Equal(("CLOSED", new DateTimeOffset(2013, 7, 1, 9, 0, 0, TimeSpan.Zero)), (reclosed.GetProperty("status").GetString(), reclosed.GetProperty("closedAt").GetDateTimeOffset()));
    }

    [Fact]
    public async Task The_exports_of_submissions_and_calls_import_into_an_empty_platform_as_the_same_records()
    {
        await _kit.SaveMappingAsync("trip-source", "SUBMISSION", "key", SubmissionColumns);
        Assert.Equal(0L, (await _kit.ImportAsync(SubmissionFile(Submissions("Trip")), "submissions.csv", "trip-source", dryRun: false)).GetProperty("errorRows").GetInt64());
        await _kit.Client(null).QueryAsync("mutation { openCallForInput(input: { title: \"Trip: a call of 2012\", question: \"Q, with a comma?\", deadline: \"2012-05-31\", " +
                                           "audienceCountryCodes: [\"CM\", \"TN\"], audienceRegions: [EUROPE], historical: true, confidentiality: PUBLIC }) { callForInput { id } } }");
        var call = (await CallsAsync("Trip: a call of 2012"))["Trip: a call of 2012"].GetProperty("id").GetString();
        await _kit.Client(null).QueryAsync("mutation($c: ID!) { closeCallForInput(input: { callId: $c, closedAt: \"2012-06-01T08:00:00Z\" }) { callForInput { id } } }", new { c = call });

        var submissions = await ExportAsync("submissions", "csv");
        var calls = ArticleImportTests.Records(await ExportAsync("calls-for-input", "ndjson"));

        await using var empty = new PlatformFactory();
        await ((IAsyncLifetime)empty).InitializeAsync();
        try
        {
            var kit = ImportKit.InMemory(empty);
            await kit.SaveMappingAsync("trip-submissions", "SUBMISSION", "id", new[]
            {
                "mechanism", "title", "countryCode", "dueOn", "session", "sessionStartsOn", "catStage", "wordCount", "fileReference", "submittedOn", "outcomeOn", "confidentiality",
            }.ToDictionary(c => c, c => c));
            await kit.SaveMappingAsync("trip-calls", "CALL_FOR_INPUT", "id", new[]
            {
                "title", "question", "deadline", "audienceCountryCodes", "audienceRegions", "confidentiality", "closedAt",
            }.ToDictionary(c => c, c => c));
            foreach (var (file, name, mapping) in new[] { (submissions, "submissions.csv", "trip-submissions"), (calls, "calls.ndjson", "trip-calls") })
            {
                var run = await kit.ImportAsync(file, name, mapping, dryRun: false);
                Assert.True(run.GetProperty("errorRows").GetInt64() == 0 && run.GetProperty("created").GetInt64() > 0,
                    $"{name}: {run}\n" + string.Join("\n", (await kit.ErrorsAsync(run.GetProperty("id").GetString()!)).Select(e => e.ToString())));
            }

            var before = await AllAsync(platform.Admin());
            Assert.Contains(before, s => s.Contains("Trip: Colombia, 2nd UPR", StringComparison.Ordinal) && s.Contains("2013-10-24", StringComparison.Ordinal));
            Assert.Contains(before, s => s.Contains("Trip: a call of 2012", StringComparison.Ordinal) && s.Contains("CLOSED", StringComparison.Ordinal));
            Assert.Equal(before, await AllAsync(empty.Admin()));
        }
        finally
        {
            await ((IAsyncLifetime)empty).DisposeAsync();
        }

        static async Task<List<string>> AllAsync(GraphQLClient client)
        {
            var data = await client.QueryAsync(
                $"{{ submissions(first: 100) {{ nodes {{ {SubmissionFields.Replace("id ", "", StringComparison.Ordinal)} }} }} callsForInput(first: 100) {{ nodes {{ {CallFields.Replace("id ", "", StringComparison.Ordinal)} }} }} }}");
            return data.GetProperty("submissions").GetProperty("nodes").EnumerateArray().Concat(data.GetProperty("callsForInput").GetProperty("nodes").EnumerateArray())
                .Select(n => n.ToString()).Order(StringComparer.Ordinal).ToList();
        }
    }

    private async Task<byte[]> ExportAsync(string name, string format)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/export/{name}?format={format}");
        request.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        using var response = await platform.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
