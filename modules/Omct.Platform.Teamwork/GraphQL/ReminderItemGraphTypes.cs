using GraphQL;
using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.History;
using Omct.Platform.BuildingBlocks.Ids;
using Omct.Platform.Teamwork.MyWork;
using Omct.Platform.Teamwork.Notifications;
using Omct.Platform.Teamwork.Records;
using Omct.Platform.Teamwork.Reminders;

namespace Omct.Platform.Teamwork.GraphQL;

internal sealed class ReminderItemStatusGraphType : EnumerationGraphType<ReminderItemStatus>
{
    public ReminderItemStatusGraphType()
    {
        Name = "ReminderItemStatus";
        Description = "OPEN (in your work from its day) or ACKNOWLEDGED (dealt with).";
    }
}

internal sealed class ReminderItemGraphType : ObjectGraphType<ReminderItemView>
{
    public ReminderItemGraphType()
    {
        Name = ReminderItems.TypeName;
        Description = "A reminder as it reached you (as the record's owner, a watcher, or a member of its country's or mechanism's team), " +
                      "as you may see it now: gone when its record or what it reminds of is raised above you.";
        Interface<NodeInterfaceGraphType>();
        Field<NonNullGraphType<IdGraphType>>("id").Description("Pass it as reminderId to acknowledgeReminder and snoozeReminder.")
            .Resolve(c => GlobalId.Encode(ReminderItems.TypeName, c.Source.Item.Id));
        Field<NonNullGraphType<IdGraphType>>("reminderId").Description("The reminder's id (as in reminders).").Resolve(c => GlobalId.Encode("Reminder", c.Source.Item.ReminderId));
        Field<NonNullGraphType<StringGraphType>>("title").Description("What it reminds of, with the record's title as you may see it (\"1 year since the conviction: …\").")
            .Resolve(c => c.Source.Text.Title);
        Field<NonNullGraphType<IsoDateGraphType>>("dueOn").Description("The date of the anniversary or deadline.").Resolve(c => c.Source.Item.DueOn);
        Field<NonNullGraphType<IsoDateGraphType>>("remindOn").Description("The day it reminds.").Resolve(c => c.Source.Item.RemindOn);
        Field<NonNullGraphType<IsoDateGraphType>>("showsOn").Description("The day it is in your work from: remindOn, or the day a snooze ends.").Resolve(c => c.Source.Item.ShowsOn);
        Field<IsoDateGraphType>("snoozedUntil").Description("The day the last snooze ends, if it was snoozed.").Resolve(c => c.Source.Item.SnoozedUntil);
        Field<NonNullGraphType<ReminderItemStatusGraphType>>("status").Resolve(c => c.Source.Item.Status);
        Field<NonNullGraphType<StringGraphType>>("reason").Description("Why it reached you: OWNER, WATCHER or TEAM.").Resolve(c => c.Source.Item.Reason);
        this.AddRecordAndEntityFields(v => v.Record, "The reminder's level now (what it reminds of).", v => v.Text.Reminder.Confidentiality,
            v => (v.Item.Version, v.Item.CreatedAt, v.Item.UpdatedAt));
        this.HistoryField(v => v.Item.Id, _ => Describe);
        this.FieldsShownWithRecord();
    }

    private static HistoryDescription? Describe(JasperFx.Events.IEvent e) => e.Data switch
    {
        ReminderItemCreated c => new("REMINDER_DELIVERED", $"Reminder delivered ({c.Reason.ToLowerInvariant()})."),
        ReminderAcknowledged => new("REMINDER_ACKNOWLEDGED", "Reminder acknowledged."),
        ReminderSnoozed s => new("REMINDER_SNOOZED", $"Reminder snoozed until {s.Until:yyyy-MM-dd}."),
        _ => null,
    };
}

internal sealed class NotificationModeGraphType : EnumerationGraphType<NotificationMode>
{
    public NotificationModeGraphType()
    {
        Name = "NotificationMode";
        Description = "IMMEDIATE: an e-mail for each new reminder and mention; DAILY (the default): one summary a day; NONE: no e-mail.";
    }
}

internal sealed class NotificationPreferenceGraphType : ObjectGraphType<NotificationPreference>
{
    public NotificationPreferenceGraphType()
    {
        Name = "NotificationPreference";
        Description = "How you are told by e-mail of new reminders and mentions.";
        Field<NonNullGraphType<NotificationModeGraphType>>("mode").Resolve(c => c.Source.Mode);
        Field<IsoDateTimeGraphType>("updatedAt").Description("When you last set it; null while it is the default.").Resolve(c => c.Source.UpdatedAt);
        this.FieldsShownWithRecord();
    }
}

internal sealed class MyWorkCountsGraphType : ObjectGraphType<MyWorkCounts>
{
    public MyWorkCountsGraphType()
    {
        Name = "MyWorkCounts";
        Description = "How many of each your work holds, as far as you may see them (at most 5,000 of each are counted).";
        Field(c => c.OpenTasks).Description("Your open tasks.");
        Field(c => c.OverdueTasks).Description("Your open tasks due before today.");
        Field(c => c.Reminders).Description("Your reminders in your work today (not acknowledged, not snoozed).");
        Field(c => c.UnreadMentions).Description("The notes that mention you, unread.");
        this.FieldsShownWithRecord();
    }
}

/// <summary><c>node(id)</c> for a reminder item: only your own, while you may see it.</summary>
internal sealed class ReminderItemNodeResolver(ReminderItems items) : INodeResolver
{
    public string TypeName => ReminderItems.TypeName;

    public async Task<object?> ResolveAsync(IResolveFieldContext context, Guid id) => await items.FindAsync(id, context.GetCaller(), context.CancellationToken);
}

/// <summary>The fields <c>myWork</c> gains: reminders, counts and the notification preference.</summary>
internal static class MyWorkReminderFields
{
    public static void AddReminderFields(this ObjectGraphType<MyWorkView> type)
    {
        type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReminderItemGraphType>>>>("reminders")
            .Description("The reminders that reached you and are in your work today (not acknowledged, not snoozed beyond today), due first.")
            .Resolve(c => c.Source.Reminders);
        type.Field<NonNullGraphType<MyWorkCountsGraphType>>("counts").Resolve(c => c.Source.Counts);
        type.Field<NotificationPreferenceGraphType>("notificationPreference")
            .Description("How you are told by e-mail (DAILY until you set it); null for a caller that is not a person.")
            .ResolveAsync(async c =>
            {
                if (Colleagues.AccountIdOf(c.GetCaller()) is not { } me)
                {
                    return null;
                }

                await using var session = c.Service<IDocumentStore>().QuerySession();
                return await session.LoadAsync<NotificationPreference>(me, c.CancellationToken) ?? NotificationPreference.Default(me);
            });
    }
}
