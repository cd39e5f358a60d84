using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// A defender's portrait is a file on the defender with purpose PORTRAIT: PUBLIC only while the defender has consented
/// to the publication of a portrait (the news module's rule, fed by the same contract event). Without consent, PUBLIC is
/// refused; withdrawn consent stops a PUBLIC portrait being public at once (it stays with staff).
/// </summary>
public sealed class DefenderPortraitTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private readonly AttachKit _kit = new(platform);

    private const string Portrait = "query($id: ID!) { node(id: $id) { ... on Defender { portrait { id purpose confidentiality } files { id purpose } } } }";

    [Fact]
    public async Task A_PUBLIC_portrait_is_refused_without_consent_and_public_with_it_until_consent_is_withdrawn()
    {
        var defender = await _kit.RegisterDefenderAsync("Portrait Without Consent", "PUBLIC");

        // Without consent: PUBLIC is refused, on attach and on re-classification.
        var refused = await _kit.TryAttachAsync(defender, await _kit.UploadPngAsync(AttachKit.Png(3000)), "PUBLIC", "PORTRAIT");
        Assert.Equal(("VALIDATION", "confidentiality"), (refused.ErrorCode, refused.ErrorField));
        var staffPortrait = (await _kit.TryAttachAsync(defender, await _kit.UploadPngAsync(AttachKit.Png(3000)), "STAFF", "PORTRAIT")).Data
            .GetProperty("attachFile").GetProperty("file");
        Assert.Equal("PORTRAIT", staffPortrait.GetProperty("purpose").GetString());
        var raise = await platform.Admin().PostAsync("mutation($f: ID!) { reclassifyFile(input: { fileId: $f, confidentiality: PUBLIC }) { file { id } } }",
            new { f = staffPortrait.GetProperty("id").GetString() });
        Assert.Equal(("VALIDATION", "confidentiality"), (raise.ErrorCode, raise.ErrorField));

        // The public sees the defender, but no portrait; staff see it.
        var anonymous = platform.GraphQL();
        Assert.Equal(JsonValueKind.Null, (await anonymous.QueryAsync(Portrait, new { id = defender })).GetProperty("node").GetProperty("portrait").ValueKind);
        Assert.Equal(staffPortrait.GetProperty("id").GetString(),
            (await platform.Admin().QueryAsync(Portrait, new { id = defender })).GetProperty("node").GetProperty("portrait").GetProperty("id").GetString());

        // With consent: PUBLIC is accepted, and the public sees it (on the defender and by its id).
        await _kit.ConsentAsync(defender, portrait: true);
        var publicPortrait = (await _kit.TryAttachAsync(defender, await _kit.UploadPngAsync(AttachKit.Png(3000, "second")), "PUBLIC", "PORTRAIT")).Data
            .GetProperty("attachFile").GetProperty("file").GetProperty("id").GetString();
        var seen = (await anonymous.QueryAsync(Portrait, new { id = defender })).GetProperty("node");
        Assert.Equal(publicPortrait, seen.GetProperty("portrait").GetProperty("id").GetString());
        Assert.Equal([publicPortrait], seen.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.Equal(publicPortrait, (await anonymous.QueryAsync("query($id: ID!) { node(id: $id) { ... on File { id } } }", new { id = publicPortrait }))
            .GetProperty("node").GetProperty("id").GetString());

        // Withdrawn: not public any more (whatever its recorded level), still there for staff.
        await _kit.ConsentAsync(defender, portrait: false);
        var after = (await anonymous.QueryAsync(Portrait, new { id = defender })).GetProperty("node");
        Assert.Equal(JsonValueKind.Null, after.GetProperty("portrait").ValueKind);
        Assert.Empty(after.GetProperty("files").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, (await anonymous.QueryAsync("query($id: ID!) { node(id: $id) { ... on File { id } } }", new { id = publicPortrait }))
            .GetProperty("node").ValueKind);
        var network = platform.GraphQL(await _kit.KeyAsync("NETWORK_MEMBER", "NETWORK"));
        Assert.Equal(JsonValueKind.Null, (await network.QueryAsync(Portrait, new { id = defender })).GetProperty("node").GetProperty("portrait").ValueKind);
        Assert.Equal(publicPortrait, (await platform.Admin().QueryAsync(Portrait, new { id = defender })).GetProperty("node").GetProperty("portrait").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Only_a_defender_has_a_portrait_and_a_portrait_is_an_image()
    {
        var caseId = await _kit.OpenCaseAsync("STAFF");
        var onCase = await _kit.TryAttachAsync(caseId, await _kit.UploadPngAsync(AttachKit.Png(2000)), "STAFF", "PORTRAIT");
        Assert.Equal(("VALIDATION", "purpose"), (onCase.ErrorCode, onCase.ErrorField));

        var defender = await _kit.RegisterDefenderAsync("Portrait As Pdf", "STAFF", portraitConsent: true);
        var pdf = await _kit.TryAttachAsync(defender, await _kit.UploadAsync(TusKit.Pdf(2000)), "STAFF", "PORTRAIT");
        Assert.Equal(("VALIDATION", "purpose"), (pdf.ErrorCode, pdf.ErrorField));

        // A document on a defender is not its portrait.
        var document = await _kit.AttachPdfAsync(defender, "STAFF");
        Assert.Equal("DOCUMENT", document.GetProperty("purpose").GetString());
        var node = (await platform.Admin().QueryAsync(Portrait, new { id = defender })).GetProperty("node");
        Assert.Equal(JsonValueKind.Null, node.GetProperty("portrait").ValueKind);
        Assert.Equal([document.GetProperty("id").GetString()], node.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("id").GetString()));
    }
}
