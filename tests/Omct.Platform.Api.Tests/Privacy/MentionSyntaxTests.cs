using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.BuildingBlocks.Text;
using Xunit;

namespace Omct.Platform.Api.Tests.Privacy;

/// <summary>The mention syntax on its own (<see cref="Mentions"/>): what is a token, how a text renders, what a writer may mention.</summary>
public sealed class MentionSyntaxTests
{
    private static readonly Guid Known = Guid.CreateVersion7();
    private static readonly Guid Hidden = Guid.CreateVersion7();
    private static readonly string KnownToken = Mentions.Token("Defender", Known);
    private static readonly string HiddenToken = Mentions.Token("Defender", Hidden);

    [Fact]
    public void Only_an_id_of_base64url_characters_between_the_brackets_is_a_token()
    {
        var text = $"{KnownToken}, @[not one], @[], @[abc and {HiddenToken}.";
        var tokens = Mentions.Tokens(text);
        Assert.Equal([GlobalId.Encode("Defender", Known), GlobalId.Encode("Defender", Hidden)], tokens.Select(t => t.GlobalId));
        Assert.Equal(0, tokens[0].Start);
        Assert.Equal(KnownToken.Length, tokens[0].Length);
        Assert.Empty(Mentions.Tokens("no mention @here [x]"));
        Assert.Empty(Mentions.Tokens("@[" + new string('a', 101) + "]"));
        Assert.False(Mentions.Any("plain text"));
        Assert.Equal([Known, Hidden], Mentions.Ids("Defender", text, KnownToken));
        Assert.Empty(Mentions.Ids("Defender", $"@[{GlobalId.Encode("Case", Known)}]"));
    }

    [Fact]
    public void A_text_renders_names_escaped_and_withheld_alike_for_hidden_and_unnamed()
    {
        var names = new Dictionary<Guid, string> { [Known] = "Ana *Star*" };
        var other = $"@[{GlobalId.Encode("Case", Known)}]";
        Assert.Equal($"Ana *Star* met {Mentions.Withheld} ({other}).", Mentions.Render($"{KnownToken} met {HiddenToken} ({other}).", "Defender", names));
        Assert.Equal("Ana \\*Star\\*!", Mentions.Render($"{KnownToken}!", "Defender", names, BuildingBlocks.Rendering.MarkdownText.Escape));
        const string Plain = "nothing to name";
        Assert.Same(Plain, Mentions.Render(Plain, "Defender", names));
        Assert.Equal([("Seen: ", null), ("Ana *Star*", Known), (", ", null), (Mentions.Withheld, null)],
            Mentions.Pieces($"Seen: {KnownToken}, {HiddenToken}", "Defender", names).Select(p => (p.Text, p.Id)));
        Assert.Equal($"Free {Mentions.Withheld} now", Mentions.Withhold($"Free {KnownToken} now"));
        Assert.Equal("Free  now", Mentions.Without($"Free {KnownToken} now"));
    }

    [Fact]
    public async Task A_writer_may_mention_only_ids_the_check_finds_and_the_refusal_is_the_same_for_any_other()
    {
        var asked = new List<IReadOnlyCollection<Guid>>();
        Task<IReadOnlySet<Guid>> Finds(IReadOnlyCollection<Guid> ids)
        {
            asked.Add(ids);
            return Task.FromResult<IReadOnlySet<Guid>>(ids.Where(id => id == Known).ToHashSet());
        }

        await Mentions.RequireMentionableAsync("Defender", Finds, ("title", $"About {KnownToken}"), ("summary", null), ("description", "no mention"));
        Assert.Equal([Known], Assert.Single(asked));

        var hidden = await Assert.ThrowsAsync<DomainException>(() => Mentions.RequireMentionableAsync("Defender", Finds, ("title", "fine"), ("summary", $"{KnownToken} and {HiddenToken}")));
        var otherType = await Assert.ThrowsAsync<DomainException>(() => Mentions.RequireMentionableAsync("Defender", Finds, ("summary", $"@[{GlobalId.Encode("Case", Known)}]")));
        foreach (var refused in new[] { hidden, otherType })
        {
            Assert.Equal(ErrorCodes.Validation, refused.Code);
            Assert.Equal("summary", refused.Field);
            Assert.EndsWith("which is not a defender you can mention.", refused.Message, StringComparison.Ordinal);
        }

        // A text without a mention asks nothing.
        asked.Clear();
        await Mentions.RequireMentionableAsync("Defender", Finds, ("title", "plain"), ("summary", null));
        Assert.Empty(asked);
    }
}
