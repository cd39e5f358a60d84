using GraphQL.Types;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Integration;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Teamwork.ChangeFeed;
using Omct.Platform.Teamwork.GraphQL;
using Omct.Platform.Teamwork.MyWork;
using Omct.Platform.Teamwork.Notes;
using Omct.Platform.Teamwork.Notifications;
using Omct.Platform.Teamwork.Ownership;
using Omct.Platform.Teamwork.Records;
using Omct.Platform.Teamwork.Reminders;
using Omct.Platform.Teamwork.Tasks;

namespace Omct.Platform.Teamwork;

/// <summary>
/// Teamwork on the records of other modules (cases, defenders, submissions, calls for input): owners and watchers, tasks,
/// internal notes with mentions, and each person's work. Each is an event stream of this module; whether a caller (or a
/// colleague) may see the record is asked of the record's module (<see cref="TeamworkRecords"/>) at every write and read.
/// </summary>
internal sealed class TeamworkModule : PlatformModule
{
    public static readonly OrderKeySequence OrderKeys = new("teamwork_order_seq");

    public override string Name => "teamwork";

    public override void ConfigureServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<TeamworkRecords>();
        services.AddSingleton<Colleagues>();
        services.AddScoped<TeamworkReads>();
        services.AddScoped<TeamCommands>();
        services.AddScoped<TaskCommands>();
        services.AddScoped<NoteCommands>();
        services.AddScoped<INodeResolver, TeamworkNodeResolver>();
        services.AddScoped<INodeResolver, TaskNodeResolver>();
        services.AddScoped<INodeResolver, NoteNodeResolver>();
        services.AddSingleton<IChangeFeedSource, TeamworkFeedSource>();
        // Takes people off the records they no longer reach; it asks the record modules and the accounts, hence the services.
        services.ConfigureMarten((provider, options) => options.Events.Subscribe(new TeamReachSubscription(provider)));
        services.ConfigureMarten((provider, options) => options.Events.Subscribe(new DeadlineTemplatesSubscription(provider)));
        // Reminders that reach people, and notifications by e-mail (Reminders/, Notifications/).
        var options = services.AddValidatedSection<TeamworkOptions>(configuration, TeamworkOptions.Section);
        services.AddSingleton<NotificationStore>();
        services.AddScoped<ReminderItems>();
        services.AddScoped<ReminderItemCommands>();
        services.AddScoped<ReminderIntake>();
        services.AddScoped<Notifier>();
        services.AddScoped<NotificationPreferenceCommands>();
        services.AddScoped<INodeResolver, ReminderItemNodeResolver>();
        services.AddSingleton<BuildingBlocks.Privacy.IPersonalDataErasureParticipant, Erasure.TeamworkTextErasure>();
        services.AddSystemJob<TeamworkNotificationsJob>(TeamworkNotificationsJob.Definition(options));
        services.AddSystemJob<TeamworkDailySummaryJob>(TeamworkDailySummaryJob.Definition(options));
    }

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Events.MapEventType<OwnerAssigned>("teamwork.owner_assigned");
        options.Events.MapEventType<WatcherAdded>("teamwork.watcher_added");
        options.Events.MapEventType<WatcherRemoved>("teamwork.watcher_removed");
        options.Events.MapEventType<OwnerRemoved>("teamwork.owner_removed");
        options.Events.MapEventType<TaskCreated>("teamwork.task_created");
        options.Events.MapEventType<TaskCompleted>("teamwork.task_completed");
        options.Events.MapEventType<TaskCancelled>("teamwork.task_cancelled");
        options.Events.MapEventType<TaskReassigned>("teamwork.task_reassigned");
        options.Events.MapEventType<NoteWritten>("teamwork.note_written");
        options.Events.MapEventType<NoteEdited>("teamwork.note_edited");
        options.Events.MapEventType<NoteTextRedacted>("teamwork.note_text_redacted");
        options.Events.MapEventType<TaskTitleRedacted>("teamwork.task_title_redacted");
        options.Events.MapEventType<ReminderItemCreated>("teamwork.reminder_item_created");
        options.Events.MapEventType<ReminderAcknowledged>("teamwork.reminder_acknowledged");
        options.Events.MapEventType<ReminderSnoozed>("teamwork.reminder_snoozed");
        OrderKeys.Register(options);
        options.Projections.Add<RecordTeamProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<WorkTaskProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<NoteProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<ReminderItemProjection>(ProjectionLifecycle.Inline);
        options.Events.Subscribe(new TaskTemplatesSubscription());
        options.Schema.For<RecordTeam>().DocumentAlias("teamwork_record_team").Duplicate(t => t.RecordId).Duplicate(t => t.OwnerId);
        options.Schema.For<WorkTask>().DocumentAlias("teamwork_task").Duplicate(t => t.AssigneeId).Duplicate(t => t.RecordId).Duplicate(t => t.SortKey);
        options.Schema.For<Note>().DocumentAlias("teamwork_note").Duplicate(n => n.RecordId).Duplicate(n => n.OrderKey);
        options.Schema.For<Mention>().DocumentAlias("teamwork_mention").Duplicate(m => m.AccountId);
        options.Schema.For<ReminderItem>().DocumentAlias("teamwork_reminder_item").Duplicate(i => i.AccountId);
        options.Schema.For<ReminderDelivery>().DocumentAlias("teamwork_reminder_delivery");
        options.Schema.For<TeamworkIntakeCursor>().DocumentAlias("teamwork_intake_cursor");
        options.Schema.For<NotificationPreference>().DocumentAlias("teamwork_notification_preference");
        foreach (var schemaObject in NotificationStore.SchemaObjects(options.DatabaseSchemaName))
        {
            options.Storage.ExtendedSchemaObjects.Add(schemaObject);
        }
    }

    public override void AddQueryFields(ObjectGraphType query) => query.AddFieldsOf<TeamworkQueries>();

    public override void AddMutationFields(ObjectGraphType mutation) => mutation.AddFieldsOf<TeamworkMutations>();
}

public static class TeamworkModuleRegistration
{
    public static IServiceCollection AddTeamworkModule(this IServiceCollection services, IConfiguration configuration) =>
        services.AddPlatformModule(new TeamworkModule(), configuration);
}
