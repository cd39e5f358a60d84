using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Hosting;

/// <summary>
/// An asynchronous projection that cannot apply an event stops on it (nothing skipped, nothing
/// dead-lettered) and the host says so on /health/ready, which stays 200 (Degraded).
/// </summary>
public sealed class ProjectionFailureTests(ProjectionFailurePlatformFactory platform) : IClassFixture<ProjectionFailurePlatformFactory>
{
    [Fact]
    public async Task A_failing_async_projection_stops_at_the_event_and_is_reported()
    {
        var store = platform.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(Guid.CreateVersion7(), new Tally(1));
            session.Events.StartStream(Guid.CreateVersion7(), new Tally(-1)); // the poison pill
            session.Events.StartStream(Guid.CreateVersion7(), new Tally(2));
            await session.SaveChangesAsync();
        }

        using var http = platform.CreateClient();
        var health = await Eventually.GetAsync(
            async () => await (await http.GetAsync("/health/ready")).Content.ReadAsStringAsync(),
            body => body == "Degraded", TimeSpan.FromSeconds(90));
        Assert.Equal("Degraded", health);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.Contains(platform.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Error
                                                   && e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("Tally:All", StringComparison.Ordinal));

        // Nothing after the poison pill was applied, and nothing was set aside as a dead letter.
        await using var query = store.QuerySession();
        Assert.Null(await query.LoadAsync<TallyTotal>("total"));
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        var deadLetterTables = new List<string>();
        await using (var tables = new NpgsqlCommand("select tablename from pg_tables where schemaname = 'omct' and tablename like '%dead%letter%'", connection))
        await using (var reader = await tables.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                deadLetterTables.Add(reader.GetString(0));
            }
        }

        foreach (var table in deadLetterTables)
        {
            await using var count = new NpgsqlCommand($"select count(*) from omct.{table}", connection);
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        }
    }
}

public sealed record Tally(int Amount);

public sealed class TallyTotal
{
    public string Id { get; set; } = "total";
    public int Sum { get; set; }
}

public sealed class TallyProjection : IProjection
{
    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var total = await operations.LoadAsync<TallyTotal>("total", cancellation) ?? new TallyTotal();
        foreach (var e in events)
        {
            if (e.Data is Tally { Amount: < 0 })
            {
                throw new InvalidOperationException("A tally cannot be negative.");
            }

            total.Sum += ((Tally)e.Data).Amount;
        }

        operations.Store(total);
    }
}

internal sealed class TallyModule : PlatformModule
{
    public override string Name => "tally";

    public override void ConfigureMarten(StoreOptions options)
    {
        options.Events.MapEventType<Tally>("tally.tally");
        options.Projections.Add(new TallyProjection(), ProjectionLifecycle.Async, "Tally", _ => { });
    }
}

public sealed class ProjectionFailurePlatformFactory : PlatformFactory
{
    protected override IEnumerable<PlatformModule> ExtraModules => [new TallyModule()];
}
