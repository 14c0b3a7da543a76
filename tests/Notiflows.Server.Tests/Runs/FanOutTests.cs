using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Runs;

/// <summary>A host whose topic fan-out works in small batches (<c>Notiflows:FanOut:BatchSize</c>), so several batches are cheap to reach.</summary>
public abstract class FanOutFixture(DbKind kind, int batchSize) : HostFixture(kind)
{
    public int BatchSize => batchSize;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notiflows:FanOut:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class SqliteFanOut7Fixture() : FanOutFixture(DbKind.Sqlite, 7);

public sealed class PostgresFanOut7Fixture() : FanOutFixture(DbKind.Postgres, 7);

public sealed class SqliteFanOut1Fixture() : FanOutFixture(DbKind.Sqlite, 1);

public sealed class PostgresFanOut1Fixture() : FanOutFixture(DbKind.Postgres, 1);

/// <summary>Topic fan-out (§12.1): one notification per subscriber, whatever the batch size, and only current subscribers.</summary>
public abstract class FanOutTests<TFixture> : RunTestBase<TFixture> where TFixture : FanOutFixture
{
    protected FanOutTests(TFixture fixture) : base(fixture) => BatchSize = fixture.BatchSize;

    private int BatchSize { get; }

    private async Task<TestProject> ProjectWithSubscribersAsync(string topic, int count)
    {
        var p = await ProjectWithFlowAsync();
        var ids = Enumerable.Range(0, count).Select(i => $"sub-{i:D4}").ToList();
        foreach (var id in ids)
        {
            (await PutUser(p, id, "{}")).AssertStatus(201);
        }
        if (count > 0)
        {
            var body = $$"""{"user_external_ids": [{{string.Join(",", ids.Select(i => $"\"{i}\""))}}]}""";
            (await Admin(p, HttpMethod.Post, $"/admin/v1/topics/{topic}/subscriptions", body)).AssertStatus(200);
        }
        return p;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(14)]
    [InlineData(50)]
    public async Task TopicRun_CreatesExactlyOneNotificationPerSubscriber(int subscribers)
    {
        var p = await ProjectWithSubscribersAsync("news", subscribers);

        var id = RunId(await AdminRun(p, """{"topic": "news", "data": {"x": 1}}"""));
        var pending = await RunView(p, id);
        Assert.Equal(("pending", "pending"), ((string?)pending["status"], (string?)pending["fan_out"]!["status"]));
        Assert.Null(pending["recipient_count"]);
        Assert.Null(pending["fan_out"]!["total"]);
        await Host.DrainAsync();

        var notifications = await Notifications(p, id);
        var recipients = notifications.Select(n => (string)n["recipient"]!["external_id"]!).ToList();
        Assert.Equal(subscribers, recipients.Count);
        Assert.Equal(Enumerable.Range(0, subscribers).Select(i => $"sub-{i:D4}"), recipients.Order(StringComparer.Ordinal));
        Assert.All(notifications, n => Assert.Equal("news", (string?)n["topic"]));
        var run = await RunView(p, id);
        Assert.Equal("completed", (string?)run["fan_out"]!["status"]);
        Assert.Equal(subscribers, (int)run["fan_out"]!["total"]!);
        Assert.Equal(subscribers, (int)run["fan_out"]!["created"]!);
        Assert.Equal(subscribers, (int)run["recipient_count"]!);
        Assert.Equal(subscribers, (int)run["notification_counts"]!["total"]!);
        Assert.Equal("completed", (string?)run["status"]); // in-app only: every notification is processed at once
    }

    [Fact]
    public async Task TopicRun_OnlyCountsSubscriptionsThatExistedAtAcceptanceAndStillExist()
    {
        var p = await ProjectWithSubscribersAsync("news", 10);
        (await PutUser(p, "late", "{}")).AssertStatus(201);
        Host.Time.Advance(TimeSpan.FromSeconds(1));

        var id = RunId(await AdminRun(p, """{"topic": "news"}"""));
        Host.Time.Advance(TimeSpan.FromSeconds(1));
        (await Admin(p, HttpMethod.Post, "/admin/v1/users/late/subscriptions", """{"topic_name": "news"}""")).AssertStatus(201);
        (await Admin(p, HttpMethod.Delete, "/admin/v1/users/sub-0003/subscriptions/news")).AssertStatus(204);
        await Host.DrainAsync();

        var recipients = (await Notifications(p, id)).Select(n => (string)n["recipient"]!["external_id"]!).ToList();
        Assert.Equal(9, recipients.Count);
        Assert.DoesNotContain("late", recipients);
        Assert.DoesNotContain("sub-0003", recipients);
        Assert.Equal(9, (int)(await RunView(p, id))["fan_out"]!["total"]!);
    }

    [Fact]
    public async Task TopicRun_ActorIsUpserted_AndSetOnEveryNotification()
    {
        var p = await ProjectWithSubscribersAsync("news", BatchSize + 1);

        var id = RunId(await AdminRun(p, """{"topic": "news", "actor": {"external_id": "boss", "first_name": "B"}}"""));
        await Host.DrainAsync();

        var boss = (await GetUser(p, "boss")).AssertStatus(200).Body;
        var notifications = await Notifications(p, id);
        Assert.Equal(BatchSize + 1, notifications.Count);
        Assert.All(notifications, n => Assert.Equal((string?)boss["id"], (string?)n["actor_id"]));
    }

    [Fact]
    public async Task TwoTopicRuns_EachGetTheirOwnNotifications()
    {
        var p = await ProjectWithSubscribersAsync("news", 2 * BatchSize + 3);

        var a = RunId(await AdminRun(p, """{"topic": "news"}"""));
        var b = RunId(await AdminRun(p, """{"topic": "news"}"""));
        await Host.DrainAsync();

        Assert.Equal(2 * BatchSize + 3, (await Notifications(p, a)).Count);
        Assert.Equal(2 * BatchSize + 3, (await Notifications(p, b)).Count);
    }
}

public sealed class SqliteFanOut7Tests(SqliteFanOut7Fixture fixture) : FanOutTests<SqliteFanOut7Fixture>(fixture);

public sealed class PostgresFanOut7Tests(PostgresFanOut7Fixture fixture) : FanOutTests<PostgresFanOut7Fixture>(fixture);

public sealed class SqliteFanOut1Tests(SqliteFanOut1Fixture fixture) : FanOutTests<SqliteFanOut1Fixture>(fixture);

public sealed class PostgresFanOut1Tests(PostgresFanOut1Fixture fixture) : FanOutTests<PostgresFanOut1Fixture>(fixture);
