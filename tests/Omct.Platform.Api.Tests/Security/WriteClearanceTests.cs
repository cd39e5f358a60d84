using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL.Types;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Security;

/// <summary>
/// Every write follows the clearance rule, for every mutation of the schema: a caller acts only on
/// what it may see (a hidden target answers exactly as an unknown one, and nothing is written), writes
/// levels and confidential values only up to its own clearance (VALIDATION on the field, nothing
/// written), and a repeated clientMutationId answers what the caller may see now. The table below
/// names, for each mutation, how to call it and what it targets; the tests read the mutations, their
/// inputs and the inputs' levels and write rules from the schema, so a new mutation, or a new level
/// or confidential field in an input, fails here until it is covered.
/// </summary>
public sealed class WriteClearanceTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string Unknown = "unknown";

    /// <summary>What a mutation targets; the record is made by <see cref="TargetAsync"/> at a given level.</summary>
    private enum Target { None, Case, CaseEvent, Defender, Organisation, Article, PublishedArticle, Submission, Call, Webhook, Subscription, ApiKey, Account, File, ReportDefinition }

    /// <param name="Role">The least role that may call it (the probing key has it).</param>
    /// <param name="Target">What its target field names.</param>
    /// <param name="TargetField">The input field holding the target's id.</param>
    /// <param name="Input">The rest of a valid input, given the scenario's fixture.</param>
    /// <param name="Raise">How an admin raises the record the payload shows above the caller (replays); null when nothing can.</param>
    private sealed record Scenario(string Role, Target Target, string? TargetField, Func<Fixture, JsonObject> Input, Target? Raise = null);

    /// <summary>Ids made once per test and visible to every probe (PUBLIC).</summary>
    private sealed record Fixture(string Organisation, string MemberOrganisation, string Defender, string Case, string Later, Func<string> Fresh);

    private static readonly Dictionary<string, Scenario> Scenarios = new()
    {
        ["openCase"] = new("STAFF", Target.None, null, _ => new() { ["title"] = "Probe", ["countryCode"] = "NE" }, Target.Case),
        ["recordCaseEvent"] = new("STAFF", Target.Case, "caseId", _ => new() { ["type"] = "THREAT", ["date"] = "2013" }, Target.Case),
        ["correctCaseEvent"] = new("STAFF", Target.CaseEvent, "eventId", _ => new() { ["type"] = "THREAT", ["date"] = "2012" }, Target.Case),
        ["addVictim"] = new("STAFF", Target.Case, "caseId", _ => new() { ["name"] = "Probe" }, Target.Case),
        ["issueIntervention"] = new("STAFF", Target.Case, "caseId", _ => new() { ["type"] = "URGENT_APPEAL" }, Target.Case),
        ["changeCaseStatus"] = new("STAFF", Target.Case, "caseId", _ => new() { ["status"] = "MONITORING" }, Target.Case),
        ["changeCaseConfidentiality"] = new("STAFF", Target.Case, "caseId", _ => new() { ["confidentiality"] = "NETWORK" }, Target.Case),
        ["updateCase"] = new("STAFF", Target.Case, "caseId", _ => new() { ["title"] = "Probe", ["reason"] = "Probe" }, Target.Case),
        // Withdrawing a case event is decided on the fixture's case (as correctCaseEvent): no raise of that shared case here;
        // CaseCorrectionTests covers a hidden event (NOT_FOUND, as an unknown one) and the history.
        ["withdrawCaseEvent"] = new("STAFF", Target.CaseEvent, "eventId", _ => new() { ["reason"] = "Probe" }),
        // The victim and the intervention are unknown: the hidden case answers as an unknown one, before them.
        ["withdrawVictim"] = new("STAFF", Target.Case, "caseId", _ => new() { ["victimId"] = BuildingBlocks.Ids.GlobalId.Encode("Victim", Guid.Empty) }),
        ["correctIntervention"] = new("STAFF", Target.Case, "caseId", _ => new() { ["interventionId"] = BuildingBlocks.Ids.GlobalId.Encode("Intervention", Guid.Empty) }),
        ["registerDefender"] = new("STAFF", Target.None, null, _ => new() { ["name"] = "Probe", ["countryCode"] = "NE" }, Target.Defender),
        ["updateDefender"] = new("STAFF", Target.Defender, "defenderId", _ => new() { ["pseudonym"] = "Probe" }, Target.Defender),
        ["recordConsent"] = new("STAFF", Target.Defender, "defenderId", _ => new() { ["toPublishName"] = false, ["toPublishPortrait"] = false }, Target.Defender),
        ["setRiskLevel"] = new("STAFF", Target.Defender, "defenderId", _ => new() { ["level"] = "HIGH" }, Target.Defender),
        ["recordDefenderSituation"] = new("STAFF", Target.Defender, "defenderId", _ => new() { ["situation"] = "IN_HIDING", ["date"] = "2014" }, Target.Defender),
        // Replacing the RESTRICTED details needs RESTRICTED: the probe (STAFF) is refused on the field; the target rule is checked without them.
        ["setConfidentialDetails"] = new("STAFF", Target.Defender, "defenderId", _ => new()),
        ["affiliateDefender"] = new("STAFF", Target.Defender, "defenderId", f => new() { ["organisationId"] = f.Organisation }, Target.Defender),
        // Ending needs an affiliation, which the fresh target has not: no replay after a raise here (DefenderApiTests replays it).
        ["endAffiliation"] = new("STAFF", Target.Defender, "defenderId", f => new() { ["organisationId"] = f.Organisation }),
        ["mergeDefenders"] = new("STAFF", Target.Defender, "targetId", f => new() { ["sourceId"] = f.Fresh() }, Target.Defender),
        ["eraseDefenderPersonalData"] = new("ADMIN", Target.Defender, "defenderId", _ => new(), Target.Defender),
        ["registerOrganisation"] = new("STAFF", Target.None, null, _ => new() { ["name"] = "Probe NGO", ["countryCode"] = "NE" }, Target.Organisation),
        ["updateOrganisation"] = new("STAFF", Target.Organisation, "organisationId", _ => new() { ["name"] = "Probe NGO" }, Target.Organisation),
        ["setNetworkMembership"] = new("STAFF", Target.Organisation, "organisationId", _ => new() { ["member"] = true }, Target.Organisation),
        ["draftArticle"] = new("EDITOR", Target.None, null, _ => new() { ["kind"] = "STATEMENT", ["language"] = "EN", ["title"] = "Probe", ["body"] = "Text" }, Target.Article),
        ["saveTranslation"] = new("EDITOR", Target.Article, "articleId", _ => new() { ["language"] = "FR", ["title"] = "Sonde", ["body"] = "Texte" }, Target.Article),
        ["tagArticle"] = new("EDITOR", Target.Article, "articleId", _ => new() { ["themes"] = new JsonArray("probe") }, Target.Article),
        ["publishArticle"] = new("EDITOR", Target.Article, "articleId", _ => new(), Target.Article),
        ["unpublishArticle"] = new("EDITOR", Target.PublishedArticle, "articleId", _ => new(), Target.Article),
        ["setArticleOriginalPublicationDate"] = new("EDITOR", Target.PublishedArticle, "articleId", _ => new() { ["publishedAt"] = "2015-06-26T09:00:00Z" }, Target.Article),
        // An archived article can no longer be raised (nor changed at all): its replay has nothing to hide.
        ["archiveArticle"] = new("EDITOR", Target.Article, "articleId", _ => new()),
        ["planSubmission"] = new("STAFF", Target.None, null, _ => new() { ["mechanism"] = "CAT", ["countryCode"] = "NE", ["title"] = "Probe", ["dueOn"] = "2030-01-01" }),
        ["addCoSignatory"] = new("STAFF", Target.Submission, "submissionId", f => new() { ["organisationId"] = f.Organisation }),
        ["removeCoSignatory"] = new("STAFF", Target.Submission, "submissionId", f => new() { ["organisationId"] = f.Organisation }),
        ["attachSubmissionText"] = new("STAFF", Target.Submission, "submissionId", _ => new() { ["text"] = "Some words" }),
        ["markSubmitted"] = new("STAFF", Target.Submission, "submissionId", _ => new()),
        ["recordOutcome"] = new("STAFF", Target.Submission, "submissionId", _ => new() { ["recommendations"] = new JsonArray() }),
        ["openCallForInput"] = new("STAFF", Target.None, null, _ => new() { ["title"] = "Probe", ["question"] = "Q?", ["deadline"] = "2030-01-01" }),
        ["receiveInput"] = new("NETWORK_MEMBER", Target.Call, "callId", f => new() { ["organisationId"] = f.MemberOrganisation, ["text"] = "Answer" }),
        ["extendCallDeadline"] = new("STAFF", Target.Call, "callId", f => new() { ["deadline"] = f.Later }),
        ["closeCallForInput"] = new("STAFF", Target.Call, "callId", _ => new()),
        ["createApiKey"] = new("ADMIN", Target.None, null, _ => new() { ["name"] = "probe", ["role"] = "INTEGRATOR", ["clearance"] = "PUBLIC" }),
        ["revokeApiKey"] = new("ADMIN", Target.ApiKey, "id", _ => new()),
        ["registerPersistedOperation"] = new("ADMIN", Target.None, null, _ => new() { ["name"] = "probe", ["document"] = "{ me { name } }" }),
        ["runJob"] = new("ADMIN", Target.None, null, _ => new() { ["name"] = "CLOSE_EXPIRED_CALLS" }),
        ["registerWebhook"] = new("INTEGRATOR", Target.None, null, _ => new() { ["name"] = "probe", ["url"] = "https://example.org/hooks" }),
        ["updateWebhook"] = new("ADMIN", Target.Webhook, "webhookId", _ => new() { ["name"] = "probe" }),
        ["pauseWebhook"] = new("ADMIN", Target.Webhook, "webhookId", _ => new()),
        ["resumeWebhook"] = new("ADMIN", Target.Webhook, "webhookId", _ => new()),
        ["deleteWebhook"] = new("ADMIN", Target.Webhook, "webhookId", _ => new()),
        ["rotateWebhookSecret"] = new("ADMIN", Target.Webhook, "webhookId", _ => new()),
        ["createDigestSubscription"] = new("STAFF", Target.None, null, _ => new() { ["name"] = "probe", ["period"] = "DAILY", ["audience"] = "PUBLIC", ["emailRecipients"] = new JsonArray("desk@example.org") }, Target.Subscription),
        ["updateDigestSubscription"] = new("ADMIN", Target.Subscription, "subscriptionId", _ => new() { ["name"] = "probe" }, Target.Subscription),
        ["pauseDigestSubscription"] = new("ADMIN", Target.Subscription, "subscriptionId", _ => new(), Target.Subscription),
        ["resumeDigestSubscription"] = new("ADMIN", Target.Subscription, "subscriptionId", _ => new(), Target.Subscription),
        ["deleteDigestSubscription"] = new("ADMIN", Target.Subscription, "subscriptionId", _ => new()),
        // Report definitions: an admin sees them all within its clearance (a staff member only its own or those it receives).
        ["createReportDefinition"] = new("STAFF", Target.None, null, _ => ReportDefinitionInput(), Target.ReportDefinition),
        ["updateReportDefinition"] = new("ADMIN", Target.ReportDefinition, "reportDefinitionId", _ => new() { ["name"] = "probe" }, Target.ReportDefinition),
        ["deleteReportDefinition"] = new("ADMIN", Target.ReportDefinition, "reportDefinitionId", _ => new()),
        ["runReportNow"] = new("ADMIN", Target.ReportDefinition, "reportDefinitionId", _ => new()),
        ["inviteAccount"] = new("ADMIN", Target.None, null, _ => new() { ["email"] = $"probe-{Guid.NewGuid():N}@example.org", ["displayName"] = "Probe", ["role"] = "STAFF", ["clearance"] = "PUBLIC" }),
        ["changeAccountRole"] = new("ADMIN", Target.Account, "id", _ => new() { ["role"] = "STAFF", ["clearance"] = "PUBLIC" }),
        ["disableAccount"] = new("ADMIN", Target.Account, "id", _ => new()),
        ["resetSecondFactor"] = new("ADMIN", Target.Account, "id", _ => new()),
        // A person's own account (a session, never an API key): no target id, no level in the input.
        ["beginAuthenticatorEnrolment"] = new("STAFF", Target.None, null, _ => new()),
        ["confirmAuthenticatorEnrolment"] = new("STAFF", Target.None, null, _ => new() { ["code"] = "123456" }),
        ["regenerateRecoveryCodes"] = new("STAFF", Target.None, null, _ => new()),
        ["removePasskey"] = new("STAFF", Target.None, null, _ => new() { ["passkeyId"] = "AAAA" }),
        ["revokeSession"] = new("STAFF", Target.None, null, _ => new() { ["sessionId"] = "AAAA" }),
        // The record is checked before the upload (an unknown one here), so hidden and unknown records answer alike; a replay
        // needs an upload of the probe's own, which FileApiTests.Attaching_follows_the_write_rules covers.
        ["attachFile"] = new("STAFF", Target.Case, "recordId", _ => new() { ["uploadId"] = BuildingBlocks.Ids.GlobalId.Encode("Upload", Guid.Empty) }),
        ["reclassifyFile"] = new("STAFF", Target.File, "fileId", _ => new() { ["confidentiality"] = "NETWORK" }, Target.File),
        // Import files, mappings and runs hold no level of their own: what a run writes goes through the modules' commands.
        ["createImport"] = new("STAFF", Target.None, null, _ => new() { ["uploadId"] = BuildingBlocks.Ids.GlobalId.Encode("Upload", Guid.Empty) }),
        ["saveImportMapping"] = new("STAFF", Target.None, null, _ => new()
        {
            ["name"] = "probe", ["kind"] = "ORGANISATION", ["keyColumn"] = "ref", ["columns"] = new JsonArray(new JsonObject { ["column"] = "name", ["field"] = "name" }),
        }),
        ["startImport"] = new("STAFF", Target.None, null, _ => new() { ["fileId"] = BuildingBlocks.Ids.GlobalId.Encode("ImportFile", Guid.Empty), ["mapping"] = "probe" }),
        ["cancelImport"] = new("STAFF", Target.None, null, _ => new() { ["runId"] = BuildingBlocks.Ids.GlobalId.Encode("ImportRun", Guid.Empty) }),
        ["createCalendarFeed"] = new("STAFF", Target.None, null, _ => new()),
        ["revokeCalendarFeed"] = new("STAFF", Target.None, null, _ => new()),
        // Teamwork: the record is checked before the account (an unknown one here), so hidden and unknown records answer alike.
        ["assignOwner"] = new("STAFF", Target.Case, "recordId", _ => new() { ["accountId"] = BuildingBlocks.Ids.GlobalId.Encode("Account", Guid.Empty) }),
        ["watchRecord"] = new("STAFF", Target.Case, "recordId", _ => new() { ["accountId"] = BuildingBlocks.Ids.GlobalId.Encode("Account", Guid.Empty) }),
        ["unwatchRecord"] = new("STAFF", Target.Case, "recordId", _ => new() { ["accountId"] = BuildingBlocks.Ids.GlobalId.Encode("Account", Guid.Empty) }),
        ["createTask"] = new("STAFF", Target.Case, "recordId", _ => new() { ["title"] = "Probe", ["dueOn"] = "2030-01-01", ["assigneeId"] = BuildingBlocks.Ids.GlobalId.Encode("Account", Guid.Empty) }),
        ["writeNote"] = new("STAFF", Target.Case, "recordId", _ => new() { ["markdown"] = "Probe" }),
        // A task or a note is found through its record; a case's id in their place is no task or note: it answers as an unknown
        // one, as a hidden one does (TeamworkTests covers a task and a note on a hidden record).
        ["completeTask"] = new("STAFF", Target.Case, "taskId", _ => new()),
        ["cancelTask"] = new("STAFF", Target.Case, "taskId", _ => new()),
        ["reassignTask"] = new("STAFF", Target.Case, "taskId", _ => new() { ["assigneeId"] = BuildingBlocks.Ids.GlobalId.Encode("Account", Guid.Empty) }),
        ["editNote"] = new("STAFF", Target.Case, "noteId", _ => new() { ["markdown"] = "Probe" }),
        ["markMentionRead"] = new("STAFF", Target.Case, "mentionId", _ => new()),
        // A reminder item is the caller's own (found through its reminder and record); a case's id in its place answers as an unknown one.
        ["acknowledgeReminder"] = new("STAFF", Target.Case, "reminderId", _ => new()),
        ["snoozeReminder"] = new("STAFF", Target.Case, "reminderId",
            _ => new() { ["until"] = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }),
        ["setNotificationPreference"] = new("STAFF", Target.None, null, _ => new() { ["mode"] = "DAILY" }),
    };

    private readonly Dictionary<string, string> keys = [];

    [Fact]
    public void Every_mutation_of_the_schema_is_in_the_table()
    {
        var missing = Schema().Mutation!.Fields.Select(f => f.Name).Except(Scenarios.Keys).ToList();
        Assert.True(missing.Count == 0, "Mutations the write-clearance table does not cover: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task A_target_the_caller_may_not_see_answers_as_an_unknown_one_and_nothing_is_written()
    {
        var fixture = await FixtureAsync();
        var failures = new List<string>();
        foreach (var (mutation, scenario) in Scenarios.Where(s => s.Value.Target != Target.None))
        {
            var probe = await KeyAsync(scenario.Role, "STAFF", scenario.Role == "NETWORK_MEMBER" ? fixture.MemberOrganisation : null);
            var hidden = Input(scenario, fixture, await TargetAsync(scenario.Target, "RESTRICTED", fixture));
            var unknown = Input(scenario, fixture, await TargetAsync(scenario.Target, Unknown, fixture));
            var before = await WrittenAsync();
            var onHidden = await RunAsync(probe, mutation, hidden);
            var onUnknown = await RunAsync(probe, mutation, unknown);
            var after = await WrittenAsync();
            // correctCaseEvent answers a hidden event as an unknown one with VALIDATION on eventId; withdrawCaseEvent with NOT_FOUND.
            var expected = mutation == "correctCaseEvent" ? "VALIDATION" : "NOT_FOUND";
            if (onHidden.ErrorCode != expected || Answer(onHidden) != Answer(onUnknown) || HasData(onHidden, mutation) || before != after)
            {
                failures.Add($"{mutation}: hidden {onHidden} / unknown {onUnknown}; written: {before != after}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_level_or_a_confidential_value_above_the_caller_is_VALIDATION_on_its_field_and_nothing_is_written()
    {
        var fixture = await FixtureAsync();
        var failures = new List<string>();
        var probed = 0;
        foreach (var field in Schema().Mutation!.Fields)
        {
            var scenario = Scenarios[field.Name];
            var input = (IInputObjectGraphType)((NonNullGraphType)field.Arguments!.Find("input")!.ResolvedType!).ResolvedType!;
            foreach (var inputField in input.Fields)
            {
                // What the field needs to be written: a level is refused above the caller, a confidential value below its level.
                var (needs, value) = Unwrap(inputField.ResolvedType!) switch
                {
                    ConfidentialityGraphType => ("RESTRICTED", (JsonNode)"RESTRICTED"),
                    var type when inputField.WritableFrom() is { } level => (level.ToString().ToUpperInvariant(), ValueOf(type)),
                    IInputObjectGraphType nested when Levels(nested).Any() => throw new InvalidOperationException(
                        $"{field.Name}.{inputField.Name} holds a level or a confidential value in a nested input: cover it in {nameof(WriteClearanceTests)}"),
                    _ => ((string?)null, (JsonNode?)null),
                };
                if (needs is null)
                {
                    continue;
                }

                probed++;
                var below = needs switch { "RESTRICTED" => "STAFF", "STAFF" => "NETWORK", "NETWORK" => "PUBLIC", _ => throw new InvalidOperationException(needs) };
                var probe = await KeyAsync(scenario.Role == "NETWORK_MEMBER" || scenario.Role == "INTEGRATOR" ? "ADMIN" : scenario.Role, below);
                var target = scenario.Target == Target.None ? null : await TargetAsync(scenario.Target, "PUBLIC", fixture);
                var given = Input(scenario, fixture, target);
                given[inputField.Name] = value!.DeepClone();
                // Refused on this field, or on another field of the input that the probe may not write either (given first).
                var alsoRefused = input.Fields.Where(f => f.WritableFrom() is { } l && l > Enum.Parse<BuildingBlocks.Callers.Confidentiality>(below, ignoreCase: true)
                                                           && given.ContainsKey(f.Name) && f.Name != inputField.Name).Select(f => f.Name).ToList();
                var before = await WrittenAsync();
                var response = await RunAsync(probe, field.Name, given);
                if (response.ErrorCode != "VALIDATION" || !(response.ErrorField == inputField.Name || alsoRefused.Contains(response.ErrorField!))
                    || HasData(response, field.Name) || before != await WrittenAsync())
                {
                    failures.Add($"{field.Name}.{inputField.Name} = {value} by a {below} {scenario.Role}: {response}");
                }
            }
        }

        Assert.True(probed >= 20, $"only {probed} levels and confidential fields were found in the mutations' inputs");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_replay_after_the_record_was_raised_above_the_caller_shows_nothing_of_it()
    {
        var fixture = await FixtureAsync();
        var failures = new List<string>();
        foreach (var (mutation, scenario) in Scenarios.Where(s => s.Value.Raise is not null))
        {
            var probe = await KeyAsync(scenario.Role, "STAFF");
            var target = scenario.Target == Target.None ? null : await TargetAsync(scenario.Target, "STAFF", fixture);
            var input = Input(scenario, fixture, target);
            input["clientMutationId"] = $"replay-{mutation}";
            var first = await RunAsync(probe, mutation, input, "id");
            if (first.HasErrors)
            {
                failures.Add($"{mutation}: the first call failed: {first}");
                continue;
            }

            // The record the payload shows (the stream the receipt names), raised by a RESTRICTED admin.
            var shown = first.Data.GetProperty(mutation).EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Object).Value.GetProperty("id").GetString()!;
            try
            {
                await RaiseAsync(scenario.Raise!.Value, shown);
            }
            catch (InvalidOperationException e)
            {
                failures.Add($"{mutation}: the record could not be raised: {e.Message}");
                continue;
            }

            var before = await WrittenAsync();
            var replay = await RunAsync(probe, mutation, input, "id");
            if (replay.ErrorCode != "NOT_FOUND" || HasData(replay, mutation) || replay.Raw.Contains(shown, StringComparison.Ordinal) || before != await WrittenAsync())
            {
                failures.Add($"{mutation}: the replay after the raise answered {replay}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Answer(GraphQLResponse response) =>
        response.Errors.Count == 0 ? response.Raw : $"{response.ErrorCode} {response.ErrorField} {response.Errors[0].GetProperty("message").GetString()}";

    private static JsonObject Input(Scenario scenario, Fixture fixture, TargetIds? target)
    {
        var input = scenario.Input(fixture);
        if (target is not null)
        {
            input[scenario.TargetField!] = target.Id;
            if (target.CaseId is { } caseId)
            {
                input["caseId"] = caseId;
            }
        }

        return input;
    }

    private static IGraphType Unwrap(IGraphType type) => type switch
    {
        NonNullGraphType nonNull => Unwrap(nonNull.ResolvedType!),
        ListGraphType list => Unwrap(list.ResolvedType!),
        _ => type,
    };

    private static IEnumerable<string> Levels(IInputObjectGraphType type) =>
        type.Fields.Where(f => Unwrap(f.ResolvedType!) is ConfidentialityGraphType || f.WritableFrom() is not null).Select(f => f.Name);

    /// <summary>A valid value of an input field's type, for a field whose write rule is probed.</summary>
    private static JsonNode ValueOf(IGraphType type) => type switch
    {
        BooleanGraphType => true,
        IntGraphType => 1,
        EnumerationGraphType e => e.Values.Last().Name,
        _ when type.Name == "Date" => "2013-01-01",
        _ => "probe",
    };

    private static JsonObject ReportDefinitionInput() => new()
    {
        ["name"] = "probe", ["query"] = "query { cases(first: 5) { nodes { reference } } }", ["listPath"] = "cases.nodes",
        ["columns"] = new JsonArray(new JsonObject { ["path"] = "reference", ["headingEn"] = "Reference" }),
    };

    private static bool HasData(GraphQLResponse response, string mutation) =>
        response.HasData && response.Data.ValueKind == JsonValueKind.Object
                         && response.Data.TryGetProperty(mutation, out var value) && value.ValueKind != JsonValueKind.Null;

    private async Task<GraphQLResponse> RunAsync(string key, string mutation, JsonObject input, string? shown = null)
    {
        var inputType = ((NonNullGraphType)Schema().Mutation!.Fields.Find(mutation)!.Arguments!.Find("input")!.ResolvedType!).ResolvedType!.Name;
        var selection = shown is null ? "__typename" : PayloadSelection(mutation);
        return await platform.GraphQL(key).PostAsync($"mutation($input: {inputType}!) {{ {mutation}(input: $input) {{ {selection} }} }}", new { input });
    }

    /// <summary>The payload's entity fields with their ids (the record the mutation shows).</summary>
    private string PayloadSelection(string mutation)
    {
        var payload = (IComplexGraphType)Unwrap(Schema().Mutation!.Fields.Find(mutation)!.ResolvedType!);
        return string.Join(' ', payload.Fields.Where(f => Unwrap(f.ResolvedType!) is IComplexGraphType t && t.Fields.Find("id") is not null).Select(f => $"{f.Name} {{ id }}"));
    }

    private sealed record TargetIds(string Id, string? CaseId = null);

    /// <summary>A record of <paramref name="kind"/> at <paramref name="level"/>, made by the RESTRICTED admin; <see cref="Unknown"/>: an id that exists nowhere.</summary>
    private async Task<TargetIds> TargetAsync(Target kind, string level, Fixture fixture)
    {
        var admin = platform.Admin();
        if (level == Unknown)
        {
            var type = kind switch
            {
                Target.Case => "Case", Target.CaseEvent => "CaseEvent", Target.Defender => "Defender", Target.Organisation => "Organisation",
                Target.Article or Target.PublishedArticle => "Article", Target.Submission => "Submission", Target.Call => "CallForInput",
                Target.Webhook => "Webhook", Target.Subscription => "DigestSubscription", Target.ApiKey => "ApiKey", Target.Account => "Account", Target.File => "File",
                Target.ReportDefinition => "ReportDefinition",
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            return new TargetIds(BuildingBlocks.Ids.GlobalId.Encode(type, Guid.CreateVersion7()), kind == Target.CaseEvent ? fixture.Case : null);
        }

        switch (kind)
        {
            case Target.Case:
                return new(Id(await admin.QueryAsync("mutation($l: Confidentiality) { openCase(input: { title: \"Target\", countryCode: \"NE\", confidentiality: $l }) { case { id } } }", new { l = level }), "openCase", "case"));
            case Target.CaseEvent:
                var events = await admin.QueryAsync("mutation($c: ID!, $l: Confidentiality) { recordCaseEvent(input: { caseId: $c, type: ARREST, date: \"2013\", confidentiality: $l }) { case { events { id confidentiality } } } }",
                    new { c = fixture.Case, l = level });
                var recorded = events.GetProperty("recordCaseEvent").GetProperty("case").GetProperty("events").EnumerateArray().Last(e => e.GetProperty("confidentiality").GetString() == level);
                return new(recorded.GetProperty("id").GetString()!, fixture.Case);
            case Target.Defender:
                return new(Id(await admin.QueryAsync("mutation($l: Confidentiality) { registerDefender(input: { name: \"Target\", countryCode: \"NE\", confidentiality: $l, consentToPublishName: true }) { defender { id } } }", new { l = level }), "registerDefender", "defender"));
            case Target.Organisation:
                return new(Id(await admin.QueryAsync("mutation($l: Confidentiality) { registerOrganisation(input: { name: \"Target NGO\", countryCode: \"NE\", confidentiality: $l }) { organisation { id } } }", new { l = level }), "registerOrganisation", "organisation"));
            case Target.Article or Target.PublishedArticle:
                var article = Id(await admin.QueryAsync("mutation($l: Confidentiality) { draftArticle(input: { kind: STATEMENT, language: EN, title: \"Target\", body: \"Text\", confidentiality: $l }) { article { id } } }", new { l = level }), "draftArticle", "article");
                if (kind == Target.PublishedArticle)
                {
                    await admin.QueryAsync("mutation($a: ID!) { publishArticle(input: { articleId: $a }) { article { id } } }", new { a = article });
                }

                return new(article);
            case Target.Submission:
                var submission = Id(await admin.QueryAsync("mutation($l: Confidentiality, $o: ID!) { planSubmission(input: { mechanism: UPR, countryCode: \"NE\", title: \"Target\", dueOn: \"2030-01-01\", coSignatoryIds: [$o], confidentiality: $l }) { submission { id } } }",
                    new { l = level, o = fixture.Organisation }), "planSubmission", "submission");
                await admin.QueryAsync("mutation($s: ID!) { attachSubmissionText(input: { submissionId: $s, text: \"A few words\" }) { submission { id } } }", new { s = submission });
                return new(submission);
            case Target.Call:
                return new(Id(await admin.QueryAsync("mutation($l: Confidentiality) { openCallForInput(input: { title: \"Target\", question: \"Q?\", deadline: \"2030-01-01\", confidentiality: $l }) { callForInput { id } } }", new { l = level }), "openCallForInput", "callForInput"));
            case Target.Webhook:
                var owner = platform.GraphQL(await KeyAsync("ADMIN", level));
                return new(Id(await owner.QueryAsync("mutation { registerWebhook(input: { name: \"target\", url: \"https://example.org/hooks\" }) { webhook { id } } }"), "registerWebhook", "webhook"));
            case Target.Subscription:
                return new(Id(await admin.QueryAsync("mutation($l: Confidentiality!) { createDigestSubscription(input: { name: \"target\", period: DAILY, audience: $l, emailRecipients: [\"desk@example.org\"] }) { digestSubscription { id } } }", new { l = level }), "createDigestSubscription", "digestSubscription"));
            case Target.ReportDefinition:
                var definition = ReportDefinitionInput();
                definition["confidentiality"] = level;
                return new(Id(await admin.QueryAsync("mutation($i: CreateReportDefinitionInput!) { createReportDefinition(input: $i) { reportDefinition { id } } }", new { i = definition }),
                    "createReportDefinition", "reportDefinition"));
            case Target.ApiKey:
                return new(Id(await admin.QueryAsync("mutation($l: Confidentiality!) { createApiKey(input: { name: \"target\", role: ADMIN, clearance: $l }) { apiKey { id } } }", new { l = level }), "createApiKey", "apiKey"));
            case Target.File:
                // On a PUBLIC case of its own (the fixture's case is raised by an earlier replay).
                var upload = await new Files.TusKit(platform, PlatformFactory.AdminKey).UploadAsync(Files.TusKit.Pdf(1000));
                var home = Id(await admin.QueryAsync("mutation { openCase(input: { title: \"File home\", countryCode: \"NE\", confidentiality: PUBLIC }) { case { id } } }"), "openCase", "case");
                return new(Id(await admin.QueryAsync("mutation($c: ID!, $u: ID!, $l: Confidentiality) { attachFile(input: { recordId: $c, uploadId: $u, confidentiality: $l }) { file { id } } }",
                    new { c = home, u = upload, l = level }), "attachFile", "file"));
            case Target.Account:
                return new(Id(await admin.QueryAsync("mutation($l: Confidentiality!, $e: String!) { inviteAccount(input: { email: $e, displayName: \"Target\", role: STAFF, clearance: $l }) { account { id } } }",
                    new { l = level, e = $"target-{Guid.NewGuid():N}@example.org" }), "inviteAccount", "account"));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>A RESTRICTED admin raises the record to RESTRICTED.</summary>
    private async Task RaiseAsync(Target kind, string id)
    {
        var (document, variables) = kind switch
        {
            Target.Case => ("mutation($id: ID!) { changeCaseConfidentiality(input: { caseId: $id, confidentiality: RESTRICTED }) { case { id } } }", id),
            Target.Defender => ("mutation($id: ID!) { updateDefender(input: { defenderId: $id, confidentiality: RESTRICTED }) { defender { id } } }", id),
            Target.Organisation => ("mutation($id: ID!) { updateOrganisation(input: { organisationId: $id, confidentiality: RESTRICTED }) { organisation { id } } }", id),
            Target.Article => ("mutation($id: ID!) { tagArticle(input: { articleId: $id, confidentiality: RESTRICTED }) { article { id } } }", id),
            Target.File => ("mutation($id: ID!) { reclassifyFile(input: { fileId: $id, confidentiality: RESTRICTED }) { file { id } } }", id),
            Target.Subscription => ("mutation($id: ID!) { updateDigestSubscription(input: { subscriptionId: $id, audience: RESTRICTED }) { digestSubscription { id } } }", id),
            Target.ReportDefinition => ("mutation($id: ID!) { updateReportDefinition(input: { reportDefinitionId: $id, confidentiality: RESTRICTED }) { reportDefinition { id } } }", id),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        await platform.Admin().QueryAsync(document, new { id = variables });
    }

    private async Task<Fixture> FixtureAsync()
    {
        var admin = platform.Admin();
        var organisation = Id(await admin.QueryAsync("mutation { registerOrganisation(input: { name: \"Probe partner\", countryCode: \"NE\", networkMember: true, confidentiality: PUBLIC }) { organisation { id } } }"),
            "registerOrganisation", "organisation");
        var defender = Id(await admin.QueryAsync("mutation { registerDefender(input: { name: \"Probe defender\", countryCode: \"NE\", confidentiality: PUBLIC, consentToPublishName: true }) { defender { id } } }"),
            "registerDefender", "defender");
        var @case = Id(await admin.QueryAsync("mutation { openCase(input: { title: \"Probe case\", countryCode: \"NE\", confidentiality: PUBLIC }) { case { id } } }"), "openCase", "case");
        return new Fixture(organisation, organisation, defender, @case, "2031-01-01", () =>
            Id(admin.QueryAsync("mutation { registerDefender(input: { name: \"Source\", countryCode: \"NE\", confidentiality: PUBLIC, consentToPublishName: true }) { defender { id } } }")
                .GetAwaiter().GetResult(), "registerDefender", "defender"));
    }

    private async Task<string> KeyAsync(string role, string clearance, string? organisation = null)
    {
        var name = $"{role}/{clearance}/{organisation}";
        if (!keys.TryGetValue(name, out var key))
        {
            var data = await platform.Admin().QueryAsync("mutation($r: Role!, $c: Confidentiality!, $o: ID) { createApiKey(input: { name: \"probe\", role: $r, clearance: $c, organisationId: $o }) { key } }",
                new { r = role, c = clearance, o = organisation });
            keys[name] = key = data.GetProperty("createApiKey").GetProperty("key").GetString()!;
            // The key's first use is recorded (at most once a minute): done here, so that it is not counted as a probe's write.
            await platform.GraphQL(key).QueryAsync("{ me { role } }");
        }

        return key;
    }

    private static string Id(JsonElement data, string mutation, string entity) => data.GetProperty(mutation).GetProperty(entity).GetProperty("id").GetString()!;

    /// <summary>Everything a mutation could write: events, and every document and table row with its version.</summary>
    private async Task<string> WrittenAsync()
    {
        // The asynchronous projections catch up with what the set-up wrote first.
        await platform.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand(
            "select table_name from information_schema.tables where table_schema = 'omct' and table_type = 'BASE TABLE' " +
            "and table_name not like 'qrtz%' and table_name not in ('mt_doc_access_api_key_usage', 'mt_doc_access_restricted_read', 'mt_event_progression') order by table_name", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var sql = string.Join(" || '|' || ", tables.Select(t => $"(select count(*)::text || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') from omct.\"{t}\" t)"));
        await using var command = new Npgsql.NpgsqlCommand("select " + sql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private ISchema Schema()
    {
        var schema = platform.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        return schema;
    }
}
