using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Notiflows.Bench;

internal sealed record DeliveryResult(
    double TargetRate, double FailRate, Load Load, Percentiles ToProvider, Percentiles AfterAccept, double ProviderRateDuringLoad,
    double ProviderRateOverall, long Requests, long Answered503, long Retried, long RetriedAccepted, long Missing, long Duplicates, long Rejected, long Unexpected,
    double? DrainSeconds, string Statuses, bool AllSent, long WarmupRuns, ResourceFigures Resources);

/// <summary>
/// Run request → provider request: a published notiflow with one email step through a <c>sendgrid</c> channel whose
/// base URL is the harness's <see cref="FakeSendGrid"/>; an open loop of runs at <c>--rate</c>, one new recipient each;
/// every run matched to its provider request; then the time until every delivery reads <c>sent</c> in the database.
/// </summary>
internal static class DeliveryScenario
{
    public const string Flow = "bench-delivery";
    public const string Channel = "bench-sendgrid";
    private const string Provider = "sendgrid";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>The env that points the server's <c>sendgrid</c> provider at the fake.</summary>
    public static Dictionary<string, string> ServerEnv(FakeSendGrid fake) =>
        new(StringComparer.Ordinal) { ["Notiflows__Providers__sendgrid__BaseUrl"] = fake.BaseAddress.ToString().TrimEnd('/') };

    /// <summary>Runs the fake must tell apart: the load's at most, plus a margin.</summary>
    public static long Capacity(Options o) => (long)(o.Rate * o.Duration.TotalSeconds) + 1024;

    public static async Task<DeliveryResult> RunAsync(Api api, DbProbe probe, FakeSendGrid fake, Options o, int serverPid, CancellationToken ct)
    {
        Console.WriteLine($"delivery: {o.Rate:0} runs/s for {o.Duration.TotalSeconds:0} s through sendgrid at {fake.BaseAddress}"
            + (o.FailRate > 0 ? $", {o.FailRate:0.##} of first requests answered 503" : ""));
        await SetUpAsync(api, ct);

        // Warm-up: compiles the run, engine, delivery job and provider paths and opens the server's provider connections.
        long warmRuns = 0;
        if (o.Warmup > TimeSpan.Zero)
        {
            var warmRate = Math.Min(100, o.Rate);
            var warm = new RunTracker(1, (long)(warmRate * o.Warmup.TotalSeconds) + 16);
            warmRuns = (await TrackedLoad.RunAsync(api, warm, Flow, n => Body("w", n, -1 - n), warmRate, o.Warmup, ct)).Accepted;
            var (warmDrain, warmStatuses, _) = await WaitSentAsync(probe, warmRuns, Stopwatch.GetTimestamp(), o.Timeout, ct);
            Console.WriteLine($"  warm-up: {warmRuns} runs, {warmStatuses}" + (warmDrain is null ? " (timeout)" : ""));
        }

        var meter = new ResourceMeter(serverPid, string.Equals(o.Db, "postgres", StringComparison.Ordinal));
        var start = Stopwatch.GetTimestamp();
        var load = await TrackedLoad.RunAsync(api, fake.Tracker, Flow, n => Body("d", n, n), o.Rate, o.Duration, ct);
        var end = start + (long)(load.Seconds * Stopwatch.Frequency);
        Console.WriteLine($"  {load.Accepted:#,0} runs accepted; waiting until every delivery is sent");
        var (drain, statuses, allSent) = await WaitSentAsync(probe, warmRuns + load.Accepted, end, o.Timeout, ct);
        await meter.DisposeAsync();

        var (toProvider, afterAccept, _) = fake.Tracker.Summarise(load.Sent);
        var (retried, retriedAccepted, missing) = fake.Count(load.Sent);
        var overallSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new DeliveryResult(o.Rate, o.FailRate, load, Latencies.Summarise([toProvider]), Latencies.Summarise([afterAccept]),
            fake.ArrivalsBetween(start, end) / load.Seconds, fake.Requests / overallSeconds, fake.Requests, fake.Answered503, retried, retriedAccepted, missing,
            fake.Duplicates, fake.Rejected, fake.Tracker.Unexpected, drain, statuses, allSent, warmRuns, meter.Figures);
    }

