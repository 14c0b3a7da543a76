using Notiflows.Storage.Jobs;

namespace Notiflows.Server.Workers;

/// <summary>
/// The background workers of this node. The engine loops (<c>Notiflows:Workers:Count</c>, default one per core) claim and
/// run batches of due run and notification jobs; one delivery loop keeps up to <c>Notiflows:Delivery:Concurrency</c>
/// provider sends in flight, claiming a delivery job whenever a slot is free — so a slow or hanging provider fills only
/// its own slots and never holds up the engine. Each loop sleeps until signalled for its kind of work (engine loops: a run
/// accepted on this node, or on another through NOTIFY and <see cref="Infrastructure.PgListener"/>; the delivery loop:
/// delivery jobs committed on this node) or until the poll interval passes (timers, retries, other nodes' sends). Disabled with <c>Notiflows:Workers:Enabled=false</c> (the tests drive jobs through
/// <see cref="JobDrain"/>).
/// </summary>
public sealed partial class JobWorkers(
    JobProcessor processor, JobSignal signal, TimeProvider time, IConfiguration config, ILogger<JobWorkers> logger)
    : BackgroundService
{
    public const string Channel = "notiflows_jobs";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.GetValue("Notiflows:Workers:Enabled", true))
        {
            return Task.CompletedTask;
        }
        var count = Math.Max(1, config.GetValue("Notiflows:Workers:Count", Environment.ProcessorCount));
        var batch = Math.Max(1, config.GetValue("Notiflows:Workers:BatchSize", 64));
        var sends = Math.Max(1, config.GetValue("Notiflows:Delivery:Concurrency", 16));
        return Task.WhenAll(Enumerable.Range(0, count).Select(_ => Task.Run(() => LoopAsync(batch, stoppingToken), stoppingToken))
            .Append(Task.Run(() => DeliveryLoopAsync(sends, stoppingToken), stoppingToken)));
    }

    private async Task DeliveryLoopAsync(int slots, CancellationToken ct)
    {
        using var free = new SemaphoreSlim(slots, slots);
        var running = new List<Task>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await free.WaitAsync(ct);
                var wanted = 1;
                while (free.Wait(0, CancellationToken.None))
                {
                    wanted++;
                }
                var (claimed, started) = (0, 0);
                try
                {
                    var (count, sends) = await processor.ClaimDeliveriesAsync(wanted, ct);
                    (claimed, started) = (count, sends.Count);
                    running.RemoveAll(t => t.IsCompleted);
                    running.AddRange(sends.Select(send => Task.Run(async () =>
                    {
                        try
                        {
                            await processor.RunDeliveryAsync(send, ct);
                        }
                        finally
                        {
                            free.Release();
                        }
                    }, CancellationToken.None)));
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    LogLoopFailed(logger, ex);
                }
                if (wanted > started)
                {
                    free.Release(wanted - started); // slots of jobs that ended in the claim's transaction, or were not there
                }
                if (claimed == 0)
                {
                    await signal.WaitForDeliveriesAsync(PollInterval, time, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: sends in flight are cancelled with the token; their jobs are claimed again once the lease ends.
        }
        await Task.WhenAll(running).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task LoopAsync(int batch, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await processor.RunOnceAsync(batch, ct, JobFilter.Engine) > 0)
                {
                    continue;
                }
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogLoopFailed(logger, ex);
            }
            await signal.WaitAsync(PollInterval, time, ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker loop failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception ex);
}
