using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Workers;

/// <summary>Throttle state (§12.6): one pass per key per window; dropped notifications do not extend the window.</summary>
public static class ThrottleKeeper
{
    public static async Task<bool> TryPassAsync(
        DbSession s, NotificationRow n, string stepHandle, string key, TimeSpan window, DateTimeOffset now, CancellationToken ct)
    {
        var args = new { notiflowId = n.NotiflowId, stepHandle, recipientId = n.RecipientId, key, now, openedAfter = now - window };
        // Insert the first pass, or move the pass time forward only when the previous pass is a whole window old.
        var passed = await s.ExecuteAsync("""
            INSERT INTO throttle_passes (notiflow_id, step_handle, recipient_id, throttle_key, passed_at)
            VALUES (@notiflowId, @stepHandle, @recipientId, @key, @now)
            ON CONFLICT (notiflow_id, step_handle, recipient_id, throttle_key)
            DO UPDATE SET passed_at = excluded.passed_at WHERE throttle_passes.passed_at <= @openedAfter
            """, args, ct);
        return passed == 1;
    }
}
