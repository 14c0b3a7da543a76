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
    Db db, TimeProvider time, RunStarter runs, NotificationRunner notifications, RunFinalizer finalizer, IConfiguration config,
    ILogger<JobProcessor> logger)
{
    public const int MaxAttempts = 10;
    // How long a claimed job stays this worker's: a node that dies holding jobs gives them up when the lease ends.
    private readonly TimeSpan _lease = TimeSpan.FromSeconds(config.GetValue("Notiflows:Workers:LeaseSeconds", 60.0));
    private readonly string _node = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    private long _claims;

    /// <summary>Processes up to <paramref name="limit"/> due jobs; returns how many were claimed.</summary>
    public async Task<int> RunOnceAsync(int limit, CancellationToken ct)
    {
        var token = $"{_node}:{Interlocked.Increment(ref _claims)}";
        var now = time.Now();
        var jobs = await db.WriteAsync(s => JobStore.ClaimAsync(s, token, now, _lease, limit, ct), ct);
        foreach (var job in jobs)
        {
            await RunAsync(job, token, ct);
        }
        return jobs.Count;
    }

    private async Task RunAsync(JobRow job, string token, CancellationToken ct)
    {
        try
        {
            await db.WriteAsync(async s =>
            {
                var now = time.Now();
                await (job.Kind == JobKinds.Run ? runs.ProcessAsync(s, job, token, now, ct) : notifications.ProcessAsync(s, job, token, now, ct));
                return 0;
            }, ct);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: lease lost to another worker; its effects were rolled back")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Kind} {TargetId} failed (attempt {Attempt})")]
    private static partial void LogFailed(ILogger logger, Exception ex, string kind, Guid targetId, int attempt);
}
