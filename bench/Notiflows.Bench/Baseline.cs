using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Notiflows.Bench;

/// <summary>
/// The floor the fan-out is compared with: per recipient one notification row and one delivery row, written in
/// batches of 1,000 recipients (one transaction each) into scratch tables shaped like <c>notifications</c> and
/// <c>deliveries</c> (same columns, types, indexes, and the FK to <c>runs</c>). <c>RowsPerSecond</c> counts
/// recipients, i.e. notification + delivery pairs, so it compares directly with the fan-out's recipients/s.
/// </summary>
internal sealed record BaselineResult(int Recipients, double Seconds)
{
    public double RowsPerSecond => Recipients / Seconds;
}

internal static partial class Baseline
{
    private const int Batch = 1000;
    private const string DeliveryData =
        """{"title":null,"body":"Hello ","action_url":null,"action_type":"default","primary_action":null,"secondary_action":null}""";

    private static string Attempts(Guid channel, string at) =>
        $$"""[{"number":1,"at":"{{at}}","channel_id":"{{channel}}","provider":"in_app","target":null,"outcome":"success","error":null,"provider_response_code":null}]""";

    private static long NowMicros() => TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    private static string NowText() => TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'",
        System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\b(notifications|deliveries)(?=\b|_)")]
    private static partial Regex TableNames();

    public static async Task<BaselineResult> SqliteAsync(string dbPath, string runId, int n, CancellationToken ct)
    {
        await using var c = new SqliteConnection($"Data Source={dbPath};Pooling=False");
        await c.OpenAsync(ct);
        await ExecAsync(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;", ct);
        await ExecAsync(c, "DROP TABLE IF EXISTS bench_deliveries; DROP TABLE IF EXISTS bench_notifications;", ct);
        // Copy the DDL of the real tables and their indexes.
        var ddl = new List<string>();
        await using (var q = c.CreateCommand())
        {
            q.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name IN ('notifications','deliveries') AND sql IS NOT NULL ORDER BY type DESC";
            await using var r = await q.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                ddl.Add(TableNames().Replace(r.GetString(0), "bench_$1"));
            }
        }
        foreach (var sql in ddl)
        {
            await ExecAsync(c, sql, ct);
        }
        string project, notiflow, version, channel = Guid.CreateVersion7().ToString();
        await using (var q = c.CreateCommand())
        {
            q.CommandText = "SELECT project_id, notiflow_id, version_id FROM runs WHERE id = $id";
            q.Parameters.AddWithValue("$id", runId);
            await using var r = await q.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                throw new InvalidOperationException("fan-out run not found in the database");
            }
            (project, notiflow, version) = (r.GetString(0), r.GetString(1), r.GetString(2));
        }

