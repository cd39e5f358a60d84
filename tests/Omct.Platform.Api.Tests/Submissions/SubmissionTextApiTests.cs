using Omct.Platform.Api.Tests.Security;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Submissions;

/// <summary>
/// The submission's text and the word-count rule the API exposes for editors (Submission.text, Submission.wordCountRule):
/// an editor that counts with the rule's separators counts what attachSubmissionText stores.
/// </summary>
public sealed class SubmissionTextApiTests(FakeClockPlatformFactory platform) : IClassFixture<FakeClockPlatformFactory>
{
    [Fact]
    public async Task The_attached_text_is_returned_to_staff_only_and_the_rule_counts_as_the_api_does()
    {
        var id = (await platform.Admin().QueryAsync(
                "mutation { planSubmission(input: { mechanism: UPR, countryCode: \"TN\", title: \"Tunisia UPR text\", dueOn: \"2027-02-01\", confidentiality: PUBLIC }) { submission { id } } }"))
            .GetProperty("planSubmission").GetProperty("submission").GetProperty("id").GetString()!;

        // No-break space and NEL separate words for .NET; a zero-width no-break space (U+FEFF) does not (JavaScript's \s says the opposite of both).
        const string text = "one\u00A0two\u0085three\uFEFFfour\t five  \n six\u3000seven";
        var attached = (await platform.Admin().QueryAsync(
                "mutation($id: ID!, $text: String!) { attachSubmissionText(input: { submissionId: $id, text: $text }) { submission { wordCount text wordCountRule { separators } } } }",
                new { id, text }))
            .GetProperty("attachSubmissionText").GetProperty("submission");
        Assert.Equal(6, attached.GetProperty("wordCount").GetInt32());
        Assert.Equal(text, attached.GetProperty("text").GetString());

        var separators = attached.GetProperty("wordCountRule").GetProperty("separators").EnumerateArray().Select(e => e.GetInt32()).ToHashSet();
        Assert.Contains(0x20, separators);
        Assert.Contains(0xA0, separators);
        Assert.Contains(0x85, separators);
        Assert.Contains(0x3000, separators);
        Assert.DoesNotContain(0xFEFF, separators);
        Assert.DoesNotContain(0x200B, separators);
        // Counting with the rule as a client would gives the stored count.
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (separators.Contains(c))
            {
                inWord = false;
            }
            else if (!inWord)
            {
                (inWord, words) = (true, words + 1);
            }
        }

        Assert.Equal(6, words);

        // A member organisation sees the submission (PUBLIC) but not its draft text.
        var member = (await platform.Admin().QueryAsync("mutation { createApiKey(input: { name: \"member\", role: NETWORK_MEMBER, clearance: NETWORK }) { key } }"))
            .GetProperty("createApiKey").GetProperty("key").GetString()!;
        var seen = (await platform.GraphQL(member).QueryAsync("query($id: ID!) { node(id: $id) { ... on Submission { title wordCount text } } }", new { id }))
            .GetProperty("node");
        Assert.Equal("Tunisia UPR text", seen.GetProperty("title").GetString());
        Assert.Equal(6, seen.GetProperty("wordCount").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, seen.GetProperty("text").ValueKind);

        // Only a word count and a file reference: no text.
        var byCount = (await platform.Admin().QueryAsync(
                "mutation($id: ID!) { attachSubmissionText(input: { submissionId: $id, wordCount: 2000, fileReference: \"tn.pdf\" }) { submission { wordCount text } } }", new { id }))
            .GetProperty("attachSubmissionText").GetProperty("submission");
        Assert.Equal(2000, byCount.GetProperty("wordCount").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, byCount.GetProperty("text").ValueKind);
    }
}
