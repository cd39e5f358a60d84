using GraphQL.Types;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Operations.GraphQL;
using Omct.Platform.Operations.Health;
using Omct.Platform.Operations.Jobs;

namespace Omct.Platform.Operations;

/// <summary>
/// The operators' view of the platform's jobs: <c>scheduledJobs</c> (schedule, last run, next fire
/// time, runs in progress) and <c>runJob</c>;
/// <c>platformHealth</c> (projections against the high-water mark, scheduler nodes). The jobs themselves belong to their modules and run through the one
/// mechanism of BuildingBlocks/Jobs; this module only shows and triggers them.
/// </summary>
internal sealed class OperationsModule : PlatformModule
{
    public override string Name => "operations";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<JobCommands>();
        services.AddScoped<ScheduledJobs>();
        services.AddScoped<PlatformHealthReader>();
    }

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.AddFieldsOf<JobQueries>();
        query.AddFieldsOf<HealthQueries>();
    }

    public override void AddMutationFields(ObjectGraphType mutation) => mutation.AddFieldsOf<JobMutations>();
}

public static class OperationsModuleRegistration
{
    public static IServiceCollection AddOperationsModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new OperationsModule(), configuration);
}
