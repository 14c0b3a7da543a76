using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Notiflows.Bench;

internal sealed record E2eResult(
    double TargetRate, double SentRate, long Accepted, long Errors, long Skipped, Percentiles Accept, Percentiles Delivered,
    int Samples, int SamplesTimedOut, string? FirstError, ResourceFigures Resources);

/// <summary>
/// Open loop at a fixed rate; every n-th run is followed until its in-app delivery reads back as sent through the Admin API.
/// </summary>
internal static class E2eScenario
{
    private const int MaxOutstanding = 4096;

    public static async Task<E2eResult> RunAsync(Api api, Options o, int serverPid, CancellationToken ct)
    {
        Console.WriteLine($"e2e: {o.Rate:0} runs/s for {o.Duration.TotalSeconds:0} s, following every {o.SampleEvery}th run");
        var accept = new Latencies();
        var delivered = new Latencies();
        long accepted = 0, errors = 0;
        var timedOut = 0;
        var samples = 0;
        string? firstError = null;

        async Task SendOne(long n)
        {
            var body = Encoding.UTF8.GetBytes(string.Create(
                CultureInfo.InvariantCulture, $"{{\"recipients\":[\"e{n}\"],\"data\":{{\"n\":{n}}}}}"));
            var t0 = Stopwatch.GetTimestamp();
            var (runId, ticks, error) = await api.TimedRunAsync(Engine.InApp, body, ct);
            if (runId is null)
            {
                Interlocked.Increment(ref errors);
                Interlocked.CompareExchange(ref firstError, error, null);
                return;
            }
            Interlocked.Increment(ref accepted);
            lock (accept)
            {
                accept.Add(ticks);
            }
            if (n % o.SampleEvery == 0)
            {
                Interlocked.Increment(ref samples);
                var ok = await FollowAsync(api.Observer, runId, t0, o.Timeout, ct);
                if (ok is { } until)
                {
                    lock (delivered)
                    {
                        delivered.Add(until);
                    }
                }
                else
                {
                    Interlocked.Increment(ref timedOut);
                }
            }
        }

        var meter = new ResourceMeter(serverPid, string.Equals(o.Db, "postgres", StringComparison.Ordinal));
        var (sent, skipped, sendSeconds) = await OpenLoop.RunAsync(o.Rate, o.Duration, MaxOutstanding, SendOne, ct);
        await meter.DisposeAsync();
        return new E2eResult(o.Rate, (sent - skipped) / sendSeconds, accepted, errors, skipped,
            Latencies.Summarise([accept]), Latencies.Summarise([delivered]), samples, timedOut, firstError, meter.Figures);
    }

    /// <summary>Ticks from <paramref name="t0"/> until the run's delivery reads as sent; null on timeout.</summary>
    private static async Task<long?> FollowAsync(Api api, string runId, long t0, TimeSpan timeout, CancellationToken ct)
    {
        string? notificationId = null;
        while (Stopwatch.GetElapsedTime(t0) < timeout)
        {
            if (notificationId is null)
            {
                var (status, doc) = await api.SendAsync(HttpMethod.Get, $"admin/v1/runs/{runId}/notifications?limit=1", null, ct);
                using (doc)
                {
                    if (status == HttpStatusCode.OK && doc is not null)
                    {
                        var items = doc.RootElement.GetProperty("items");
                        if (items.GetArrayLength() > 0)
                        {
                            notificationId = items[0].Str("id");
                        }
                    }
                }
            }
            if (notificationId is not null)
            {
                var (status, doc) = await api.SendAsync(HttpMethod.Get, $"admin/v1/notifications/{notificationId}", null, ct);
                using (doc)
                {
                    if (status == HttpStatusCode.OK && doc is not null
                        && doc.RootElement.GetProperty("deliveries").EnumerateArray().Any(d => d.Str("status") is "sent" or "delivered"))
                    {
                        return Stopwatch.GetTimestamp() - t0;
                    }
                }
            }
            // Poll often at first, then back off so slow deliveries do not flood the server: ≤ ~10 % error.
            var elapsed = Stopwatch.GetElapsedTime(t0);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(elapsed.TotalMilliseconds / 10, 2, 1000)), ct);
        }
        return null;
    }
}
