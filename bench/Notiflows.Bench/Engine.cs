using System.Diagnostics;
using System.Text.Json;

namespace Notiflows.Bench;

/// <summary>Set-up of the notiflows the scenarios use, and waiting for the engine to go idle.</summary>
internal static class Engine
{
    public const string InApp = "bench-inapp";
    public const string Noop = "bench-noop";
    public const string Topic = "bench-topic";

    public static async Task SetUpAsync(Api api, CancellationToken ct)
    {
        const string inApp = """
            {"name": "Bench in-app", "steps": [
              {"handle": "trigger", "position": 0, "type": "trigger"},
              {"handle": "inbox", "position": 1, "type": "channel", "channel_type": "in_app",
               "template": {"data": {"body": "Hello {{ recipient.first_name }}"}}},
              {"handle": "end", "position": 2, "type": "end"}]}
            """;
        const string noop = """
            {"name": "Bench no-op", "steps": [
              {"handle": "trigger", "position": 0, "type": "trigger"},
              {"handle": "end", "position": 1, "type": "end"}]}
            """;
        foreach (var (handle, body) in new[] { (InApp, inApp), (Noop, noop) })
        {
            (await api.ExpectAsync(HttpMethod.Put, $"management/v1/notiflows/{handle}", body, ct, management: true)).Dispose();
            using var published = await api.ExpectAsync(HttpMethod.Post, $"management/v1/notiflows/{handle}/publish", null, ct, management: true);
            if (published.RootElement.TryGetProperty("warnings", out var w) && w.GetArrayLength() > 0)
            {
                Console.WriteLine($"  publish {handle}: warnings {w.GetRawText()}");
            }
        }
    }

    /// <summary>Waits until no run is pending or running and no job is queued. Returns false on timeout.</summary>
    public static async Task<bool> WaitIdleAsync(DbProbe probe, TimeSpan timeout, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var lastPrint = TimeSpan.Zero;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (Stopwatch.GetElapsedTime(start) < timeout)
        {
            var (runs, jobs) = await probe.ReadAsync(ct);
            if (runs == 0 && jobs == 0)
            {
                return true;
            }
            if (Stopwatch.GetElapsedTime(start) - lastPrint > TimeSpan.FromSeconds(10))
            {
                lastPrint = Stopwatch.GetElapsedTime(start);
                Console.WriteLine($"  waiting for the engine: {runs} open runs, {jobs} queued jobs");
            }
            await timer.WaitForNextTickAsync(ct);
        }
        return false;
    }

    public static string? Str(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static long Num(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;
}
