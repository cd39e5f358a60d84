using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Integration;

/// <summary>A second host on the same database (a restart, another node).</summary>
public sealed class FeedNode(string connectionString) : PlatformFactory(connectionString);

/// <summary>The capture table and trigger: created with the schema, left alone on the next start, added to an existing database.</summary>
public sealed class ChangeCaptureSchemaTests(PlatformFactory platform) : IClassFixture<PlatformFactory>
{
    [Fact]
    public async Task Every_event_has_its_transaction_recorded_and_a_restart_leaves_the_trigger_alone()
    {
        await FeedKit.OpenCaseAsync(platform.Admin(), "Peru: before the restart");
        var before = await CatalogAsync();
        Assert.NotNull(before.Trigger);

        await using (var node = new FeedNode(platform.ConnectionString))
        {
            await node.InitializeAsync();
            await FeedKit.OpenCaseAsync(node.Admin(), "Peru: after the restart");
        }

        var after = await CatalogAsync();
        // Same objects (not dropped and recreated), and every event has its row.
        Assert.Equal(before.Trigger, after.Trigger);
        Assert.Equal(before.Function, after.Function);
        Assert.Equal(after.Events, after.Captured);
        Assert.Equal(0, after.Uncaptured);
    }

    [Fact]
    public async Task A_database_without_the_capture_gets_it_at_start_and_its_older_events_come_first_in_the_feed()
    {
        var caseId = await FeedKit.OpenCaseAsync(platform.Admin(), "Chile: written before the capture existed");
        await ExecuteAsync("drop trigger omct_change_feed_capture on omct.mt_events; drop function omct.change_feed_capture(); drop table omct.change_transactions;");
        // Events written while there was no capture, as on a database from before this version.
        await FeedKit.RecordEventAsync(platform.Admin(), caseId);

        await using var node = new FeedNode(platform.ConnectionString);
        await node.InitializeAsync();
        var catalog = await CatalogAsync();
        Assert.NotNull(catalog.Trigger);
        Assert.Equal(catalog.Events, catalog.Captured);

        await FeedKit.RecordEventAsync(node.Admin(), caseId);
        var (changes, _) = await FeedKit.DrainAsync(node.Admin());
        Assert.Equal([1, 2, 3], changes.Where(c => c.EntityId == caseId).Select(c => c.Version!.Value));
    }

    private sealed record Catalog(uint? Trigger, uint? Function, long Events, long Captured, long Uncaptured);

    private async Task<Catalog> CatalogAsync()
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select (select oid from pg_trigger where tgname = 'omct_change_feed_capture'), " +
            "(select p.oid from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'omct' and proname = 'change_feed_capture'), " +
            "(select count(*) from omct.mt_events), (select count(*) from omct.change_transactions), " +
            "(select count(*) from omct.mt_events e where not exists (select 1 from omct.change_transactions c where c.seq_id = e.seq_id))", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Catalog(reader.IsDBNull(0) ? null : reader.GetFieldValue<uint>(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<uint>(1),
            reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
