using Microsoft.Data.Sqlite;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Crash;

/// <summary>
/// Durability (issue 3): a real server killed with SIGKILL in the middle of a 20,000-subscriber topic fan-out, then
/// restarted on the same SQLite file, ends with exactly one notification per subscriber, each delivered once.
/// </summary>
public sealed class CrashRecoveryTests
{
    private const int Subscribers = 20_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KilledDuringTopicFanOut_RestartedServer_CreatesEveryNotificationExactlyOnce()
    {
        var dataDir = Directory.CreateTempSubdirectory("notiflows-crash-").FullName;
        var env = ProcessApi.BootstrapEnv();
        env["NOTIFLOWS_DATA_DIR"] = dataDir;
        env["Notiflows__FanOut__BatchSize"] = "200";
        string runId;
        int createdAtKill;
        await using (var first = ServerProcess.Start(env))
        {
            await first.WaitUntilListeningAsync(Ct);
            using var api = new ProcessApi(first.Client());
            await api.PublishAsync("crash-noop", """[{"handle": "trigger", "type": "trigger", "position": 0}, {"handle": "end", "type": "end", "position": 1}]""");
            await api.PublishAsync("crash-inapp", """
                [{"handle": "trigger", "type": "trigger", "position": 0},
                 {"handle": "inbox", "type": "channel", "channel_type": "in_app", "position": 1, "template": {"data": {"body": "Hi {{ recipient.external_id }}"}}},
                 {"handle": "end", "type": "end", "position": 2}]
                """);
            // Users are upserted by runs (1,000 recipients each), then subscribed in bulk.
            for (var batch = 0; batch < Subscribers / 1000; batch++)
            {
                var ids = Enumerable.Range(batch * 1000, 1000).Select(i => $"\"sub-{i}\"").ToList();
                await api.RunAsync("crash-noop", $$"""{"recipients": [{{string.Join(",", ids)}}]}""");
                await api.SendAsync(HttpMethod.Post, "/admin/v1/topics/crash-topic/subscriptions", $$"""{"user_external_ids": [{{string.Join(",", ids)}}]}""", 200);
            }
            runId = await api.RunAsync("crash-inapp", """{"topic": "crash-topic"}""");
            var view = await ProcessApi.PollAsync(() => api.RunViewAsync(runId), v => (int)v["fan_out"]!["created"]! >= 1000,
                TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(10));
            await first.KillAsync();
            createdAtKill = (int)view["fan_out"]!["created"]!;
        }
        Assert.True(createdAtKill < Subscribers, $"the fan-out finished ({createdAtKill}) before the kill: nothing was proved");

        await using var second = ServerProcess.Start(env);
        await second.WaitUntilListeningAsync(Ct);
        using (var api = new ProcessApi(second.Client()))
        {
            var done = await ProcessApi.PollAsync(() => api.RunViewAsync(runId), v => (string?)v["status"] is "completed" or "failed",
                TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(250));
            Assert.Equal("completed", (string?)done["status"]);
            Assert.Equal(Subscribers, (int)done["notification_counts"]!["total"]!);
            Assert.Equal(Subscribers, (int)done["notification_counts"]!["processed"]!);
            Assert.Equal(Subscribers, (int)done["fan_out"]!["total"]!);
            Assert.Equal(Subscribers, (int)done["recipient_count"]!);
        }
        await second.KillAsync();

        await using var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "notiflows.db")}");
        await db.OpenAsync(Ct);
        Assert.Equal(Subscribers, await Scalar(db, "SELECT COUNT(*) FROM notifications WHERE run_id = $run", runId));
        Assert.Equal(Subscribers, await Scalar(db, "SELECT COUNT(DISTINCT recipient_id) FROM notifications WHERE run_id = $run", runId));
        Assert.Equal(Subscribers, await Scalar(db, "SELECT COUNT(*) FROM deliveries WHERE run_id = $run AND status = 'sent'", runId));
        Assert.Equal(Subscribers, await Scalar(db, "SELECT COUNT(DISTINCT notification_id) FROM deliveries WHERE run_id = $run", runId));
        Assert.Equal(3 * Subscribers, await Scalar(db,
            "SELECT COUNT(*) FROM step_executions WHERE notification_id IN (SELECT id FROM notifications WHERE run_id = $run)", runId));
        Assert.Equal(0, await Scalar(db, "SELECT COUNT(*) FROM jobs", null));
    }

    private static async Task<long> Scalar(SqliteConnection db, string sql, string? runId)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        if (runId is not null)
        {
            command.Parameters.AddWithValue("$run", runId);
        }
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
