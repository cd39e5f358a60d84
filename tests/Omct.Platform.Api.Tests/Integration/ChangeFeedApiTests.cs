using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Integration;

/// <summary>The changes field's arguments and paging, through the API.</summary>
public sealed class ChangeFeedApiTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Theory]
    [InlineData("nonsense")]
    [InlineData("AQAKAAA")]
    public async Task A_bad_cursor_is_VALIDATION_on_after(string after)
    {
        var response = await platform.Admin().PostAsync(FeedKit.Page, new { after });
        Assert.Equal("VALIDATION", response.ErrorCode);
        Assert.Equal("after", response.ErrorField);
    }

    [Fact]
    public async Task A_cursor_from_another_database_whose_snapshot_lies_in_the_future_is_refused()
    {
        var future = new Omct.Platform.Integration.ChangeFeed.FeedPosition(
            new Omct.Platform.Integration.ChangeFeed.PgSnapshot(900_000_000, 900_000_000, []), null, 0, 0).Encode();
        var response = await platform.Admin().PostAsync(FeedKit.Page, new { after = future });
        Assert.Equal("VALIDATION", response.ErrorCode);
        Assert.Equal("after", response.ErrorField);
    }

    [Fact]
    public async Task first_defaults_to_100_and_is_at_most_1000()
    {
        for (var i = 0; i < 3; i++)
        {
            var id = await FeedKit.OpenCaseAsync(platform.Admin(), $"Bolivia: paging {i}");
            for (var e = 0; e < 40; e++)
            {
                await FeedKit.RecordEventAsync(platform.Admin(), id);
            }
        }

        var (page, hasNext, end) = await FeedKit.PageAsync(platform.Admin(), null);
        Assert.Equal(100, page.Count);
        Assert.True(hasNext);
        Assert.Equal(page[^1].Cursor, end);
        var tooMany = await platform.Admin().PostAsync(FeedKit.Page, new { first = 1001 });
        Assert.Equal("LIMIT_EXCEEDED", tooMany.ErrorCode);

        // Pages of any size read the same changes in the same order, each once.
        var (all, _) = await FeedKit.DrainAsync(platform.Admin(), first: 1000);
        var (small, _) = await FeedKit.DrainAsync(platform.Admin(), first: 7);
        Assert.Equal(all.Select(c => c.Sequence), small.Select(c => c.Sequence));
        Assert.Equal(all.Count, all.Select(c => c.Sequence).Distinct().Count());
        Assert.True(all.Count >= 123);
    }

    [Fact]
    public async Task A_drained_feed_answers_an_empty_page_with_a_cursor_to_poll_with()
    {
        var (_, end) = await FeedKit.DrainAsync(platform.Admin());
        var (page, hasNext, again) = await FeedKit.PageAsync(platform.Admin(), end);
        Assert.Empty(page);
        Assert.False(hasNext);
        var id = await FeedKit.OpenCaseAsync(platform.Admin(), "Bolivia: after polling");
        var (next, _, _) = await FeedKit.PageAsync(platform.Admin(), again);
        Assert.Equal(id, Assert.Single(next).EntityId);
    }

    [Fact]
    public async Task entityTypes_filters_and_a_cursor_goes_on_with_the_same_filter()
    {
        var (_, start) = await FeedKit.DrainAsync(platform.Admin());
        await FeedKit.OpenCaseAsync(platform.Admin(), "Bolivia: filtered out");
        var organisation = (await platform.Admin().QueryAsync("mutation { registerOrganisation(input: { name: \"Filter NGO\", countryCode: \"BO\" }) { organisation { id } } }"))
            .GetProperty("registerOrganisation").GetProperty("organisation").GetProperty("id").GetString();
        await FeedKit.OpenCaseAsync(platform.Admin(), "Bolivia: filtered out too");

        var (changes, end) = await FeedKit.DrainAsync(platform.Admin(), start, types: ["ORGANISATION"]);
        var only = Assert.Single(changes);
        Assert.Equal(("ORGANISATION", organisation, "CREATED"), (only.EntityType, only.EntityId, only.Kind));

        // A cursor inside a bucket belongs to its filter; one between buckets (a drained end) to any.
        var (_, _, inside) = await FeedKit.PageAsync(platform.Admin(), start, 1, ["ORGANISATION", "CASE"]);
        var other = await platform.Admin().PostAsync(FeedKit.Page, new { after = inside, types = new[] { "CASE" } });
        Assert.Equal("VALIDATION", other.ErrorCode);
        Assert.Equal("after", other.ErrorField);
        Assert.False((await platform.Admin().PostAsync(FeedKit.Page, new { after = end, types = new[] { "CASE" } })).HasErrors);
    }
}
