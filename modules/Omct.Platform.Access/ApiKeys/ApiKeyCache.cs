using System.Collections.Concurrent;

namespace Omct.Platform.Access.ApiKeys;

/// <summary>
/// The stored keys found active lately, by hash, for at most <see cref="Lifetime"/>, so that a request does not
/// look its key up in the database each time. Revocation still applies at once on every host: the transaction that
/// revokes a key notifies <see cref="Channel"/> (PostgreSQL <c>NOTIFY</c>), and each host's
/// <see cref="ApiKeyChangeListener"/> empties its cache when the notification arrives. While that listener is not
/// connected (starting, reconnecting) nothing is cached nor read from here: every request looks its key up.
/// Only keys found and active are kept (an unknown key is asked of the database every time), at most
/// <see cref="MaxEntries"/>; the key's expiry is checked on every use by the authenticator.
/// </summary>
internal sealed class ApiKeyCache(TimeProvider time)
{
    /// <summary>The notification channel of a change to a stored key (the payload is the key's id).</summary>
    public const string Channel = "omct_api_key_changed";

    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // Incremented by every invalidation, so that a lookup that started before one cannot put back what it removed.
    private long _generation;
    private volatile bool _listening;

    private sealed record Entry(ApiKey Key, DateTimeOffset Until);

    /// <summary>Whether the listener is connected, i.e. whether the cache may be used.</summary>
    public bool IsListening => _listening;

    public int Count => _entries.Count;

    /// <summary>The invalidations so far: read it before looking a key up, and hand it to <see cref="Add"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The key cached for <paramref name="hash"/>, when the listener is connected and the entry is fresh.</summary>
    public ApiKey? Find(string hash)
    {
        if (!_listening || !_entries.TryGetValue(hash, out var entry))
        {
            return null;
        }

        if (entry.Until > time.GetUtcNow())
        {
            return entry.Key;
        }

        _entries.TryRemove(KeyValuePair.Create(hash, entry));
        return null;
    }

    /// <summary>
    /// Keeps an active key found by a lookup that started at <paramref name="generation"/>, unless a change was
    /// notified since (the key may be the one revoked) or the listener is not connected.
    /// </summary>
    public void Add(string hash, ApiKey key, long generation)
    {
        if (!_listening || _entries.Count >= MaxEntries)
        {
            return;
        }

        _entries[hash] = new Entry(key, time.GetUtcNow() + Lifetime);
        if (Generation != generation || !_listening)
        {
            _entries.TryRemove(hash, out _);
        }
    }

    /// <summary>A key changed (revoked) here or on another host: forget every cached key.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    /// <summary>
    /// The listener connected (the cache may be used from now on) or lost its connection (it may not, until it
    /// reconnects). Either way what is cached is forgotten: changes may have been missed while it was not listening.
    /// </summary>
    public void SetListening(bool listening)
    {
        _listening = listening;
        Invalidate();
    }
}
