using Notiflows.Storage.Database;
using Notiflows.Storage.Migrations;

namespace Notiflows.Server.Startup;

/// <summary>
/// Runs before the server listens: checks the configuration, loads the master key, applies migrations and
/// bootstraps an empty database — all under the start-up lock (§16.1, §16.3).
/// </summary>
public sealed partial class StartupService(
    ServerSettings settings, Db db, Migrator migrator, MasterKey masterKey, Bootstrapper bootstrapper, ILogger<StartupService> logger)
    : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        bootstrapper.ValidateVariables();
        Directory.CreateDirectory(settings.DataDir);
        masterKey.Load(settings, db.Kind);
        BootstrapResult? bootstrap = null;
        await migrator.MigrateAsync(async s =>
        {
            await CheckKeyAsync(s, cancellationToken);
            bootstrap = await bootstrapper.RunAsync(s, cancellationToken);
        }, cancellationToken);
        if (bootstrap is not null)
        {
            bootstrapper.Publish(bootstrap);
        }
        LogReady(logger, db.Kind.ToString());
    }

    private async Task CheckKeyAsync(DbSession s, CancellationToken ct)
    {
        var check = masterKey.Box.KeyCheck();
        var stored = await s.QueryOneAsync<string>("SELECT value FROM server_meta WHERE key = 'master_key_check'", null, ct);
        if (stored is null)
        {
            await s.ExecuteAsync("INSERT INTO server_meta (key, value) VALUES ('master_key_check', @check)", new { check }, ct);
        }
        else if (!string.Equals(stored, check, StringComparison.Ordinal))
        {
            throw new StartupRefusedException(
                "The master key (NOTIFLOWS_MASTER_KEY) differs from the one this database was set up with; refusing to start.");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready ({Kind})")]
    private static partial void LogReady(ILogger logger, string kind);
}
