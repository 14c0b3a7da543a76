using Npgsql;
using Notiflows.Server.Startup;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Workers;

/// <summary>
/// The background workers of this node: each loop claims and runs batches of due jobs, and sleeps until signalled
/// (work committed on this node, or NOTIFY from another node on PostgreSQL) or until the poll interval passes (timers).
/// Disabled with <c>Notiflows:Workers:Enabled=false</c> (the tests drive jobs through <see cref="JobDrain"/>).
/// </summary>
public sealed partial class JobWorkers(
    JobProcessor processor, JobSignal signal, TimeProvider time, IConfiguration config, ServerSettings settings, ILogger<JobWorkers> logger)
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
        var loops = Enumerable.Range(0, count).Select(_ => Task.Run(() => LoopAsync(batch, stoppingToken), stoppingToken)).ToList();
        if (DatabaseSettings.Resolve(settings.DatabaseUrl, settings.DataDir) is { Kind: DbKind.Postgres } pg)
        {
            loops.Add(Task.Run(() => ListenAsync(pg.ConnectionString, stoppingToken), stoppingToken));
        }
        return Task.WhenAll(loops);
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

    /// <summary>Wakes this node's workers when another node commits work (<c>pg_notify</c> is delivered on commit).</summary>
    private async Task ListenAsync(string connectionString, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, _) => signal.Notify();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                LogListenFailed(logger, ex);
                await signal.WaitAsync(TimeSpan.FromSeconds(1), time, ct);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker loop failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LISTEN connection failed; reconnecting")]
    private static partial void LogListenFailed(ILogger logger, Exception ex);
}
