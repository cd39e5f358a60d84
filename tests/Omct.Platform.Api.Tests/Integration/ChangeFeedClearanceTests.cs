using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Integration;

/// <summary>What each caller sees of the change feed: only entities it may see now, REDACTED once when it loses sight of one.</summary>
public sealed class ChangeFeedClearanceTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task A_public_integrator_sees_a_public_case_and_nothing_of_a_staff_case()
    {
        var start = (await FeedKit.DrainAsync(platform.Admin())).EndCursor;
        var open = await FeedKit.OpenCaseAsync(platform.Admin(), "Cameroon: open for all");
        var hidden = await FeedKit.OpenCaseAsync(platform.Admin(), "Cameroon: staff eyes only", "STAFF");
        await FeedKit.RecordEventAsync(platform.Admin(), open);
        await FeedKit.RecordEventAsync(platform.Admin(), hidden);

        var integrator = platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "PUBLIC"));
        var (publicView, _) = await FeedKit.DrainAsync(integrator, start);
        Assert.Equal([("CREATED", 1), ("UPDATED", 2)], publicView.Select(c => (c.Kind, c.Version!.Value)));
        Assert.All(publicView, c => Assert.Equal(open, c.EntityId));
        Assert.All(publicView, c => Assert.Equal("CASE", c.EntityType));

        var (staffView, _) = await FeedKit.DrainAsync(platform.GraphQL(await FeedKit.KeyAsync(platform, "INTEGRATOR", "STAFF")), start);
        Assert.Equal(4, staffView.Count);
        Assert.Equal(2, staffView.Count(c => c.EntityId == hidden));
        Assert.True(staffView.Select(c => c.Sequence).SequenceEqual(staffView.Select(c => c.Sequence).Order()), "oldest first");
    }
}
