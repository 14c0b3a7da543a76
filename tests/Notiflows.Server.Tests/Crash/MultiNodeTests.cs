using Npgsql;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Crash;

/// <summary>
/// Three server processes on one PostgreSQL share the work of many runs with waits; one is killed (SIGKILL) mid-way.
/// The others take over its leased jobs and resume its waits: every notification is processed exactly once.
/// </summary>
public sealed class MultiNodeTests
{
    private const int Runs = 150;
    private const string MasterKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeNodes_OneKilledMidway_EveryNotificationProcessedExactlyOnce()
    {
        var url = await TestPostgres.CreateDatabaseAsync(TestPostgres.RequireAdminConnectionString(), Ct);
        var nodes = Enumerable.Range(0, 3).Select(_ =>
        {
            var env = ProcessApi.BootstrapEnv();
            env["NOTIFLOWS_DATA_DIR"] = Directory.CreateTempSubdirectory("notiflows-node-").FullName;
            env["NOTIFLOWS_DATABASE_URL"] = url;
            env["NOTIFLOWS_MASTER_KEY"] = MasterKey;
            env["Notiflows__Workers__LeaseSeconds"] = "3";
            return ServerProcess.Start(env);
        }).ToList();
        try
        {
            await Task.WhenAll(nodes.Select(n => n.WaitUntilListeningAsync(Ct)));
            var apis = nodes.Select(n => new ProcessApi(n.Client())).ToList();
            await apis[0].PublishAsync("multi", """
                [{"handle": "trigger", "type": "trigger", "position": 0},
                 {"handle": "first", "type": "channel", "channel_type": "in_app", "position": 1, "template": {"data": {"body": "first"}}},
                 {"handle": "pause", "type": "wait", "position": 2, "settings": {"duration": 2, "unit": "seconds"}},
                 {"handle": "second", "type": "channel", "channel_type": "in_app", "position": 3, "template": {"data": {"body": "second"}}},
                 {"handle": "end", "type": "end", "position": 4}]
                """);
            var runIds = new List<string>();
            var alive = new List<ProcessApi>(apis);
            for (var i = 0; i < Runs; i++)
            {
                runIds.Add(await alive[i % alive.Count].RunAsync("multi", "{\"recipients\": [\"multi-" + i + "\"], \"data\": {\"i\": " + i + "}}"));
                if (i == Runs / 2)
                {
                    await nodes[1].KillAsync(); // mid-way: it holds leased jobs and waiting notifications
                    alive.Remove(apis[1]);
                }
            }
            var survivor = apis[0];
            foreach (var runId in runIds)
            {
                var done = await ProcessApi.PollAsync(() => survivor.RunViewAsync(runId), v => (string?)v["status"] is "completed" or "failed",
                    TimeSpan.FromMinutes(3), TimeSpan.FromMilliseconds(200));
                Assert.Equal("completed", (string?)done["status"]);
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }

        await using var db = new NpgsqlConnection(url);
        await db.OpenAsync(Ct);
        Assert.Equal(Runs, await Scalar(db, "SELECT COUNT(*) FROM notifications WHERE status = 'processed'"));
        Assert.Equal(Runs, await Scalar(db, "SELECT COUNT(*) FROM notifications"));
        Assert.Equal(2 * Runs, await Scalar(db, "SELECT COUNT(*) FROM deliveries WHERE status = 'sent'"));
        Assert.Equal(0, await Scalar(db, "SELECT COUNT(*) FROM (SELECT notification_id FROM deliveries GROUP BY notification_id HAVING COUNT(*) <> 2) x"));
        Assert.Equal(5 * Runs, await Scalar(db, "SELECT COUNT(*) FROM step_executions WHERE outcome = 'executed'"));
        Assert.Equal(0, await Scalar(db, "SELECT COUNT(*) FROM jobs"));
    }

    private static async Task<long> Scalar(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}
