using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NpgsqlTypes;
using Omct.Platform.BuildingBlocks.Configuration;
using Omct.Platform.BuildingBlocks.Modules;
using Omct.Platform.BuildingBlocks.Storage;

namespace Omct.Platform.BuildingBlocks.Privacy;

/// <summary>
/// Moves data keys under the current master key, a batch per transaction: each key's row is locked
/// (<c>for update skip locked</c>: hosts doing it at once share the rows, and an erasure deleting a key waits for the
/// batch instead of being undone by it), unwrapped, wrapped again and updated. The data the keys encrypt is not touched.
/// </summary>
public sealed class DataKeyRewrap(IDocumentStore store, IMasterKeys masters)
{
    /// <summary>Which keys a pass moves: those stored in clear (before wrapping), or also those under a retired master key.</summary>
    public enum Scope { Unwrapped, NotCurrent }

    private string Table => $"{store.Options.DatabaseSchemaName}.mt_doc_{PersonalDataKeys.Alias}";

    private string Where(Scope scope) => scope == Scope.Unwrapped ? "master_key_id is null" : "(master_key_id is null or master_key_id = any(@retired))";

    /// <summary>How many keys <paramref name="scope"/> still has to move (those another host holds now included).</summary>
    public async Task<long> LeftAsync(Scope scope, CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var count = connection.Sql($"select count(*) from {Table} where {Where(scope)}").Bind("retired", masters.PreviousKeyIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The master keys the stored data keys are under that this host does not have, with their counts.</summary>
    public async Task<IReadOnlyList<(string MasterKeyId, long Count)>> UnknownAsync(CancellationToken ct)
    {
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var query = connection.Sql($"select master_key_id, count(*) from {Table} where master_key_id is not null and master_key_id <> all(@known) group by 1 order by 1")
            .Bind("known", masters.PreviousKeyIds.Append(masters.CurrentKeyId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        var unknown = new List<(string, long)>();
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            unknown.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return unknown;
    }

    /// <summary>Moves at most <paramref name="batchSize"/> keys of <paramref name="scope"/> under the current master key, in one transaction; how many it moved.</summary>
    public async Task<int> BatchAsync(Scope scope, int batchSize, CancellationToken ct)
    {
        var serializer = store.Options.Serializer();
        await using var connection = await store.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var keys = new List<PersonalDataKey>();
        await using (var select = connection.Sql($"select data from {Table} where {Where(scope)} order by id limit @batch for update skip locked", transaction)
                         .Bind("batch", batchSize).Bind("retired", masters.PreviousKeyIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text))
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                keys.Add(serializer.FromJson<PersonalDataKey>(reader, 0));
            }
        }

        foreach (var stored in keys)
        {
            var key = stored.MasterKeyId is null
                ? stored.UnwrappedKey ?? []
                : await masters.UnwrapAsync(stored.Id, new WrappedKey(stored.MasterKeyId, stored.WrappedKey ?? []), ct);
            var wrapped = await masters.WrapAsync(stored.Id, key, ct);
            (stored.MasterKeyId, stored.WrappedKey, stored.UnwrappedKey) = (wrapped.MasterKeyId, wrapped.Wrapped, null);
            await using var update = connection.Sql($"update {Table} set data = @data, master_key_id = @master, mt_last_modified = now() where id = @id", transaction)
                .Bind("data", serializer.ToJson(stored), NpgsqlDbType.Jsonb).Bind("master", wrapped.MasterKeyId).Bind("id", stored.Id);
            await update.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return keys.Count;
    }

    /// <summary>Passes of <paramref name="scope"/> until nothing is left (waiting for rows another host holds); how many keys this host moved.</summary>
    public async Task<long> RunAsync(Scope scope, int batchSize, TimeSpan pause, Action<long, long> progress, CancellationToken ct)
    {
        long moved = 0;
        while (true)
        {
            var batch = await BatchAsync(scope, batchSize, ct);
            moved += batch;
            var left = await LeftAsync(scope, ct);
            if (batch > 0)
            {
                progress(moved, left);
            }

            if (left == 0)
            {
                return moved;
            }

            await Task.Delay(batch > 0 ? pause : TimeSpan.FromMilliseconds(200), ct);
        }
    }
}

/// <summary>
/// At every start, before the host is ready: refuses a database whose data keys are under a master key this host does not
/// have, and wraps the data keys stored in clear before wrapping existed (once: each row is taken by one host, and a
/// second host starting at the same time waits for the rows the first holds). Work of the start-up
/// (<see cref="IDefaultData"/>): it does nothing when every key is wrapped.
/// </summary>
internal sealed class DataKeyWrapping(DataKeyRewrap rewrap, IMasterKeys masters, IOptions<PrivacyOptions> options, ILogger<DataKeyWrapping> log) : IDefaultData
{
    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (await rewrap.UnknownAsync(cancellationToken) is { Count: > 0 } unknown)
        {
            throw new InvalidOperationException(
                $"The database holds data keys wrapped under master keys this host does not have ({string.Join(", ", unknown.Select(u => $"{u.Count} under {u.MasterKeyId}"))}): " +
                $"its current key is {masters.CurrentKeyId}. Give the missing keys in {PrivacyOptions.Describe(nameof(PrivacyOptions.PreviousMasterKeys))} " +
                $"or as further lines of {PrivacyOptions.Describe(nameof(PrivacyOptions.MasterKeyFile))} until the re-wrap has moved every key.");
        }

        var moved = await rewrap.RunAsync(DataKeyRewrap.Scope.Unwrapped, options.Value.RewrapBatchSize, TimeSpan.Zero,
            (done, left) => log.LogInformation("Wrapped {Done} data keys stored in clear under the master key {MasterKeyId} ({Left} left)", done, masters.CurrentKeyId, left),
            cancellationToken);
        if (moved > 0)
        {
            log.LogInformation("Every data key stored in clear is now wrapped under the master key {MasterKeyId} ({Count} by this host)", masters.CurrentKeyId, moved);
        }
    }
}

/// <summary>
/// After start, in the background: re-wraps the data keys still under a retired master key
/// (<see cref="PrivacyOptions.PreviousMasterKeys"/>) under the current one, in batches with a pause between them,
/// logging the progress, and logs <c>Re-wrap done</c> once none is left — then the retired keys may be removed.
/// </summary>
internal sealed class DataKeyRewrapService(DataKeyRewrap rewrap, IMasterKeys masters, IOptions<PrivacyOptions> options, ILogger<DataKeyRewrapService> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (masters.PreviousKeyIds.Count == 0)
        {
            return;
        }

        try
        {
            var total = await rewrap.LeftAsync(DataKeyRewrap.Scope.NotCurrent, stoppingToken);
            log.LogInformation("Re-wrapping {Count} data keys under the current master key {MasterKeyId} (retired: {Retired}), {BatchSize} per batch",
                total, masters.CurrentKeyId, string.Join(", ", masters.PreviousKeyIds), options.Value.RewrapBatchSize);
            var moved = await rewrap.RunAsync(DataKeyRewrap.Scope.NotCurrent, options.Value.RewrapBatchSize, options.Value.RewrapPause,
                (done, left) => log.LogInformation("Re-wrapped {Done} data keys under the master key {MasterKeyId}; {Left} left", done, masters.CurrentKeyId, left),
                stoppingToken);
            log.LogInformation("Re-wrap done: every data key is under the master key {MasterKeyId} ({Count} moved by this host); the retired keys {Retired} may be removed",
                masters.CurrentKeyId, moved, string.Join(", ", masters.PreviousKeyIds));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops: the next start goes on where this one stopped.
        }
        catch (Exception e)
        {
            log.LogError(e, "The re-wrap of the data keys under the master key {MasterKeyId} failed; it starts again with the host", masters.CurrentKeyId);
        }
    }
}

public static class PersonalDataProtection
{
    /// <summary>
    /// The master keys (<c>Omct:Privacy</c>, checked now: without a master key the host does not start), the data keys'
    /// table, the start-up wrapping and the background re-wrap. Register the start-up work's
    /// hosted service first (the re-wrap runs once the schema is applied).
    /// </summary>
    public static IServiceCollection AddPersonalDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var options = services.AddValidatedSection<PrivacyOptions>(configuration, PrivacyOptions.Section);
        var (current, previous) = options.Keys();
        services.AddSingleton<IMasterKeys>(new LocalMasterKeys(current, previous));
        services.AddSingleton<PersonalDataKeys>();
        services.AddSingleton<DataKeyRewrap>();
        services.AddSingleton<IDefaultData, DataKeyWrapping>();
        services.AddHostedService<DataKeyRewrapService>();
        services.ConfigureMarten(PersonalDataKeys.Configure);
        return services;
    }
}
