using System.ComponentModel;
using GraphQL;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.GraphQL;
using Omct.Platform.Operations.Health;

namespace Omct.Platform.Operations.GraphQL;

[QueryFields]
internal sealed class HealthQueries
{
    // Admins only, like scheduledJobs: shard and node names describe the platform's internals.
    [Description("ADMIN: the health of the platform: the asynchronous projections' positions against the event store's high-water mark " +
                 "(lagging or failing), and the scheduler's nodes with their last check-in in the Quartz cluster.")]
    [RequireRole(Role.Admin)]
    [OutputType(typeof(NonNullGraphType<PlatformHealthGraphType>))]
    public Task<PlatformHealth> PlatformHealth([FromServices] PlatformHealthReader reader, CancellationToken ct) => reader.ReadAsync(ct);
}

internal sealed class PlatformHealthGraphType : ObjectGraphType<PlatformHealth>
{
    public PlatformHealthGraphType()
    {
        Name = "PlatformHealth";
        Description = "The asynchronous projections and the scheduler's nodes, as the database and this host see them now.";
        Field(h => h.HighWaterMark, type: typeof(NonNullGraphType<LongGraphType>))
            .Description("The event store's high-water mark: every event up to this sequence is committed and can be projected.");
        Field(h => h.LastEventSequence, type: typeof(NonNullGraphType<LongGraphType>)).Description("The sequence of the last event appended.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProjectionShardHealthGraphType>>>>("projections")
            .Description("Every asynchronous projection shard, by name.").Resolve(c => c.Source.Projections);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SchedulerNodeGraphType>>>>("schedulerNodes")
            .Description("The Quartz cluster's nodes, and this host (also when its scheduler is off).").Resolve(c => c.Source.SchedulerNodes);
        Field(h => h.Node).Description("This host (Omct:Jobs:NodeId): the one that answered.");
        this.FieldsShownWithRecord();
    }
}

internal sealed class ProjectionShardStatusGraphType : EnumerationGraphType<ProjectionShardStatus>
{
    public ProjectionShardStatusGraphType()
    {
        Name = "ProjectionShardStatus";
        Description = "CAUGHT_UP: at the high-water mark. LAGGING: behind it. FAILING: stopped on this host on an event it could not apply (it waits for a fix).";
    }
}

internal sealed class ProjectionShardHealthGraphType : ObjectGraphType<ProjectionShardHealth>
{
    public ProjectionShardHealthGraphType()
    {
        Name = "ProjectionShardHealth";
        Description = "An asynchronous projection shard (Marten's async daemon).";
        Field(p => p.Name).Description("The shard (projection:All).");
        Field(p => p.Position, type: typeof(NonNullGraphType<LongGraphType>)).Description("The event sequence it has projected up to.");
        Field(p => p.Behind, type: typeof(NonNullGraphType<LongGraphType>)).Description("How many sequence numbers it is behind the high-water mark.");
        Field<NonNullGraphType<ProjectionShardStatusGraphType>>("status").Resolve(c => c.Source.Status);
        Field<StringGraphType>("runningHere").Description("Its agent on the host that answered: RUNNING, PAUSED or STOPPED; null when another host (the daemon's leader) runs it.")
            .Resolve(c => c.Source.RunningHere);
        this.FieldsShownWithRecord();
    }
}

internal sealed class SchedulerNodeGraphType : ObjectGraphType<SchedulerNodeHealth>
{
    public SchedulerNodeGraphType()
    {
        Name = "SchedulerNode";
        Description = "A node of the clustered scheduler (Quartz on PostgreSQL).";
        Field(n => n.Node).Description("Its id (Omct:Jobs:NodeId).");
        Field(n => n.ThisHost).Description("The host that answered.");
        Field(n => n.SchedulerRunning).Description("Its scheduler fires jobs (false: Omct:Jobs:Enabled=false on this host, or a node that stopped checking in).");
        Field<IsoDateTimeGraphType>("lastCheckIn").Description("Its last check-in in the cluster; null when it never checked in.").Resolve(c => c.Source.LastCheckIn);
        Field<IntGraphType>("checkInIntervalMs").Description("How often it checks in.").Resolve(c => c.Source.CheckInIntervalMs);
        Field(n => n.Late).Description("No check-in for more than twice its interval: the cluster takes over its jobs.");
        this.FieldsShownWithRecord();
    }
}
