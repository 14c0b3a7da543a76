using System.Text.Json;
using System.Text.Json.Nodes;
using Notiflows.Core.Conditions;
using Notiflows.Core.Engine;
using Notiflows.Server.Api.Admin.Users;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;
using Notiflows.Storage.Jobs;
using Notiflows.Storage.Notiflows;
using Notiflows.Storage.Runs;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Workers;

/// <summary>
/// The imperative shell around <see cref="StepDecider"/>: advances one notification from its next step until it
/// suspends (wait, digest window) or ends, writing every effect and the job's completion in the caller's transaction.
/// A job run twice changes nothing the second time: step executions and deliveries are keyed by (notification, step).
/// </summary>
public sealed class NotificationRunner(IdGenerator ids, VersionCache versions, DigestKeeper digests, RunFinalizer finalizer)
{
    public async Task ProcessAsync(DbSession s, JobRow job, string token, DateTimeOffset now, CancellationToken ct)
    {
        var n = (await RunStore.GetNotificationsAsync(s, [job.TargetId], ct)).FirstOrDefault();
        if (n is null || n.Status is not ("pending" or "processing") || n.NextStep is null)
        {
            await Complete(s, job, token, ct);
            return;
        }
        var run = (await RunStore.GetRunsAsync(s, [n.RunId], ct))[0];
        var notiflow = (await NotiflowStore.GetByIdAsync(s, n.ProjectId, n.NotiflowId, ct))!;
        var graph = await versions.GetAsync(s, n.NotiflowId, n.VersionId, ct);
        var users = (await UserStore.GetByIdsAsync(s, n.ActorId is { } a ? [n.RecipientId, a] : [n.RecipientId], ct)).ToDictionary(u => u.Id);
        if (!users.TryGetValue(n.RecipientId, out var recipient))
        {
            await EndAsync(s, n, job, token, now, "cancelled", "user_deleted", ct);
            return;
        }
        var channels = await ChannelDirectory.LoadAsync(s, n.ProjectId, ct);
        var info = new NotiflowInfo(notiflow.Id, notiflow.Handle, notiflow.Name, notiflow.IncludeInPreferences);
        var data = JsonNode.Parse(run.Data) as JsonObject ?? [];
        var runJson = new JsonObject { ["id"] = run.Id.ToString(), ["topic"] = run.Topic };
        var actor = n.ActorId is { } actorId && users.TryGetValue(actorId, out var actorRow) ? UserResponse.Json(actorRow) : null;
        var digest = n.DigestId is { } digestId ? await digests.ContextAsync(s, digestId, ct) : null;
        var values = new EvaluationContext(data, UserResponse.Json(recipient), actor, digest, runJson);
        var seq = await RunStore.CountStepsAsync(s, n.Id, ct);
        n.Status = "processing";

        var (handle, notBefore) = await ResumeAsync(s, n, graph, now, ct);
        if (notBefore is { } until)
        {
            // Woken before its wait or digest window is over (a replayed or re-enqueued job): go back to sleep, change nothing.
            if (!await JobStore.RescheduleAsync(s, job.Id, token, until, null, ct))
            {
                throw new LeaseLostException(job.Id);
            }
            return;
        }
        while (handle is not null)
        {
            var decision = StepDecider.Decide(new StepInput(graph, handle, values, info, n.Id, now, channels, NoRecipientFacts.Instance));
            var step = decision.Step;
            switch (decision)
            {
                case Suspend wait:
                    await RecordAsync(s, n, step, ++seq, "waiting", null, null, now, completed: false, ct);
                    await SuspendAsync(s, n, job, token, step.Handle, wait.Until, now, ct);
                    return;
                case OpenOrJoinDigest d:
                    var joined = await digests.OpenOrJoinAsync(s, n, step.Handle, d.Key, d.Window, now, ct);
                    if (joined is { } window)
                    {
                        await RecordAsync(s, n, step, ++seq, "digested", null, null, now, completed: true, ct);
                        n.DigestId = window.Id;
                        n.DigestedIntoNotificationId = window.CarrierNotificationId;
                        await EndAsync(s, n, job, token, now, "processed", "digested", ct);
                        return;
                    }
                    await RecordAsync(s, n, step, ++seq, "waiting", null, null, now, completed: false, ct);
                    await SuspendAsync(s, n, job, token, step.Handle, now + d.Window, now, ct);
                    return;
                case PassThrottle t:
                    if (!await ThrottleKeeper.TryPassAsync(s, n, step.Handle, t.Key, t.Window, now, ct))
                    {
                        await RecordAsync(s, n, step, ++seq, "throttled", "throttled", null, now, completed: true, ct);
                        await EndAsync(s, n, job, token, now, "processed", "throttled", ct);
                        return;
                    }
                    await RecordAsync(s, n, step, ++seq, "executed", null, null, now, completed: true, ct);
                    break;
                case Deliver deliver:
                    await DeliveryWriter.WriteAsync(s, ids.New(), n, run, step.Handle, deliver.Delivery, now, ct);
                    await RecordAsync(s, n, step, ++seq, deliver.Outcome, deliver.Reason, null, now, completed: true, ct);
                    break;
                case Continue c:
                    await RecordAsync(s, n, step, ++seq, c.Outcome, c.Reason, c.Branch, now, completed: true, ct);
                    break;
            }
            handle = decision.Next;
        }
        await EndAsync(s, n, job, token, now, "processed", null, ct);
    }