    /// <summary>The <c>sendgrid</c> channel (pointed at the fake by the server's env) and the published <c>bench-delivery</c>.</summary>
    private static async Task SetUpAsync(Api api, CancellationToken ct)
    {
        var channel = $$"""
            {"name": "Bench SendGrid", "type": "email", "provider": "{{Provider}}",
             "config": {"api_key": "{{FakeSendGrid.ApiKey}}", "from_email": "bench@notiflows.test"} }
            """;
        (await api.ExpectAsync(HttpMethod.Put, $"management/v1/channels/{Channel}", channel, ct, management: true)).Dispose();
        var flow = $$$"""
            {"name": "Bench delivery", "steps": [
              {"handle": "trigger", "position": 0, "type": "trigger"},
              {"handle": "email", "position": 1, "type": "channel", "channel_type": "email", "channel_handle": "{{{Channel}}}",
               "template": {"data": {"subject": "{{{FakeSendGrid.SubjectPrefix}}}{{ data.seq }}", "body": "Hello {{ recipient.first_name }}"} } },
              {"handle": "end", "position": 2, "type": "end"}]}
            """;
        (await api.ExpectAsync(HttpMethod.Put, $"management/v1/notiflows/{Flow}", flow, ct, management: true)).Dispose();
        using var published = await api.ExpectAsync(HttpMethod.Post, $"management/v1/notiflows/{Flow}/publish", null, ct, management: true);
        if (published.RootElement.TryGetProperty("warnings", out var w) && w.GetArrayLength() > 0)
        {
            Console.WriteLine($"  publish {Flow}: warnings {w.GetRawText()}");
        }
    }

    /// <summary>Run n of the load: one new recipient <c>{prefix}{n}</c> with an email address, and the run's number for the subject.</summary>
    private static byte[] Body(string prefix, long n, long seq) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$$"""{"recipients":[{"external_id":"{{{prefix}}}{{{n}}}","email":"{{{prefix}}}{{{n}}}@bench.test","first_name":"Bench"}],"data":{"seq":{{{seq}}}}}"""));

    /// <summary>
    /// Polls the database until it holds <paramref name="expected"/> deliveries through the provider and none is pending or
    /// processing: the seconds from <paramref name="from"/> (null on timeout), the statuses, and whether all read sent.
    /// </summary>
    private static async Task<(double? Seconds, string Statuses, bool AllSent)> WaitSentAsync(
        DbProbe probe, long expected, long from, TimeSpan timeout, CancellationToken ct)
    {
        var waitStart = Stopwatch.GetTimestamp();
        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            var statuses = await probe.DeliveryStatusesAsync(Provider, ct);
            var total = statuses.Values.Sum();
            var open = statuses.GetValueOrDefault("pending") + statuses.GetValueOrDefault("processing");
            var text = statuses.Count == 0 ? "no deliveries" : string.Join(", ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value:#,0}"));
            var settled = total >= expected && open == 0;
            var waited = Stopwatch.GetElapsedTime(waitStart);
            if (settled || waited >= timeout)
            {
                var sent = statuses.GetValueOrDefault("sent") + statuses.GetValueOrDefault("delivered");
                return (settled ? Stopwatch.GetElapsedTime(from).TotalSeconds : null, text, sent == expected && total == expected);
            }
            if (waited - lastPrint > TimeSpan.FromSeconds(10))
            {
                lastPrint = waited;
                Console.WriteLine($"  waiting for the deliveries: {text} of {expected:#,0}");
            }
            await Task.Delay(Poll, ct);
        }
    }
}
