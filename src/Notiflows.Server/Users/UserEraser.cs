using Notiflows.Server.Api.Admin.Runs;
using Notiflows.Server.Realtime;
using Notiflows.Server.Workers;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Users;

/// <summary>
/// Erases a user (§6.1 delete rules) in the caller's transaction: its record and everything personal that hangs off it
/// (topic subscriptions, channel settings and subscriptions, preferences, throttle state); its open notifications are
/// cancelled with <c>user_deleted</c> (with the digest windows they carry), its unfinished deliveries failed, and the
/// rendered content and address of every delivery addressed to it cleared. Notifications and deliveries keep the
/// former id, which every view renders as a tombstone (§5.2).
/// </summary>
public sealed class UserEraser(RunFinalizer finalizer, FeedPublisher feed)
{
    /// <summary>Erases the user; false when no user has that external id.</summary>
    public async Task<bool> EraseAsync(DbSession s, Guid projectId, string externalId, DateTimeOffset now, CancellationToken ct)
    {
        var users = await UserStore.LockByExternalIdsAsync(s, projectId, [externalId], ct);
        if (users.Count == 0)
        {
            return false;
        }
        var userId = users[0].Id;
        var args = new { userId, now };
        // A notification whose step is executing holds its row lock: cancelling it waits for that step's transaction,
        // which read the user before this one deleted it, so the step's delivery is ordered before the erasure and
        // its content is cleared below; every later step finds the user gone (NotificationBatch ends it user_deleted).
        var runs = await s.QueryAsync<Guid>(
            "SELECT DISTINCT run_id FROM notifications WHERE recipient_id = @userId AND status IN ('pending', 'processing')", args, ct);
        await RunCanceller.CancelNotificationsAsync(s, "n.recipient_id = @userId", args, "user_deleted", now, ct);
        await s.ExecuteAsync("""
            UPDATE deliveries SET status = 'failed', error = 'user_deleted', next_attempt_at = NULL, updated_at = @now
            WHERE recipient_id = @userId AND status IN ('pending', 'processing')
            """, args, ct);
        await s.ExecuteAsync("""
            UPDATE deliveries SET data = '{}', recipient_address = NULL, updated_at = @now
            WHERE recipient_id = @userId AND (data <> '{}' OR recipient_address IS NOT NULL)
            """, args, ct);
        foreach (var table in new[] { "subscriptions", "channel_settings", "channel_subscriptions", "user_preferences" })
        {
            await s.ExecuteAsync($"DELETE FROM {table} WHERE user_id = @userId", args, ct);
        }
        await s.ExecuteAsync("DELETE FROM throttle_passes WHERE recipient_id = @userId", args, ct);
        await s.ExecuteAsync("DELETE FROM users WHERE id = @userId", args, ct);
        await feed.PublishAsync(s, [new FeedSignal(projectId, userId, Guid.Empty, FeedSignal.Revoked, [])], ct);
        foreach (var runId in runs)
        {
            await finalizer.CheckAsync(s, runId, now, ct);
        }
        return true;
    }
}
