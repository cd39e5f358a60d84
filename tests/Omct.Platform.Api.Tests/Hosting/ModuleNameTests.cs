using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Modules;
using Xunit;

namespace Omct.Platform.Api.Tests.Hosting;

/// <summary>A module's name is its own: two modules of one name fail composition, naming both.</summary>
public sealed class ModuleNameTests
{
    private sealed class FirstModule : PlatformModule
    {
        public override string Name => "namesake";
    }

    private sealed class SecondModule : PlatformModule
    {
        public override string Name => "namesake";
    }

    private sealed class OtherModule : PlatformModule
    {
        public override string Name => "other";
    }

    [Fact]
    public void Two_modules_of_one_name_fail_composition_naming_both()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        services.AddPlatformModule(new FirstModule(), configuration);
        services.AddPlatformModule(new OtherModule(), configuration);

        var failure = Assert.Throws<InvalidOperationException>(() => services.AddPlatformModule(new SecondModule(), configuration));

        Assert.Contains("'namesake'", failure.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FirstModule), failure.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(SecondModule), failure.Message, StringComparison.Ordinal);
        Assert.Equal(["namesake", "other"], services.RegisteredModules().Select(m => m.Name));
    }
}
