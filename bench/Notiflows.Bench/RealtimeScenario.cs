using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Notiflows.Bench;

internal sealed record RealtimeResult(
    int Clients, double UsersSeconds, int Connected, double ConnectSeconds, Percentiles Connect, string? ConnectError,
    long RssBeforeKb, long RssIdleKb, double TargetRate, double SentRate, long Accepted, long Errors, long Skipped, string? FirstError,
    Percentiles Accept, Percentiles Event, Percentiles EventAfterAccept, long Received, long Missing, long Duplicates, long Misrouted, long Unexpected,
    int EndedEarly, string? FirstEnded, double WaitSeconds, double LoadAverage, ResourceFigures Resources)
{
    public double KbPerConnection => Connected == 0 ? double.NaN : (RssIdleKb - RssBeforeKb) / (double)Connected;
}

/// <summary>
/// Run request → <c>delivery.created</c> at a connected WebSocket client: <c>--clients-rt</c> users, one authenticated
/// (RS256 user key) and subscribed client each; the server's RSS before and after they connect; then an open loop of runs
/// at <c>--rate</c>, each to one of those users, every event matched to its run.
/// </summary>
internal static class RealtimeScenario
{
    public const string Flow = "bench-rt";
    private const string UserPrefix = "rt";
    private const int ConnectParallelism = 32;
    private const int WarmUpClients = 10;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan NoProgress = TimeSpan.FromSeconds(15);

    public static async Task<RealtimeResult> RunAsync(Api api, Options o, Uri baseAddress, int serverPid, CancellationToken ct)
    {
        var n = o.RealtimeClients;
        Console.WriteLine($"realtime: {n:#,0} WebSocket clients, {o.Rate:0} runs/s for {o.Duration.TotalSeconds:0} s");
        var (channelId, signingKey) = await SetUpAsync(api, ct);
        using (signingKey)
        {
            var watch = Stopwatch.StartNew();
            await api.PutUsersAsync(UserPrefix, n, """{"first_name":"Rt"}""", 16, ct);
            var usersSeconds = watch.Elapsed.TotalSeconds;
            var now = TimeProvider.System.GetUtcNow();
            var uris = Enumerable.Range(0, n).Select(i =>
                new Uri($"ws://{baseAddress.Authority}/ws/v1?api_key={ServerHost.PublicKey}&user_key="
                    + UserKeys.Mint(signingKey, UserPrefix + i.ToString(CultureInfo.InvariantCulture), now, TimeSpan.FromHours(2)))).ToArray();
            Console.WriteLine($"  {n:#,0} users in {usersSeconds:0.0} s; warming up");

            // Warm-up: a few clients and runs, so the WebSocket, hub and engine paths are compiled before measuring memory.
            var warm = new RunTracker(Math.Min(WarmUpClients, n), capacity: (long)(Math.Min(100, o.Rate) * o.Warmup.TotalSeconds) + 16);
            var warmClients = (await ConnectAllAsync(uris, channelId, warm, ct)).Clients;
            var warmLoad = await LoadAsync(api, warm, Math.Min(100, o.Rate), o.Warmup, ct);
            await WaitForEventsAsync(warm, warmLoad.Accepted, o.Timeout, ct);
            await Task.WhenAll(warmClients.Select(c => c.DisposeAsync().AsTask()));
            await Task.Delay(Settle, ct);
            var rssBefore = ProcessStats.StatusKb(serverPid, "VmRSS");

            var tracker = new RunTracker(n, capacity: (long)(o.Rate * o.Duration.TotalSeconds) + 1024);
            watch.Restart();
            var (clients, connect, connectError) = await ConnectAllAsync(uris, channelId, tracker, ct);
            var connectSeconds = watch.Elapsed.TotalSeconds;
            Console.WriteLine($"  {clients.Count:#,0} clients connected and subscribed in {connectSeconds:0.0} s"
                + (connectError is null ? "" : $"; {n - clients.Count} failed: {connectError}"));
            await Task.Delay(Idle, ct);
            var rssIdle = ProcessStats.StatusKb(serverPid, "VmRSS");
            Console.WriteLine($"  server RSS {rssBefore / 1024.0:0} MB before, {rssIdle / 1024.0:0} MB with the clients idle: "
                + $"{(rssIdle - rssBefore) / (double)Math.Max(1, clients.Count):0.0} kB per connection");

            var meter = new ResourceMeter(serverPid, string.Equals(o.Db, "postgres", StringComparison.Ordinal));
            var load = await LoadAsync(api, tracker, o.Rate, o.Duration, ct);
            var loadAverage = ProcessStats.LoadAverage();
            watch.Restart();
            await WaitForEventsAsync(tracker, load.Accepted, o.Timeout, ct);
            var waitSeconds = watch.Elapsed.TotalSeconds;
            await meter.DisposeAsync();

            var (latency, afterAccept, missing) = tracker.Summarise(load.Sent);
            var ended = clients.Where(c => c.EndedEarly is not null).ToList();
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
            return new RealtimeResult(n, usersSeconds, clients.Count, connectSeconds, Latencies.Summarise([connect]), connectError,
                rssBefore, rssIdle, o.Rate, load.SentRate, load.Accepted, load.Errors, load.Skipped, load.FirstError,
                Latencies.Summarise([load.Accept]), Latencies.Summarise([latency]), Latencies.Summarise([afterAccept]), tracker.Received, missing, tracker.Duplicates,
                tracker.Misrouted, tracker.Unexpected, ended.Count, ended.FirstOrDefault()?.EndedEarly, waitSeconds, loadAverage, meter.Figures);
        }
    }

