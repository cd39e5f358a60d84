using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omct.Platform.BuildingBlocks.Jobs;
using Quartz;

namespace Omct.Platform.Operations.Health;

/// <summary>
/// What <c>platformHealth</c> reports: the event store's high-water mark (the sequence up to which every event is
/// committed and may be projected), each asynchronous projection shard's position against it and, on the host that
/// runs it (the daemon's HotCold leader), whether it runs or stopped on an event it could not apply (what
/// <c>/health/ready</c> reports as Degraded); and the scheduler's nodes (Quartz cluster check-ins).
/// </summary>
internal sealed record PlatformHealth(
    long HighWaterMark, long LastEventSequence, IReadOnlyList<ProjectionShardHealth> Projections, IReadOnlyList<SchedulerNodeHealth> SchedulerNodes,
    string Node);

internal enum ProjectionShardStatus
{
    /// <summary>At the high-water mark.</summary>
    CaughtUp,
    /// <summary>Behind the high-water mark (catching up, or its daemon runs on no host).</summary>
    Lagging,
    /// <summary>Stopped or paused on this host (an event it could not apply): it will not catch up by itself.</summary>
    Failing,
}

/// <param name="RunningHere">The shard's agent on this host: RUNNING, PAUSED, STOPPED; null when this host does not run it.</param>
internal sealed record ProjectionShardHealth(string Name, long Position, long Behind, ProjectionShardStatus Status, string? RunningHere);

/// <param name="LastCheckIn">Its last check-in in the cluster's table; null for this host when its scheduler is off.</param>
/// <param name="Late">No check-in for more than twice its interval (Quartz's own sign that a node is gone; its jobs are taken over).</param>
internal sealed record SchedulerNodeHealth(string Node, bool ThisHost, bool SchedulerRunning, DateTimeOffset? LastCheckIn, int? CheckInIntervalMs, bool Late);

/// <summary>Reads <see cref="PlatformHealth"/>. Scoped.</summary>
internal sealed class PlatformHealthReader(IDocumentStore store, JobNode node, IServiceProvider services)
{
    // Quartz's default table prefix, in the database's default schema (SchedulerSetup provisions it there).
    private const string SchedulerStateTable = "qrtz_scheduler_state";
    private const string SchedulerName = "omct";

    public async Task<PlatformHealth> ReadAsync(CancellationToken ct)
    {
        var progress = await store.Advanced.AllProjectionProgress(token: ct);
        var statistics = await store.Advanced.FetchEventStoreStatistics(token: ct);
        var highWaterMark = progress.FirstOrDefault(p => p.ShardName == ShardState.HighWaterMark)?.Sequence ?? 0;
        var agents = Agents();
        var projections = progress
            .Where(p => p.ShardName != ShardState.HighWaterMark)
            .Select(p =>
            {
                var here = agents.GetValueOrDefault(p.ShardName);
                var behind = Math.Max(0, highWaterMark - p.Sequence);
                var status = here is "PAUSED" or "STOPPED" ? ProjectionShardStatus.Failing
                    : behind > 0 ? ProjectionShardStatus.Lagging : ProjectionShardStatus.CaughtUp;
                return new ProjectionShardHealth(p.ShardName, p.Sequence, behind, status, here);
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        return new PlatformHealth(highWaterMark, statistics.EventSequenceNumber, projections, await SchedulerNodesAsync(ct), node.Id);
    }

    /// <summary>The daemon's agents on this host, by shard name (none when this host runs no daemon).</summary>
    private Dictionary<string, string> Agents()
    {
        if (services.GetService<IProjectionCoordinator>() is not { } coordinator)
        {
            return [];
        }

        try
        {
            return coordinator.DaemonForMainDatabase().CurrentAgents()
                .GroupBy(a => a.Name.Identity)
                .ToDictionary(g => g.Key, g => g.First().Status.ToString().ToUpperInvariant());
        }
        catch (InvalidOperationException)
        {
            // The daemon is starting or stopping: positions still tell how far each shard is.
            return [];
        }
    }

    private async Task<List<SchedulerNodeHealth>> SchedulerNodesAsync(CancellationToken ct)
    {
        var nodes = new List<SchedulerNodeHealth>();
        await using (var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(
                $"select instance_name, last_checkin_time, checkin_interval from {SchedulerStateTable} where sched_name = $1 order by instance_name", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = SchedulerName });
            try
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    // Quartz.NET stores instants as UTC ticks and the interval in milliseconds.
                    var checkIn = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
                    var interval = reader.GetInt64(2);
                    var id = reader.GetString(0);
                    // Quartz checks in on the wall clock (SchedulerSetup: TimeProvider.System), so lateness is measured on it too.
                    var late = (DateTimeOffset.UtcNow - checkIn).TotalMilliseconds > 2 * Math.Max(interval, 1_000);
                    nodes.Add(new SchedulerNodeHealth(id, id == node.Id, !late, checkIn, (int)Math.Min(int.MaxValue, interval), late));
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // No host of this database ever ran the scheduler: no cluster table yet.
            }
        }

        if (nodes.All(n => !n.ThisHost))
        {
            // This host is always listed: with its scheduler off (Omct:Jobs:Enabled=false) it fires nothing on its own.
            nodes.Insert(0, new SchedulerNodeHealth(node.Id, true, await SchedulerRunningAsync(ct), null, null, false));
        }

        return nodes;
    }

    private async Task<bool> SchedulerRunningAsync(CancellationToken ct)
    {
        if (services.GetService<ISchedulerFactory>() is not { } factory)
        {
            return false;
        }

        try
        {
            return await (await factory.GetScheduler(ct)).GetStatus(ct) == SchedulerStatus.Running;
        }
        catch (SchedulerException)
        {
            return false;
        }
    }
}
