
namespace Notiflows.Server.Workers;

/// <summary>
/// The background workers of this node: each loop claims and runs batches of due jobs, and sleeps until signalled
/// (work committed on this node, or NOTIFY from another node on PostgreSQL through <see cref="Infrastructure.PgListener"/>) or until the poll interval passes (timers).
/// Disabled with <c>Notiflows:Workers:Enabled=false</c> (the tests drive jobs through <see cref="JobDrain"/>).
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
        return Task.WhenAll(Enumerable.Range(0, count).Select(_ => Task.Run(() => LoopAsync(batch, stoppingToken), stoppingToken)));
    }

    private async Task LoopAsync(int batch, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await processor.RunOnceAsync(batch, ct) > 0)
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
