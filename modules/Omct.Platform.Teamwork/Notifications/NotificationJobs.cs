using Microsoft.Extensions.Logging;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.Teamwork.Reminders;

namespace Omct.Platform.Teamwork.Notifications;

/// <summary>
/// TEAMWORK_NOTIFICATIONS (every <see cref="TeamworkOptions.NotificationIntervalSeconds"/>, on one node of the cluster at a
/// time): brings the reminders made since the last run to their people (<see cref="ReminderIntake"/>), queues the new
/// mentions' notifications, and sends the IMMEDIATE e-mails (<see cref="Notifier"/>). Every step is idempotent: a manual
/// run on another host at the same moment makes and sends nothing twice. Items: the reminder items made.
/// </summary>
internal sealed class TeamworkNotificationsJob(ReminderIntake intake, Notifier notifier, ICallerContext callers) : SystemJob
{
    public const string Name = "TEAMWORK_NOTIFICATIONS";

    public static JobDefinition Definition(TeamworkOptions options) => new(Name, typeof(TeamworkNotificationsJob),
        JobSchedule.Every(TimeSpan.FromSeconds(options.NotificationIntervalSeconds)), "teamwork",
        "Brings new reminders to the records' owners, watchers or teams, and sends the immediate notification e-mails.", group: "reminders");

    protected override async Task<int> RunAsync(JobRunContext run, CancellationToken cancellationToken)
    {
        var items = await intake.RunAsync(callers.Current, cancellationToken);
        await notifier.SendImmediateAsync(cancellationToken);
        return items;
    }
}

/// <summary>
/// TEAMWORK_DAILY_SUMMARY (daily, <see cref="TeamworkOptions.SummaryCron"/>): one e-mail per person whose preference is
/// DAILY (the default) with what reached them since their last summary, once per person and day (see <see cref="DailyJob"/>
/// for the day's transaction that two hosts take one after the other). Items: the summaries sent.
/// </summary>
internal sealed class TeamworkDailySummaryJob(JobProgress progress, TimeProvider clock, ILogger<TeamworkDailySummaryJob> log, ReminderIntake intake, Notifier notifier,
    ICallerContext callers) : DailyJob(progress, clock, log)
{
    public const string Name = "TEAMWORK_DAILY_SUMMARY";

    public static JobDefinition Definition(TeamworkOptions options) => new(Name, typeof(TeamworkDailySummaryJob),
        JobSchedule.Daily(options.SummaryCron, options.ResolvedTimeZone()), "teamwork",
        "Sends each person who asked for it (DAILY, the default) one summary a day of the reminders and mentions that reached them.", takesAsOf: true, group: "reminders");

    protected override async Task<int> ProcessDayAsync(JobDay day, CancellationToken cancellationToken)
    {
        // What arrived since the last intake is in this summary too.
        await intake.RunAsync(callers.Current, cancellationToken);
        return await notifier.SendSummariesAsync(day.Day, day.Connection, day.Transaction, cancellationToken);
    }
}
