using GraphQL.Types;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Omct.Platform.BuildingBlocks.Modules;

/// <summary>
/// The contract every business module fulfils. A module describes itself — its services, its part
/// of the event store, its GraphQL fields and its jobs — and the host assembles the modules
/// without knowing anything else about them. Register one with
/// <see cref="ModuleServiceCollectionExtensions.AddPlatformModule"/> from the module's own
/// <c>AddXxxModule</c> extension.
/// </summary>
public abstract class PlatformModule
{
    /// <summary>
    /// Short module name (<c>cases</c>): unique among the modules (a second module of the same name fails start-up),
    /// listed in the start-up log. Jobs are registered in <see cref="ConfigureServices"/> with <c>AddSystemJob</c>.
    /// </summary>
    public abstract string Name { get; }

    /// <summary>Handlers, read services, lookups, seeders, options.</summary>
    public virtual void ConfigureServices(IServiceCollection services, IConfiguration configuration) { }

    /// <summary>Documents, indexes, event type aliases (module-prefixed) and projections.</summary>
    public virtual void ConfigureMarten(StoreOptions options) { }

    /// <summary>Root query fields this module contributes to the one schema.</summary>
    public virtual void AddQueryFields(ObjectGraphType query) { }

    /// <summary>Root mutation fields this module contributes to the one schema.</summary>
    public virtual void AddMutationFields(ObjectGraphType mutation) { }

    /// <summary>
    /// HTTP endpoints besides <c>/graphql</c> (bulk exports). The host maps them behind the same
    /// authentication and rate limits as <c>/graphql</c>: the caller is in <see cref="Callers.ICallerContext"/>.
    /// </summary>
    public virtual void MapEndpoints(IEndpointRouteBuilder endpoints) { }
}
