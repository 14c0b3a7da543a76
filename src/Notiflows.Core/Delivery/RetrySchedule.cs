namespace Notiflows.Core.Delivery;

/// <summary>
/// The retry schedule of §12.9: the delay before attempt n+1 is 15 s × 2^(n−1) × a jitter factor in [0.8, 1.2], capped at
/// 15 minutes; a provider's <c>Retry-After</c> longer than that wins.
/// </summary>
public static class RetrySchedule
{
    public const int DefaultMaxAttempts = 8;
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Cap = TimeSpan.FromMinutes(15);

    /// <param name="attempt">The attempt that just failed (1-based, counted on the delivery's current channel).</param>
    /// <param name="jitter">A factor in [0.8, 1.2].</param>
    /// <param name="retryAfter">The longest Retry-After the provider asked for in that attempt, if any.</param>
    public static TimeSpan Delay(int attempt, double jitter, TimeSpan? retryAfter)
    {
        var computed = TimeSpan.FromTicks((long)(Base.Ticks * Math.Pow(2, Math.Min(attempt - 1, 20)) * jitter));
        var delay = computed < Cap ? computed : Cap;
        return retryAfter is { } wanted && wanted > delay ? wanted : delay;
    }
}

/// <summary>The random factor of retry delays; tests replace it to make schedules deterministic.</summary>
public class RetryJitter
{
    /// <summary>A factor in [0.8, 1.2].</summary>
    public virtual double Next() => 0.8 + (Random.Shared.NextDouble() * 0.4);
}
