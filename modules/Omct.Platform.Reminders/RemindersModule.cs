using GraphQL.Types;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.BuildingBlocks.Modules;
using Microsoft.AspNetCore.Routing;
using Omct.Platform.Reminders.CalendarFeeds;
using Omct.Platform.Reminders.GraphQL;
using Omct.Platform.Reminders.Scheduling;
using Omct.Platform.Reminders.Storage;

namespace Omct.Platform.Reminders;

/// <summary>
/// Reminders of anniversaries (from the cases module's <c>IAnniversaryCalendar</c>) and deadlines (from
/// the submissions module's <c>IDeadlineCalendar</c>): two daily jobs make them, exactly once each;
/// <c>reminders</c> lists them.
/// </summary>
internal sealed class RemindersModule : PlatformModule
{
    public override string Name => "reminders";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        // Read and checked now, because the schedule is part of the job definitions the host schedules.
        var options = services.AddValidatedSection<ReminderOptions>(configuration, ReminderOptions.Section);
        services.AddSingleton<ReminderStore>();
        services.AddSingleton<Contracts.IReminderSource, ReminderSource>();
        services.AddHttpContextAccessor();
        services.AddScoped<CalendarFeedCommands>();
        services.AddScoped<CalendarFeedWriter>();
        services.AddSystemJob<AnniversaryRemindersJob>(AnniversaryRemindersJob.Definition(options));
        services.AddSystemJob<DeadlineRemindersJob>(DeadlineRemindersJob.Definition(options));
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        foreach (var schemaObject in ReminderStore.SchemaObjects(options.DatabaseSchemaName))
        {
            options.Storage.ExtendedSchemaObjects.Add(schemaObject);
        }

        options.Schema.For<CalendarFeed>().DocumentAlias("reminders_calendar_feed").UniqueIndex(f => f.SecretHash);
        options.Projections.Add(new ReminderLevelsProjection(options.DatabaseSchemaName), JasperFx.Events.Projections.ProjectionLifecycle.Inline);
    }

    public override void AddQueryFields(ObjectGraphType query)
    {
        query.AddFieldsOf<ReminderQueries>();
        query.AddFieldsOf<CalendarFeedQueries>();
    }

    public override void AddMutationFields(ObjectGraphType mutation) => mutation.AddFieldsOf<CalendarFeedMutations>();

    public override void MapEndpoints(IEndpointRouteBuilder endpoints) => CalendarFeedEndpoint.Map(endpoints);
}

public static class RemindersModuleRegistration
{
    public static IServiceCollection AddRemindersModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new RemindersModule(), configuration);
}
