using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Omct.Platform.Host.Health;

/// <summary>Ready when the database answers and the store's schema has been applied.</summary>
internal sealed class DatabaseHealthCheck(IDocumentStore store, StartupState startup) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!startup.SchemaApplied)
        {
            return HealthCheckResult.Unhealthy("The database schema has not been applied yet.");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var session = store.QuerySession();
            await session.QueryAsync<int>("select 1", timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The reason stays in the server log; the endpoint says only "Unhealthy".
            return HealthCheckResult.Unhealthy("The database is not reachable.", e);
        }
    }
}

/// <summary>Set once the start-up work (schema, seed) is done.</summary>
internal sealed class StartupState
{
    public volatile bool SchemaApplied;
}
