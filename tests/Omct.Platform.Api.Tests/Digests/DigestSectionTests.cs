using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Digests.Composing;
using Omct.Platform.Digests.Subscriptions;
using Xunit;

namespace Omct.Platform.Api.Tests.Digests;

/// <summary>A section holds at most Omct:Digests:MaxItemsPerSection items and says how many more there were.</summary>
public sealed class DigestSectionTests
{
    private static List<DigestItem> Items(int n) =>
        Enumerable.Range(1, n).Select(i => new DigestItem($"Case {i:D3}", null, "2024-03-11", $"REF {i:D3}", "CO", "ARREST", "Case", Guid.CreateVersion7())).ToList();

    private static Digest Of(params DigestSection[] sections) =>
        DigestComposer.Rendered(new Digest(Guid.CreateVersion7(), Guid.CreateVersion7(), "Desk", DigestPeriod.Weekly, new DateOnly(2024, 3, 11),
            new DateOnly(2024, 3, 17), Confidentiality.Staff, DateTimeOffset.UnixEpoch, "", "", sections));

    [Fact]
    public void A_long_section_keeps_its_first_items_counts_them_all_and_says_how_many_more()
    {
        var section = DigestSection.Capped(DigestSectionKind.NewCases, "New cases", Items(120), 50);
        Assert.Equal(50, section.Items.Count);
        Assert.Equal("Case 001", section.Items[0].Title);
        Assert.Equal("Case 050", section.Items[^1].Title);
        Assert.Equal(120, section.TotalCount);

        var digest = Of(section);
        Assert.Contains("## New cases (120)", digest.Markdown, StringComparison.Ordinal);
        Assert.Contains("- … and 70 more in the platform.", digest.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Case 051", digest.Markdown, StringComparison.Ordinal);
        Assert.Contains("and 70 more in the platform.", digest.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_section_is_whole_and_says_nothing_more()
    {
        var section = DigestSection.Capped(DigestSectionKind.NewCases, "New cases", Items(50), 50);
        Assert.Null(section.Total);
        Assert.Equal(50, section.TotalCount);
        var digest = Of(section);
        Assert.Contains("## New cases (50)", digest.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("more in the platform", digest.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_section_stored_before_the_cap_reads_as_whole()
    {
        var stored = System.Text.Json.JsonSerializer.Deserialize<List<DigestSection>>(
            """[{"kind":"NewCases","title":"New cases","items":[{"title":"Case 1","entityType":"Case"}]}]""", DigestStore.Json)!;
        Assert.Equal(1, stored[0].TotalCount);
    }
}
