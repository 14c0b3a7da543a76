using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Notiflows.Bench;

/// <summary>
/// Reads the server's database directly to tell when the engine is idle (no open run, no queued job): the Admin API has no
/// run list yet. Read-only queries; one short-lived connection each.
/// </summary>
internal sealed class DbProbe(string? postgres, string sqlitePath)
{
    public bool Postgres => postgres is not null;

    /// <summary>A new open connection to the server's database (read-only on SQLite).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection c = postgres is null
            ? new SqliteConnection($"Data Source={sqlitePath};Mode=ReadOnly;Pooling=False")
            : new NpgsqlConnection(postgres);
        await c.OpenAsync(ct);
        return c;
    }

    public async Task<(long OpenRuns, long Jobs)> ReadAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT (SELECT count(*) FROM runs WHERE status IN ('pending', 'running')), (SELECT count(*) FROM jobs)";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>Deliveries through <paramref name="provider"/> by status.</summary>
    public async Task<Dictionary<string, long>> DeliveryStatusesAsync(string provider, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT status, count(*) FROM deliveries WHERE provider = @provider GROUP BY status";
        var p = cmd.CreateParameter();
        p.ParameterName = "@provider";
        p.Value = provider;
        cmd.Parameters.Add(p);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var statuses = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await r.ReadAsync(ct))
        {
            statuses[r.GetString(0)] = r.GetInt64(1);
        }
        return statuses;
    }
}
