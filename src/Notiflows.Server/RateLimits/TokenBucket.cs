namespace Notiflows.Server.RateLimits;

/// <summary>A token bucket (§4.6): <c>rate</c> tokens a second up to <c>burst</c>. Not thread-safe; guarded by its owner.</summary>
internal sealed class TokenBucket(double rate, double burst, long nowTicks)
{
    private readonly double _burst = burst;
    private double _tokens = burst;
    private long _updated = nowTicks;

    public RateDecision TryTake(long nowTicks)
    {
        _tokens = Math.Min(_burst, _tokens + (nowTicks - _updated) / (double)TimeSpan.TicksPerSecond * rate);
        _updated = Math.Max(_updated, nowTicks);
        var allowed = _tokens >= 1;
        if (allowed)
        {
            _tokens -= 1;
        }
        var resetSeconds = (int)Math.Ceiling((_burst - _tokens) / rate);
        var retryAfter = allowed ? 0 : Math.Max(1, (int)Math.Ceiling((1 - _tokens) / rate));
        return new RateDecision(allowed, (int)rate, (int)Math.Floor(_tokens), resetSeconds, retryAfter);
    }
}

public readonly record struct RateDecision(bool Allowed, int Limit, int Remaining, int ResetSeconds, int RetryAfterSeconds);
