using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;
using Notiflows.Storage.Jobs;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Workers;

/// <summary>
/// Claims due jobs and runs each in its own transaction (effects + completion commit together). A job that throws is
/// retried with backoff; one that keeps failing fails its notification or run with the error, never silently.
/// </summary>
public sealed partial class JobProcessor(
    Db db, TimeProvider time, RunStarter runs, NotificationBatch notifications, RunFinalizer finalizer, DeliverySender deliveries,
    IConfiguration config, ILogger<JobProcessor> logger)
{
    public const int MaxAttempts = 10;
    // How long a claimed job stays this worker's: a node that dies holding jobs gives them up when the lease ends.
    private readonly TimeSpan _lease = TimeSpan.FromSeconds(config.GetValue("Notiflows:Workers:LeaseSeconds", 60.0));
    // Delivery jobs of one claim run concurrently: each may wait on a provider for up to its timeout.
    private readonly int _sendConcurrency = Math.Max(1, config.GetValue("Notiflows:Delivery:Concurrency", 16));
    private readonly string _node = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    private long _claims;

    /// <summary>
    /// Processes up to <paramref name="limit"/> due jobs of <paramref name="filter"/> (the workers take the engine's; the
    /// test drain takes all, running the claimed delivery jobs concurrently); returns how many were claimed.
    /// </summary>
    public async Task<int> RunOnceAsync(int limit, CancellationToken ct, JobFilter filter = JobFilter.All)
    {
        var (jobs, token) = await ClaimAsync(limit, filter, ct);
        var runJobs = jobs.Where(j => j.Kind == JobKinds.Run).ToList();
        if (runJobs.Count > 1)
        {
            try
            {
                await db.WriteAsync(async s =>
                {
                    await runs.ProcessManyAsync(s, runJobs, token, time.Now(), ct);
                    return 0;
                }, ct);
                runJobs.Clear();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                LogBatchFailed(logger, ex, runJobs.Count);
            }
        }
        foreach (var job in runJobs)
        {
            await RunAsync([job], token, ct);
        }
        await Parallel.ForEachAsync(jobs.Where(j => j.Kind == JobKinds.Delivery),
            new ParallelOptions { MaxDegreeOfParallelism = _sendConcurrency, CancellationToken = ct },
            async (job, jobCt) => await RunAsync([job], token, jobCt));
        var batch = jobs.Where(j => j.Kind == JobKinds.Notification).ToList();
        if (batch.Count > 1)
        {
            try
            {
                await db.WriteAsync(s => AdvanceAsync(s, batch, token, ct), ct);
                return jobs.Count;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // One notification spoiled the batch (or a lease was lost): redo them one by one to isolate it.
                LogBatchFailed(logger, ex, batch.Count);
            }
        }
        foreach (var job in batch)
        {
            await RunAsync([job], token, ct);
        }
        return jobs.Count;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due delivery jobs and starts them (tx 1 of each) in the claim's transaction: one
    /// commit for the batch. Returns how many were claimed and the sends that need a provider call, each to be finished
    /// with <see cref="RunDeliveryAsync"/>. If one job spoils the batch, the jobs are claimed on their own and each is
    /// then run whole, with the usual error handling.
    /// </summary>
    internal async Task<(int Claimed, IReadOnlyList<DeliverySender.StartedSend> Sends)> ClaimDeliveriesAsync(int limit, CancellationToken ct)
    {
        var token = NewToken();
        var now = time.Now();
        try
        {
            return await db.WriteAsync(async s =>
            {
                var jobs = await JobStore.ClaimAsync(s, token, now, _lease, limit, ct, JobFilter.Deliveries);
                return (jobs.Count, (IReadOnlyList<DeliverySender.StartedSend>)await deliveries.StartAsync(s, jobs, token, _lease, ct));
            }, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogDeliveryBatchFailed(logger, ex);
            var (jobs, alone) = await ClaimAsync(limit, JobFilter.Deliveries, ct);
            return (jobs.Count, jobs.Select(j => new DeliverySender.StartedSend(j, alone, null)).ToList());
        }
    }

    /// <summary>Finishes one claimed delivery job (the provider call and tx 2). Never throws but for cancellation.</summary>
    internal Task RunDeliveryAsync(DeliverySender.StartedSend send, CancellationToken ct) =>
        GuardAsync(send.Job, send.Token, () => deliveries.FinishAsync(send, _lease, ct), ct);

    private string NewToken() => $"{_node}:{Interlocked.Increment(ref _claims)}";

    private async Task<(IReadOnlyList<JobRow> Jobs, string Token)> ClaimAsync(int limit, JobFilter filter, CancellationToken ct)
    {
        var token = NewToken();
        var now = time.Now();
        return (await db.WriteAsync(s => JobStore.ClaimAsync(s, token, now, _lease, limit, ct, filter), ct), token);
    }

    /// <summary>Advances the notifications of claimed jobs that this claim still owns, in one transaction.</summary>
    private async Task<int> AdvanceAsync(DbSession s, IReadOnlyList<JobRow> jobs, string token, CancellationToken ct)
    {
        var owned = await s.QueryAsync<Guid>(
            $"SELECT id FROM jobs WHERE {s.In("id", "@ids")} AND locked_by = @token{s.ForUpdate}", new { ids = s.Ids(jobs.Select(j => j.Id)), token }, ct);
        if (owned.Count != jobs.Count)
        {
            throw new LeaseLostException(jobs.First(j => !owned.Contains(j.Id)).Id);
        }
        var rows = (await RunStore.GetNotificationsForUpdateAsync(s, jobs.Select(j => j.TargetId).ToList(), ct)).ToList();
        var orphans = jobs.Where(j => rows.TrueForAll(n => n.Id != j.TargetId)).Select(j => j.Id).ToList();
        if (orphans.Count > 0)
        {
            await s.ExecuteAsync($"DELETE FROM jobs WHERE {s.In("id", "@orphans")}", new { orphans = s.Ids(orphans) }, ct);
        }
        if (rows.Count > 0)
        {
            await notifications.ProcessAsync(s, rows, created: false, jobs.ToDictionary(j => j.TargetId), time.Now(), ct);
        }
        return rows.Count;
    }

    private Task RunAsync(IReadOnlyList<JobRow> single, string token, CancellationToken ct)
    {
        var job = single[0];
        return GuardAsync(job, token, async () =>
        {
            if (job.Kind == JobKinds.Delivery)
            {
                await deliveries.RunAsync(job, token, _lease, ct);
                return;
            }
            await db.WriteAsync(async s =>
            {
                if (job.Kind == JobKinds.Run)
                {
                    await runs.ProcessAsync(s, job, token, time.Now(), ct);
                    return 0;
                }
                return await AdvanceAsync(s, single, token, ct);
            }, ct);
        }, ct);
    }

    /// <summary>Runs a job's work: a lost lease is logged; any other failure retries the job with backoff, then fails it.</summary>
    private async Task GuardAsync(JobRow job, string token, Func<Task> work, CancellationToken ct)
    {
        try
        {
            await work();
        }
        catch (LeaseLostException)
        {
            LogLeaseLost(logger, job.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogFailed(logger, ex, job.Kind, job.TargetId, job.Attempts);
            await db.WriteAsync(s => FailAsync(s, job, token, ex, ct), ct);
        }
    }

    private async Task<int> FailAsync(DbSession s, JobRow job, string token, Exception ex, CancellationToken ct)
    {
        var now = time.Now();
        var error = $"{ex.GetType().Name}: {ex.Message}";
        if (job.Attempts < MaxAttempts)
        {
            var delay = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, job.Attempts)));
            await JobStore.RescheduleAsync(s, job.Id, token, now + delay, error, ct);
            return 0;
        }
        if (!await JobStore.CompleteAsync(s, job.Id, token, ct))
        {
            return 0;
        }
        if (job.Kind == JobKinds.Notification)
        {
            await s.ExecuteAsync("""
                UPDATE notifications SET status = 'failed', status_reason = 'error', error = @error, next_step = NULL, updated_at = @now
                WHERE id = @id AND status IN ('pending', 'processing')
                """, new { id = job.TargetId, error, now }, ct);
            var runId = await s.QueryOneAsync<Guid>("SELECT run_id FROM notifications WHERE id = @id", new { id = job.TargetId }, ct);
            await finalizer.CheckAsync(s, runId, now, ct);
        }
        else if (job.Kind == JobKinds.Delivery)
        {
            await s.ExecuteAsync("""
                UPDATE deliveries SET status = 'failed', error = @error, next_attempt_at = NULL, updated_at = @now
                WHERE id = @id AND status IN ('pending', 'processing')
                """, new { id = job.TargetId, error, now }, ct);
        }
        else if (await RunStore.GetRunAsync(s, job.TargetId, ct) is { } run)
        {
            run.Status = "failed";
            run.FanOutStatus = "stopped";
            run.CompletedAt = now;
            run.UpdatedAt = now;
            await RunStore.UpdateRunAsync(s, run, ct);
        }
        return 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} notification jobs failed; retrying them one by one")]
    private static partial void LogBatchFailed(ILogger logger, Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting a batch of delivery jobs failed; claiming and running them one by one")]
    private static partial void LogDeliveryBatchFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: lease lost to another worker; its effects were rolled back")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Kind} {TargetId} failed (attempt {Attempt})")]
    private static partial void LogFailed(ILogger logger, Exception ex, string kind, Guid targetId, int attempt);
}
