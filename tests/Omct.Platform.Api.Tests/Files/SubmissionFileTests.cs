using System.Net;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// Files on submissions (the submitted document) and on inputs to calls for input (an organisation's answer): visible by
/// the submissions module's rules, a member organisation attaching to its own input only, and the id of an input — also
/// one recorded before inputs had ids — stable across a projection rebuild.
/// </summary>
public sealed class SubmissionFileTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private readonly AttachKit _kit = new(platform);

    private const string Node = "query($id: ID!) { node(id: $id) { id } }";
    private const string Inputs = "query($c: ID!) { node(id: $c) { ... on CallForInput { inputs { id organisation { id } text files { id } } } } }";

    [Fact]
    public async Task A_member_organisation_attaches_a_document_to_its_input_and_another_organisation_cannot_see_or_download_it()
    {
        var (kenya, uganda) = (await OrganisationAsync("Kenya HRD Network", "KE"), await OrganisationAsync("Uganda Defenders", "UG"));
        var (kenyaKey, ugandaKey) = (await MemberKeyAsync(kenya), await MemberKeyAsync(uganda));
        var call = await OpenCallAsync("Women defenders in East Africa");
        await ReceiveAsync(kenyaKey, call, kenya, "Our answer is in the attached report.");
        await ReceiveAsync(ugandaKey, call, uganda, "Our answer.");
        var kenyaInput = InputOf(await InputsAsync(kenyaKey, call), kenya).GetProperty("id").GetString()!;
        var ugandaInput = InputOf(await InputsAsync(ugandaKey, call), uganda).GetProperty("id").GetString()!;
        Assert.NotEqual(kenyaInput, ugandaInput);

        // The member organisation uploads and attaches its document: at its own clearance (NETWORK) by default.
        var attached = await _kit.TryAttachAsync(kenyaInput, await _kit.UploadAsync(TusKit.Pdf(4000, 11), kenyaKey), key: kenyaKey);
        Assert.False(attached.HasErrors, attached.Raw);
        var file = attached.Data.GetProperty("attachFile").GetProperty("file");
        Assert.Equal("NETWORK", file.GetProperty("confidentiality").GetString());
        var (fileId, url) = (file.GetProperty("id").GetString()!, file.GetProperty("downloadUrl").GetString()!);
        Assert.Equal([fileId], FilesOf(InputOf(await InputsAsync(kenyaKey, call), kenya)));
        Assert.Equal(HttpStatusCode.OK, (await _kit.DownloadAsync(url, kenyaKey)).StatusCode);
        Assert.Equal(kenyaInput, (await platform.GraphQL(kenyaKey).QueryAsync(Node, new { id = kenyaInput })).GetProperty("node").GetProperty("id").GetString());

        // Staff see it on the input.
        var staffKey = await _kit.KeyAsync("STAFF", "STAFF");
        Assert.Equal([fileId], FilesOf(InputOf(await InputsAsync(staffKey, call), kenya)));

        // The other organisation: not the input (not shared), not the file, not by id, not the download (as unknown).
        var uganda1 = platform.GraphQL(ugandaKey);
        Assert.DoesNotContain((await InputsAsync(ugandaKey, call)).EnumerateArray(), i => i.GetProperty("id").GetString() == kenyaInput);
        Assert.Equal(JsonValueKind.Null, (await uganda1.QueryAsync(Node, new { id = kenyaInput })).GetProperty("node").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await uganda1.QueryAsync(Node, new { id = fileId })).GetProperty("node").ValueKind);
        var refused = await _kit.DownloadAsync(url, ugandaKey);
        var unknown = await _kit.DownloadAsync("/files/" + GlobalId.Encode("File", Guid.CreateVersion7()), ugandaKey);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await refused.Content.ReadAsStringAsync());

        // Nor may it attach to that input: NOT_FOUND, as for an unknown input; to its own, yes.
        var ugandaUpload = await _kit.UploadAsync(TusKit.Pdf(3000, 12), ugandaKey);
        var hidden = await _kit.TryAttachAsync(kenyaInput, ugandaUpload, key: ugandaKey);
        var unknownInput = await _kit.TryAttachAsync(GlobalId.Encode("CallInput", Guid.CreateVersion7()), ugandaUpload, key: ugandaKey);
        Assert.Equal("NOT_FOUND", hidden.ErrorCode);
        Assert.Equal(unknownInput.Raw, hidden.Raw);
        Assert.Equal([fileId], FilesOf(InputOf(await InputsAsync(staffKey, call), kenya)));
        var own = await _kit.TryAttachAsync(ugandaInput, ugandaUpload, key: ugandaKey);
        Assert.False(own.HasErrors, own.Raw);

        // A member organisation attaches to nothing else: a PUBLIC case or submission it sees is FORBIDDEN.
        var submission = await PlanSubmissionAsync("PUBLIC");
        Assert.Equal("FORBIDDEN", (await _kit.TryAttachAsync(submission, await _kit.UploadAsync(TusKit.Pdf(3000, 13), kenyaKey), key: kenyaKey)).ErrorCode);
        Assert.Equal("FORBIDDEN", (await _kit.TryAttachAsync(await _kit.OpenCaseAsync("PUBLIC"), await _kit.UploadAsync(TusKit.Pdf(3000, 14), kenyaKey), key: kenyaKey)).ErrorCode);

        // A call itself takes no files (the teamwork module finds it through the same look-up): VALIDATION, saying where they go.
        var onCall = await _kit.TryAttachAsync(call, await _kit.UploadAsync(TusKit.Pdf(3000, 16), staffKey), key: staffKey);
        Assert.Equal("VALIDATION", onCall.ErrorCode);
        Assert.Contains("inputs", onCall.Raw, StringComparison.Ordinal);

        // Replacing the input's text keeps its id and its files; shared with the network, the other members read both.
        await ReceiveAsync(kenyaKey, call, kenya, "Our answer, corrected.", share: true);
        var shared = InputOf(await InputsAsync(ugandaKey, call), kenya);
        Assert.Equal(kenyaInput, shared.GetProperty("id").GetString());
        Assert.Equal("Our answer, corrected.", shared.GetProperty("text").GetString());
        Assert.Equal([fileId], FilesOf(shared));
        Assert.Equal(HttpStatusCode.OK, (await _kit.DownloadAsync(url, ugandaKey)).StatusCode);
        // Shared to read, not to write.
        Assert.Equal("FORBIDDEN", (await _kit.TryAttachAsync(kenyaInput, await _kit.UploadAsync(TusKit.Pdf(3000, 15), ugandaKey), key: ugandaKey)).ErrorCode);
    }

    [Fact]
    public async Task An_input_recorded_before_inputs_had_ids_gets_one_that_is_stable_across_a_projection_rebuild()
    {
        var senegal = await OrganisationAsync("RADDHO", "SN");
        var call = await OpenCallAsync("Torture in detention in West Africa");
        await ReceiveAsync(PlatformFactory.AdminKey, call, senegal, "Recorded before inputs had ids.");
        GlobalId.TryDecode(call, "CallForInput", out var callId);
        GlobalId.TryDecode(senegal, "Organisation", out var organisationId);

        // As a call projected before this change: its inputs have no stored id.
        var store = platform.Services.GetRequiredService<IDocumentStore>();
        var table = $"{store.Options.DatabaseSchemaName}.mt_doc_submissions_call_for_input";
        Assert.Equal(1, await SqlAsync($"update {table} set data = jsonb_set(data, '{{inputs}}', (select jsonb_agg(i - 'id') from jsonb_array_elements(data -> 'inputs') i)) where id = @id", callId));
        Assert.Equal("0", await ScalarAsync($"select count(*) from {table} d, jsonb_array_elements(d.data -> 'inputs') i where d.id = @id and i ? 'id'", callId));

        var before = InputOf(await InputsAsync(PlatformFactory.AdminKey, call), senegal).GetProperty("id").GetString()!;
        Assert.Equal(GlobalId.Encode("CallInput", CallInputIds.Of(callId, organisationId)), before);
        // Found by that id (node, attach) although it is not stored.
        Assert.Equal(before, (await platform.Admin().QueryAsync(Node, new { id = before })).GetProperty("node").GetProperty("id").GetString());
        var file = await _kit.AttachPdfAsync(before, "STAFF", seed: 21);

        // The whole projection rebuilt from the events: the same id, now stored, and the file still on the input.
        using (var daemon = await store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync<CallForInputProjection>(CancellationToken.None);
        }

        Assert.Equal(CallInputIds.Of(callId, organisationId).ToString(),
            await ScalarAsync($"select i ->> 'id' from {table} d, jsonb_array_elements(d.data -> 'inputs') i where d.id = @id", callId));
        var after = InputOf(await InputsAsync(PlatformFactory.AdminKey, call), senegal);
        Assert.Equal(before, after.GetProperty("id").GetString());
        Assert.Equal([file.GetProperty("id").GetString()], FilesOf(after));
        Assert.Equal(before, (await platform.Admin().QueryAsync(Node, new { id = before })).GetProperty("node").GetProperty("id").GetString());
        // Another organisation's input to the same call, or the same organisation's to another call, is another id.
        Assert.NotEqual(CallInputIds.Of(callId, Guid.CreateVersion7()), CallInputIds.Of(callId, organisationId));
        Assert.NotEqual(CallInputIds.Of(Guid.CreateVersion7(), organisationId), CallInputIds.Of(callId, organisationId));
    }

    [Fact]
    public async Task A_file_on_a_submission_is_visible_where_the_submission_is()
    {
        var staffSubmission = await PlanSubmissionAsync("STAFF");
        var restrictedSubmission = await PlanSubmissionAsync("RESTRICTED");
        var staffKey = await _kit.KeyAsync("STAFF", "STAFF");
        var staff = platform.GraphQL(staffKey);

        var attached = await _kit.TryAttachAsync(staffSubmission, await _kit.UploadAsync(TusKit.Pdf(4000, 31), staffKey), key: staffKey);
        Assert.False(attached.HasErrors, attached.Raw);
        var visible = attached.Data.GetProperty("attachFile").GetProperty("file");
        var hidden = await _kit.AttachPdfAsync(restrictedSubmission, "STAFF", seed: 32);
        const string Files = "query($s: ID!) { node(id: $s) { ... on Submission { files { id } } } }";
        Assert.Equal([visible.GetProperty("id").GetString()],
            (await staff.QueryAsync(Files, new { s = staffSubmission })).GetProperty("node").GetProperty("files").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.Equal([hidden.GetProperty("id").GetString()],
            (await platform.Admin().QueryAsync(Files, new { s = restrictedSubmission })).GetProperty("node").GetProperty("files").EnumerateArray().Select(f => f.GetProperty("id").GetString()));

        // The file on the RESTRICTED submission does not exist for STAFF: not by id, not the download, not to attach to.
        Assert.Equal(JsonValueKind.Null, (await staff.QueryAsync(Node, new { id = hidden.GetProperty("id").GetString() })).GetProperty("node").ValueKind);
        var refused = await _kit.DownloadAsync(hidden.GetProperty("downloadUrl").GetString()!, staffKey);
        var unknown = await _kit.DownloadAsync("/files/" + GlobalId.Encode("File", Guid.CreateVersion7()), staffKey);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await refused.Content.ReadAsStringAsync());
        var upload = await _kit.UploadAsync(TusKit.Pdf(3000, 33), staffKey);
        var refusedAttach = await _kit.TryAttachAsync(restrictedSubmission, upload, key: staffKey);
        Assert.Equal("NOT_FOUND", refusedAttach.ErrorCode);
        Assert.Equal((await _kit.TryAttachAsync(GlobalId.Encode("Submission", Guid.CreateVersion7()), upload, key: staffKey)).Raw, refusedAttach.Raw);
        Assert.Equal(HttpStatusCode.OK, (await _kit.DownloadAsync(visible.GetProperty("downloadUrl").GetString()!, staffKey)).StatusCode);
    }

    private async Task<string> OrganisationAsync(string name, string country) =>
        (await platform.Admin().QueryAsync("mutation($n: String!, $c: CountryCode!) { registerOrganisation(input: { name: $n, countryCode: $c, networkMember: true, confidentiality: PUBLIC }) { organisation { id } } }",
            new { n = name, c = country }))
        .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString()!;

    private async Task<string> MemberKeyAsync(string organisation) =>
        (await platform.Admin().QueryAsync("mutation($o: ID!) { createApiKey(input: { name: \"member\", role: NETWORK_MEMBER, clearance: NETWORK, organisationId: $o }) { key } }", new { o = organisation }))
        .GetProperty("createApiKey").GetProperty("key").GetString()!;

    private async Task<string> OpenCallAsync(string title) =>
        (await platform.Admin().QueryAsync("mutation($t: String!) { openCallForInput(input: { title: $t, question: \"What do you see?\", deadline: \"2099-01-01\", confidentiality: NETWORK }) { callForInput { id } } }",
            new { t = title }))
        .GetProperty("openCallForInput").GetProperty("callForInput").GetProperty("id").GetString()!;

    private async Task ReceiveAsync(string key, string call, string organisation, string text, bool share = false) =>
        await platform.GraphQL(key).QueryAsync(
            "mutation($c: ID!, $o: ID!, $t: String!, $s: Boolean) { receiveInput(input: { callId: $c, organisationId: $o, text: $t, shareWithNetwork: $s }) { callForInput { id } } }",
            new { c = call, o = organisation, t = text, s = share });

    private async Task<JsonElement> InputsAsync(string key, string call) =>
        (await platform.GraphQL(key).QueryAsync(Inputs, new { c = call })).GetProperty("node").GetProperty("inputs");

    private async Task<string> PlanSubmissionAsync(string level) =>
        (await platform.Admin().QueryAsync("mutation($l: Confidentiality) { planSubmission(input: { mechanism: CAT, countryCode: \"KE\", title: \"Kenya: CAT list of issues\", dueOn: \"2099-01-01\", confidentiality: $l }) { submission { id } } }",
            new { l = level }))
        .GetProperty("planSubmission").GetProperty("submission").GetProperty("id").GetString()!;

    private static JsonElement InputOf(JsonElement inputs, string organisation) =>
        inputs.EnumerateArray().Single(i => i.GetProperty("organisation").GetProperty("id").GetString() == organisation);

    private static List<string?> FilesOf(JsonElement input) => input.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();

    private async Task<int> SqlAsync(string sql, Guid id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteNonQueryAsync();
    }

    private async Task<string?> ScalarAsync(string sql, Guid id)
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
