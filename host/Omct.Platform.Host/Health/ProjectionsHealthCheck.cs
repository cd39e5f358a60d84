using JasperFx.Events.Daemon;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Omct.Platform.Host.Health;

/// <summary>
/// Degraded while an asynchronous projection has stopped on an event it could not apply (the
/// daemon is configured never to skip one, see EventStoreSetup): the read model it keeps is
/// behind until someone fixes the cause and restarts the shard. Only the host running the shard
/// (the HotCold leader) knows; the others report healthy. Degraded keeps the host in its load
/// balancer (HTTP 200) while saying so in the body and in the log.
/// </summary>
internal sealed class ProjectionsHealthCheck(Marten.Events.Daemon.Coordination.IProjectionCoordinator coordinator) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stopped = coordinator.DaemonForMainDatabase().CurrentAgents()
            .Where(a => a.Status is JasperFx.AgentStatus.Paused or JasperFx.AgentStatus.Stopped)
            .Select(a => a.Name.Identity)
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(stopped.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded($"Projections stopped on an event they could not apply: {string.Join(", ", stopped)}"));
    }
}
