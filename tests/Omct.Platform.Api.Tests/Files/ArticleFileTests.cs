using System.Text.Json;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// Articles take files: attaching and re-classifying under the article's own write rule (EDITOR), a file visible where both the
/// file (its own level) and the article (the news module's rule: drafts to editors, published ones to everyone within
/// clearance) are, and the article search finding an article through its PDF's text in the dictionary of its language.
/// </summary>
public sealed class ArticleFileTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    private const string Files = "query($id: ID!) { node(id: $id) { ... on Article { id files { id confidentiality mediaType } } } }";
    private const string Search = "query($t: String!, $l: Language) { articles(filter: { text: $t, language: $l }, first: 50) { totalCount nodes { id } } }";
    private const string Reclassify = "mutation($f: ID!, $l: Confidentiality!) { reclassifyFile(input: { fileId: $f, confidentiality: $l }) { file { confidentiality } } }";

    private AttachKit Kit => new(platform);

    [Fact]
    public async Task A_file_on_a_draft_article_is_seen_by_editors_only_and_attached_by_editors_only()
    {
        var editor = await Kit.KeyAsync("EDITOR", "STAFF");
        var staff = await Kit.KeyAsync("STAFF", "RESTRICTED");
        var draft = await DraftAsync("EN", "Draft report with its annex", "STAFF");

        // An editor attaches (under the article's write rule) and sees the file on the draft.
        var file = await Kit.AttachPdfAsync(draft, "STAFF", seed: 21, key: editor);
        var fileId = file.GetProperty("id").GetString()!;
        Assert.Equal([fileId], FileIds(await platform.GraphQL(editor).QueryAsync(Files, new { id = draft })));

        // A non-editor, even of a higher clearance, sees neither the draft nor its file, on any path.
        Assert.Equal(JsonValueKind.Null, (await platform.GraphQL(staff).QueryAsync(Files, new { id = draft })).GetProperty("node").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await platform.GraphQL(staff).QueryAsync("query($id: ID!) { node(id: $id) { id } }", new { id = fileId })).GetProperty("node").ValueKind);
        EvidenceKit.AssertNotFound(await Kit.DownloadAsync(file.GetProperty("downloadUrl").GetString()!, staff));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Kit.DownloadAsync(file.GetProperty("downloadUrl").GetString()!, editor)).StatusCode);

        // A non-editor may not attach to an article (the article's module asks EDITOR, as its own writes): FORBIDDEN on a
        // published article it sees; a draft it does not see is NOT_FOUND, word for word an unknown id's.
        var published = await DraftAsync("EN", "Published statement", "PUBLIC", publish: true);
        var unknown = BuildingBlocks.Ids.GlobalId.Encode("Article", Guid.CreateVersion7());
        Assert.Equal("FORBIDDEN", (await Kit.TryAttachAsync(published, await Kit.UploadAsync(TusKit.Pdf(3000, 5), staff), key: staff)).ErrorCode);
        var onDraft = await Kit.TryAttachAsync(draft, await Kit.UploadAsync(TusKit.Pdf(3000, 5), staff), key: staff);
        var onUnknown = await Kit.TryAttachAsync(unknown, await Kit.UploadAsync(TusKit.Pdf(3000, 5), staff), key: staff);
        Assert.Equal("NOT_FOUND", onDraft.ErrorCode);
        Assert.Equal(onUnknown.Errors[0].GetProperty("message").GetString(), onDraft.Errors[0].GetProperty("message").GetString());

        // Nor change the level of an article's file (which it may see, on the published article).
        var publicFile = await Kit.AttachPdfAsync(published, "PUBLIC", seed: 22, key: editor);
        var reclassified = await platform.GraphQL(staff).PostAsync(Reclassify, new { f = publicFile.GetProperty("id").GetString(), l = "STAFF" });
        Assert.Equal("FORBIDDEN", reclassified.ErrorCode);
        Assert.Equal("STAFF", (await platform.GraphQL(editor).QueryAsync(Reclassify, new { f = publicFile.GetProperty("id").GetString(), l = "STAFF" }))
            .GetProperty("reclassifyFile").GetProperty("file").GetProperty("confidentiality").GetString());

        // An editor below the article's level finds no article: NOT_FOUND, word for word the unknown record's.
        var restricted = await DraftAsync("EN", "Restricted draft", "RESTRICTED");
        var hidden = await Kit.TryAttachAsync(restricted, await Kit.UploadAsync(TusKit.Pdf(3000, 6), editor), key: editor);
        var absent = await Kit.TryAttachAsync(unknown, await Kit.UploadAsync(TusKit.Pdf(3000, 6), editor), key: editor);
        Assert.Equal("NOT_FOUND", hidden.ErrorCode);
        Assert.Equal(absent.Errors[0].GetProperty("message").GetString(), hidden.Errors[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_RESTRICTED_file_on_a_PUBLIC_published_article_is_absent_for_the_public_and_STAFF_and_present_for_RESTRICTED()
    {
        var article = await DraftAsync("EN", "Annual report on detention", "PUBLIC", publish: true);
        var shown = (await Kit.AttachPdfAsync(article, "PUBLIC", seed: 31)).GetProperty("id").GetString()!;
        var image = (await Kit.AttachPngAsync(article, "PUBLIC")).GetProperty("id").GetString()!;
        var restrictedFile = await Kit.AttachPdfAsync(article, "RESTRICTED", seed: 32);
        var restrictedId = restrictedFile.GetProperty("id").GetString()!;
        var staff = await Kit.KeyAsync("STAFF", "STAFF");
        var restricted = await Kit.KeyAsync("STAFF", "RESTRICTED");

        // The public (no credential) and STAFF see the article with its PUBLIC report and image only.
        Assert.Equal([shown, image], FileIds(await platform.GraphQL().QueryAsync(Files, new { id = article })));
        Assert.Equal([shown, image], FileIds(await platform.GraphQL(staff).QueryAsync(Files, new { id = article })));
        Assert.Equal([shown, image, restrictedId], FileIds(await platform.GraphQL(restricted).QueryAsync(Files, new { id = article })));

        // The list too (one loader for the page), and the file's own paths.
        const string List = "query($t: String!) { articles(filter: { text: $t }) { nodes { id files { id } } } }";
        var listed = (await platform.GraphQL(staff).QueryAsync(List, new { t = "annual report detention" })).GetProperty("articles").GetProperty("nodes");
        Assert.Equal([shown, image], listed.EnumerateArray().Single(n => n.GetProperty("id").GetString() == article)
            .GetProperty("files").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList());
        Assert.Equal(JsonValueKind.Null, (await platform.GraphQL(staff).QueryAsync("query($id: ID!) { node(id: $id) { id } }", new { id = restrictedId })).GetProperty("node").ValueKind);
        EvidenceKit.AssertNotFound(await Kit.DownloadAsync(restrictedFile.GetProperty("downloadUrl").GetString()!, staff));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Kit.DownloadAsync(restrictedFile.GetProperty("downloadUrl").GetString()!, restricted)).StatusCode);

        // Unpublished, the article takes its files with it for everyone but editors.
        await platform.Admin().QueryAsync("mutation($id: ID!) { unpublishArticle(input: { articleId: $id }) { article { status } } }", new { id = article });
        Assert.Equal(JsonValueKind.Null, (await platform.GraphQL(restricted).QueryAsync("query($id: ID!) { node(id: $id) { id } }", new { id = shown })).GetProperty("node").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await platform.GraphQL().QueryAsync("query($id: ID!) { node(id: $id) { id } }", new { id = shown })).GetProperty("node").ValueKind);
    }

    [Fact]
    public async Task A_PDFs_text_finds_its_article_in_the_dictionary_of_its_language_and_not_when_the_file_is_above_the_caller()
    {
        // French stemming makes "tribunal" find "tribunaux"; the english dictionary does not (tribunaux ≠ tribun).
        var pdf = EvidenceKit.Pdf("Rapport de mission", "Les tribunaux militaires jugent des civils depuis 2021.");
        var french = await DraftAsync("FR", "Rapport de mission au Burundi", "PUBLIC", publish: true);
        var english = await DraftAsync("EN", "Mission report on Burundi", "PUBLIC", publish: true);
        var frenchFile = (await new EvidenceKit(platform).AttachAsync(french, pdf, "rapport.pdf", "application/pdf", "STAFF")).GetProperty("id").GetString()!;
        await new EvidenceKit(platform).AttachAsync(english, pdf, "report.pdf", "application/pdf", "STAFF");
        var staff = await Kit.KeyAsync("STAFF", "STAFF");
        var restricted = await Kit.KeyAsync("STAFF", "RESTRICTED");

        // Neither article's own text has the word: only its file's text can find it.
        Assert.Equal([french], await FoundAsync(staff, "tribunal"));
        Assert.Equal([french], await FoundAsync(staff, "tribunal", "FR"));
        Assert.Empty(await FoundAsync(staff, "tribunal", "EN"));
        // The exact word finds both (each in its own dictionary).
        Assert.Equal(new[] { english, french }.Order(), (await FoundAsync(staff, "tribunaux")).Order());

        // The file is STAFF: the public does not find the article through it.
        Assert.Empty(await FoundAsync(null, "tribunal"));
        Assert.Empty(await FoundAsync(null, "tribunaux"));

        // Raised to RESTRICTED, the file no longer makes its article findable for STAFF; RESTRICTED still finds it.
        await platform.Admin().QueryAsync(Reclassify, new { f = frenchFile, l = "RESTRICTED" });
        Assert.Empty(await FoundAsync(staff, "tribunal"));
        Assert.Equal([french], await FoundAsync(restricted, "tribunal", "FR"));
    }

    private async Task<List<string>> FoundAsync(string? key, string text, string? language = null) =>
        (await platform.GraphQL(key).QueryAsync(Search, new { t = text, l = language })).GetProperty("articles").GetProperty("nodes")
        .EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();

    private static List<string> FileIds(JsonElement data) =>
        data.GetProperty("node").GetProperty("files").EnumerateArray().Select(f => f.GetProperty("id").GetString()!).ToList();

    private async Task<string> DraftAsync(string language, string title, string level, bool publish = false)
    {
        var id = (await platform.Admin().QueryAsync(
                "mutation($lang: Language!, $t: String!, $l: Confidentiality) { draftArticle(input: { kind: REPORT, language: $lang, title: $t, body: \"See the attached file.\", confidentiality: $l }) { article { id } } }",
                new { lang = language, t = title, l = level }))
            .GetProperty("draftArticle").GetProperty("article").GetProperty("id").GetString()!;
        if (publish)
        {
            await platform.Admin().QueryAsync("mutation($id: ID!) { publishArticle(input: { articleId: $id }) { article { status } } }", new { id });
        }

        return id;
    }
}

internal static class ArticleAttachKit
{
    /// <summary>An image on the record (a PNG, as an article's illustration).</summary>
    public static async Task<JsonElement> AttachPngAsync(this AttachKit kit, string recordId, string level)
    {
        var response = await kit.TryAttachAsync(recordId, await kit.UploadPngAsync(AttachKit.Png(320, recordId)), level);
        return response.HasErrors ? throw new Xunit.Sdk.XunitException(response.ToString()) : response.Data.GetProperty("attachFile").GetProperty("file");
    }
}
