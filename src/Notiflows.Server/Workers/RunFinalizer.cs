using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Workers;

/// <summary>
/// Ends a run (§13.3) once its fan-out is done and none of its notifications is pending or processing: failed when all
/// failed, cancelled when all were cancelled, completed otherwise (an empty run completes).
/// </summary>
public sealed class RunFinalizer
{
    /// <summary>The run's final status once every notification ended; null while some are pending or processing.</summary>
    public static string? Outcome(IReadOnlyList<string> statuses, bool cancelRequested)
    {
        if (statuses.Any(s => s is "pending" or "processing"))
        {
            return null;
        }
        return cancelRequested || (statuses.Count > 0 && statuses.All(s => s == "cancelled")) ? "cancelled"
            : statuses.Count > 0 && statuses.All(s => s == "failed") ? "failed"
            : "completed";
    }

    public async Task CheckAsync(DbSession s, Guid runId, DateTimeOffset now, CancellationToken ct)
    {
        if (await RunStore.HasOpenNotificationsAsync(s, runId, ct))
        {
            return;
        }
        var run = await RunStore.GetRunAsync(s, runId, ct);
        if (run is null || run.FanOutStatus is not ("completed" or "stopped") || run.Status is "completed" or "failed" or "cancelled")
        {
            return;
        }
        var counts = await RunStore.CountByStatusAsync(s, runId, ct);
        run.Status = Outcome(counts.SelectMany(c => Enumerable.Repeat(c.Status, (int)c.Count)).ToList(), run.CancelRequestedAt is not null)!;
        run.CompletedAt = now;
        run.UpdatedAt = now;
        await RunStore.UpdateRunAsync(s, run, ct);
    }
}
