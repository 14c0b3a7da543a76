using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Notiflows.Bench;

internal sealed record TriggerResult(
    double RunsPerSecond, Percentiles Latency, long Accepted, long Errors, string? FirstError, ResourceFigures Resources);

/// <summary>Closed loop: N clients each POST a one-recipient run, wait for the 202, repeat.</summary>
internal static class TriggerScenario
{
    private static long _counter;

    public static async Task<TriggerResult> RunAsync(Api api, Options o, int serverPid, CancellationToken ct)
    {
        Console.WriteLine($"trigger: {o.Clients} clients, {o.Warmup.TotalSeconds:0} s warm-up + {o.Duration.TotalSeconds:0} s");
        var freq = Stopwatch.Frequency;
        var begin = Stopwatch.GetTimestamp();
        var measureFrom = begin + (long)(o.Warmup.TotalSeconds * freq);
        var measureTo = measureFrom + (long)(o.Duration.TotalSeconds * freq);
        var parts = new Latencies[o.Clients];
        long accepted = 0, errors = 0;
        string? firstError = null;
        ResourceMeter? meter = null;

        async Task Client(int index)
        {
            var lat = parts[index] = new Latencies();
            var path = $"admin/v1/notiflows/{Engine.InApp}/run";
            while (!ct.IsCancellationRequested)
            {
                var t0 = Stopwatch.GetTimestamp();
                if (t0 >= measureTo)
                {
                    return;
                }
                var n = Interlocked.Increment(ref _counter);
                var body = Encoding.UTF8.GetBytes(string.Create(
                    CultureInfo.InvariantCulture, $"{{\"recipients\":[\"u{n}\"],\"data\":{{\"n\":{n}}}}}"));
                HttpStatusCode status;
                string? error = null;
                try
                {
                    status = await api.PostStatusAsync(path, Api.Body(body), ct);
                }
                catch (HttpRequestException e)
                {
                    status = 0;
                    error = e.Message;
                }
                var t1 = Stopwatch.GetTimestamp();
                if (t0 < measureFrom || t1 > measureTo)
                {
                    continue;
                }
                if (status == HttpStatusCode.Accepted)
                {
                    lat.Add(t1 - t0);
                    Interlocked.Increment(ref accepted);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error ?? $"HTTP {(int)status}", null);
                }
            }
        }

        var clients = Enumerable.Range(0, o.Clients).Select(i => Task.Run(() => Client(i), ct)).ToArray();
        var untilMeasure = TimeSpan.FromSeconds((double)(measureFrom - Stopwatch.GetTimestamp()) / freq);
        if (untilMeasure > TimeSpan.Zero)
        {
            await Task.Delay(untilMeasure, ct);
        }
        meter = new ResourceMeter(serverPid, string.Equals(o.Db, "postgres", StringComparison.Ordinal));
        await Task.WhenAll(clients);
        await meter.DisposeAsync();
        var latency = Latencies.Summarise(parts);
        return new TriggerResult(accepted / o.Duration.TotalSeconds, latency, accepted, errors, firstError, meter.Figures);
    }
}
