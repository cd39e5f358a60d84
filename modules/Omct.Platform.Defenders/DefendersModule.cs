using GraphQL.Types;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Defenders.Contracts;
using Omct.Platform.Defenders.Directory;
using Omct.Platform.Defenders.ReadModels;

namespace Omct.Platform.Defenders;

internal sealed class DefendersModule : PlatformModule
{
    public override string Name => "defenders";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IDefenderDirectory, DefenderDirectory>();
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<DefenderProfile>().DocumentAlias("defenders_defender_profile");
    }

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.AddVisibleCount<DefenderProfile>("defenderCount", "The number of defender profiles the caller may see.");
    }
}

public static class DefendersModuleRegistration
{
    public static IServiceCollection AddDefendersModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new DefendersModule(), configuration);
}
