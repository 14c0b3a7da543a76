using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Notiflows.Bench;

/// <summary>A notiflow the lists scenario seeds rows for: its ids, its one channel step and the channel that step uses.</summary>
internal sealed record SeedNotiflow(string Handle, Guid Id, Guid VersionId, string StepHandle, string ChannelType, Guid ChannelId, string Topic, double Weight);

/// <summary>A user created through the API before seeding.</summary>
internal sealed record SeedUser(Guid Id, string ExternalId, string Email, string Phone, string FirstName);

/// <summary>What the seeding produced: counts, time, and samples the measurement draws its request parameters from.</summary>
internal sealed record SeedResult(
    long Runs, long Notifications, double Seconds, double AnalyzeSeconds, IReadOnlyList<(Guid Notification, Guid Run)> Samples,
    DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// Writes runs, notifications and one delivery per notification straight into the server's own tables, as the engine would
/// have left them: time-ordered UUIDv7 ids spread evenly over <see cref="Days"/> days ending now, a mix of statuses, topics,
/// notiflows (one channel type each) and recipients (uniformly over the given users). PostgreSQL: binary <c>COPY</c>;
/// SQLite: prepared inserts. One transaction per <see cref="Batch"/> notifications (whole runs).
/// </summary>
internal static class ListSeed
{
    public const int Days = 30;
    public const int Batch = 50_000;
    private const int SampleSize = 2_000;

    private enum Col { Uuid, Text, Bigint, Int, Bool }

    private sealed record Table(string Name, (string Name, Col Type)[] Columns);

    private static readonly Table Runs = new("runs", [
        ("id", Col.Uuid), ("project_id", Col.Uuid), ("notiflow_id", Col.Uuid), ("version_id", Col.Uuid), ("draft", Col.Bool),
        ("status", Col.Text), ("source", Col.Text), ("triggered_by", Col.Text), ("topic", Col.Text), ("recipient_ids", Col.Text),
        ("recipient_count", Col.Int), ("actor_id", Col.Uuid), ("data", Col.Text), ("cancellation_key", Col.Text),
        ("fan_out_status", Col.Text), ("fan_out_total", Col.Int), ("fan_out_created", Col.Int), ("fan_out_cursor", Col.Uuid),
        ("cancel_requested_at", Col.Bigint), ("started_at", Col.Bigint), ("completed_at", Col.Bigint), ("created_at", Col.Bigint),
        ("updated_at", Col.Bigint)]);

    private static readonly Table Notifications = new("notifications", [
        ("id", Col.Uuid), ("project_id", Col.Uuid), ("run_id", Col.Uuid), ("notiflow_id", Col.Uuid), ("version_id", Col.Uuid),
        ("recipient_id", Col.Uuid), ("actor_id", Col.Uuid), ("topic", Col.Text), ("status", Col.Text), ("status_reason", Col.Text),
        ("error", Col.Text), ("next_step", Col.Text), ("digest_id", Col.Uuid), ("digested_into_notification_id", Col.Uuid),
        ("processed_at", Col.Bigint), ("created_at", Col.Bigint), ("updated_at", Col.Bigint)]);

    private static readonly Table Deliveries = new("deliveries", [
        ("id", Col.Uuid), ("project_id", Col.Uuid), ("notification_id", Col.Uuid), ("notiflow_id", Col.Uuid), ("run_id", Col.Uuid),
        ("step_handle", Col.Text), ("channel_id", Col.Uuid), ("channel_type", Col.Text), ("provider", Col.Text), ("recipient_id", Col.Uuid),
        ("actor_id", Col.Uuid), ("status", Col.Text), ("skip_reason", Col.Text), ("data", Col.Text), ("recipient_address", Col.Text),
        ("provider_message_id", Col.Text), ("topic", Col.Text), ("error", Col.Text), ("attempts", Col.Text), ("next_attempt_at", Col.Bigint),
        ("sent_at", Col.Bigint), ("delivered_at", Col.Bigint), ("seen_at", Col.Bigint), ("read_at", Col.Bigint), ("clicked_at", Col.Bigint),
        ("archived_at", Col.Bigint), ("created_at", Col.Bigint), ("updated_at", Col.Bigint)]);

    private sealed class Rows
    {
        public List<object?[]> Runs { get; } = [];
        public List<object?[]> Notifications { get; } = [];
        public List<object?[]> Deliveries { get; } = [];
    }

    /// <summary>Seeds <paramref name="n"/> notifications; <paramref name="sqlitePath"/> when <paramref name="postgres"/> is null.</summary>
    public static async Task<SeedResult> SeedAsync(
        string? postgres, string sqlitePath, Guid projectId, IReadOnlyList<SeedNotiflow> notiflows, IReadOnlyList<SeedUser> users, int n,
        bool analyze, CancellationToken ct)
    {
        var to = TimeProvider.System.GetUtcNow().AddMinutes(-1);
        var from = to.AddDays(-Days);
        var gen = new Generator(projectId, notiflows, users, n, from, to);
        await using DbConnection c = postgres is null
            ? new SqliteConnection($"Data Source={sqlitePath};Pooling=False")
            : new NpgsqlConnection(postgres);
        await c.OpenAsync(ct);
        if (c is SqliteConnection)
        {
            // The server's pragmas, plus a 256 MB page cache: the 17 indexes of notifications and deliveries take random inserts.
            await ExecAsync(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; "
                + "PRAGMA cache_size=-262144;", ct);
        }
        var watch = Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        while (gen.Next() is { } rows)
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            foreach (var (table, list) in new[] { (Runs, rows.Runs), (Notifications, rows.Notifications), (Deliveries, rows.Deliveries) })
            {
                if (c is NpgsqlConnection pg)
                {
                    await CopyAsync(pg, table, list, ct);
                }
                else
                {
                    await InsertAsync((SqliteConnection)c, (SqliteTransaction)tx, table, list, ct);
                }
            }
            await tx.CommitAsync(ct);
            if (watch.Elapsed - lastPrint > TimeSpan.FromSeconds(10))
            {
                lastPrint = watch.Elapsed;
                Console.WriteLine($"  seeded {gen.Done:#,0} notifications in {watch.Elapsed.TotalSeconds:0} s");
            }
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var analyzeSeconds = double.NaN;
        if (analyze)
        {
            watch.Restart();
            await ExecAsync(c, c is NpgsqlConnection ? "ANALYZE runs, notifications, deliveries, users" : "ANALYZE", ct);
            analyzeSeconds = watch.Elapsed.TotalSeconds;
        }
        return new SeedResult(gen.RunCount, gen.Done, seconds, analyzeSeconds, gen.Sample, from, to);
    }

    private static async Task ExecAsync(DbConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task CopyAsync(NpgsqlConnection c, Table t, List<object?[]> rows, CancellationToken ct)
    {
        var types = t.Columns.Select(col => col.Type switch
        {
            Col.Uuid => NpgsqlDbType.Uuid, Col.Text => NpgsqlDbType.Text, Col.Bigint => NpgsqlDbType.Bigint,
            Col.Int => NpgsqlDbType.Integer, _ => NpgsqlDbType.Boolean,
        }).ToArray();
        await using var w = await c.BeginBinaryImportAsync(
            $"COPY {t.Name} ({string.Join(", ", t.Columns.Select(col => col.Name))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await w.StartRowAsync(ct);
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is null)
                {
                    await w.WriteNullAsync(ct);
                }
                else
                {
                    await w.WriteAsync(row[i], types[i], ct);
                }
            }
        }
        await w.CompleteAsync(ct);
    }

    private static async Task InsertAsync(SqliteConnection c, SqliteTransaction tx, Table t, List<object?[]> rows, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO {t.Name} ({string.Join(", ", t.Columns.Select(col => col.Name))}) VALUES "
            + $"({string.Join(", ", t.Columns.Select((_, i) => $"$p{i}"))})";
        var ps = t.Columns.Select((col, i) => cmd.Parameters.Add($"$p{i}", col.Type is Col.Text or Col.Uuid ? SqliteType.Text : SqliteType.Integer)).ToArray();
        cmd.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                // SQLite stores uuids as lowercase text (Guid.ToString() is lowercase) and booleans as 0/1.
                ps[i].Value = row[i] switch
                {
                    null => DBNull.Value,
                    Guid g => g.ToString(),
                    bool b => b ? 1 : 0,
                    var v => v,
                };
            }
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Produces the rows batch by batch, deterministically (fixed seed), in time order.</summary>
    private sealed class Generator(
        Guid projectId, IReadOnlyList<SeedNotiflow> notiflows, IReadOnlyList<SeedUser> users, int total, DateTimeOffset from, DateTimeOffset to)
    {
        private readonly Random _random = new(20240601);
        private readonly double _totalWeight = notiflows.Sum(f => f.Weight);
        private readonly List<(Guid, Guid)> _sample = [];

        public int Done { get; private set; }
        public long RunCount { get; private set; }
        public IReadOnlyList<(Guid Notification, Guid Run)> Sample => _sample;

        public Rows? Next()
        {
            if (Done >= total)
            {
                return null;
            }
            var rows = new Rows();
            var spanMicros = (to - from).Ticks / 10;
            var fromMicros = from.ToUnixTimeMilliseconds() * 1000;
            while (rows.Notifications.Count < Batch && Done < total)
            {
                // Half the runs go to a topic (5-60 subscribers each); the others name 1 recipient (mostly) or 2-10.
                var topicRun = _random.NextDouble() < 0.5;
                var size = topicRun ? _random.Next(5, 61) : _random.NextDouble() < 0.8 ? 1 : _random.Next(2, 11);
                size = Math.Min(Math.Min(size, total - Done), users.Count);
                var flow = PickNotiflow();
                var t = fromMicros + (long)((double)Done / total * spanMicros);
                AddRun(rows, flow, topicRun ? flow.Topic : null, size, t);
            }
            return rows;
        }

        private SeedNotiflow PickNotiflow()
        {
            var x = _random.NextDouble() * _totalWeight;
            foreach (var f in notiflows)
            {
                if ((x -= f.Weight) < 0)
                {
                    return f;
                }
            }
            return notiflows[^1];
        }

        private static Guid IdAt(long micros) => Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000));

        private void AddRun(Rows rows, SeedNotiflow flow, string? topic, int size, long t)
        {
            var runId = IdAt(t);
            var first = _random.Next(users.Count);
            var recipients = Enumerable.Range(0, size).Select(j => users[(first + j) % users.Count]).ToArray();
            var data = string.Create(CultureInfo.InvariantCulture,
                $$"""{"order_id":"ORD-{{_random.Next(100_000, 999_999)}}","total":"${{_random.Next(5, 500)}}.99","doc_title":"Quarterly report"}""");
            var done = t + 1000 + (size * 1000L);
            rows.Runs.Add([
                runId, projectId, flow.Id, flow.VersionId, false, "completed", "admin_api", null, topic,
                topic is null ? JsonSerializer.Serialize(recipients.Select(u => u.Id)) : null, size, null, data, null,
                "completed", size, size, null, null, t + 500, done, t, done]);
            RunCount++;
            for (var j = 0; j < size; j++)
            {
                var user = recipients[j];
                var nt = t + 1000 + (j * 1000L);
                var nid = IdAt(nt);
                var roll = _random.NextDouble();
                var (status, reason, error) = roll < 0.94 ? ("processed", (string?)null, (string?)null)
                    : roll < 0.97 ? ("failed", "error", "provider error: 503 Service Unavailable")
                    : ("cancelled", "cancelled_run", null);
                rows.Notifications.Add([
                    nid, projectId, runId, flow.Id, flow.VersionId, user.Id, null, topic, status, reason, error, null, null, null,
                    status == "processed" ? nt + 40_000 : null, nt, nt + 40_000]);
                AddDelivery(rows, flow, runId, nid, user, topic, status, nt + 20_000);
                if (_sample.Count < SampleSize)
                {
                    _sample.Add((nid, runId));
                }
                else if (_random.Next(Done + 1) < SampleSize)
                {
                    _sample[_random.Next(SampleSize)] = (nid, runId);
                }
                Done++;
            }
        }

        private void AddDelivery(Rows rows, SeedNotiflow flow, Guid runId, Guid nid, SeedUser user, string? topic, string notification, long t)
        {
            var id = IdAt(t);
            var sandbox = flow.ChannelType != "in_app";
            var (status, skip, error) = notification switch
            {
                "failed" => ("failed", (string?)null, (string?)"provider error: 503 Service Unavailable"),
                "cancelled" => ("skipped", "gate_conditions", null),
                _ when _random.NextDouble() < 0.05 => ("skipped", "opted_out", null),
                _ when sandbox && _random.NextDouble() < 0.5 => ("delivered", null, null),
                _ => ("sent", null, null),
            };
            var rendered = status == "skipped" ? "{}" : flow.ChannelType switch
            {
                "email" => $$"""{"subject":"Your receipt, {{user.FirstName}}","body":"<p>Thanks for your order.</p>","content_type":"html"}""",
                "sms" => $$"""{"body":"{{user.FirstName}}, a new sign-in to your account was detected."}""",
                _ => $$"""{"title":null,"body":"**{{user.FirstName}}**, you have a new comment","action_url":null,"action_type":"default","primary_action":null,"secondary_action":null}""",
            };
            var at = DateTimeOffset.FromUnixTimeMilliseconds(t / 1000).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            var provider = sandbox ? "sandbox" : "in_app";
            var attempts = status == "skipped" ? "[]" : $$"""
                [{"number":1,"at":"{{at}}","channel_id":"{{flow.ChannelId}}","provider":"{{provider}}","target":null,"outcome":"{{(status == "failed" ? "permanent_error" : "success")}}","error":{{(error is null ? "null" : $"\"{error}\"")}},"provider_response_code":{{(status == "failed" ? "503" : "null")}}}]
                """;
            var sent = status is "sent" or "delivered" ? t + 5_000 : (long?)null;
            rows.Deliveries.Add([
                id, projectId, nid, flow.Id, runId, flow.StepHandle, flow.ChannelId, flow.ChannelType, provider, user.Id, null, status, skip,
                rendered, flow.ChannelType switch { "email" => user.Email, "sms" => user.Phone, _ => null },
                sandbox && sent is not null ? $"sandbox_{id}" : null, topic, error, attempts, null, sent,
                status == "delivered" ? t + 900_000 : null, null, null, null, null, t, t + 5_000]);
        }
    }
}
