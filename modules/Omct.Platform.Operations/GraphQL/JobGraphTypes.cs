using GraphQL.Types;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.BuildingBlocks.Jobs;
using Omct.Platform.Operations.Jobs;

namespace Omct.Platform.Operations.GraphQL;

/// <summary><c>JobName</c>: the registered jobs' names (modules add theirs by registering a job).</summary>
internal sealed class JobNameGraphType : EnumerationGraphType
{
    public JobNameGraphType(JobRunner runner)
    {
        Name = "JobName";
        Description = "A job of the platform.";
        foreach (var job in runner.Definitions)
        {
            Add(job.Name, job.Name, job.Description);
        }
    }
}

internal sealed class JobTriggerGraphType : EnumerationGraphType<JobTrigger>
{
    public JobTriggerGraphType()
    {
        Name = "JobTrigger";
        Description = "SCHEDULE: fired by the scheduler; MANUAL: runJob.";
    }
}

internal sealed class JobRunGraphType : ObjectGraphType<JobRun>
{
    public JobRunGraphType()
    {
        Name = "JobRun";
        Description = "One run of a job, as recorded.";
        Field<NonNullGraphType<JobNameGraphType>>("name").Resolve(c => c.Source.Name);
        Field(r => r.StartedAt);
        Field<NonNullGraphType<IntGraphType>>("durationMs").Resolve(c => (int)Math.Min(int.MaxValue, c.Source.DurationMs));
        Field(r => r.Items).Description("How many things the run produced or changed.");
        Field<NonNullGraphType<EnumerationGraphType<JobOutcome>>>("outcome").Resolve(c => c.Source.Outcome);
        Field<StringGraphType>("error").Description("The error message of a failed run (no stack trace: that is in the server log).").Resolve(c => c.Source.Error);
        Field<IsoDateGraphType>("asOf").Description("The day a daily job ran for (its last day when it caught up several); null for the others.").Resolve(c => c.Source.AsOf);
        Field<NonNullGraphType<JobTriggerGraphType>>("trigger").Resolve(c => c.Source.Trigger);
        Field(r => r.Node).Description("The host process that ran it (Omct:Jobs:NodeId).");
        Field<IsoDateTimeGraphType>("scheduledFor").Description("For a scheduled run: the fire time the clustered scheduler ran it for (one run per fire).")
            .Resolve(c => c.Source.ScheduledFor);
        Field<NonNullGraphType<IdGraphType>>("id").Description("The run's id (the same as in ScheduledJob.running while it ran).").Resolve(c => c.Source.Id.ToString());
        Field<IntGraphType>("progressDone").Description("The last progress the job reported: steps done (a daily job: days); null for a job that reports none.")
            .Resolve(c => c.Source.ProgressDone);
        Field<IntGraphType>("progressTotal").Description("Out of how many steps; null when unknown.").Resolve(c => c.Source.ProgressTotal);
        this.FieldsShownWithRecord();
    }
}

internal sealed class RunningJobRunGraphType : ObjectGraphType<RunningJobRun>
{
    public RunningJobRunGraphType()
    {
        Name = "JobRunInProgress";
        Description = "A run going on now on a node of the cluster, with the progress its job last reported (poll scheduledJobs to follow it).";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The run's id: its JobRun has the same once it ends.").Resolve(c => c.Source.Id.ToString());
        Field<NonNullGraphType<JobNameGraphType>>("name").Resolve(c => c.Source.Name);
        Field(r => r.Node).Description("The host process running it (Omct:Jobs:NodeId).");
        Field<NonNullGraphType<JobTriggerGraphType>>("trigger").Resolve(c => c.Source.Trigger);
        Field<IsoDateGraphType>("asOf").Description("The day a daily job runs for; null for the others.").Resolve(c => c.Source.AsOf);
        Field(r => r.StartedAt);
        Field<IntGraphType>("progressDone").Description("Steps done (a daily job: days); null until the job reports progress, and for a job that reports none.")
            .Resolve(c => c.Source.ProgressDone);
        Field<IntGraphType>("progressTotal").Description("Out of how many steps; null when unknown.").Resolve(c => c.Source.ProgressTotal);
        Field(r => r.UpdatedAt).Description("Its last progress report or heartbeat (every 15 s while it runs; a run silent for 60 s is no longer listed).");
        this.FieldsShownWithRecord();
    }
}

internal sealed class ScheduledJobGraphType : ObjectGraphType<ScheduledJob>
{
    public ScheduledJobGraphType()
    {
        Name = "ScheduledJob";
        Field<NonNullGraphType<JobNameGraphType>>("name").Resolve(c => c.Source.Job.Name);
        Field<NonNullGraphType<StringGraphType>>("description").Resolve(c => c.Source.Job.Description);
        Field<StringGraphType>("cron").Description("Quartz cron expression (seconds first), for jobs on a calendar.").Resolve(c => c.Source.Job.Schedule.Cron);
        Field<IntGraphType>("intervalSeconds").Description("For jobs that fire at a fixed interval.")
            .Resolve(c => c.Source.Job.Schedule.Interval is { } interval ? (int)interval.TotalSeconds : null);
        Field<NonNullGraphType<StringGraphType>>("timeZone").Description("IANA time zone of the cron expression and of a daily job's \"today\".")
            .Resolve(c => c.Source.Job.Schedule.TimeZone.Id);
        Field<NonNullGraphType<BooleanGraphType>>("takesAsOf").Description("Whether runJob accepts asOf (a daily job).").Resolve(c => c.Source.Job.TakesAsOf);
        Field<JobRunGraphType>("lastRun").Resolve(c => c.Source.LastRun);
        Field<IsoDateTimeGraphType>("nextFireTime").Description("From the running scheduler; null when the scheduler is off (Omct:Jobs:Enabled=false).")
            .Resolve(c => c.Source.NextFireTime);
        Field<IsoDateGraphType>("lastCompletedDay").Description("A daily job's last completed day; the next run starts the day after.")
            .Resolve(c => c.Source.LastCompletedDay);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RunningJobRunGraphType>>>>("running")
            .Description("Its runs going on now across the cluster, with their progress (lastRun is the last one that ended).")
            .Resolve(c => c.Source.Running);
        this.FieldsShownWithRecord();
    }
}
