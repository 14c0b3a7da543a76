using System.Text.Json;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;
using Notiflows.Storage.Jobs;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Workers;

/// <summary>
/// Starts runs and fans them out (§12.1). Recipient runs create their notifications at once; topic runs page the
/// subscriptions by id in batches, each batch committed with its cursor, so a crash resumes exactly where it stopped
/// and the (run, recipient) key makes a repeated batch create nothing twice.
/// </summary>
public sealed class RunStarter(IdGenerator ids, RunFinalizer finalizer, NotificationBatch batch, VersionCache versions, IConfiguration config)
{
    private readonly int _batchSize = config.GetValue("Notiflows:FanOut:BatchSize", 1000);

    /// <summary>
    /// Starts many runs in one transaction: the recipient runs' notifications are created and advanced as one batch,
    /// and a run whose notifications all ended right away completes in the same commit. Topic runs page on as usual.
    /// </summary>
    public async Task ProcessManyAsync(DbSession s, IReadOnlyList<JobRow> jobs, string token, DateTimeOffset now, CancellationToken ct)
    {
        var owned = await s.QueryAsync<Guid>(
            $"SELECT id FROM jobs WHERE {s.In("id", "@ids")} AND locked_by = @token{s.ForUpdate}", new { ids = s.Ids(jobs.Select(j => j.Id)), token }, ct);
        if (owned.Count != jobs.Count)
        {
            throw new LeaseLostException(jobs.First(j => !owned.Contains(j.Id)).Id);
        }
        var runs = (await s.QueryAsync<RunRow>(
            $"SELECT {RunStore.RunColumns} FROM runs WHERE {s.In("id", "@ids")}{s.ForUpdate}", new { ids = s.Ids(jobs.Select(j => j.TargetId)) }, ct))
            .ToDictionary(r => r.Id);
        var starting = new List<(JobRow Job, RunRow Run, List<NotificationRow> Notifications)>();
        foreach (var job in jobs)
        {
            if (runs.TryGetValue(job.TargetId, out var run) && run.Topic is null && run.Status == "pending")
            {
                starting.Add((job, run, []));
            }
            else
            {
                await ProcessAsync(s, job, token, now, ct);
            }
        }
        if (starting.Count == 0)
        {
            return;
        }
        var all = new List<NotificationRow>();
        foreach (var (_, run, notifications) in starting)
        {
            var trigger = (await versions.GetAsync(s, run.NotiflowId, run.VersionId, ct)).Trigger.Handle;
            notifications.AddRange(JsonSerializer.Deserialize<List<Guid>>(run.RecipientIds ?? "[]")!.Select(r => New(run, r, trigger, now)));
            all.AddRange(notifications);
        }
        // Notifications a cancel-by-key created ahead of the fan-out (§6.6) are not created again.
        var existing = (await s.QueryAsync<ExistingRow>(
            $"SELECT run_id, recipient_id, status FROM notifications WHERE {s.In("run_id", "@ids")}",
            new { ids = s.Ids(starting.Select(x => x.Run.Id)) }, ct)).ToList();
        if (existing.Count > 0)
        {
            var skip = existing.Select(e => (e.RunId, e.RecipientId)).ToHashSet();
            all.RemoveAll(n => skip.Contains((n.RunId, n.RecipientId)));
            starting.ForEach(x => x.Notifications.RemoveAll(n => skip.Contains((n.RunId, n.RecipientId))));
        }
        await batch.ProcessAsync(s, all, created: true, new Dictionary<Guid, JobRow>(), now, ct, finalize: false);
        var updates = new List<object?[]>();
        foreach (var (_, run, notifications) in starting)
        {
            var earlier = existing.Where(e => e.RunId == run.Id).ToList();
            var statuses = notifications.Select(n => n.Status).Concat(earlier.Select(e => e.Status)).ToList();
            run.Status = RunFinalizer.Outcome(statuses, run.CancelRequestedAt is not null) ?? "running";
            run.StartedAt = now;
            run.CompletedAt = run.Status == "running" ? null : now;
            run.FanOutStatus = "completed";
            run.FanOutCreated = statuses.Count;
            run.FanOutTotal = statuses.Count;
            run.RecipientCount = statuses.Count;
            updates.Add([run.Id, run.Status, run.RecipientCount, run.FanOutStatus, run.FanOutTotal, run.FanOutCreated, run.StartedAt,
                run.CompletedAt, now]);
        }
        await Bulk.UpdateAsync(s, "runs", RunState, updates, ct);
        await s.ExecuteAsync($"DELETE FROM jobs WHERE {s.In("id", "@ids")}", new { ids = s.Ids(starting.Select(x => x.Job.Id)) }, ct);
    }

    private static readonly BulkColumn[] RunState =
    [
        new("id", "uuid"), new("status", "text"), new("recipient_count", "integer"), new("fan_out_status", "text"), new("fan_out_total", "integer"),
        new("fan_out_created", "integer"), new("started_at", "bigint"), new("completed_at", "bigint"), new("updated_at", "bigint"),
    ];

