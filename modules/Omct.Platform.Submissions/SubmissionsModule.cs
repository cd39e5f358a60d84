using GraphQL.Types;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.EventSourcing;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Submissions.CallsForInput;
using Omct.Platform.Submissions.Contracts;
using Omct.Platform.Submissions.ChangeFeed;
using Omct.Platform.Submissions.Deadlines;
using Omct.Platform.Submissions.DemoData;
using Omct.Platform.Submissions.Domain;
using Omct.Platform.Submissions.Export;
using Omct.Platform.Submissions.GraphQL;
using Omct.Platform.Submissions.Handling;
using Omct.Platform.Submissions.Scheduling;
using Omct.Platform.Submissions.Submissions;
using Omct.Platform.BuildingBlocks.Jobs;

namespace Omct.Platform.Submissions;

/// <summary>The work with UN mechanisms: submissions (joint or not), calls for input to the network, their deadlines.</summary>
internal sealed class SubmissionsModule : PlatformModule
{
    /// <summary>The order keys of submissions and calls for input (newest first in their lists).</summary>
    public static readonly OrderKeySequence OrderKeys = new("submissions_order_seq");

    public override string Name => "submissions";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<SubmissionCommands>();
        services.AddSingleton<ISubmissionDirectory, SubmissionDirectory>();
        services.AddSingleton<IDeadlineCalendar, DeadlineCalendar>();
        services.AddSingleton<ISubmissionActivity, SubmissionActivity>();
        services.AddSingleton<INodeResolver, SubmissionNodeResolver>();
        services.AddSingleton<INodeResolver, CallForInputNodeResolver>();
        services.AddSingleton<CallInputFinder>();
        services.AddSingleton<INodeResolver, CallInputNodeResolver>();
        services.AddSingleton<Files.Contracts.IAttachmentTargets, Attachments.SubmissionAttachmentTargets>();
        services.AddScoped<IDemoDataSeeder, SubmissionDemoData>();
        services.AddSingleton<IChangeFeedSource, SubmissionFeedSource>();
        services.AddSingleton<IExportSource, SubmissionExportSource>();
        services.AddSingleton<IExportSource, CallForInputExportSource>();
        services.AddSingleton<BuildingBlocks.Import.IRecordImporter, Import.SubmissionImporter>().AddSingleton<BuildingBlocks.Import.IRecordImporter, Import.CallForInputImporter>();
        services.AddSystemJob<CloseExpiredCallsJob>(CloseExpiredCallsJob.Definition);
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Events.MapEventType<SubmissionPlanned>("submissions.submission_planned");
        options.Events.MapEventType<CoSignatoryAdded>("submissions.co_signatory_added");
        options.Events.MapEventType<CoSignatoryRemoved>("submissions.co_signatory_removed");
        options.Events.MapEventType<SubmissionTextAttached>("submissions.text_attached");
        options.Events.MapEventType<SubmissionSubmitted>("submissions.submitted");
        options.Events.MapEventType<OutcomeRecorded>("submissions.outcome_recorded");
        options.Events.MapEventType<CallForInputOpened>("submissions.call_for_input_opened");
        options.Events.MapEventType<InputReceived>("submissions.input_received");
        options.Events.MapEventType<CallDeadlineExtended>("submissions.call_deadline_extended");
        options.Events.MapEventType<CallForInputClosed>("submissions.call_for_input_closed");
        options.Projections.Add<SubmissionProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<CallForInputProjection>(ProjectionLifecycle.Inline);
        // What SubmissionDecider decides on, aggregated live from the streams for each command (see Handling/SubmissionCommands).
        options.Projections.AddWriteModel<SubmissionState>(SubmissionDecider.Evolve);
        options.Projections.AddWriteModel<CallState>(SubmissionDecider.Evolve);
        options.Schema.For<Submission>().DocumentAlias("submissions_submission").Duplicate(s => s.OrderKey).Duplicate(s => s.DueOn);
        options.Schema.For<CallForInput>().DocumentAlias("submissions_call_for_input").Duplicate(c => c.OrderKey).Duplicate(c => c.Deadline);
        OrderKeys.Register(options);
    }

    public override void AddQueryFields(ObjectGraphType query) => query.AddFieldsOf<SubmissionQueries>();

    public override void AddMutationFields(ObjectGraphType mutation) => mutation.AddFieldsOf<SubmissionMutations>();
}

public static class SubmissionsModuleRegistration
{
    public static IServiceCollection AddSubmissionsModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new SubmissionsModule(), configuration);
}