    /// <summary>The <c>bench-rt</c> notiflow (its entry's body is the run's <c>seq</c>), the in-app channel, a new signing key.</summary>
    private static async Task<(string ChannelId, RSA SigningKey)> SetUpAsync(Api api, CancellationToken ct)
    {
        const string flow = """
            {"name": "Bench realtime", "steps": [
              {"handle": "trigger", "position": 0, "type": "trigger"},
              {"handle": "inbox", "position": 1, "type": "channel", "channel_type": "in_app", "template": {"data": {"body": "{{ data.seq }}"}}},
              {"handle": "end", "position": 2, "type": "end"}]}
            """;
        (await api.ExpectAsync(HttpMethod.Put, $"management/v1/notiflows/{Flow}", flow, ct, management: true)).Dispose();
        (await api.ExpectAsync(HttpMethod.Post, $"management/v1/notiflows/{Flow}/publish", null, ct, management: true)).Dispose();
        string channelId;
        using (var channels = await api.ExpectAsync(HttpMethod.Get, "admin/v1/channels?type=in_app", null, ct))
        {
            channelId = channels.RootElement.GetProperty("items")[0].Str("id")!;
        }
        using var key = await api.ExpectAsync(HttpMethod.Post, "management/v1/projects/default/signing-key", null, ct, management: true);
        var rsa = RSA.Create();
        rsa.ImportFromPem(key.RootElement.Str("private_key_pem"));
        return (channelId, rsa);
    }

    /// <summary>One client per user of the tracker, <see cref="ConnectParallelism"/> connecting at a time; connect + subscribe times.</summary>
    private static async Task<(List<RealtimeClient> Clients, Latencies Connect, string? Error)> ConnectAllAsync(
        Uri[] uris, string channelId, RunTracker tracker, CancellationToken ct)
    {
        var clients = new RealtimeClient?[tracker.Clients];
        var times = new long[tracker.Clients];
        string? error = null;
        await Parallel.ForEachAsync(Enumerable.Range(0, tracker.Clients), new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = ct },
            async (i, _) =>
            {
                var client = new RealtimeClient(i, tracker);
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    // The scenario's token, not the loop's: the client keeps receiving after the loop ends.
                    await client.ConnectAsync(uris[i], channelId, ct);
                    times[i] = Stopwatch.GetTimestamp() - t0;
                    clients[i] = client;
                }
                catch (Exception e) when (e is WebSocketException or InvalidOperationException or JsonException)
                {
                    Interlocked.CompareExchange(ref error, e.Message, null);
                    await client.DisposeAsync();
                }
            });
        var connect = new Latencies();
        foreach (var t in times.Where(t => t > 0))
        {
            connect.Add(t);
        }
        return (clients.OfType<RealtimeClient>().ToList(), connect, error);
    }

    /// <summary>Open loop of <c>bench-rt</c> runs: run n to user <c>n mod clients</c> with <c>{"seq": n}</c>.</summary>
    private static Task<Load> LoadAsync(Api api, RunTracker tracker, double rate, TimeSpan duration, CancellationToken ct) =>
        TrackedLoad.RunAsync(api, tracker, Flow, seq => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $$$"""{"recipients":["{{{UserPrefix}}}{{{seq % tracker.Clients}}}"],"data":{"seq":{{{seq}}}}}""")), rate, duration, ct);

    /// <summary>Until every accepted run's event arrived, no new one came for <see cref="NoProgress"/>, or the timeout.</summary>
    private static async Task WaitForEventsAsync(RunTracker tracker, long accepted, TimeSpan timeout, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var (last, lastAt) = (tracker.Received, start);
        while (tracker.Received < accepted && Stopwatch.GetElapsedTime(start) < timeout && Stopwatch.GetElapsedTime(lastAt) < NoProgress)
        {
            await Task.Delay(50, ct);
            if (tracker.Received != last)
            {
                (last, lastAt) = (tracker.Received, Stopwatch.GetTimestamp());
            }
        }
    }
}
