using System.Net;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Security;

/// <summary>
/// Writes that used to answer differently because of a record the caller may not see (an oracle),
/// and inputs that used to reach PostgreSQL and come back as INTERNAL.
/// </summary>
public sealed class WriteOracleTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task A_co_signatory_the_caller_may_not_see_does_not_show_through_the_word_limit()
    {
        var admin = platform.Admin();
        var hidden = (await admin.QueryAsync("mutation { registerOrganisation(input: { name: \"Hidden partner\", countryCode: \"GN\", confidentiality: RESTRICTED }) { organisation { id } } }"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString();
        var submission = (await admin.QueryAsync("mutation($o: ID!) { planSubmission(input: { mechanism: UPR, countryCode: \"GN\", title: \"Guinea UPR\", dueOn: \"2030-01-01\", coSignatoryIds: [$o], confidentiality: STAFF }) { submission { id wordLimit } } }",
            new { o = hidden })).GetProperty("planSubmission").GetProperty("submission");
        var id = submission.GetProperty("id").GetString();
        Assert.Equal(5_630, submission.GetProperty("wordLimit").GetInt32());

        var staff = platform.GraphQL(await KeyAsync("STAFF", "STAFF"));
        var seen = await staff.QueryAsync("query($id: ID!) { node(id: $id) { ... on Submission { wordLimit coSignatories { id } } } }", new { id });
        Assert.Equal(2_815, seen.GetProperty("node").GetProperty("wordLimit").GetInt32());
        Assert.Equal(0, seen.GetProperty("node").GetProperty("coSignatories").GetArrayLength());

        // Held to the limit it is shown: 3,000 words are refused to it as a single-organisation submission, not accepted as a joint one.
        await staff.QueryAsync("mutation($id: ID!) { attachSubmissionText(input: { submissionId: $id, wordCount: 3000 }) { submission { id } } }", new { id });
        var submitted = await staff.PostAsync("mutation($id: ID!) { markSubmitted(input: { submissionId: $id }) { submission { status } } }", new { id });
        Assert.Equal(("VALIDATION", "wordCount"), (submitted.ErrorCode, submitted.ErrorField));
        Assert.DoesNotContain("joint", submitted.Raw, StringComparison.OrdinalIgnoreCase);
        // Nor through removing it: a hidden co-signatory answers as an organisation that does not exist.
        var remove = await staff.PostAsync("mutation($id: ID!, $o: ID!) { removeCoSignatory(input: { submissionId: $id, organisationId: $o }) { submission { id } } }", new { id, o = hidden });
        var removeUnknown = await staff.PostAsync("mutation($id: ID!, $o: ID!) { removeCoSignatory(input: { submissionId: $id, organisationId: $o }) { submission { id } } }",
            new { id, o = BuildingBlocks.Ids.GlobalId.Encode("Organisation", Guid.CreateVersion7()) });
        Assert.Equal(("VALIDATION", "organisationId"), (remove.ErrorCode, remove.ErrorField));
        Assert.Equal(removeUnknown.Errors[0].GetProperty("message").GetString(), remove.Errors[0].GetProperty("message").GetString());

        Assert.Equal("SUBMITTED", (await admin.QueryAsync("mutation($id: ID!) { markSubmitted(input: { submissionId: $id }) { submission { status } } }", new { id }))
            .GetProperty("markSubmitted").GetProperty("submission").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_slug_held_by_an_article_the_caller_may_not_see_neither_refuses_nor_changes_its_slug()
    {
        var admin = platform.Admin();
        await admin.QueryAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"Mission to Guinea\", body: \"Restricted.\", confidentiality: RESTRICTED }) { article { id } } }");
        await admin.QueryAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"Secret plan\", body: \"Restricted.\", slug: \"secret-plan\", confidentiality: RESTRICTED }) { article { id } } }");
        var editor = platform.GraphQL(await KeyAsync("EDITOR", "STAFF"));

        // A slug made from a title a hidden article also has: no "-2" to tell that it exists.
        var generated = await editor.QueryAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"Mission to Guinea\", body: \"Staff.\" }) { article { id slug } } }");
        Assert.Equal("mission-to-guinea", generated.GetProperty("draftArticle").GetProperty("article").GetProperty("slug").GetString());
        // A slug given explicitly: no CONFLICT to tell it.
        var given = await editor.QueryAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"Plan\", body: \"Staff.\", slug: \"secret-plan\" }) { article { id slug } } }");
        Assert.Equal("secret-plan", given.GetProperty("draftArticle").GetProperty("article").GetProperty("slug").GetString());

        // Among articles the caller may see, a slug is still unique: CONFLICT, and "-2" for a generated one.
        var taken = await editor.PostAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"Again\", body: \"Staff.\", slug: \"secret-plan\" }) { article { id } } }");
        Assert.Equal("CONFLICT", taken.ErrorCode);
        var second = await editor.QueryAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"Mission to Guinea\", body: \"Staff again.\" }) { article { slug } } }");
        Assert.Equal("mission-to-guinea-2", second.GetProperty("draftArticle").GetProperty("article").GetProperty("slug").GetString());
        Assert.Equal("CONFLICT", (await admin.PostAsync("mutation { draftArticle(input: { kind: STATEMENT, language: EN, title: \"X\", body: \"Y\", slug: \"secret-plan\", confidentiality: RESTRICTED }) { article { id } } }")).ErrorCode);

        // By slug, each caller finds the article it may see.
        Assert.Equal("Plan", (await editor.QueryAsync("{ article(slug: \"secret-plan\") { title } }")).GetProperty("article").GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("query($t: String) { cases(filter: { text: $t }) { totalCount } }", "filter.text")]
    [InlineData("query($t: String) { articles(filter: { text: $t }) { totalCount } }", "filter.text")]
    [InlineData("mutation($t: String!) { openCase(input: { title: $t, countryCode: \"NE\" }) { case { id } } }", "title")]
    [InlineData("mutation($t: String!) { registerDefender(input: { name: $t, countryCode: \"NE\" }) { defender { id } } }", "name")]
    public async Task A_NUL_character_in_text_is_VALIDATION_on_its_field_and_writes_nothing(string document, string field)
    {
        var response = await platform.Admin().PostAsync(document, new { t = "Niger\u0000: probe" });
        Assert.Equal(("VALIDATION", field), (response.ErrorCode, response.ErrorField));
        Assert.DoesNotContain("\"traceId\"", response.Raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("subscription {}")]
    [InlineData("subscription { __typename }")]
    public async Task A_subscription_is_a_request_error_not_INTERNAL(string document)
    {
        var response = await platform.Admin().PostAsync(document);
        Assert.NotEqual("INTERNAL", response.ErrorCode);
        Assert.Contains(response.ErrorCode, new[] { "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED" });
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.Status);

        using var http = platform.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(document));
        request.Headers.Add("X-Api-Key", PlatformFactory.AdminKey);
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        var byGet = await GraphQLResponse.ReadAsync(await http.SendAsync(request));
        Assert.NotEqual("INTERNAL", byGet.ErrorCode);
        Assert.NotEqual(HttpStatusCode.InternalServerError, byGet.Status);
    }

    private async Task<string> KeyAsync(string role, string clearance) =>
        (await platform.Admin().QueryAsync("mutation($r: Role!, $c: Confidentiality!) { createApiKey(input: { name: \"oracle\", role: $r, clearance: $c }) { key } }", new { r = role, c = clearance }))
        .GetProperty("createApiKey").GetProperty("key").GetString()!;
}