        var watch = Stopwatch.StartNew();
        for (var done = 0; done < n; done += Batch)
        {
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
            await using var ins = c.CreateCommand();
            ins.Transaction = tx;
            ins.CommandText = """
                INSERT INTO bench_notifications (id, project_id, run_id, notiflow_id, version_id, recipient_id, actor_id, topic,
                  status, status_reason, error, next_step, digest_id, digested_into_notification_id, processed_at, created_at, updated_at)
                VALUES ($id, $p, $run, $nf, $v, $rcp, NULL, 'bench-topic', 'processed', NULL, NULL, NULL, NULL, NULL, $t, $t, $t)
                """;
            var nId = ins.Parameters.Add("$id", SqliteType.Text);
            ins.Parameters.AddWithValue("$p", project);
            ins.Parameters.AddWithValue("$run", runId);
            ins.Parameters.AddWithValue("$nf", notiflow);
            ins.Parameters.AddWithValue("$v", version);
            var nRcp = ins.Parameters.Add("$rcp", SqliteType.Text);
            var nT = ins.Parameters.Add("$t", SqliteType.Integer);
            await using var del = c.CreateCommand();
            del.Transaction = tx;
            del.CommandText = """
                INSERT INTO bench_deliveries (id, project_id, notification_id, notiflow_id, run_id, step_handle, channel_id, channel_type,
                  provider, recipient_id, actor_id, status, skip_reason, data, recipient_address, provider_message_id, topic, error,
                  attempts, next_attempt_at, sent_at, delivered_at, seen_at, read_at, clicked_at, archived_at, created_at, updated_at)
                VALUES ($id, $p, $nid, $nf, $run, 'inbox', $ch, 'in_app', 'in_app', $rcp, NULL, 'sent', NULL, $data, NULL, NULL,
                  'bench-topic', NULL, $att, NULL, $t, NULL, NULL, NULL, NULL, NULL, $t, $t)
                """;
            var dId = del.Parameters.Add("$id", SqliteType.Text);
            del.Parameters.AddWithValue("$p", project);
            var dNid = del.Parameters.Add("$nid", SqliteType.Text);
            del.Parameters.AddWithValue("$nf", notiflow);
            del.Parameters.AddWithValue("$run", runId);
            del.Parameters.AddWithValue("$ch", channel);
            var dRcp = del.Parameters.Add("$rcp", SqliteType.Text);
            del.Parameters.AddWithValue("$data", DeliveryData);
            var dAtt = del.Parameters.Add("$att", SqliteType.Text);
            var dT = del.Parameters.Add("$t", SqliteType.Integer);
            ins.Prepare();
            del.Prepare();
            for (var i = done; i < Math.Min(n, done + Batch); i++)
            {
                var nid = Guid.CreateVersion7().ToString();
                var rcp = Guid.CreateVersion7().ToString();
                var t = NowMicros();
                nId.Value = nid;
                nRcp.Value = rcp;
                nT.Value = t;
                await ins.ExecuteNonQueryAsync(ct);
                dId.Value = Guid.CreateVersion7().ToString();
                dNid.Value = nid;
                dRcp.Value = rcp;
                dAtt.Value = Attempts(Guid.Parse(channel), NowText());
                dT.Value = t;
                await del.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        watch.Stop();
        await ExecAsync(c, "DROP TABLE bench_deliveries; DROP TABLE bench_notifications;", ct);
        return new BaselineResult(n, watch.Elapsed.TotalSeconds);
    }

    private static async Task ExecAsync(SqliteConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<BaselineResult> PostgresAsync(string connectionString, string runId, int n, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync(ct);
        await using (var setup = new NpgsqlCommand("""
            DROP TABLE IF EXISTS bench_deliveries; DROP TABLE IF EXISTS bench_notifications;
            CREATE TABLE bench_notifications (LIKE notifications INCLUDING ALL);
            ALTER TABLE bench_notifications ADD FOREIGN KEY (run_id) REFERENCES runs(id);
            CREATE TABLE bench_deliveries (LIKE deliveries INCLUDING ALL);
            """, c))
        {
            await setup.ExecuteNonQueryAsync(ct);
        }
        Guid project, notiflow, version, run = Guid.Parse(runId), channel = Guid.CreateVersion7();
        await using (var q = new NpgsqlCommand("SELECT project_id, notiflow_id, version_id FROM runs WHERE id = @id", c))
        {
            q.Parameters.AddWithValue("id", run);
            await using var r = await q.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                throw new InvalidOperationException("fan-out run not found in the database");
            }
            (project, notiflow, version) = (r.GetGuid(0), r.GetGuid(1), r.GetGuid(2));
        }

        var watch = Stopwatch.StartNew();
        var nids = new Guid[Batch];
        var rcps = new Guid[Batch];
        for (var done = 0; done < n; done += Batch)
        {
            var count = Math.Min(Batch, n - done);
            var t = NowMicros();
            var at = NowText();
            await using var tx = await c.BeginTransactionAsync(ct);
            await using (var w = await c.BeginBinaryImportAsync("""
                COPY bench_notifications (id, project_id, run_id, notiflow_id, version_id, recipient_id, topic, status,
                  processed_at, created_at, updated_at) FROM STDIN (FORMAT BINARY)
                """, ct))
            {
                for (var i = 0; i < count; i++)
                {
                    nids[i] = Guid.CreateVersion7();
                    rcps[i] = Guid.CreateVersion7();
                    await w.StartRowAsync(ct);
                    await w.WriteAsync(nids[i], NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(project, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(run, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(notiflow, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(version, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(rcps[i], NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(Engine.Topic, NpgsqlDbType.Text, ct);
                    await w.WriteAsync("processed", NpgsqlDbType.Text, ct);
                    await w.WriteAsync(t, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(t, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(t, NpgsqlDbType.Bigint, ct);
                }
                await w.CompleteAsync(ct);
            }
            await using (var w = await c.BeginBinaryImportAsync("""
                COPY bench_deliveries (id, project_id, notification_id, notiflow_id, run_id, step_handle, channel_id, channel_type,
                  provider, recipient_id, status, data, topic, attempts, sent_at, created_at, updated_at) FROM STDIN (FORMAT BINARY)
                """, ct))
            {
                var attempts = Attempts(channel, at);
                for (var i = 0; i < count; i++)
                {
                    await w.StartRowAsync(ct);
                    await w.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(project, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(nids[i], NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(notiflow, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(run, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync("inbox", NpgsqlDbType.Text, ct);
                    await w.WriteAsync(channel, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync("in_app", NpgsqlDbType.Text, ct);
                    await w.WriteAsync("in_app", NpgsqlDbType.Text, ct);
                    await w.WriteAsync(rcps[i], NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync("sent", NpgsqlDbType.Text, ct);
                    await w.WriteAsync(DeliveryData, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(Engine.Topic, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(attempts, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(t, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(t, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(t, NpgsqlDbType.Bigint, ct);
                }
                await w.CompleteAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        watch.Stop();
        await using (var drop = new NpgsqlCommand("DROP TABLE bench_deliveries; DROP TABLE bench_notifications;", c))
        {
            await drop.ExecuteNonQueryAsync(ct);
        }
        return new BaselineResult(n, watch.Elapsed.TotalSeconds);
    }
}