    /// <summary>
    /// When the next step is a wait or digest whose execution is recorded as waiting, its time has come: record it executed
    /// (closing the digest window) and continue after it. Otherwise execution starts at the next step itself. A job that
    /// wakes before the wait or window is over gets <c>NotBefore</c> instead, and nothing is changed.
    /// </summary>
    private async Task<(string? Handle, DateTimeOffset? NotBefore)> ResumeAsync(
        DbSession s, NotificationRow n, StepGraph graph, DateTimeOffset now, CancellationToken ct)
    {
        var handle = n.NextStep!;
        var suspended = (await RunStore.GetStepsAsync(s, n.Id, ct)).FirstOrDefault(e => e.StepHandle == handle);
        if (suspended?.Outcome != "waiting")
        {
            return (handle, null);
        }
        var step = graph[handle];
        var isDigest = step.Type == Notiflows.Core.Definitions.StepTypes.Digest && n.DigestId is not null;
        var due = isDigest ? await digests.ClosesAtAsync(s, n.DigestId!.Value, ct) : suspended.StartedAt + Timing.Duration(step.Settings);
        if (due is { } d && now < d)
        {
            return (null, d);
        }
        if (isDigest)
        {
            await digests.CloseAsync(s, n.DigestId!.Value, ct);
        }
        await s.ExecuteAsync(
            "UPDATE step_executions SET outcome = 'executed', completed_at = @now WHERE notification_id = @id AND step_handle = @handle",
            new { id = n.Id, handle, now }, ct);
        return (graph.NextAfter(handle), null);
    }

    private static Task RecordAsync(
        DbSession s, NotificationRow n, Notiflows.Core.Definitions.Step step, int seq, string outcome, string? reason, string? branch,
        DateTimeOffset now, bool completed, CancellationToken ct) =>
        RunStore.UpsertStepAsync(s, new StepExecutionRow
        {
            NotificationId = n.Id, StepHandle = step.Handle, Seq = seq, StepType = step.Type, ParentStepHandle = step.ParentStepHandle,
            BranchHandle = step.Type == "condition" ? branch : step.BranchHandle, Outcome = outcome, Reason = reason, StartedAt = now,
            CompletedAt = completed ? now : null,
        }, ct);

    private static async Task SuspendAsync(
        DbSession s, NotificationRow n, JobRow job, string token, string handle, DateTimeOffset until, DateTimeOffset now, CancellationToken ct)
    {
        n.NextStep = handle;
        n.UpdatedAt = now;
        await RunStore.UpdateNotificationAsync(s, n, ct);
        if (!await JobStore.RescheduleAsync(s, job.Id, token, until, null, ct))
        {
            throw new LeaseLostException(job.Id);
        }
    }

    private async Task EndAsync(
        DbSession s, NotificationRow n, JobRow job, string token, DateTimeOffset now, string status, string? reason, CancellationToken ct)
    {
        n.Status = status;
        n.StatusReason = reason;
        n.NextStep = null;
        n.ProcessedAt = status == "processed" ? now : null;
        n.UpdatedAt = now;
        await RunStore.UpdateNotificationAsync(s, n, ct);
        await Complete(s, job, token, ct);
        await finalizer.CheckAsync(s, n.RunId, now, ct);
    }

    private static async Task Complete(DbSession s, JobRow job, string token, CancellationToken ct)
    {
        if (!await JobStore.CompleteAsync(s, job.Id, token, ct))
        {
            throw new LeaseLostException(job.Id);
        }
    }
}

/// <summary>The job's lease passed to another worker: this worker's effects must roll back.</summary>
public sealed class LeaseLostException(Guid jobId) : Exception($"The lease of job {jobId} was lost.");

internal static class JsonText
{
    public static string Of(object value) => JsonSerializer.Serialize(value, JsonDefaults.Options);
}
