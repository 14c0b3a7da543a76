using System.Text.Json;
using Notiflows.Server.Infrastructure;
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

    /// <summary>
    /// Cancel by key with <c>recipients</c> does not stop the fan-out of matching runs (§6.6), so the named recipients whose
    /// notification the fan-out has not created yet get it created cancelled now: the fan-out's
    /// <c>ON CONFLICT (run_id, recipient_id) DO NOTHING</c> then never creates a live one. (Otherwise cancelling right after
    /// triggering would notify the very recipients it named.) Returns how many were created cancelled.
    /// </summary>
    public static async Task<int> CancelAheadOfFanOutAsync(
        DbSession s, IReadOnlyList<RunRow> runs, IReadOnlyList<string> externalIds, string reason, IdGenerator ids, DateTimeOffset now,
        CancellationToken ct)
    {
        var open = runs.Where(r => r.FanOutStatus is "pending" or "running").ToList();
        if (open.Count == 0)
        {
            return 0;
        }
        var users = await s.QueryAsync<Guid>(
            $"SELECT id FROM users WHERE project_id = @projectId AND {s.In("external_id", "@externalIds")}",
            new { projectId = open[0].ProjectId, externalIds }, ct);
        if (users.Count == 0)
        {
            return 0;
        }
        var total = 0;
        foreach (var run in open)
        {
            var targets = run.Topic is null
                ? JsonSerializer.Deserialize<List<Guid>>(run.RecipientIds ?? "[]")!.Intersect(users).ToList()
                : await s.QueryAsync<Guid>($"""
                    SELECT s.user_id FROM subscriptions s JOIN topics t ON t.id = s.topic_id
                    WHERE t.project_id = @projectId AND t.name = @topic AND {s.In("s.user_id", "@users")}
                      AND (s.created_at < @acceptedAt OR (s.created_at = @acceptedAt AND s.id < @runId))
                    """, new
                    {
                        projectId = run.ProjectId, topic = run.Topic, users = s.Ids(users), acceptedAt = run.CreatedAt, runId = run.Id,
                    }, ct);
            total += await RunStore.InsertNotificationsAsync(s, targets.Select(r => new NotificationRow
            {
                Id = ids.New(), ProjectId = run.ProjectId, RunId = run.Id, NotiflowId = run.NotiflowId, VersionId = run.VersionId,
                RecipientId = r, ActorId = run.ActorId, Topic = run.Topic, Status = "cancelled", StatusReason = reason, NextStep = null,
                CreatedAt = now, UpdatedAt = now,
            }).ToList(), ct);
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
