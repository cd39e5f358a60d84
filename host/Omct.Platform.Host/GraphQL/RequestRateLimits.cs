using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.Host.Configuration;

namespace Omct.Platform.Host.GraphQL;

/// <summary>
/// Token buckets per caller: one per API key or user, one per client address for anonymous
/// callers (so one noisy integrator cannot starve the rest). A refused request gets 429,
/// <c>LIMIT_EXCEEDED</c> and a <c>Retry-After</c> in seconds. Limits are per host process.
/// </summary>
internal sealed class RequestRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<Caller> _limiter;

    public RequestRateLimits(IOptions<GraphQLOptions> options, IHttpContextAccessor http)
    {
        var o = options.Value;
        _limiter = PartitionedRateLimiter.Create<Caller, string>(caller => caller.IsAuthenticated
            ? RateLimitPartition.GetTokenBucketLimiter($"caller:{caller.Id}", _ => Bucket(o.RequestsPerSecondPerKey))
            : RateLimitPartition.GetTokenBucketLimiter($"address:{http.HttpContext?.Connection.RemoteIpAddress}", _ => Bucket(o.RequestsPerSecondPerAddress)));
    }

    /// <summary>Takes a token for <paramref name="caller"/>; null when allowed, else the seconds to wait.</summary>
    public int? TryAcquire(Caller caller)
    {
        using var lease = _limiter.AttemptAcquire(caller);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
    }

    public static string Header(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _limiter.Dispose();

    /// <summary>A burst of two seconds' worth, refilled ten times a second (or once per token below ten per second).</summary>
    private static TokenBucketRateLimiterOptions Bucket(int perSecond) => new()
    {
        TokenLimit = perSecond * 2,
        TokensPerPeriod = perSecond >= 10 ? perSecond / 10 : 1,
        ReplenishmentPeriod = perSecond >= 10 ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(1000.0 / perSecond),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
