using System.Net;
using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// Files on a case's victims: visible where the file, the victim and its case are (the victim's level is the stricter of
/// its own and its case's), attached by staff who may edit the case, their PDF text found by the case search.
/// </summary>
public sealed class VictimFileTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private readonly AttachKit _kit = new(platform);

    private const string Victims = "query($c: ID!) { case(id: $c) { victims { id name files { id } } } }";

    [Fact]
    public async Task A_file_on_a_RESTRICTED_victim_is_absent_for_a_STAFF_caller_in_GraphQL_and_download()
    {
        var caseId = await _kit.OpenCaseAsync("STAFF", "Belarus: victims' files");
        var restrictedVictim = await AddVictimAsync(caseId, "Hidden witness", "RESTRICTED");
        var staffVictim = await AddVictimAsync(caseId, "Ales Bialiatski", "STAFF");
        var onRestrictedVictim = await _kit.AttachPdfAsync(restrictedVictim, "STAFF", seed: 1);
        var visible = await _kit.AttachPdfAsync(staffVictim, "STAFF", seed: 2);

        // The admin (RESTRICTED) sees both victims with their files.
        var all = (await platform.Admin().QueryAsync(Victims, new { c = caseId })).GetProperty("case").GetProperty("victims").EnumerateArray().ToList();
        Assert.Equal([Id(onRestrictedVictim)], FilesOf(all, restrictedVictim));
        Assert.Equal([Id(visible)], FilesOf(all, staffVictim));

        var staffKey = await _kit.KeyAsync("STAFF", "STAFF");
        var staff = platform.GraphQL(staffKey);
        var seen = (await staff.QueryAsync(Victims, new { c = caseId })).GetProperty("case").GetProperty("victims").EnumerateArray().ToList();
        Assert.Equal([staffVictim], seen.Select(v => v.GetProperty("id").GetString()));
        Assert.Equal([Id(visible)], FilesOf(seen, staffVictim));

        // node(id) and the download of the file on the RESTRICTED victim answer as for an unknown file.
        Assert.Equal(JsonValueKind.Null, (await staff.QueryAsync("query($id: ID!) { node(id: $id) { id } }", new { id = Id(onRestrictedVictim) })).GetProperty("node").ValueKind);
        var refused = await _kit.DownloadAsync(Url(onRestrictedVictim), staffKey);
        var unknown = await _kit.DownloadAsync("/files/" + BuildingBlocks.Ids.GlobalId.Encode("File", Guid.CreateVersion7()), staffKey);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await _kit.DownloadAsync(Url(onRestrictedVictim), PlatformFactory.AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _kit.DownloadAsync(Url(visible), staffKey)).StatusCode);
        Assert.Equal(Id(visible), (await staff.QueryAsync("query($id: ID!) { node(id: $id) { id } }", new { id = Id(visible) })).GetProperty("node").GetProperty("id").GetString());

        // Attaching to the RESTRICTED victim is NOT_FOUND, word for word as for an unknown victim.
        var upload = await _kit.UploadAsync(TusKit.Pdf(3000, 3), staffKey);
        var hidden = await _kit.TryAttachAsync(restrictedVictim, upload, key: staffKey);
        var unknownVictim = await _kit.TryAttachAsync(BuildingBlocks.Ids.GlobalId.Encode("Victim", Guid.CreateVersion7()), upload, key: staffKey);
        Assert.Equal("NOT_FOUND", hidden.ErrorCode);
        Assert.Equal(unknownVictim.Raw, hidden.Raw);

        // The case raised above the caller takes its victims' files with it.
        await platform.Admin().QueryAsync("mutation($c: ID!) { changeCaseConfidentiality(input: { caseId: $c, confidentiality: RESTRICTED }) { case { id } } }", new { c = caseId });
        Assert.Equal(HttpStatusCode.NotFound, (await _kit.DownloadAsync(Url(visible), staffKey)).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await staff.QueryAsync("query($id: ID!) { node(id: $id) { id } }", new { id = Id(visible) })).GetProperty("node").ValueKind);
    }

    [Fact]
    public async Task Attaching_to_a_victim_follows_the_rule_of_editing_the_case()
    {
        var caseId = await _kit.OpenCaseAsync("PUBLIC", "Belarus: a public case");
        var victim = await AddVictimAsync(caseId, "Public victim", "PUBLIC");

        // A member organisation sees the victim but may not edit the case: FORBIDDEN, nothing attached.
        var memberKey = await _kit.KeyAsync("NETWORK_MEMBER", "NETWORK");
        var memberUpload = await _kit.UploadAsync(TusKit.Pdf(2000, 4), memberKey);
        var refused = await _kit.TryAttachAsync(victim, memberUpload, key: memberKey);
        Assert.Equal("FORBIDDEN", refused.ErrorCode);
        var read = (await platform.Admin().QueryAsync(Victims, new { c = caseId })).GetProperty("case").GetProperty("victims").EnumerateArray().ToList();
        Assert.Empty(FilesOf(read, victim));

        // Staff attach; the level is the file's own (STAFF by default), so the member does not see it.
        var staffKey = await _kit.KeyAsync("STAFF", "STAFF");
        var attached = await _kit.TryAttachAsync(victim, await _kit.UploadAsync(TusKit.Pdf(2000, 5), staffKey), key: staffKey);
        Assert.False(attached.HasErrors, attached.Raw);
        Assert.Equal("STAFF", attached.Data.GetProperty("attachFile").GetProperty("file").GetProperty("confidentiality").GetString());
        var asMember = (await platform.GraphQL(memberKey).QueryAsync(Victims, new { c = caseId })).GetProperty("case").GetProperty("victims").EnumerateArray().ToList();
        Assert.Empty(FilesOf(asMember, victim));
    }

    [Fact]
    public async Task A_PDF_on_a_victim_makes_its_case_findable_within_clearance()
    {
        var caseId = await _kit.OpenCaseAsync("STAFF", "Belarus: a victim's medical report");
        var victim = await AddVictimAsync(caseId, "Patient", "STAFF");
        var restrictedVictim = await AddVictimAsync(caseId, "Protected patient", "RESTRICTED");
        var evidence = new EvidenceKit(platform);
        await evidence.AttachAsync(victim, EvidenceKit.Pdf("Medical report", "Fractures consistent with beatings in Okrestina."), "report.pdf", "application/pdf", "STAFF");
        await evidence.AttachAsync(restrictedVictim, EvidenceKit.Pdf("Medical report", "Burns documented at Volodarka."), "burns.pdf", "application/pdf", "STAFF");

        const string Search = "query($t: String) { cases(filter: { text: $t }) { nodes { id } } }";
        var staff = platform.GraphQL(await _kit.KeyAsync("STAFF", "STAFF"));
        Assert.Equal([caseId], (await staff.QueryAsync(Search, new { t = "Okrestina fractures" })).GetProperty("cases").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        // The words of a file on a victim the caller may not see do not make the case findable for it.
        Assert.Empty((await staff.QueryAsync(Search, new { t = "Volodarka" })).GetProperty("cases").GetProperty("nodes").EnumerateArray());
        Assert.Equal([caseId], (await platform.Admin().QueryAsync(Search, new { t = "Volodarka" })).GetProperty("cases").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
    }

    private async Task<string> AddVictimAsync(string caseId, string name, string level)
    {
        var victims = (await platform.Admin().QueryAsync(
                "mutation($c: ID!, $n: String!, $l: Confidentiality) { addVictim(input: { caseId: $c, name: $n, confidentiality: $l }) { case { victims { id name } } } }",
                new { c = caseId, n = name, l = level }))
            .GetProperty("addVictim").GetProperty("case").GetProperty("victims").EnumerateArray();
        return victims.Single(v => v.GetProperty("name").GetString() == name).GetProperty("id").GetString()!;
    }

    private static List<string?> FilesOf(List<JsonElement> victims, string victimId) =>
        victims.Single(v => v.GetProperty("id").GetString() == victimId).GetProperty("files").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();

    private static string Id(JsonElement file) => file.GetProperty("id").GetString()!;

    private static string Url(JsonElement file) => file.GetProperty("downloadUrl").GetString()!;
}
