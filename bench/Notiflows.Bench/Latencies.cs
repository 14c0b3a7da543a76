using System.Diagnostics;

namespace Notiflows.Bench;

/// <summary>Latency samples (Stopwatch ticks) of one worker; merged for percentiles at the end.</summary>
internal sealed class Latencies
{
    private readonly List<long> _ticks = new(capacity: 1 << 16);

    public int Count => _ticks.Count;

    public void Add(long ticks) => _ticks.Add(ticks);

    public void Merge(Latencies other) => _ticks.AddRange(other._ticks);

    public static Percentiles Summarise(IEnumerable<Latencies> parts)
    {
        var all = parts.SelectMany(p => p._ticks).ToArray();
        if (all.Length == 0)
        {
            return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }
        Array.Sort(all);
        double At(double q) => all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
        return new Percentiles(all.Length, At(0.50), At(0.95), At(0.99), all[^1] * 1000.0 / Stopwatch.Frequency);
    }
}

/// <summary>Percentiles in milliseconds.</summary>
internal readonly record struct Percentiles(int Count, double P50, double P95, double P99, double Max);
