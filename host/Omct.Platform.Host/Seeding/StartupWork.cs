using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Host.Configuration;
using Omct.Platform.Host.Health;

namespace Omct.Platform.Host.Seeding;

/// <summary>
/// Runs after Marten has applied the schema: makes the modules' default data (<see cref="IDefaultData"/>), loads the
/// demo data when asked to, then marks the host ready. Seeders run in order under a system caller, through the modules' own handlers.
/// </summary>
internal sealed class StartupWork(
    IServiceScopeFactory scopes,
    IOptions<PlatformOptions> options,
    StartupState state,
    IEnumerable<PlatformModule> modules,
    ILogger<StartupWork> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var defaults = scopes.CreateAsyncScope())
        {
            foreach (var data in defaults.ServiceProvider.GetServices<IDefaultData>())
            {
                await data.EnsureAsync(cancellationToken);
            }
        }

        if (options.Value.SeedDemoData)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CallerContext>().Set(Caller.System("demo-data"));
            foreach (var seeder in scope.ServiceProvider.GetServices<IDemoDataSeeder>().OrderBy(s => s.Order))
            {
                log.LogInformation("Seeding demo data with {Seeder}", seeder.GetType().Name);
                await seeder.SeedAsync(cancellationToken);
            }
        }

        state.SchemaApplied = true;
        log.LogInformation("Platform ready with the modules {Modules}", string.Join(", ", modules.Select(m => m.Name)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
