using Marten;

namespace Omct.Platform.BuildingBlocks.Privacy;

/// <summary>
/// Makes, reads and unwraps the data keys (<see cref="PersonalDataKey"/>) under the master keys (<see cref="IMasterKeys"/>).
/// Nothing is cached: every read loads the wrapped key and unwraps it, so that a destroyed key (an erasure) is gone at
/// once for every later read on every host. A request that reads many keys keeps them for itself alone (a data loader).
/// </summary>
public sealed class PersonalDataKeys(IMasterKeys masters, TimeProvider time)
{
    /// <summary>The table's alias: <c>mt_doc_privacy_personal_data_key</c>.</summary>
    public const string Alias = "privacy_personal_data_key";

    /// <summary>The key documents' table and its <c>master_key_id</c> column (re-wrapping finds the keys under a retired master key by it).</summary>
    public static void Configure(StoreOptions options) =>
        options.Schema.For<PersonalDataKey>().DocumentAlias(Alias).Duplicate(k => k.MasterKeyId);

    /// <summary>A new random key for <paramref name="ownerId"/>: the document to store (wrapped), and the key to encrypt with.</summary>
    public async Task<(PersonalDataKey Stored, DataKey Key)> NewAsync(Guid ownerId, CancellationToken ct)
    {
        var key = DataKey.New(ownerId);
        var wrapped = await masters.WrapAsync(ownerId, key.Key, ct);
        return (new PersonalDataKey { Id = ownerId, MasterKeyId = wrapped.MasterKeyId, WrappedKey = wrapped.Wrapped, CreatedAt = time.GetUtcNow() }, key);
    }

    /// <summary>The key of <paramref name="ownerId"/>; null once destroyed.</summary>
    public async Task<DataKey?> KeyOfAsync(IQuerySession session, Guid ownerId, CancellationToken ct) =>
        await OpenAsync(await session.LoadAsync<PersonalDataKey>(ownerId, ct), ct);

    /// <summary>The keys of <paramref name="ownerIds"/> that exist, in one query.</summary>
    public async Task<IReadOnlyDictionary<Guid, DataKey>> KeysOfAsync(IQuerySession session, IEnumerable<Guid> ownerIds, CancellationToken ct)
    {
        var keys = new Dictionary<Guid, DataKey>();
        foreach (var stored in await session.LoadManyAsync<PersonalDataKey>(ct, ownerIds.Distinct()))
        {
            if (await OpenAsync(stored, ct) is { } key)
            {
                keys[key.OwnerId] = key;
            }
        }

        return keys;
    }

    /// <summary>The stored key unwrapped (one stored before keys were wrapped is taken as it is, until the start-up wraps it).</summary>
    public async Task<DataKey?> OpenAsync(PersonalDataKey? stored, CancellationToken ct)
    {
        if (stored is null)
        {
            return null;
        }

        if (stored.MasterKeyId is null)
        {
            return stored.UnwrappedKey is { Length: 32 } raw ? new DataKey(stored.Id, raw) : null;
        }

        return new DataKey(stored.Id, await masters.UnwrapAsync(stored.Id, new WrappedKey(stored.MasterKeyId, stored.WrappedKey ?? []), ct));
    }
}
