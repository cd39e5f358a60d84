using System.Net;
using System.Text;
using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Security;

/// <summary>
/// Each role against each operation, each clearance against each confidential record through every
/// read path: what is refused is refused with the contract's code, and nothing is leaked or written.
/// </summary>
public sealed class HostileRequestTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private static readonly string[] Roles = ["ANONYMOUS", "NETWORK_MEMBER", "INTEGRATOR", "STAFF", "EDITOR", "ADMIN"];
    private static readonly string[] Levels = ["PUBLIC", "NETWORK", "STAFF", "RESTRICTED"];

    /// <summary>Every operation that changes something or that only some roles may call, and the least role allowed.</summary>
    private static readonly Dictionary<string, (string Minimum, string Document)> Operations = new()
    {
        ["openCase"] = ("STAFF", "mutation { openCase(input: { title: \"Role check\", countryCode: \"NE\" }) { case { id } } }"),
        ["recordCaseEvent"] = ("STAFF", "mutation($case: ID!) { recordCaseEvent(input: { caseId: $case, type: THREAT, date: \"2013\" }) { case { id } } }"),
        ["correctCaseEvent"] = ("STAFF", "mutation($case: ID!, $event: ID!) { correctCaseEvent(input: { caseId: $case, eventId: $event, type: THREAT, date: \"2012\" }) { case { id } } }"),
        ["addVictim"] = ("STAFF", "mutation($case: ID!) { addVictim(input: { caseId: $case, name: \"Role check\" }) { case { id } } }"),
        ["issueIntervention"] = ("STAFF", "mutation($case: ID!) { issueIntervention(input: { caseId: $case, type: FOLLOW_UP }) { case { id } } }"),
        ["changeCaseStatus"] = ("STAFF", "mutation($case: ID!, $status: CaseStatus!) { changeCaseStatus(input: { caseId: $case, status: $status }) { case { id } } }"),
        ["changeCaseConfidentiality"] = ("STAFF", "mutation($case: ID!) { changeCaseConfidentiality(input: { caseId: $case, confidentiality: STAFF }) { case { id } } }"),
        ["updateCase"] = ("STAFF", "mutation($case: ID!) { updateCase(input: { caseId: $case, title: \"Role check\", reason: \"check\" }) { case { id } } }"),
        // After correctCaseEvent (the first allowed role withdraws the event; the others get NOT_FOUND, never FORBIDDEN).
        ["withdrawCaseEvent"] = ("STAFF", "mutation($case: ID!, $event: ID!) { withdrawCaseEvent(input: { caseId: $case, eventId: $event }) { case { id } } }"),
        // An unknown victim and intervention: allowed roles get NOT_FOUND, the others are refused before anything is looked up.
        ["withdrawVictim"] = ("STAFF", "mutation($case: ID!) { withdrawVictim(input: { caseId: $case, victimId: \"VmljdGltOjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw\" }) { case { id } } }"),
        ["correctIntervention"] = ("STAFF", "mutation($case: ID!) { correctIntervention(input: { caseId: $case, interventionId: \"SW50ZXJ2ZW50aW9uOjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw\", issuedOn: \"2013-01-01\" }) { case { id } } }"),
        ["changes"] = ("INTEGRATOR", "query { changes(first: 1) { nodes { kind } } }"),
        ["createApiKey"] = ("ADMIN", "mutation { createApiKey(input: { name: \"role check\", role: INTEGRATOR, clearance: PUBLIC }) { key } }"),
        ["revokeApiKey"] = ("ADMIN", "mutation($key: ID!) { revokeApiKey(input: { id: $key }) { apiKey { id } } }"),
        ["registerPersistedOperation"] = ("ADMIN", "mutation { registerPersistedOperation(input: { name: \"role check\", document: \"{ me { name } }\" }) { persistedOperation { sha256Hash } } }"),
        ["persistedOperations"] = ("ADMIN", "{ persistedOperations { sha256Hash } }"),
        ["apiKeys"] = ("ADMIN", "{ apiKeys(first: 1) { nodes { id } } }"),
        ["auditTrail"] = ("ADMIN", "query($case: ID!) { auditTrail(entityId: $case) { action } }"),
        ["auditEntries"] = ("ADMIN", "query($case: ID!) { auditEntries(entityId: $case, filter: { kinds: [CHANGE] }, first: 5) { totalCount nodes { action } } }"),
        ["registerDefender"] = ("STAFF", "mutation { registerDefender(input: { name: \"Role check\", countryCode: \"NE\" }) { defender { id } } }"),
        ["updateDefender"] = ("STAFF", "mutation($defender: ID!) { updateDefender(input: { defenderId: $defender, pseudonym: \"Checked\" }) { defender { id } } }"),
        ["recordConsent"] = ("STAFF", "mutation($defender: ID!) { recordConsent(input: { defenderId: $defender, toPublishName: true, toPublishPortrait: false }) { defender { id } } }"),
        ["setRiskLevel"] = ("STAFF", "mutation($defender: ID!, $risk: RiskLevel!) { setRiskLevel(input: { defenderId: $defender, level: $risk }) { defender { id } } }"),
        ["recordDefenderSituation"] = ("STAFF", "mutation($defender: ID!) { recordDefenderSituation(input: { defenderId: $defender, situation: IN_HIDING, date: \"2014\" }) { defender { id } } }"),
        ["setConfidentialDetails"] = ("STAFF", "mutation($defender: ID!) { setConfidentialDetails(input: { defenderId: $defender, contact: \"+227\" }) { defender { id } } }"),
        ["affiliateDefender"] = ("STAFF", "mutation($fresh: ID!, $organisation: ID!) { affiliateDefender(input: { defenderId: $fresh, organisationId: $organisation }) { defender { id } } }"),
        ["endAffiliation"] = ("STAFF", "mutation($fresh: ID!, $organisation: ID!) { endAffiliation(input: { defenderId: $fresh, organisationId: $organisation }) { defender { id } } }"),
        ["mergeDefenders"] = ("STAFF", "mutation($fresh: ID!, $defender: ID!) { mergeDefenders(input: { sourceId: $fresh, targetId: $defender }) { defender { id } } }"),
        ["eraseDefenderPersonalData"] = ("ADMIN", "mutation($fresh: ID!) { eraseDefenderPersonalData(input: { defenderId: $fresh }) { defender { id } } }"),
        ["registerOrganisation"] = ("STAFF", "mutation { registerOrganisation(input: { name: \"Role check\", countryCode: \"NE\" }) { organisation { id } } }"),
        ["updateOrganisation"] = ("STAFF", "mutation($organisation: ID!, $risk: String) { updateOrganisation(input: { organisationId: $organisation, name: $risk }) { organisation { id } } }"),
        ["draftArticle"] = ("EDITOR", "mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"Role check\", body: \"Text\" }) { article { id } } }"),
        ["saveTranslation"] = ("EDITOR", "mutation($article: ID!) { saveTranslation(input: { articleId: $article, language: FR, title: \"Contrôle\", body: \"Texte\" }) { article { id } } }"),
        ["tagArticle"] = ("EDITOR", "mutation($article: ID!) { tagArticle(input: { articleId: $article, themes: [\"checked\"] }) { article { id } } }"),
        ["publishArticle"] = ("EDITOR", "mutation($article: ID!) { publishArticle(input: { articleId: $article }) { article { id } } }"),
        ["unpublishArticle"] = ("EDITOR", "mutation($published: ID!) { unpublishArticle(input: { articleId: $published }) { article { id } } }"),
        ["setArticleOriginalPublicationDate"] = ("EDITOR", "mutation($published: ID!) { setArticleOriginalPublicationDate(input: { articleId: $published, publishedAt: \"2015-06-26T09:00:00Z\" }) { article { id } } }"),
        ["archiveArticle"] = ("EDITOR", "mutation($article: ID!) { archiveArticle(input: { articleId: $article }) { article { id } } }"),
        ["planSubmission"] = ("STAFF", "mutation { planSubmission(input: { mechanism: CAT, countryCode: \"NE\", title: \"Role check\", dueOn: \"2030-01-01\" }) { submission { id } } }"),
        ["addCoSignatory"] = ("STAFF", "mutation($submission: ID!, $organisation: ID!) { addCoSignatory(input: { submissionId: $submission, organisationId: $organisation }) { submission { id } } }"),
        ["removeCoSignatory"] = ("STAFF", "mutation($submission: ID!, $organisation: ID!) { removeCoSignatory(input: { submissionId: $submission, organisationId: $organisation }) { submission { id } } }"),
        ["attachSubmissionText"] = ("STAFF", "mutation($submission: ID!) { attachSubmissionText(input: { submissionId: $submission, text: \"Some words\" }) { submission { id } } }"),
        ["markSubmitted"] = ("STAFF", "mutation($submission: ID!) { markSubmitted(input: { submissionId: $submission }) { submission { id } } }"),
        ["recordOutcome"] = ("STAFF", "mutation($submission: ID!) { recordOutcome(input: { submissionId: $submission, recommendations: [] }) { submission { id } } }"),
        ["openCallForInput"] = ("STAFF", "mutation { openCallForInput(input: { title: \"Role check\", question: \"Q?\", deadline: \"2030-01-01\" }) { callForInput { id } } }"),
        ["receiveInput"] = ("NETWORK_MEMBER", "mutation($call: ID!, $organisation: ID!) { receiveInput(input: { callId: $call, organisationId: $organisation, text: \"Answer\" }) { callForInput { id } } }"),
        // Closes the matrix call (then VALIDATION: already closed); extendCallDeadline, next, opens it again.
        ["closeCallForInput"] = ("STAFF", "mutation($call: ID!) { closeCallForInput(input: { callId: $call }) { callForInput { id } } }"),
        ["extendCallDeadline"] = ("STAFF", "mutation($call: ID!, $later: Date!) { extendCallDeadline(input: { callId: $call, deadline: $later }) { callForInput { id } } }"),
        // A person's own account: only a session may (no API key, whatever its role: FORBIDDEN; anonymous: UNAUTHENTICATED).
        ["beginAuthenticatorEnrolment"] = ("SESSION", "mutation { beginAuthenticatorEnrolment(input: {}) { authenticatorKey } }"),
        ["confirmAuthenticatorEnrolment"] = ("SESSION", "mutation { confirmAuthenticatorEnrolment(input: { code: \"123456\" }) { recoveryCodes } }"),
        ["regenerateRecoveryCodes"] = ("SESSION", "mutation { regenerateRecoveryCodes(input: {}) { recoveryCodes } }"),
        ["removePasskey"] = ("SESSION", "mutation { removePasskey(input: { passkeyId: \"AAAA\" }) { account { id } } }"),
        ["revokeSession"] = ("SESSION", "mutation { revokeSession(input: { sessionId: \"AAAA\" }) { account { id } } }"),
        ["createCalendarFeed"] = ("SESSION", "mutation { createCalendarFeed(input: {}) { url } }"),
        ["revokeCalendarFeed"] = ("SESSION", "mutation { revokeCalendarFeed(input: {}) { clientMutationId } }"),
        ["inviteAccount"] = ("ADMIN", "mutation { inviteAccount(input: { email: \"matrix@example.org\", displayName: \"Matrix\", role: STAFF, clearance: STAFF }) { account { id } } }"),
        ["changeAccountRole"] = ("ADMIN", "mutation { changeAccountRole(input: { id: \"QWNjb3VudDowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\", role: STAFF, clearance: STAFF }) { account { id } } }"),
        ["disableAccount"] = ("ADMIN", "mutation { disableAccount(input: { id: \"QWNjb3VudDowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\" }) { account { id } } }"),
        ["resetSecondFactor"] = ("ADMIN", "mutation { resetSecondFactor(input: { id: \"QWNjb3VudDowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\" }) { account { id } } }"),
        ["accounts"] = ("ADMIN", "{ accounts(first: 1) { nodes { id } } }"),
        ["runJob"] = ("ADMIN", "mutation { runJob(input: { name: CLOSE_EXPIRED_CALLS }) { run { outcome } } }"),
        ["createImport"] = ("STAFF", "mutation { createImport(input: { uploadId: \"VXBsb2FkOjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw\" }) { importFile { id } } }"),
        ["saveImportMapping"] = ("STAFF", "mutation { saveImportMapping(input: { name: \"matrix\", kind: ORGANISATION, keyColumn: \"ref\", columns: [{ column: \"name\", field: \"name\" }] }) { importMapping { id } } }"),
        ["startImport"] = ("STAFF", "mutation { startImport(input: { fileId: \"SW1wb3J0RmlsZTowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\", mapping: \"matrix\" }) { importRun { id } } }"),
        ["cancelImport"] = ("STAFF", "mutation { cancelImport(input: { runId: \"SW1wb3J0UnVuOjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw\" }) { importRun { id } } }"),
        ["importRuns"] = ("STAFF", "query { importRuns { totalCount } }"),
        ["importMappings"] = ("STAFF", "query { importMappings { totalCount } }"),
        ["scheduledJobs"] = ("ADMIN", "query { scheduledJobs { name } }"),
        ["reminders"] = ("STAFF", "query { reminders { totalCount } }"),
        ["registerWebhook"] = ("INTEGRATOR", "mutation { registerWebhook(input: { name: \"role check\", url: \"https://example.org/hooks\" }) { webhook { id } secret } }"),
        ["updateWebhook"] = ("INTEGRATOR", "mutation($webhook: ID!) { updateWebhook(input: { webhookId: $webhook, name: \"checked\" }) { webhook { id } } }"),
        ["pauseWebhook"] = ("INTEGRATOR", "mutation($webhook: ID!) { pauseWebhook(input: { webhookId: $webhook }) { webhook { id } } }"),
        ["resumeWebhook"] = ("INTEGRATOR", "mutation($webhook: ID!) { resumeWebhook(input: { webhookId: $webhook }) { webhook { id } } }"),
        ["deleteWebhook"] = ("INTEGRATOR", "mutation($webhook: ID!) { deleteWebhook(input: { webhookId: $webhook }) { webhook { id } } }"),
        ["rotateWebhookSecret"] = ("INTEGRATOR", "mutation($webhook: ID!) { rotateWebhookSecret(input: { webhookId: $webhook }) { secret } }"),
        ["webhooks"] = ("INTEGRATOR", "query { webhooks { totalCount nodes { id url } } }"),
        ["createDigestSubscription"] = ("STAFF", "mutation { createDigestSubscription(input: { name: \"role check\", period: DAILY, audience: PUBLIC, emailRecipients: [\"desk@example.org\"] }) { digestSubscription { id } } }"),
        ["updateDigestSubscription"] = ("STAFF", "mutation($subscription: ID!) { updateDigestSubscription(input: { subscriptionId: $subscription, name: \"checked\" }) { digestSubscription { id } } }"),
        ["pauseDigestSubscription"] = ("STAFF", "mutation($subscription: ID!) { pauseDigestSubscription(input: { subscriptionId: $subscription }) { digestSubscription { id } } }"),
        ["resumeDigestSubscription"] = ("STAFF", "mutation($subscription: ID!) { resumeDigestSubscription(input: { subscriptionId: $subscription }) { digestSubscription { id } } }"),
        ["deleteDigestSubscription"] = ("STAFF", "mutation($subscription: ID!) { deleteDigestSubscription(input: { subscriptionId: $subscription }) { digestSubscription { id } } }"),
        ["digestSubscriptions"] = ("STAFF", "query { digestSubscriptions { totalCount nodes { id name } } }"),
        ["digests"] = ("STAFF", "query { digests { totalCount nodes { id } } }"),
        ["reports"] = ("INTEGRATOR", "query { reports { totalCount nodes { id } } }"),
        // Report definitions: an unknown one for the operations on one — allowed roles get NOT_FOUND, the others are refused first.
        ["createReportDefinition"] = ("STAFF", "mutation { createReportDefinition(input: { name: \"role check\", query: \"query { cases(first: 1) { nodes { reference } } }\", listPath: \"cases.nodes\", columns: [{ path: \"reference\", headingEn: \"Reference\" }] }) { reportDefinition { id } } }"),
        ["updateReportDefinition"] = ("STAFF", "mutation { updateReportDefinition(input: { reportDefinitionId: \"UmVwb3J0RGVmaW5pdGlvbjowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\", name: \"checked\" }) { reportDefinition { id } } }"),
        ["deleteReportDefinition"] = ("STAFF", "mutation { deleteReportDefinition(input: { reportDefinitionId: \"UmVwb3J0RGVmaW5pdGlvbjowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\" }) { reportDefinition { id } } }"),
        ["runReportNow"] = ("STAFF", "mutation { runReportNow(input: { reportDefinitionId: \"UmVwb3J0RGVmaW5pdGlvbjowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\" }) { reportRun { id } } }"),
        ["reportDefinitions"] = ("STAFF", "query { reportDefinitions { totalCount nodes { id name } } }"),
        ["reportDefinition"] = ("STAFF", "query { reportDefinition(id: \"UmVwb3J0RGVmaW5pdGlvbjowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\") { id } }"),
        ["reportRuns"] = ("STAFF", "query { reportRuns(definitionId: \"UmVwb3J0RGVmaW5pdGlvbjowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\") { totalCount } }"),
        ["reportSchedulePreview"] = ("STAFF", "query { reportSchedulePreview(cron: \"0 0 8 ? * MON\", timeZone: \"Europe/Zurich\") }"),
        // An unknown upload and file: allowed roles get NOT_FOUND, the others are refused before anything is looked up.
        ["attachFile"] = ("STAFF", "mutation($case: ID!) { attachFile(input: { recordId: $case, uploadId: \"VXBsb2FkOjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw\" }) { file { id } } }"),
        ["reclassifyFile"] = ("STAFF", "mutation { reclassifyFile(input: { fileId: \"RmlsZTowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\", confidentiality: STAFF }) { file { id } } }"),
        ["setNetworkMembership"] = ("STAFF", "mutation($organisation: ID!, $member: Boolean!) { setNetworkMembership(input: { organisationId: $organisation, member: $member }) { organisation { id } } }"),
        // Teamwork: an unknown account, task or note — allowed roles get VALIDATION or NOT_FOUND, the others are refused first.
        ["assignOwner"] = ("STAFF", "mutation($case: ID!) { assignOwner(input: { recordId: $case, accountId: \"QWNjb3VudDowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\" }) { teamwork { id } } }"),
        ["watchRecord"] = ("STAFF", "mutation($case: ID!) { watchRecord(input: { recordId: $case, accountId: \"QWNjb3VudDowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\" }) { teamwork { id } } }"),
        ["unwatchRecord"] = ("STAFF", "mutation($case: ID!) { unwatchRecord(input: { recordId: $case, accountId: \"QWNjb3VudDowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\" }) { teamwork { id } } }"),
        ["createTask"] = ("STAFF", "mutation($case: ID!) { createTask(input: { recordId: $case, title: \"Role check\", dueOn: \"2030-01-01\", assigneeId: \"QWNjb3VudDowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\" }) { task { id } } }"),
        ["completeTask"] = ("STAFF", "mutation { completeTask(input: { taskId: \"VGFzazowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\" }) { task { id } } }"),
        ["cancelTask"] = ("STAFF", "mutation { cancelTask(input: { taskId: \"VGFzazowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\" }) { task { id } } }"),
        ["reassignTask"] = ("STAFF", "mutation { reassignTask(input: { taskId: \"VGFzazowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\", assigneeId: \"QWNjb3VudDowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\" }) { task { id } } }"),
        ["writeNote"] = ("STAFF", "mutation($case: ID!) { writeNote(input: { recordId: $case, markdown: \"Role check\" }) { note { id } } }"),
        ["editNote"] = ("STAFF", "mutation { editNote(input: { noteId: \"Tm90ZTowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\", markdown: \"Role check\" }) { note { id } } }"),
        ["markMentionRead"] = ("STAFF", "mutation { markMentionRead(input: { mentionId: \"TWVudGlvbjowMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA\" }) { mention { id } } }"),
        ["acknowledgeReminder"] = ("STAFF", "mutation { acknowledgeReminder(input: { reminderId: \"UmVtaW5kZXJJdGVtOjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw\" }) { reminderItem { id } } }"),
        ["snoozeReminder"] = ("STAFF", "mutation { snoozeReminder(input: { reminderId: \"UmVtaW5kZXJJdGVtOjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAw\", until: \"2000-01-01\" }) { reminderItem { id } } }"),
        ["setNotificationPreference"] = ("STAFF", "mutation { setNotificationPreference(input: { mode: DAILY }) { notificationPreference { mode } } }"),
        ["teamwork"] = ("STAFF", "query($case: ID!) { teamwork(recordId: $case) { id } }"),
        ["tasks"] = ("STAFF", "{ tasks(first: 1) { totalCount } }"),
        ["myWork"] = ("STAFF", "{ myWork { openTasks { id } } }"),
    };

    [Fact]
    public async Task The_role_table_covers_every_mutation_of_the_schema()
    {
        var schema = await platform.Admin().QueryAsync("{ __schema { mutationType { fields { name } } } }");
        var mutations = schema.GetProperty("__schema").GetProperty("mutationType").GetProperty("fields").EnumerateArray()
            .Select(f => f.GetProperty("name").GetString()!).ToHashSet();
        Assert.Empty(mutations.Except(Operations.Keys));
    }

    [Fact]
    public async Task Each_role_against_each_operation()
    {
        var organisation = (await platform.Admin().QueryAsync("mutation { registerOrganisation(input: { name: \"Matrix NGO\", countryCode: \"NE\", networkMember: true }) { organisation { id } } }"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString();
        var keys = new Dictionary<string, string?> { ["ANONYMOUS"] = null };
        foreach (var role in Roles.Skip(1))
        {
            keys[role] = await CreateKeyAsync(role, "RESTRICTED", role == "NETWORK_MEMBER" ? organisation : null);
        }

        var call = (await platform.Admin().QueryAsync("mutation { openCallForInput(input: { title: \"Matrix call\", question: \"Q?\", deadline: \"2030-01-01\" }) { callForInput { id } } }"))
            .GetProperty("openCallForInput").GetProperty("callForInput").GetProperty("id").GetString();
        var later = new DateOnly(2030, 1, 1);

        var caseId = await OpenCaseAsync("Niger: role matrix", "PUBLIC");
        var eventId = (await platform.Admin().QueryAsync(
                "mutation($case: ID!) { recordCaseEvent(input: { caseId: $case, type: ARREST, date: \"2013\" }) { case { events { id } } } }", new { @case = caseId }))
            .GetProperty("recordCaseEvent").GetProperty("case").GetProperty("events")[0].GetProperty("id").GetString();
        await platform.Admin().QueryAsync("mutation($case: ID!) { issueIntervention(input: { caseId: $case, type: URGENT_APPEAL }) { case { id } } }", new { @case = caseId });

        var defender = (await platform.Admin().QueryAsync("mutation { registerDefender(input: { name: \"Matrix\", countryCode: \"NE\" }) { defender { id } } }"))
            .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString();

        var failures = new List<string>();
        var status = "MONITORING";
        var member = false;
        var risk = "LOW";
        foreach (var (operation, (minimum, document)) in Operations)
        {
            foreach (var role in Roles)
            {
                var allowed = minimum switch
                {
                    "NETWORK_MEMBER" => role is "NETWORK_MEMBER" or "STAFF" or "EDITOR" or "ADMIN",
                    "INTEGRATOR" => role is "INTEGRATOR" or "STAFF" or "EDITOR" or "ADMIN",
                    "STAFF" => role is "STAFF" or "EDITOR" or "ADMIN",
                    "EDITOR" => role is "EDITOR" or "ADMIN",
                    "SESSION" => false,
                    _ => role == "ADMIN",
                };

                // Only the records this operation's document names are made (each call consumes them).
                bool Uses(string variable) => document.Contains("$" + variable, StringComparison.Ordinal);
                var throwawayKey = Uses("key") ? await CreateKeyIdAsync() : null;
                var fresh = Uses("fresh")
                    ? (await platform.Admin().QueryAsync("mutation { registerDefender(input: { name: \"Fresh\", countryCode: \"NE\" }) { defender { id } } }"))
                        .GetProperty("registerDefender").GetProperty("defender").GetProperty("id").GetString()
                    : null;
                var published = Uses("published")
                    ? (await platform.Admin().QueryAsync($"mutation {{ publishArticle(input: {{ articleId: \"{await DraftAsync()}\" }}) {{ article {{ id }} }} }}"))
                        .GetProperty("publishArticle").GetProperty("article").GetProperty("id").GetString()
                    : null;
                var article = Uses("article") ? await DraftAsync() : null;
                var submission = Uses("submission")
                    ? (await platform.Admin().QueryAsync("mutation { planSubmission(input: { mechanism: CAT, countryCode: \"NE\", title: \"Fresh\", dueOn: \"2030-01-01\" }) { submission { id } } }"))
                        .GetProperty("planSubmission").GetProperty("submission").GetProperty("id").GetString()
                    : null;
                later = later.AddDays(1);
                status = status == "MONITORING" ? "OPEN" : "MONITORING";
                member = !member;
                risk = risk == "LOW" ? "HIGH" : "LOW";
                // A webhook of the admin's for each webhook operation (deleted afterwards: a caller may have only so many).
                var webhook = operation.Contains("Webhook", StringComparison.Ordinal) && operation != "registerWebhook"
                    ? (await platform.Admin().QueryAsync("mutation { registerWebhook(input: { name: \"matrix\", url: \"https://example.org/hooks\" }) { webhook { id } } }"))
                        .GetProperty("registerWebhook").GetProperty("webhook").GetProperty("id").GetString()
                    : null;
                // Likewise a digest subscription for each operation on one.
                var subscription = operation.Contains("DigestSubscription", StringComparison.Ordinal) && operation != "createDigestSubscription"
                    ? (await platform.Admin().QueryAsync("mutation { createDigestSubscription(input: { name: \"matrix\", period: DAILY, audience: PUBLIC, emailRecipients: [\"desk@example.org\"] }) { digestSubscription { id } } }"))
                        .GetProperty("createDigestSubscription").GetProperty("digestSubscription").GetProperty("id").GetString()
                    : null;
                var before = await EventCountAsync();
                var webhooksBefore = await WebhookStateAsync();
                var response = await platform.GraphQL(keys[role]).PostAsync(document,
                    new { @case = caseId, @event = eventId, key = throwawayKey, status, defender, organisation, fresh, member, risk, article, published, submission, call,
                        webhook, subscription, later = later.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
                var after = await EventCountAsync();
                var webhooksAfter = await WebhookStateAsync();
                if (webhook is not null)
                {
                    // NOT_FOUND when the operation under test was deleteWebhook, allowed.
                    await platform.Admin().PostAsync("mutation($webhook: ID!) { deleteWebhook(input: { webhookId: $webhook }) { webhook { id } } }", new { webhook });
                }

                if (subscription is not null)
                {
                    await platform.Admin().PostAsync("mutation($subscription: ID!) { deleteDigestSubscription(input: { subscriptionId: $subscription }) { digestSubscription { id } } }", new { subscription });
                }

                var refusedCode = role == "ANONYMOUS" ? "UNAUTHENTICATED" : "FORBIDDEN";
                if (allowed && response.ErrorCode is "FORBIDDEN" or "UNAUTHENTICATED")
                {
                    failures.Add($"{role} {operation}: refused ({response})");
                }
                else if (!allowed && (response.ErrorCode != refusedCode || after != before || webhooksAfter != webhooksBefore || HasData(response, operation)))
                {
                    failures.Add($"{role} {operation}: expected {refusedCode} and nothing written, got {response} ({after - before} events, webhooks {webhooksBefore} → {webhooksAfter})");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Each_clearance_against_each_confidential_case_through_every_path()
    {
        // One case per level in Mali, each with an event and a victim at the case's level.
        var cases = new Dictionary<string, (string Id, string Reference)>();
        foreach (var level in Levels)
        {
            var id = await OpenCaseAsync($"Mali: {level} case", level);
            await platform.Admin().QueryAsync("mutation($case: ID!, $level: Confidentiality) { addVictim(input: { caseId: $case, name: \"Victim\", confidentiality: $level }) { case { id } } }", new { @case = id, level });
            await platform.Admin().QueryAsync("mutation($case: ID!, $level: Confidentiality) { recordCaseEvent(input: { caseId: $case, type: TORTURE, date: \"2013-05-05\", confidentiality: $level }) { case { id } } }", new { @case = id, level });
            var reference = (await platform.Admin().QueryAsync("query($id: ID!) { case(id: $id) { reference } }", new { id }))
                .GetProperty("case").GetProperty("reference").GetString()!;
            cases[level] = (id, reference);
        }

        var failures = new List<string>();
        var unknownById = new Dictionary<string, string>();
        var unknownCase = BuildingBlocks.Ids.GlobalId.Encode("Case", Guid.CreateVersion7());
        foreach (var clearance in Levels.Prepend("ANONYMOUS"))
        {
            var key = clearance == "ANONYMOUS" ? null : await CreateKeyAsync("STAFF", clearance);
            unknownById[clearance] = (await platform.GraphQL(key).PostAsync("query($id: ID!) { case(id: $id) { events { type } victims { name } } }", new { id = unknownCase })).Raw;
            var visibleLevels = clearance == "ANONYMOUS" ? 1 : Array.IndexOf(Levels, clearance) + 1;
            var client = platform.GraphQL(key);

            var list = await client.QueryAsync(
                "{ cases(filter: { countries: [\"ML\"] }) { totalCount nodes { title } } caseStatistics(groupBy: EVENT_TYPE, filter: { countries: [\"ML\"] }) { key count } " +
                "byCountry: caseStatistics(groupBy: COUNTRY, filter: { countries: [\"ML\"] }) { key count } " +
                "byYear: caseStatistics(groupBy: YEAR, filter: { countries: [\"ML\"] }) { key count } " +
                "byStatus: caseStatistics(groupBy: STATUS, filter: { countries: [\"ML\"] }) { key count } caseCount everywhere: cases { totalCount } " +
                "tortured: cases(filter: { countries: [\"ML\"], eventTypes: [TORTURE] }) { totalCount } " +
                "searched: cases(filter: { countries: [\"ML\"], text: \"Mali case\" }) { totalCount } }");
            Check(failures, clearance, "cases.totalCount", visibleLevels, list.GetProperty("cases").GetProperty("totalCount").GetInt32());
            Check(failures, clearance, "cases.nodes", visibleLevels, list.GetProperty("cases").GetProperty("nodes").GetArrayLength());
            Check(failures, clearance, "caseStatistics(COUNTRY)", visibleLevels, Sum(list.GetProperty("byCountry")));
            Check(failures, clearance, "caseStatistics(EVENT_TYPE)", visibleLevels, Sum(list.GetProperty("caseStatistics")));
            Check(failures, clearance, "caseStatistics(YEAR)", visibleLevels, Sum(list.GetProperty("byYear")));
            Check(failures, clearance, "caseStatistics(STATUS)", visibleLevels, Sum(list.GetProperty("byStatus")));
            Check(failures, clearance, "caseCount = cases.totalCount", list.GetProperty("everywhere").GetProperty("totalCount").GetInt32(), list.GetProperty("caseCount").GetInt32());
            Check(failures, clearance, "cases(eventTypes)", visibleLevels, list.GetProperty("tortured").GetProperty("totalCount").GetInt32());
            Check(failures, clearance, "cases(text)", visibleLevels, list.GetProperty("searched").GetProperty("totalCount").GetInt32());

            foreach (var (level, (id, reference)) in cases)
            {
                var visible = Array.IndexOf(Levels, level) < visibleLevels;
                var byId = await client.PostAsync("query($id: ID!) { case(id: $id) { events { type } victims { name } } }", new { id });
                var byReference = await client.PostAsync("query($r: String!) { caseByReference(reference: $r) { id } }", new { r = reference });
                var byNode = await client.QueryAsync("query($id: ID!) { node(id: $id) { id } }", new { id });
                if (visible != byId.Data.GetProperty("case").ValueKind is JsonValueKind.Object
                    || visible != byReference.Data.GetProperty("caseByReference").ValueKind is JsonValueKind.Object
                    || visible != byNode.GetProperty("node").ValueKind is JsonValueKind.Object)
                {
                    failures.Add($"{clearance} sees the {level} case by id, reference or node: {byId} {byReference} {byNode}");
                }

                // A hidden case answers exactly as a case that does not exist.
                if (!visible && (byId.Raw != unknownById[clearance] || byReference.ErrorCode != "NOT_FOUND"
                                 || byReference.Errors[0].GetProperty("message").GetString() != byId.Errors[0].GetProperty("message").GetString()))
                {
                    failures.Add($"{clearance}: the hidden {level} case is told apart from an unknown one: {byId} / {unknownById[clearance]} / {byReference}");
                }

                if (key is not null && !visible)
                {
                    var write = await client.PostAsync("mutation($id: ID!) { addVictim(input: { caseId: $id, name: \"Probe\" }) { case { id } } }", new { id });
                    // A stale expectedVersion must not tell a hidden case from a missing one (CONFLICT would).
                    var stale = await client.PostAsync("mutation($id: ID!) { addVictim(input: { caseId: $id, name: \"Probe\", expectedVersion: 99 }) { case { id } } }", new { id });
                    if (write.ErrorCode != "NOT_FOUND" || stale.ErrorCode != "NOT_FOUND")
                    {
                        failures.Add($"{clearance} writing to the {level} case: {write} / with a stale version: {stale}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("http://example.org/hooks")]
    [InlineData("ftp://example.org/hooks")]
    [InlineData("https://user:secret@example.org/hooks")]
    [InlineData("/hooks")]
    public async Task A_webhook_endpoint_must_be_https_by_default(string url)
    {
        var response = await platform.Admin().PostAsync(
            "mutation($url: String!) { registerWebhook(input: { name: \"not https\", url: $url }) { webhook { id } secret } }", new { url });
        Assert.Equal(("VALIDATION", "url"), (response.ErrorCode, response.ErrorField));
        Assert.False(HasData(response, "registerWebhook"));
    }

    [Fact]
    public async Task Revoked_and_unknown_keys_are_refused_never_anonymous()
    {
        var created = await platform.Admin().QueryAsync("mutation { createApiKey(input: { name: \"to revoke\", role: STAFF, clearance: STAFF }) { key apiKey { id } } }");
        var key = created.GetProperty("createApiKey").GetProperty("key").GetString();
        var id = created.GetProperty("createApiKey").GetProperty("apiKey").GetProperty("id").GetString();
        Assert.Equal("STAFF", (await platform.GraphQL(key).QueryAsync("{ me { role } }")).GetProperty("me").GetProperty("role").GetString());

        await platform.Admin().QueryAsync("mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }", new { id });
        foreach (var credential in new[] { key, "omct_unknown_0123456789abcdef" })
        {
            var response = await platform.GraphQL(credential).PostAsync("{ me { role } cases { totalCount } }");
            Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
            Assert.Equal("UNAUTHENTICATED", response.ErrorCode);
            Assert.False(response.HasData);
        }
    }

    [Theory]
    [InlineData("text/plain", "{\"query\":\"mutation { openCase(input: { title: \\\"CSRF\\\", countryCode: \\\"NE\\\" }) { case { id } } }\"}")]
    [InlineData("application/x-www-form-urlencoded", "query=mutation+%7B+openCase%28input%3A+%7Btitle%3A+%22CSRF%22%2C+countryCode%3A+%22NE%22%7D%29+%7B+case+%7B+id+%7D+%7D+%7D")]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\nmutation { openCase(input: { title: \"CSRF\", countryCode: \"NE\" }) { case { id } } }\r\n--x--")]
    public async Task Requests_a_browser_form_could_send_cross_site_are_refused_and_write_nothing(string contentType, string body)
    {
        var before = await EventCountAsync();
        using var http = platform.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(before, await EventCountAsync());
    }

    [Theory]
    [InlineData("[{\"query\":\"{ me { role } }\"},{\"query\":\"{ me { role } }\"}]")]
    [InlineData("{\"query\": \"{ me { role } }\", ")]
    [InlineData("{\"query\": 42}")]
    [InlineData("{\"query\": \"{ me { role } }\", \"variables\": [1, 2]}")]
    public async Task Batches_and_malformed_bodies_are_bad_requests(string body)
    {
        using var http = platform.CreateClient();
        var response = await http.PostAsync("/graphql", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"data\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    private static bool HasData(GraphQLResponse response, string operation) =>
        response.HasData && response.Data.ValueKind == JsonValueKind.Object
                         && response.Data.TryGetProperty(operation, out var value) && value.ValueKind != JsonValueKind.Null;

    private static int Sum(JsonElement buckets) => buckets.EnumerateArray().Sum(b => b.GetProperty("count").GetInt32());

    private static void Check(List<string> failures, string clearance, string path, int expected, int actual)
    {
        if (expected != actual)
        {
            failures.Add($"{clearance} through {path}: expected {expected}, got {actual}");
        }
    }

    private async Task<string> OpenCaseAsync(string title, string confidentiality)
    {
        var country = title.StartsWith("Mali", StringComparison.Ordinal) ? "ML" : "NE";
        var data = await platform.Admin().QueryAsync("mutation($title: String!, $country: CountryCode!, $level: Confidentiality) { openCase(input: { title: $title, countryCode: $country, confidentiality: $level }) { case { id } } }",
            new { title, country, level = confidentiality });
        return data.GetProperty("openCase").GetProperty("case").GetProperty("id").GetString()!;
    }

    private async Task<string> CreateKeyAsync(string role, string clearance, string? organisationId = null)
    {
        var data = await platform.Admin().QueryAsync("mutation($role: Role!, $clearance: Confidentiality!, $org: ID) { createApiKey(input: { name: \"test\", role: $role, clearance: $clearance, organisationId: $org }) { key } }",
            new { role, clearance, org = organisationId });
        return data.GetProperty("createApiKey").GetProperty("key").GetString()!;
    }

    private async Task<string> DraftAsync() =>
        (await platform.Admin().QueryAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"Fresh\", body: \"Text\" }) { article { id } } }"))
        .GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString()!;

    private async Task<string> CreateKeyIdAsync()
    {
        var data = await platform.Admin().QueryAsync("mutation { createApiKey(input: { name: \"throwaway\", role: INTEGRATOR, clearance: PUBLIC }) { apiKey { id } } }");
        return data.GetProperty("createApiKey").GetProperty("apiKey").GetProperty("id").GetString()!;
    }

    /// <summary>The webhooks' and digest subscriptions' rows and versions: what their mutations write (they are not events).</summary>
    private async Task<string> WebhookStateAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select (select count(*)::text || '/' || coalesce(sum(version), 0)::text from omct.integration_webhooks) || ' ' || " +
            "(select count(*)::text || '/' || coalesce(md5(string_agg(id::text || mt_version::text, ',' order by id)), '') from omct.mt_doc_digests_subscription)", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> EventCountAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select count(*) from omct.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
