using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Notiflows.Bench;

internal sealed record FanOutResult(
    int Subscribers, double SetupSeconds, double Seconds, long Reached, bool Completed, string Status,
    double RecipientsPerSecond, BaselineResult? Baseline, string? Error, ResourceFigures Resources)
{
    public double? Slowdown => Baseline is { RowsPerSecond: > 0 } b && RecipientsPerSecond > 0 ? b.RowsPerSecond / RecipientsPerSecond : null;
}

/// <summary>One topic run to many subscribers, timed from the 202 until the run reads completed.</summary>
internal static class FanOutScenario
{
    private const int Batch = 1000;
    private const int SetupParallelism = 4;

    public static async Task<FanOutResult> RunAsync(
        Api api, DbProbe probe, Options o, int serverPid, Func<string, CancellationToken, Task<BaselineResult>> baseline, CancellationToken ct)
    {
        var n = o.Subscribers;
        Console.WriteLine($"fanout: creating {n} users and subscribing them to '{Engine.Topic}'");
        var setup = Stopwatch.StartNew();
        var batches = Enumerable.Range(0, (n + Batch - 1) / Batch)
            .Select(b => Enumerable.Range(b * Batch, Math.Min(Batch, n - (b * Batch))).Select(i => $"s{i}").ToArray())
            .ToArray();

        if (string.Equals(o.UsersVia, "put", StringComparison.Ordinal))
        {
            // Users: one PUT per user, as many in flight as the trigger scenario has clients.
            await api.PutUsersAsync("s", n, """{"first_name":"Sub"}""", o.Clients, ct);
            Console.WriteLine($"  users created in {setup.Elapsed.TotalSeconds:0.0} s");
        }
        else
        {
            // Users: runs of a trigger→end notiflow upsert their recipients (1,000 per request); the engine then has to run
            // those notifications too, so wait for it.
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = ct },
                async (ids, token) =>
                {
                    var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["recipients"] = ids });
                    var (status, _) = await api.RunAsync(Engine.Noop, body, token);
                    if (status != HttpStatusCode.Accepted)
                    {
                        throw new InvalidOperationException($"creating users: run answered {(int)status}");
                    }
                });
            Console.WriteLine($"  users accepted in {setup.Elapsed.TotalSeconds:0.0} s; waiting for the no-op runs to finish");
            if (!await Engine.WaitIdleAsync(probe, o.Timeout, ct))
            {
                Console.WriteLine("  the no-op runs did not finish within --timeout; continuing anyway");
            }
        }
        var usersDone = setup.Elapsed.TotalSeconds;
        long failed = 0;
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = ct },
            async (ids, token) =>
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["user_external_ids"] = ids });
                var (status, doc) = await api.SendAsync(HttpMethod.Post, $"admin/v1/topics/{Engine.Topic}/subscriptions", Api.Body(body), token);
                using (doc)
                {
                    if (status == HttpStatusCode.MultiStatus && doc is not null)
                    {
                        Interlocked.Add(ref failed, doc.RootElement.GetProperty("failed").GetArrayLength());
                    }
                    else if (status != HttpStatusCode.OK)
                    {
                        throw new InvalidOperationException($"subscribing: answered {(int)status}");
                    }
                }
            });
        setup.Stop();
        Console.WriteLine($"  users {usersDone:0.0} s, subscriptions {setup.Elapsed.TotalSeconds - usersDone:0.0} s"
            + (failed > 0 ? $", {failed} subscriptions failed" : ""));

        var meter = new ResourceMeter(serverPid, string.Equals(o.Db, "postgres", StringComparison.Ordinal));
        var (runStatus, runId) = await api.RunAsync(Engine.InApp, Encoding.UTF8.GetBytes($"{{\"topic\":\"{Engine.Topic}\",\"data\":{{\"fanout\":true}}}}"), ct);
        if (runId is null)
        {
            await meter.DisposeAsync();
            return new FanOutResult(n, setup.Elapsed.TotalSeconds, 0, 0, false, "rejected", 0, null, $"topic run answered {(int)runStatus}", meter.Figures);
        }
        var clock = Stopwatch.StartNew();
        long reached = 0;
        var status = "pending";
        var completed = false;
        using (var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100)))
        {
            var lastPrint = TimeSpan.Zero;
            while (clock.Elapsed < o.Timeout && await timer.WaitForNextTickAsync(ct))
            {
                using var doc = await api.Observer.ExpectAsync(HttpMethod.Get, $"admin/v1/runs/{runId}", null, ct);
                var run = doc.RootElement;
                status = run.Str("status") ?? "?";
                var counts = run.GetProperty("notification_counts");
                reached = counts.Num("processed") + counts.Num("failed") + counts.Num("cancelled");
                if (status is "completed" or "failed" or "cancelled")
                {
                    completed = string.Equals(status, "completed", StringComparison.Ordinal);
                    break;
                }
                if (clock.Elapsed - lastPrint > TimeSpan.FromSeconds(5))
                {
                    lastPrint = clock.Elapsed;
                    var fan = run.GetProperty("fan_out");
                    Console.WriteLine($"  {clock.Elapsed.TotalSeconds,5:0} s: status {status}, fan-out created {fan.Num("created")}, "
                        + $"notifications done {reached}, RSS {ProcessStats.StatusKb(serverPid, "VmRSS") / 1024} MB");
                }
            }
        }
        clock.Stop();
        await meter.DisposeAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        var rate = reached / seconds;
        Console.WriteLine($"  run {status} after {seconds:0.0} s: {reached} notifications, {rate:0} recipients/s");
        var error = completed ? null : $"run {status} after {seconds:0} s (timeout {o.Timeout.TotalSeconds:0} s), {reached}/{n} done";
        if (status is "pending" or "running")
        {
            // Timed out: cancel the rest so the next scenario does not run behind this backlog.
            var (cancel, doc) = await api.SendAsync(HttpMethod.Post, $"admin/v1/runs/{runId}/cancel", null, ct);
            doc?.Dispose();
            Console.WriteLine($"  timed out: cancelled the run ({(int)cancel})");
            error += $"; run cancelled ({(int)cancel})";
        }

        BaselineResult? b = null;
        try
        {
            Console.WriteLine($"  baseline: {n} notification + {n} delivery rows, batched straight into the database");
            b = await baseline(runId, ct);
            Console.WriteLine($"  baseline {b.RowsPerSecond:0} rows/s ({b.Seconds:0.00} s)");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = (error is null ? "" : error + "; ") + "baseline failed: " + e.Message;
        }
        return new FanOutResult(n, setup.Elapsed.TotalSeconds, seconds, reached, completed, status, rate, b, error, meter.Figures);
    }
}
