using GraphQL.Types;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.BuildingBlocks.Webhooks;
using Omct.Platform.Integration.ChangeFeed;
using Omct.Platform.Integration.Export;
using Omct.Platform.Integration.GraphQL;
using Omct.Platform.Integration.Webhooks;

namespace Omct.Platform.Integration;

/// <summary>
/// What integrators build on: the gap-free change feed over the event store, the bulk exports and
/// the webhooks that push the feed to integrators' endpoints. It knows no module: the modules describe their entities through
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

        // Webhooks: the feed pushed to integrators' endpoints by the WEBHOOK_DISPATCH job.
        var webhooks = services.AddValidatedSection<WebhookOptions>(configuration, WebhookOptions.Section);
        services.AddWebhookSender();
        services.AddSingleton<WebhookStore>();
        // Scoped: the MutationPipeline it writes through is the request's (its caller keys the receipts).
        services.AddScoped<WebhookCommands>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<IWebhookNotifications, WebhookNotifications>();
        services.AddSingleton<INodeResolver, WebhookNodeResolver>();
        services.AddSystemJob<WebhookDispatchJob>(WebhookDispatchJob.Definition(webhooks));
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Storage.Add(new ChangeCapture.Feature(options));
        foreach (var schemaObject in WebhookStore.SchemaObjects(options.DatabaseSchemaName))
        {
            options.Storage.ExtendedSchemaObjects.Add(schemaObject);
        }
    }

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.AddFieldsOf<ChangeQueries>();
        query.AddFieldsOf<WebhookQueries>();
    }

    public override void AddMutationFields(ObjectGraphType mutation) => mutation.AddFieldsOf<WebhookMutations>();

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => ExportEndpoint.Map(endpoints);
}

public static class IntegrationModuleRegistration
{
    public static IServiceCollection AddIntegrationModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new IntegrationModule(), configuration);
}
