using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.Cases.Contracts;
using Omct.Platform.Reminders.Planning;
using Omct.Platform.Reminders.Storage;
using Omct.Platform.Submissions.Contracts;

namespace Omct.Platform.Reminders.Scheduling;

/// <summary>
/// Every day (cron and time zone from <see cref="ReminderOptions"/>), turns the anniversaries that
/// enter their lead window into reminders, exactly once each (see <see cref="DailyJob"/> for the
/// catch-up and the day's transaction, <see cref="ReminderPlanner"/> for which reminder a day brings).
/// Anniversaries are read as the job's system caller sees them (RESTRICTED): each reminder keeps its
/// subject's level, and lists show it only to callers whose clearance reaches it.
/// </summary>
internal sealed class AnniversaryRemindersJob(
    JobProgress progress, TimeProvider clock, ILogger<AnniversaryRemindersJob> log, IAnniversaryCalendar calendar, ReminderStore reminders,
    ICallerContext callers, IOptions<ReminderOptions> options) : DailyJob(progress, clock, log)
{
    public const string Name = "ANNIVERSARY_REMINDERS";

    public static JobDefinition Definition(ReminderOptions options) => new(Name, typeof(AnniversaryRemindersJob),
        JobSchedule.Daily(options.Cron, options.ResolvedTimeZone()), "reminders",
        $"Reminders of anniversaries and detention milestones, {options.AnniversaryLeadDays} days ahead.", takesAsOf: true, group: "reminders");

    protected override async Task<int> ProcessDayAsync(JobDay day, CancellationToken cancellationToken)
    {
        var lead = options.Value.AnniversaryLeadDays;
        var occurrences = await calendar.BetweenAsync(day.Day, day.Day.AddDays(lead), callers.Current, cancellationToken);
        var due = ReminderPlanner.ForAnniversaries(occurrences, day.Day, [lead]);
        return await reminders.InsertNewAsync(due, day.Now, day.Connection, day.Transaction, cancellationToken);
    }
}

/// <summary>The same for deadlines (submission due dates, UN sessions, calls for input), 30, 7 and 1 day ahead by default.</summary>
internal sealed class DeadlineRemindersJob(
    JobProgress progress, TimeProvider clock, ILogger<DeadlineRemindersJob> log, IDeadlineCalendar calendar, ReminderStore reminders,
    ICallerContext callers, IOptions<ReminderOptions> options) : DailyJob(progress, clock, log)
{
    public const string Name = "DEADLINE_REMINDERS";

    public static JobDefinition Definition(ReminderOptions options) => new(Name, typeof(DeadlineRemindersJob),
        JobSchedule.Daily(options.Cron, options.ResolvedTimeZone()), "reminders",
        $"Reminders of deadlines, {string.Join(", ", options.DeadlineLeads())} days ahead.", takesAsOf: true, group: "reminders");

    protected override async Task<int> ProcessDayAsync(JobDay day, CancellationToken cancellationToken)
    {
        var leads = options.Value.DeadlineLeads();
        var occurrences = await calendar.BetweenAsync(day.Day, day.Day.AddDays(leads[0]), callers.Current, cancellationToken);
        var due = ReminderPlanner.ForDeadlines(occurrences, day.Day, leads);
        return await reminders.InsertNewAsync(due, day.Now, day.Connection, day.Transaction, cancellationToken);
    }
}
