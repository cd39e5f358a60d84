using GraphQL;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Idempotency;
using Omct.Platform.BuildingBlocks.Jobs;

namespace Omct.Platform.BuildingBlocks.Modules;

public static class ModuleServiceCollectionExtensions
{
    /// <summary>
    /// Registers a module: the module itself (so the host can enumerate them), its services, its
    /// Marten configuration and the GraphQL types of its assembly.
    /// </summary>
    public static IServiceCollection AddPlatformModule(this IServiceCollection services, PlatformModule module, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (RegisteredModules(services).Any(m => m.GetType() == module.GetType()))
        {
            return services;
        }

        if (RegisteredModules(services).FirstOrDefault(m => m.Name == module.Name) is { } namesake)
        {
            throw new InvalidOperationException(
                $"Two modules are named '{module.Name}' ({namesake.GetType().FullName} and {module.GetType().FullName}): a module's name is its own.");
        }

        services.AddSingleton(module);
        // What every module's command handlers share (concurrency, idempotency, audit metadata).
        if (!services.Any(d => d.ServiceType == typeof(StreamCommands)))
        {
            services.AddScoped<MutationPipeline>();
            services.AddScoped<StreamCommands>();
            services.AddScoped<BatchLoaders>();
            // The one job mechanism (runs recorded, daily progress), whichever modules have jobs.
            services.AddJobMechanism();
            services.ConfigureMarten(o =>
            {
                o.Storage.ExtendedSchemaObjects.Add(MutationPipeline.Schema(o.DatabaseSchemaName));
                o.Storage.ExtendedSchemaObjects.Add(JobRunLog.Schema(o.DatabaseSchemaName));
                o.Storage.ExtendedSchemaObjects.Add(JobProgress.Schema(o.DatabaseSchemaName));
            });
        }

        module.ConfigureServices(services, configuration);
        services.ConfigureMarten(module.ConfigureMarten);
        services.AddModuleGraphTypes(module.GetType().Assembly);
        return services;
    }

    /// <summary>The modules registered so far, in registration order (read at composition time by the host).</summary>
    public static IReadOnlyList<PlatformModule> RegisteredModules(this IServiceCollection services) =>
        services
            .Where(d => d.ServiceType == typeof(PlatformModule) && d.ImplementationInstance is PlatformModule)
            .Select(d => (PlatformModule)d.ImplementationInstance!)
            .ToList();
}
