using Npgsql;
using Notiflows.Server.Realtime;
using Notiflows.Server.Startup;
using Notiflows.Server.Workers;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Infrastructure;

/// <summary>
/// On PostgreSQL, one connection per node LISTENs for what other nodes (and this one) commit: new jobs wake this node's
/// workers, feed changes go to this node's realtime connections. <c>pg_notify</c> is delivered at commit, so nothing is
/// heard of a transaction that rolled back. The connection is re-opened after a failure; meanwhile workers still poll,
/// and realtime clients are told to resync once it is back (they may have missed changes).
/// </summary>
public sealed partial class PgListener(JobSignal jobs, FeedHub feeds, TimeProvider time, ServerSettings settings, ILogger<PgListener> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (DatabaseSettings.Resolve(settings.DatabaseUrl, settings.DataDir) is not { Kind: DbKind.Postgres } pg)
        {
            return;
        }
        var reconnect = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(pg.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Route(e.Channel, e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {JobWorkers.Channel}; LISTEN {FeedPublisher.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                if (reconnect)
                {
                    feeds.ResyncAll();
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(logger, ex);
                reconnect = true;
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            }
        }
    }

    private void Route(string channel, string payload)
    {
        if (channel == JobWorkers.Channel)
        {
            jobs.NotifyEngine(); // the channel carries accepted runs only; delivery jobs wake the loop of the node that made them
        }
        else if (FeedPublisher.Parse(payload) is { } signal)
        {
            feeds.Dispatch([signal]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LISTEN connection failed; reconnecting")]
    private static partial void LogListenFailed(ILogger logger, Exception ex);
}
