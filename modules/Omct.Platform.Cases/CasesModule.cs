using GraphQL.Types;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Cases.ReadModels;

namespace Omct.Platform.Cases;

internal sealed class CasesModule : PlatformModule
{
    public override string Name => "cases";

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<CaseSummary>().DocumentAlias("cases_case_summary");
    }

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.AddVisibleCount<CaseSummary>("caseCount", "The number of case the caller may see.");
    }
}

public static class CasesModuleRegistration
{
    public static IServiceCollection AddCasesModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new CasesModule(), configuration);
}
