using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Errors;
using Omct.Platform.Host.Configuration;

namespace Omct.Platform.Host.Authentication;

/// <summary>
/// ASP.NET Core's rate limiter (<c>AddRateLimiter</c>, one global partitioned limiter) on every endpoint that declares
/// a policy — <c>/graphql</c>, the module endpoints (<c>/export</c>, <c>/reports</c> …): a token bucket per partition,
/// chosen after authentication by <see cref="CallerPartitions.Of"/>. A refused request is 429 <c>LIMIT_EXCEEDED</c>
/// with a <c>Retry-After</c> in whole seconds, in the endpoint's format.
/// </summary>
internal static class RateLimits
{
    public static IServiceCollection AddPlatformRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<CallerPartitions>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<CallerPartitions>((o, partitions) =>
        {
            o.GlobalLimiter = partitions.Limiter;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) => new ValueTask(RejectAsync(context.HttpContext, context.Lease));
        });
        return services;
    }

    /// <summary><c>Retry-After</c> in whole seconds.</summary>
    public static string Header(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>The whole seconds a refused lease says to wait (at least one).</summary>
    public static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;

    private static Task RejectAsync(HttpContext http, RateLimitLease lease)
    {
        var retryAfter = RetryAfterSeconds(lease);
        http.Response.Headers.RetryAfter = Header(retryAfter);
        return Refusals.WriteAsync(http, StatusCodes.Status429TooManyRequests, ErrorCodes.LimitExceeded,
            CallerCredentials.IsRefused(http)
                ? $"Too many refused credentials from this address; retry after {retryAfter} s."
                : $"Too many requests; retry after {retryAfter} s.");
    }
}

/// <summary>
/// The partitions of the rate limit: one bucket per API key or user, one per client address for anonymous callers
/// (so one noisy integrator cannot starve the rest), and one per client address for requests whose credential was
/// refused — a partition of its own, so that a flood of bad keys from an address (a shared NAT, a proxy) is answered
/// 429 without touching the buckets of the valid keys sent from the same address. Keys carry 256 bits of entropy:
/// the refused bucket bounds what a guesser costs, it is not what makes guessing futile. The client address is the
/// connection's, or the one a configured proxy forwarded (<c>Omct:Network</c>). Endpoints without a policy (health
/// checks, static files) are not limited. Limits are per host process.
/// </summary>
internal sealed class CallerPartitions : IDisposable
{
    /// <summary>
    /// What a document costs in requests, beyond the one every request takes: one more per
    /// <see cref="ComplexityPerRequest"/> of its complexity (GraphiQL's introspection one, a year of
    /// anniversaries seven, a document at the default budget twenty). So a caller cannot do more work
    /// per second by packing it into fewer, heavier documents.
    /// </summary>
    public const double ComplexityPerRequest = 1_000;

    private readonly GraphQLOptions _options;
    private readonly TimeProvider _time;

    public CallerPartitions(IOptions<GraphQLOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        Limiter = PartitionedRateLimiter.Create<HttpContext, string>(Of);
    }

    /// <summary>The limiter every limited request takes one permit from (the rate limiter's global limiter).</summary>
    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    /// <summary>The request's partition: no limit without a policy, else the refused address, the caller, or the address.</summary>
    public RateLimitPartition<string> Of(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is null)
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }

        var address = http.Connection.RemoteIpAddress?.ToString();
        if (CallerCredentials.IsRefused(http))
        {
            return Bucket($"refused:{address}", _options.RequestsPerSecondPerAddress);
        }

        var caller = http.User.ToCaller();
        return caller.IsAuthenticated
            ? Bucket($"caller:{caller.Id}", _options.RequestsPerSecondPerKey)
            : Bucket($"address:{address}", _options.RequestsPerSecondPerAddress);
    }

    /// <summary>
    /// Charges the request's partition for a validated document of <paramref name="complexity"/> (see
    /// <see cref="ComplexityPerRequest"/>) from the same limiter; null when paid (or nothing to pay), else the
    /// seconds to wait. Nothing is taken when the bucket cannot pay the whole cost.
    /// </summary>
    public int? TryCharge(HttpContext http, double complexity)
    {
        var extra = (int)Math.Min(Math.Floor(complexity / ComplexityPerRequest), int.MaxValue);
        if (extra < 1)
        {
            return null;
        }

        using var lease = Limiter.AttemptAcquire(http, extra);
        return lease.IsAcquired ? null : RateLimits.RetryAfterSeconds(lease);
    }

    public void Dispose() => Limiter.Dispose();

    private RateLimitPartition<string> Bucket(string key, int perSecond) =>
        RateLimitPartition.Get(key, _ => new ClockedTokenBucket(perSecond, _time));
}

/// <summary>
/// A token bucket holding two seconds' worth of requests, refilled continuously from the <see cref="TimeProvider"/>
/// at each acquisition (the framework's <c>TokenBucketRateLimiter</c> refills on a timer of its own, so the limits
/// could not be tested exactly under a fake clock). A cost above the capacity is paid from a full bucket (it could
/// never be paid otherwise). Idle once full, so the partitioned limiter drops it and a flood of addresses cannot
/// grow memory without bound. Holds nothing to release: disposing it is a no-op.
/// </summary>
internal sealed class ClockedTokenBucket(int perSecond, TimeProvider time) : RateLimiter
{
    private readonly Lock _lock = new();
    private readonly double _capacity = perSecond * 2.0;
    private double _tokens = perSecond * 2.0;
    private long _updatedAt = time.GetTimestamp();
    private long _takenAt = time.GetTimestamp();

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var now = time.GetTimestamp();
                Refill(now);
                return _tokens >= _capacity ? time.GetElapsedTime(_takenAt, now) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill(time.GetTimestamp());
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            Refill(now);
            _takenAt = now;
            var amount = Math.Min(permitCount, _capacity);
            if (_tokens >= amount)
            {
                _tokens -= amount;
                return Lease.Acquired;
            }

            return new Lease(TimeSpan.FromSeconds(Math.Ceiling((amount - _tokens) / perSecond)));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    /// <summary>Tokens come back with time: the bucket is topped up to what the time since its last use earned.</summary>
    private void Refill(long now)
    {
        if (now > _updatedAt)
        {
            _tokens = Math.Min(_capacity, _tokens + time.GetElapsedTime(_updatedAt, now).TotalSeconds * perSecond);
            _updatedAt = now;
        }
    }

    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(null);

        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
