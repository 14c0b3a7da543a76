using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Workers;

/// <summary>
/// Ends a run (§13.3) once its fan-out is done and none of its notifications is pending or processing: failed when all
/// failed, cancelled when all were cancelled, completed otherwise (an empty run completes).
/// </summary>
public sealed class RunFinalizer
{
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
        var counts = (await RunStore.CountByStatusAsync(s, runId, ct)).ToDictionary(c => c.Status, c => c.Count);
        var total = counts.Values.Sum();
        run.Status = run.CancelRequestedAt is not null || (total > 0 && counts.GetValueOrDefault("cancelled") == total) ? "cancelled"
            : total > 0 && counts.GetValueOrDefault("failed") == total ? "failed"
            : "completed";
        run.CompletedAt = now;
        run.UpdatedAt = now;
        await RunStore.UpdateRunAsync(s, run, ct);
    }
}
