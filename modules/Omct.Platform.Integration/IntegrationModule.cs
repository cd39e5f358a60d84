using GraphQL.Types;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Integration.ChangeFeed;
using Omct.Platform.Integration.Export;
using Omct.Platform.Integration.GraphQL;

namespace Omct.Platform.Integration;

/// <summary>
/// What integrators build on: the gap-free change feed over the event store and the bulk
/// exports. It knows no module: the modules describe their entities through
/// <see cref="BuildingBlocks.Integration.IChangeFeedSource"/> and <see cref="BuildingBlocks.Integration.IExportSource"/>.
/// </summary>
internal sealed class IntegrationModule : PlatformModule
{
    public override string Name => "integration";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<FeedCatalog>();
        services.AddSingleton<ChangeFeedReader>();
        services.AddSingleton<ExportEndpoint>();
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Storage.Add(new ChangeCapture.Feature(options));
    }

    public override void AddQueryFields(ObjectGraphType query) => ChangeQueries.Register(query);

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => ExportEndpoint.Map(endpoints);
}

public static class IntegrationModuleRegistration
{
    public static IServiceCollection AddIntegrationModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new IntegrationModule(), configuration);
}
