using System.Text.RegularExpressions;
using Omct.Platform.BuildingBlocks.Callers;
using Quartz;

namespace Omct.Platform.BuildingBlocks.Jobs;

/// <summary>How a run was started.</summary>
public enum JobTrigger
{
    /// <summary>By the Quartz scheduler (cron, interval, or the catch-up run at start).</summary>
    Schedule,
    /// <summary>By an administrator through <c>runJob</c>.</summary>
    Manual,
}

public enum JobOutcome { Succeeded, Failed }

/// <summary>When a job fires: a Quartz cron expression in a time zone, or a fixed interval.</summary>
public sealed record JobSchedule(string? Cron, TimeSpan? Interval, TimeZoneInfo TimeZone)
{
    public static JobSchedule Every(TimeSpan interval) => new(null, interval, TimeZoneInfo.Utc);

    public static JobSchedule Daily(string cron, TimeZoneInfo timeZone) => new(cron, null, timeZone);

    /// <summary>The calendar day it is now in the schedule's time zone (what a daily job calls "today").</summary>
    public DateOnly Today(TimeProvider time) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), TimeZone).DateTime);
}

/// <summary>
/// A job of the platform, known by its public name (<c>ANNIVERSARY_REMINDERS</c>): the class that
/// does the work, when it fires and who it runs as. Modules register one with
/// <see cref="JobServiceCollectionExtensions.AddSystemJob{TJob}"/>; the host schedules every
/// registered definition on the clustered Quartz scheduler, and <c>runJob</c> runs it by name —
/// both through <see cref="JobRunner"/>, so a run is recorded and logged the same way.
/// </summary>
public sealed partial record JobDefinition
{
    public JobDefinition(string name, Type jobType, JobSchedule schedule, string callerName, string description, bool takesAsOf = false, string group = "platform")
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"A job name is upper snake case (ANNIVERSARY_REMINDERS), not '{name}'.", nameof(name));
        }

        if (!jobType.IsSubclassOf(typeof(SystemJob)))
        {
            throw new ArgumentException($"{jobType.Name} does not derive from SystemJob.", nameof(jobType));
        }

        (Name, JobType, Schedule, CallerName, Description, TakesAsOf) = (name, jobType, schedule, callerName, description, takesAsOf);
        Key = new JobKey(name.ToLowerInvariant().Replace('_', '-'), group);
    }

    /// <summary>The public name (the <c>JobName</c> enum value).</summary>
    public string Name { get; }

    public Type JobType { get; }

    public JobSchedule Schedule { get; }

    /// <summary>The system caller it runs as (<c>system:{name}</c> in the audit trail).</summary>
    public string CallerName { get; }

    public string Description { get; }

    /// <summary>
    /// The clearance it runs with: every job works across all the data (reminders, digests, reports for every
    /// audience), so <c>RESTRICTED</c>. What a run reports (items, error) is computed with it, so only a caller
    /// with this clearance may start one by hand (<c>runJob</c>).
    /// </summary>
    public Confidentiality Clearance => Confidentiality.Restricted;

    /// <summary>Whether a run is for a given day (<c>asOf</c>); other jobs act on "now".</summary>
    public bool TakesAsOf { get; }

    public JobKey Key { get; }

    /// <summary>The trigger of its schedule (cron or interval).</summary>
    public TriggerKey ScheduleTrigger => new($"{Key.Name}-schedule", Key.Group);

    /// <summary>The trigger that fires once when the scheduler starts (daily jobs: the catch-up after downtime).</summary>
    public TriggerKey StartTrigger => new($"{Key.Name}-on-start", Key.Group);

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex NamePattern();
}

/// <summary>This process's id in the Quartz cluster and in the job run records.</summary>
public sealed record JobNode(string Id)
{
    public static JobNode Default() => new($"{Environment.MachineName}-{Environment.ProcessId}");
}
