using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.News.Tests;

/// <summary>This test project loads the package versions the built host ships (see ShippedHost).</summary>
public sealed class ShippedVersionsTests
{
    [Fact]
    public void Every_assembly_these_tests_load_is_the_version_the_built_host_ships()
    {
        var differences = ShippedHost.Differences(typeof(ShippedVersionsTests).Assembly);
        Assert.True(differences.Count == 0, "The tests and the built host load different versions:\n" + string.Join("\n", differences));
    }
}
