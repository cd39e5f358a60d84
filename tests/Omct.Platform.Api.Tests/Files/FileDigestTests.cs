using Omct.Platform.Testing;
using Xunit;
using static Omct.Platform.Api.Tests.Digests.DigestKit;

namespace Omct.Platform.Api.Tests.Files;

/// <summary>
/// A digest names the files attached in its period to the new cases and case events its audience may see ("Files: …" on
/// the record's item), by the files module's rule for the audience: a file on a RESTRICTED event and a RESTRICTED file never
/// reach a STAFF digest; a file raised later above a stored digest's audience leaves it.
/// </summary>
public sealed class FileDigestTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task A_STAFF_digest_names_only_the_files_its_audience_may_see_and_loses_a_file_raised_later()
    {
        var admin = platform.Admin();
        var s = await FilePathsScenario.SeedAsync(platform, "digest", country: "MR");
        var (staffSubscription, _) = await SubscribeAsync(admin, new { name = "Staff files", period = "DAILY", audience = "STAFF", countries = new[] { "MR" }, emailRecipients = new[] { "staff@example.org" } });
        var (restrictedSubscription, _) = await SubscribeAsync(admin, new { name = "Restricted files", period = "DAILY", audience = "RESTRICTED", countries = new[] { "MR" }, emailRecipients = new[] { "secretariat@example.org" } });
        await RunAsync(admin, "DIGEST", TodayInGeneva().AddDays(1));

        var digests = await DigestsAsync(admin);
        var staffDigest = Of(digests, staffSubscription);
        var restrictedDigest = Of(digests, restrictedSubscription);
        var staffText = AllText(staffDigest);
        Assert.Contains($"Files: {s.VisibleName}", staffDigest.GetProperty("markdown").GetString()!.Replace("\\-", "-", StringComparison.Ordinal), StringComparison.Ordinal);
        foreach (var hidden in s.HiddenNames)
        {
            Assert.DoesNotContain(hidden, staffText, StringComparison.Ordinal);
        }

        var restrictedText = AllText(restrictedDigest);
        foreach (var name in s.HiddenNames.Append(s.VisibleName))
        {
            Assert.Contains(name, restrictedText, StringComparison.Ordinal);
        }

        // The event item names its files in its text, after what the text already says.
        var items = staffDigest.GetProperty("sections").EnumerateArray().Single(x => x.GetProperty("kind").GetString() == "CASE_EVENTS").GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, i => i.GetProperty("text").GetString() == $"Files: {s.VisibleName}");

        // Raised above STAFF: it leaves the stored STAFF digest (the item stays), not the RESTRICTED one.
        await FilePathsScenario.ReclassifyAsync(platform, s.Visible, "RESTRICTED");
        digests = await DigestsAsync(admin);
        staffText = AllText(Of(digests, staffSubscription));
        Assert.DoesNotContain(s.VisibleName, staffText, StringComparison.Ordinal);
        Assert.DoesNotContain("Files:", staffText, StringComparison.Ordinal);
        Assert.Contains("DETENTION", staffText, StringComparison.Ordinal);
        Assert.Contains(s.VisibleName, AllText(Of(digests, restrictedSubscription)), StringComparison.Ordinal);
    }
}
