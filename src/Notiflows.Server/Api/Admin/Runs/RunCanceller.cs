using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Api.Admin.Runs;

/// <summary>
/// Cancellation (§12.8): pending and suspended notifications are cancelled in the request's transaction (their jobs
/// deleted); one whose step is executing holds its row lock, so the cancel waits and applies at that step boundary.
/// Cancelling a digest carrier cancels its open window and the members digested into it.
/// </summary>
public static class RunCanceller
{
    /// <summary>Cancels the matching open notifications; returns how many this call marked cancelled.</summary>
    public static async Task<int> CancelNotificationsAsync(DbSession s, string where, object args, string reason, DateTimeOffset now, CancellationToken ct)
    {
        var ids = await s.QueryAsync<Guid>(
            $"SELECT n.id FROM notifications n JOIN runs r ON r.id = n.run_id WHERE n.status IN ('pending', 'processing') AND {where}", args, ct);
        var total = 0;
        foreach (var chunk in ids.Chunk(500))
        {
            var cancelled = await s.QueryAsync<Guid>($"""
                UPDATE notifications SET status = 'cancelled', status_reason = @reason, next_step = NULL, updated_at = @now
                WHERE {s.In("id", "@chunk")} AND status IN ('pending', 'processing') RETURNING id
                """, new { chunk = s.Ids(chunk), reason, now }, ct);
            if (cancelled.Count == 0)
            {
                continue;
            }
            total += cancelled.Count;
            await s.ExecuteAsync($"DELETE FROM jobs WHERE kind = 'notification' AND {s.In("target_id", "@cancelled")}", new { cancelled = s.Ids(cancelled) }, ct);
            var windows = await s.QueryAsync<Guid>(
                $"UPDATE digest_windows SET status = 'cancelled' WHERE {s.In("carrier_notification_id", "@cancelled")} AND status IN ('open', 'closing') RETURNING id",
                new { cancelled = s.Ids(cancelled) }, ct);
            if (windows.Count > 0)
            {
                await s.ExecuteAsync($"""
                    UPDATE notifications SET status = 'cancelled', status_reason = @reason, updated_at = @now
                    WHERE {s.In("digest_id", "@windows")} AND status = 'processed' AND digested_into_notification_id IS NOT NULL
                    """, new { windows = s.Ids(windows), reason, now }, ct);
            }
        }
        return total;
    }

    public static async Task StopAsync(DbSession s, RunRow run, DateTimeOffset now, CancellationToken ct)
    {
        run.CancelRequestedAt ??= now;
        if (run.FanOutStatus is not "completed")
        {
            run.FanOutStatus = "stopped";
            run.FanOutTotal ??= run.FanOutCreated;
            await s.ExecuteAsync("DELETE FROM jobs WHERE kind = 'run' AND target_id = @id", new { id = run.Id }, ct);
        }
        run.UpdatedAt = now;
        await RunStore.UpdateRunAsync(s, run, ct);
    }
}
