using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Host.Configuration;

namespace Omct.Platform.Host.GraphQL;

/// <summary>
/// Token buckets per caller: one per API key or user, one per client address for anonymous
/// callers (so one noisy integrator cannot starve the rest), and one per client address for
/// requests whose credential was refused — a partition of its own, so that a flood of bad keys
/// from an address (a shared NAT, a proxy) is answered 429 without touching the buckets of the
/// valid keys sent from the same address. Keys carry 256 bits of entropy: the refused bucket
/// bounds what a guesser costs, it is not what makes guessing futile. The client address is the
/// connection's, or the one a configured proxy forwarded (<c>Omct:Network</c>). A bucket holds two seconds' worth of
/// requests and refills continuously; a refused request gets 429, <c>LIMIT_EXCEEDED</c> and a
/// <c>Retry-After</c> in whole seconds. Limits are per host process. (ASP.NET Core's
/// <c>AddRateLimiter</c> partitions would fit the shape, but its token buckets refill on a timer of
/// their own, not from the <see cref="TimeProvider"/>, so the limits could not be tested exactly.)
/// <para>
/// Refill is computed from the <see cref="TimeProvider"/> at each request (no timer), so the
/// limits are exact under a fake clock in tests and cost one lock per request. Buckets that have
/// refilled completely are dropped when the table grows, so a flood of addresses cannot grow
/// memory without bound.
/// </para>
/// </summary>
internal sealed class RequestRateLimits(IOptions<GraphQLOptions> options, IHttpContextAccessor http, TimeProvider time)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly GraphQLOptions _options = options.Value;

    /// <summary>Takes a token for <paramref name="caller"/>; null when allowed, else the seconds to wait.</summary>
    public int? TryAcquire(Caller caller)
    {
        var (key, perSecond) = Partition(caller);
        var now = time.GetTimestamp();
        if (_buckets.Count > PruneAbove)
        {
            Prune(now);
        }

        var bucket = _buckets.GetOrAdd(key, static (_, state) => new Bucket(state.perSecond, state.now), (perSecond, now));
        return bucket.TryTake(now, time.TimestampFrequency);
    }

    /// <summary>
    /// What a document costs in requests, beyond the one every request takes: one more per
    /// <see cref="ComplexityPerRequest"/> of its complexity (GraphiQL's introspection one, a year of
    /// anniversaries seven, a document at the default budget twenty). So a caller cannot do more work
    /// per second by packing it into fewer, heavier documents.
    /// </summary>
    public const double ComplexityPerRequest = 1_000;

    /// <summary>
    /// Charges <paramref name="caller"/>'s bucket for a validated document of <paramref name="complexity"/>
    /// (see <see cref="ComplexityPerRequest"/>); null when paid (or nothing to pay), else the seconds to wait.
    /// Nothing is taken when the bucket cannot pay the whole cost.
    /// </summary>
    public int? TryCharge(Caller caller, double complexity)
    {
        var extra = Math.Floor(complexity / ComplexityPerRequest);
        if (extra < 1)
        {
            return null;
        }

        var (key, perSecond) = Partition(caller);
        var now = time.GetTimestamp();
        return _buckets.GetOrAdd(key, static (_, state) => new Bucket(state.perSecond, state.now), (perSecond, now))
            .TryTake(now, time.TimestampFrequency, extra);
    }

    /// <summary>
    /// Takes a token from the client address's bucket of refused credentials (its own partition, apart from
    /// the buckets of valid callers); null when allowed, else the seconds to wait.
    /// </summary>
    public int? TryAcquireRefused()
    {
        var now = time.GetTimestamp();
        var perSecond = _options.RequestsPerSecondPerAddress;
        return _buckets.GetOrAdd(RefusedKey(), static (_, state) => new Bucket(state.perSecond, state.now), (perSecond, now))
            .TryTake(now, time.TimestampFrequency);
    }

    private (string Key, int PerSecond) Partition(Caller caller) => caller.IsAuthenticated
        ? ($"caller:{caller.Id}", _options.RequestsPerSecondPerKey)
        : ($"address:{http.HttpContext?.Connection.RemoteIpAddress}", _options.RequestsPerSecondPerAddress);

    private string RefusedKey() => $"refused:{http.HttpContext?.Connection.RemoteIpAddress}";

    public static string Header(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);

    private void Prune(long now)
    {
        foreach (var (key, bucket) in _buckets)
        {
            if (bucket.IsFull(now, time.TimestampFrequency))
            {
                _buckets.TryRemove(key, out _);
            }
        }
    }

    private sealed class Bucket(int perSecond, long createdAt)
    {
        private readonly double _capacity = perSecond * 2.0;
        private double _tokens = perSecond * 2.0;
        private long _updatedAt = createdAt;

        public int? TryTake(long now, long frequency, double amount = 1)
        {
            lock (this)
            {
                Refill(now, frequency);
                // A cost above the bucket's capacity is paid from a full bucket (it could never be paid otherwise).
                amount = Math.Min(amount, _capacity);
                if (_tokens >= amount)
                {
                    _tokens -= amount;
                    return null;
                }

                return Math.Max(1, (int)Math.Ceiling((amount - _tokens) / perSecond));
            }
        }

        public bool IsFull(long now, long frequency)
        {
            lock (this)
            {
                Refill(now, frequency);
                return _tokens >= _capacity;
            }
        }

        private void Refill(long now, long frequency)
        {
            if (now > _updatedAt)
            {
                _tokens = Math.Min(_capacity, _tokens + (now - _updatedAt) * (double)perSecond / frequency);
                _updatedAt = now;
            }
        }
    }
}
