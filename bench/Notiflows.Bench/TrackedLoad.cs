namespace Notiflows.Bench;

/// <summary>What an open loop of tracked runs sent: the send window, the 202s and their latency, the errors.</summary>
internal sealed record Load(long Sent, double Seconds, double SentRate, long Accepted, long Errors, long Skipped, string? FirstError, Latencies Accept);

/// <summary>
/// An open loop of runs of one notiflow whose every run is recorded in a <see cref="RunTracker"/> by its sequence number
/// (sent, 202 read), so what the run caused downstream (a WebSocket event, a provider request) can be matched to it.
/// </summary>
internal static class TrackedLoad
{
    private const int MaxOutstanding = 4096;

    /// <summary>Run n (n &lt; the tracker's capacity) is <c>POST /admin/v1/notiflows/{flow}/run</c> with <paramref name="body"/>(n).</summary>
    public static async Task<Load> RunAsync(
        Api api, RunTracker tracker, string flow, Func<long, byte[]> body, double rate, TimeSpan duration, CancellationToken ct)
    {
        var accept = new Latencies();
        long accepted = 0, errors = 0;
        string? firstError = null;

        async Task SendOne(long seq)
        {
            if (seq >= tracker.Capacity)
            {
                return;
            }
            var json = body(seq);
            tracker.Sending(seq);
            var (runId, ticks, error) = await api.TimedRunAsync(flow, json, ct);
            if (runId is null)
            {
                Interlocked.Increment(ref errors);
                Interlocked.CompareExchange(ref firstError, error, null);
                return;
            }
            tracker.Accepted(seq);
            Interlocked.Increment(ref accepted);
            lock (accept)
            {
                accept.Add(ticks);
            }
        }

        var (sent, skipped, seconds) = await OpenLoop.RunAsync(rate, duration, MaxOutstanding, SendOne, ct);
        sent = Math.Min(sent, tracker.Capacity);
        return new Load(sent, seconds, (sent - skipped) / seconds, accepted, errors, skipped, firstError, accept);
    }
}
