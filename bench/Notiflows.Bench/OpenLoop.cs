using System.Diagnostics;

namespace Notiflows.Bench;

/// <summary>Sends at a fixed rate whatever the server's latency (an open loop), with a cap on requests in flight.</summary>
internal static class OpenLoop
{
    /// <summary>
    /// Calls <paramref name="send"/> with 0, 1, 2, … at <paramref name="rate"/> per second for <paramref name="duration"/>; a
    /// send due while <paramref name="maxOutstanding"/> are in flight is skipped (its number is not sent). Waits for every
    /// send to finish. Returns the numbers used, the skipped ones and the sending time.
    /// </summary>
    public static async Task<(long Sent, long Skipped, double Seconds)> RunAsync(
        double rate, TimeSpan duration, int maxOutstanding, Func<long, Task> send, CancellationToken ct)
    {
        var freq = Stopwatch.Frequency;
        using var outstanding = new SemaphoreSlim(maxOutstanding);
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * freq);
        long sent = 0, skipped = 0;
        var tasks = new List<Task>(capacity: (int)Math.Min(int.MaxValue / 2, rate * duration.TotalSeconds + 16));

        async Task One(long n)
        {
            try
            {
                await send(n);
            }
            finally
            {
                outstanding.Release();
            }
        }

        while (!ct.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= end)
            {
                break;
            }
            var due = (long)((now - start) * rate / freq) + 1;
            for (; sent < due; sent++)
            {
                if (!outstanding.Wait(0, CancellationToken.None))
                {
                    skipped++;
                    continue;
                }
                tasks.Add(One(sent));
            }
            await Task.Delay(1, ct);
        }
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await Task.WhenAll(tasks);
        return (sent, skipped, seconds);
    }
}
