using GraphQL.Types;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Submissions.ReadModels;

namespace Omct.Platform.Submissions;

internal sealed class SubmissionsModule : PlatformModule
{
    public override string Name => "submissions";

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<SubmissionSummary>().DocumentAlias("submissions_submission_summary");
    }

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.AddVisibleCount<SubmissionSummary>("submissionCount", "The number of submissions the caller may see.");
    }
}

public static class SubmissionsModuleRegistration
{
    public static IServiceCollection AddSubmissionsModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new SubmissionsModule(), configuration);
}