    private NotificationRow New(RunRow run, Guid recipient, string trigger, DateTimeOffset now) => new()
    {
        Id = ids.New(), ProjectId = run.ProjectId, RunId = run.Id, NotiflowId = run.NotiflowId, VersionId = run.VersionId, RecipientId = recipient,
        ActorId = run.ActorId, Topic = run.Topic, Status = "pending", NextStep = trigger, CreatedAt = now, UpdatedAt = now,
    };

    public async Task ProcessAsync(DbSession s, JobRow job, string token, DateTimeOffset now, CancellationToken ct)
    {
        var run = await RunStore.GetRunAsync(s, job.TargetId, ct);
        if (run is null || run.Status is "completed" or "failed" or "cancelled" || run.FanOutStatus is "completed" or "stopped")
        {
            await Done(s, job, token, ct);
            return;
        }
        if (run.Status == "pending")
        {
            run.Status = "running";
            run.StartedAt = now;
            run.FanOutStatus = "running";
        }
        List<Guid> recipients;
        var more = false;
        if (run.Topic is null)
        {
            recipients = JsonSerializer.Deserialize<List<Guid>>(run.RecipientIds ?? "[]")!;
        }
        else
        {
            // "Existed when the run was accepted" (§12.1): created before the run, or in the same clock tick but with a smaller
            // id (ids are UUIDv7, monotonic within a node), so a subscription made right after acceptance is never included.
            var page = await s.QueryAsync<SubscriberRow>($"""
                SELECT s.id, s.user_id FROM subscriptions s JOIN topics t ON t.id = s.topic_id
                WHERE t.project_id = @projectId AND t.name = @topic
                  AND (s.created_at < @acceptedAt OR (s.created_at = @acceptedAt AND s.id < @runId))
                  {DbSession.Bounds("s.id", null, run.FanOutCursor).Replace("@newer", "@cursor", StringComparison.Ordinal)}
                ORDER BY s.id LIMIT @limit
                """, new
            {
                projectId = run.ProjectId, topic = run.Topic, acceptedAt = run.CreatedAt, runId = run.Id, cursor = run.FanOutCursor,
                limit = _batchSize,
            }, ct);
            recipients = page.Select(p => p.UserId).ToList();
            more = page.Count == _batchSize;
            if (page.Count > 0)
            {
                run.FanOutCursor = page[^1].Id;
            }
        }
        if (recipients.Count > 0)
        {
            // Recipients that already have a notification of this run (created cancelled by a cancel-by-key that came
            // before the fan-out, §6.6) are not notified again.
            var existing = (await s.QueryAsync<Guid>(
                $"SELECT recipient_id FROM notifications WHERE run_id = @runId AND {s.In("recipient_id", "@recipients")}",
                new { runId = run.Id, recipients = s.Ids(recipients) }, ct)).ToHashSet();
            recipients = recipients.Where(r => !existing.Contains(r)).ToList();
        }
        var trigger = (await versions.GetAsync(s, run.NotiflowId, run.VersionId, ct)).Trigger.Handle;
        var notifications = recipients.Select(r => New(run, r, trigger, now)).ToList();
        if (notifications.Count > 0)
        {
            // The new notifications run right here, in the fan-out's transaction: most finish without ever needing a job of
            // their own, and the batch commits with its cursor, so a crash redoes the whole batch or none of it.
            await batch.ProcessAsync(s, notifications, created: true, new Dictionary<Guid, JobRow>(), now, ct);
        }
        run.FanOutCreated += notifications.Count;
        if (more)
        {
            run.UpdatedAt = now;
            await RunStore.UpdateRunAsync(s, run, ct);
            if (!await JobStore.RescheduleAsync(s, job.Id, token, now, null, ct))
            {
                throw new LeaseLostException(job.Id);
            }
            return;
        }
        run.FanOutStatus = "completed";
        // Counted, not summed: a cancel by key with recipients may have created some of them (cancelled) ahead of the fan-out.
        var recipientCount = await s.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE run_id = @id", new { id = run.Id }, ct);
        run.FanOutTotal = recipientCount;
        run.RecipientCount = recipientCount;
        run.UpdatedAt = now;
        await RunStore.UpdateRunAsync(s, run, ct);
        await Done(s, job, token, ct);
        await finalizer.CheckAsync(s, run.Id, now, ct);
    }

    private static async Task Done(DbSession s, JobRow job, string token, CancellationToken ct)
    {
        if (!await JobStore.CompleteAsync(s, job.Id, token, ct))
        {
            throw new LeaseLostException(job.Id);
        }
    }

    private sealed class SubscriberRow
    {
        public Guid Id { get; init; }
        public Guid UserId { get; init; }
    }

    private sealed class ExistingRow
    {
        public Guid RunId { get; init; }
        public Guid RecipientId { get; init; }
        public string Status { get; init; } = "";
    }
}
