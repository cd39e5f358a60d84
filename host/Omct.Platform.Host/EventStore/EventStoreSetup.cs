using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Weasel.Core;
using Omct.Platform.BuildingBlocks.Configuration;

namespace Omct.Platform.Host.EventStore;

internal static class EventStoreSetup
{
    public const string SchemaName = "omct";

    /// <summary>
    /// One Marten store for every module: the modules add their documents, event aliases and
    /// projections through <c>ConfigureMarten</c>. The schema is applied at start; the async daemon
    /// runs in HotCold mode so that, with several hosts, each projection runs on exactly one.
    /// </summary>
    public static IServiceCollection AddPlatformEventStore(this IServiceCollection services)
    {
        services.AddMarten(sp =>
            {
                var options = new StoreOptions();
                options.Connection(sp.GetRequiredService<IConfiguration>().GetPostgresConnectionString());
                options.DatabaseSchemaName = SchemaName;
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                options.Events.MetadataConfig.CorrelationIdEnabled = true;
                options.Events.MetadataConfig.CausationIdEnabled = true;
                options.Events.MetadataConfig.HeadersEnabled = true;
                options.Events.MetadataConfig.UserNameEnabled = true;

                // An asynchronous projection that fails on an event stops there (its shard pauses and
                // the failure is logged and reported by /health/ready) instead of skipping the event
                // into a dead-letter table: a read model with a hole in it is worse than a late one.
                options.Projections.Errors.SkipApplyErrors = false;
                options.Projections.Errors.SkipSerializationErrors = false;
                options.Projections.Errors.SkipUnknownEvents = false;
                // The daemon records each shard's status, pause reason and node in mt_event_progression,
                // so any host (not only the one running the shard) can report it.
                options.Events.EnableExtendedProgressionTracking = true;
                return options;
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(DaemonMode.HotCold);
        return services;
    }

    public static string GetPostgresConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString("Postgres") is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException(
                $"The setting {ValidatedSections.Describe("ConnectionStrings:Postgres")} is missing. " +
                "Set it to a PostgreSQL connection string, or start the platform with build/run.sh, which starts an embedded PostgreSQL.");
}
