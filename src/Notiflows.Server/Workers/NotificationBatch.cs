using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Conditions;
using Notiflows.Core.Definitions;
using Notiflows.Core.Engine;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Realtime;
using Notiflows.Storage.Database;
using Notiflows.Storage.Jobs;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Workers;

/// <summary>
/// The imperative shell around <see cref="StepDecider"/>: advances a batch of notifications, each from its next step until
/// it suspends (wait, digest window) or ends, inside the caller's transaction. Reads are batched (one query per kind of
/// row for the whole batch) and effects are written with multi-row statements, so a batch of a thousand notifications
/// costs a handful of round trips. Every effect is keyed — step executions and deliveries by (notification, step) — so
/// a batch that runs again after a crash changes nothing twice.
/// </summary>
public sealed class NotificationBatch(
    IdGenerator ids, VersionCache versions, DigestKeeper digests, RunFinalizer finalizer, FeedPublisher feed, JobSignal signal)
{
    /// <summary>
    /// Advances <paramref name="notifications"/>. With <paramref name="created"/> they were just made by a fan-out and
    /// are inserted here in the state they reach (a job is added only for those that suspend); otherwise each has its
    /// claimed job in <paramref name="jobs"/>, completed or rescheduled here.
    /// </summary>
    public async Task ProcessAsync(
        DbSession s, IReadOnlyList<NotificationRow> notifications, bool created, IReadOnlyDictionary<Guid, JobRow> jobs, DateTimeOffset now,
        CancellationToken ct, bool finalize = true)
    {
        if (notifications.Count == 0)
        {
            return;
        }
        var context = await BatchContext.LoadAsync(s, notifications, created, versions, ct);
        var effects = new Effects();
        foreach (var n in notifications)
        {
            await AdvanceAsync(s, n, context, effects, now, ct);
        }
        if (created)
        {
            await Bulk.InsertAsync(s, "notifications", EffectRows.Notification, notifications.Select(EffectRows.Row).ToList(),
                "ON CONFLICT (run_id, recipient_id) DO NOTHING", ct);
        }
        else
        {
            await Bulk.UpdateAsync(s, "notifications", EffectRows.NotificationState,
                notifications.Where(n => !effects.Untouched.Contains(n.Id)).Select(EffectRows.StateRow).ToList(), ct);
        }
        await Bulk.InsertAsync(s, "deliveries", EffectRows.Delivery, effects.Deliveries, "ON CONFLICT (notification_id, step_handle) DO NOTHING", ct);
        // Each pending delivery is sent by a job of its own, due now, committed with the delivery (§12.9).
        await Bulk.InsertAsync(s, "jobs", EffectRows.Job, effects.DeliveryJobs, "ON CONFLICT (kind, target_id) DO NOTHING", ct);
        if (effects.DeliveryJobs.Count > 0)
        {
            s.AfterCommit(signal.NotifyDeliveries); // this node's delivery loop takes them at once
        }
        await Bulk.InsertAsync(s, "step_executions", EffectRows.StepExecution, effects.Steps, EffectRows.StepUpsert, ct);
        await WriteJobsAsync(s, notifications, created, jobs, effects, now, ct);
        await feed.PublishAsync(s, effects.FeedEntries.GroupBy(e => (e.ProjectId, e.RecipientId, e.ChannelId!.Value))
            .Select(g => new FeedSignal(g.Key.ProjectId, g.Key.RecipientId, g.Key.Item3, FeedSignal.Created, g.Select(d => d.Id).ToList())).ToList(), ct);
        foreach (var runId in finalize ? effects.EndedRuns : [])
        {
            await finalizer.CheckAsync(s, runId, now, ct);
        }
    }

    private async Task AdvanceAsync(DbSession s, NotificationRow n, BatchContext context, Effects effects, DateTimeOffset now, CancellationToken ct)
    {
        if (n.Status is not ("pending" or "processing") || n.NextStep is null)
        {
            return;
        }
        if (!context.Users.TryGetValue(n.RecipientId, out var recipient))
        {
            End(n, effects, now, "cancelled", "user_deleted");
            return;
        }
        var run = context.Runs[n.RunId];
        var graph = context.Graphs[n.VersionId];
        var notiflow = context.Notiflows[n.NotiflowId];
        var values = new EvaluationContext(
            context.Data(run), recipient, n.ActorId is { } a ? context.Users.GetValueOrDefault(a) : null,
            n.DigestId is { } digestId ? await digests.ContextAsync(s, digestId, ct) : null,
            new JsonObject { ["id"] = run.Id.ToString(), ["topic"] = run.Topic });
        var seq = context.StepCount(n.Id);
        var handle = n.NextStep;
        if (context.IsWaitingAt(n.Id, handle))
        {
            var step = graph[handle];
            var digestWindow = step.Type == StepTypes.Digest ? n.DigestId : null;
            var due = digestWindow is { } w ? await digests.ClosesAtAsync(s, w, ct) : context.StartedAt(n.Id, handle)!.Value + Timing.Duration(step.Settings);
            if (due is { } d && now < d)
            {
                // Woken before its wait or digest window is over (a replayed or re-enqueued job): sleep again, change nothing.
                effects.Suspended[n.Id] = d;
                effects.Untouched.Add(n.Id);
                return;
            }
            // The wait or digest window this notification was suspended at is over: record it and continue after it.
            if (digestWindow is { } windowId)
            {
                await digests.CloseAsync(s, windowId, ct);
            }
            effects.Step(n, step, seq, "executed", null, null, context.StartedAt(n.Id, handle) ?? now, now);
            handle = graph.NextAfter(handle);
        }
        n.Status = "processing";
        n.UpdatedAt = now;
        var channels = await context.ChannelsAsync(s, n.ProjectId, ct);
        var facts = context.FactsOf(n.RecipientId);
        while (handle is not null)
        {
            var decision = StepDecider.Decide(new StepInput(graph, handle, values, notiflow, n.Id, now, channels, facts));
            var step = decision.Step;
            switch (decision)
            {
                case Suspend wait:
                    effects.Step(n, step, ++seq, "waiting", null, null, now, null);
                    Suspend(n, effects, step.Handle, wait.Until);
                    return;
                case OpenOrJoinDigest d:
                    if (await digests.OpenOrJoinAsync(s, n, step.Handle, d.Key, d.Window, now, ct) is { } window)
                    {
                        effects.Step(n, step, ++seq, "digested", null, null, now, now);
                        n.DigestId = window.Id;
                        n.DigestedIntoNotificationId = window.CarrierNotificationId;
                        End(n, effects, now, "processed", "digested");
                        return;
                    }
                    effects.Step(n, step, ++seq, "waiting", null, null, now, null);
                    Suspend(n, effects, step.Handle, now + d.Window);
                    return;
                case PassThrottle t:
                    if (!await ThrottleKeeper.TryPassAsync(s, n, step.Handle, t.Key, t.Window, now, ct))
                    {
                        effects.Step(n, step, ++seq, "throttled", "throttled", null, now, now);
                        End(n, effects, now, "processed", "throttled");
                        return;
                    }
                    effects.Step(n, step, ++seq, "executed", null, null, now, now);
                    break;
                case Deliver deliver:
                    var delivery = DeliveryWriter.Build(ids.New(), n, run, step.Handle, deliver.Delivery, now);
                    effects.Deliveries.Add(EffectRows.Row(delivery));
                    if (delivery.Status == "pending")
                    {
                        effects.DeliveryJobs.Add([ids.New(), JobKinds.Delivery, delivery.Id, now, null, null, 0, null, now]);
                    }
                    if (delivery.ChannelType == ChannelTypes.InApp && delivery.Status is "sent" or "delivered")
                    {
                        effects.FeedEntries.Add(delivery);
                    }
                    effects.Step(n, step, ++seq, deliver.Outcome, deliver.Reason, null, now, now);
                    break;
                case Continue c:
                    effects.Step(n, step, ++seq, c.Outcome, c.Reason, c.Branch, now, now);
                    break;
            }
            handle = decision.Next;
        }
        End(n, effects, now, "processed", null);
    }

    private static void Suspend(NotificationRow n, Effects effects, string handle, DateTimeOffset until)
    {
        n.NextStep = handle;
        effects.Suspended[n.Id] = until;
    }

    private static void End(NotificationRow n, Effects effects, DateTimeOffset now, string status, string? reason)
    {
        n.Status = status;
        n.StatusReason = reason;
        n.NextStep = null;
        n.ProcessedAt = status == "processed" ? now : null;
        n.UpdatedAt = now;
        effects.EndedRuns.Add(n.RunId);
    }

    private async Task WriteJobsAsync(
        DbSession s, IReadOnlyList<NotificationRow> notifications, bool created, IReadOnlyDictionary<Guid, JobRow> jobs, Effects effects,
        DateTimeOffset now, CancellationToken ct)
    {
        if (created)
        {
            var fresh = effects.Suspended.Select(p => new object?[] { ids.New(), JobKinds.Notification, p.Key, p.Value, null, null, 0, null, now })
                .ToList();
            await Bulk.InsertAsync(s, "jobs", EffectRows.Job, fresh, "ON CONFLICT (kind, target_id) DO NOTHING", ct);
            return;
        }
        var done = notifications.Where(n => !effects.Suspended.ContainsKey(n.Id) && jobs.ContainsKey(n.Id)).Select(n => jobs[n.Id].Id).ToList();
        foreach (var chunk in done.Chunk(1000))
        {
            await s.ExecuteAsync($"DELETE FROM jobs WHERE {s.In("id", "@chunk")}", new { chunk = s.Ids(chunk) }, ct);
        }
        var due = effects.Suspended.Where(p => jobs.ContainsKey(p.Key)).Select(p => new object?[] { jobs[p.Key].Id, p.Value, null, null, 0 }).ToList();
        await Bulk.UpdateAsync(s, "jobs", EffectRows.JobDue, due, ct);
    }

    /// <summary>The effects of a batch, written together at its end.</summary>
    private sealed class Effects
    {
        public List<object?[]> Steps { get; } = [];
        public List<object?[]> Deliveries { get; } = [];
        public List<object?[]> DeliveryJobs { get; } = [];
        /// <summary>New in-app entries, announced to realtime clients once the batch commits.</summary>
        public List<DeliveryRow> FeedEntries { get; } = [];
        public Dictionary<Guid, DateTimeOffset> Suspended { get; } = [];
        public HashSet<Guid> EndedRuns { get; } = [];
        public HashSet<Guid> Untouched { get; } = [];

        public void Step(NotificationRow n, Step step, int seq, string outcome, string? reason, string? branch, DateTimeOffset started, DateTimeOffset? completed) =>
            Steps.Add([n.Id, step.Handle, seq, step.Type, step.ParentStepHandle, step.Type == StepTypes.Condition ? branch : step.BranchHandle,
                outcome, reason, started, completed]);
    }
}
