using System.Collections.Concurrent;
using System.Globalization;
using Notiflows.Server.Errors;

namespace Notiflows.Server.RateLimits;

/// <summary>Buckets per surface and credential (§4.6), configured under <c>Notiflows:RateLimits</c>.</summary>
public sealed class RateLimiter(IConfiguration config, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Surface, string Key), TokenBucket> _buckets = new();

    public RateDecision Take(string surface, string key)
    {
        var now = time.GetUtcNow().UtcTicks;
        var bucket = _buckets.GetOrAdd((surface, key), _ => new TokenBucket(Setting(surface, "Rate"), Setting(surface, "Burst"), now));
        lock (bucket)
        {
            return bucket.TryTake(now);
        }
    }

    /// <summary>Takes a token and sets the <c>RateLimit-*</c> headers; returns the 429 error when the bucket is empty.</summary>
    public ApiError? Apply(HttpContext context, string surface, string key)
    {
        var decision = Take(surface, key);
        var headers = context.Response.Headers;
        headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["RateLimit-Reset"] = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
        {
            return null;
        }
        return ApiError.RateLimited(decision.RetryAfterSeconds, decision.Limit);
    }

    private double Setting(string surface, string name)
    {
        var fallback = (surface, name) switch
        {
            ("Admin", "Rate") => 1000,
            ("Admin", "Burst") => 2000,
            ("User", "Rate") => 20,
            ("User", "Burst") => 40,
            ("Management", "Rate") => 100,
            _ => 200,
        };
        return config.GetValue($"Notiflows:RateLimits:{surface}:{name}", (double)fallback);
    }
}
