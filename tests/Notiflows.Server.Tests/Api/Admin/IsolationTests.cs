using Notiflows.Server.Tests.Engine;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin;

/// <summary>
/// Project isolation (§3.2): a project's secret key reads and changes only that project's data. Every Admin endpoint is
/// called with a second project's keys against the first project's users, runs, notifications, deliveries, channels,
/// notiflows and topics; afterwards the first project's data is checked unchanged through its own keys.
/// </summary>
public abstract class IsolationTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task AnotherProjectsKeys_NeitherSeeNorChangeThisProjectsData()
    {
        var a = await PublishAsync(await NewProjectAsync(), "a-flow", Steps(Trigger, InApp("inbox", 1), Wait("pause", 2, 1), InApp("later", 3), End(4)));
        (await Admin(a, HttpMethod.Put, "/admin/v1/users/a-user", """{"first_name": "Alice"}""")).AssertStatus(201);
        (await Admin(a, HttpMethod.Post, "/admin/v1/users/a-user/subscriptions", """{"topic_name": "a-topic"}""")).AssertStatus(201);
        var channels = (await Admin(a, HttpMethod.Get, "/admin/v1/channels")).AssertStatus(200).Body["items"]!.AsArray();
        string ChannelOf(string type) => (string)channels.First(c => (string?)c!["type"] == type)!["id"]!;
        var (inApp, push, webPush) = (ChannelOf("in_app"), ChannelOf("mobile_push"), ChannelOf("web_push"));
        (await Admin(a, HttpMethod.Put, $"/admin/v1/users/a-user/channel-settings/{push}", """{"settings": {"device_tokens": ["tok-a"]}}""")).AssertStatus(201);
        (await Admin(a, HttpMethod.Post, $"/admin/v1/users/a-user/channel-subscriptions/{webPush}", WebPushSubscription)).AssertStatus(201);
        (await Admin(a, HttpMethod.Put, "/admin/v1/users/a-user/preferences", """{"channel_types": {"sms": false}}""")).AssertStatus(200);
        var runId = await RunAsync(a, "a-flow", """{"recipients": ["a-user"], "cancellation_key": "a-key"}""");
        await Host.DrainAsync();
        var notification = await OnlyNotification(a, runId);
        var (notificationId, deliveryId) = ((string)notification["id"]!, (string)Deliveries(notification)[0]["id"]!);
        var notiflowId = (string)notification["notiflow_id"]!;
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "shared-key" };
        (await Admin(a, HttpMethod.Post, "/admin/v1/users/a-user/subscriptions", """{"topic_name": "a-other"}""", key)).AssertStatus(201);
        var aUsersCursor = (string)(await Admin(a, HttpMethod.Get, "/admin/v1/users?limit=1")).AssertStatus(200).Body["page"]!["after"]!;

        var b = await NewProjectAsync();
        (await Admin(b, HttpMethod.Put, "/admin/v1/users/b-user", "{}")).AssertStatus(201);
        var notFound = new (HttpMethod Method, string Path, string? Body)[]
        {
            (HttpMethod.Get, "/admin/v1/users/a-user", null),
            (HttpMethod.Delete, "/admin/v1/users/a-user", null),
            (HttpMethod.Get, "/admin/v1/users/a-user/subscriptions", null),
            (HttpMethod.Post, "/admin/v1/users/a-user/subscriptions", """{"topic_name": "a-topic"}"""),
            (HttpMethod.Delete, "/admin/v1/users/a-user/subscriptions/a-topic", null),
            (HttpMethod.Get, "/admin/v1/users/a-user/notifications", null),
            (HttpMethod.Get, "/admin/v1/users/a-user/deliveries", null),
            (HttpMethod.Get, $"/admin/v1/users/a-user/deliveries/{deliveryId}", null),
            (HttpMethod.Get, $"/admin/v1/users/b-user/deliveries/{deliveryId}", null),
            (HttpMethod.Get, $"/admin/v1/users/a-user/channel-settings/{push}", null),
            (HttpMethod.Put, $"/admin/v1/users/a-user/channel-settings/{push}", """{"settings": {"device_tokens": ["x"]}}"""),
            (HttpMethod.Delete, $"/admin/v1/users/a-user/channel-settings/{push}", null),
            (HttpMethod.Get, $"/admin/v1/users/b-user/channel-settings/{push}", null),
            (HttpMethod.Put, $"/admin/v1/users/b-user/channel-settings/{push}", """{"settings": {"device_tokens": ["x"]}}"""),
            (HttpMethod.Delete, $"/admin/v1/users/b-user/channel-settings/{push}", null),
            (HttpMethod.Get, $"/admin/v1/users/a-user/channel-subscriptions/{webPush}", null),
            (HttpMethod.Get, $"/admin/v1/users/b-user/channel-subscriptions/{webPush}", null),
            (HttpMethod.Post, $"/admin/v1/users/b-user/channel-subscriptions/{webPush}", WebPushSubscription),
            (HttpMethod.Delete, $"/admin/v1/users/a-user/channel-subscriptions/{webPush}", """{"identifier": "https://push.example.com/a"}"""),
            (HttpMethod.Delete, $"/admin/v1/users/b-user/channel-subscriptions/{webPush}", """{"identifier": "https://push.example.com/a"}"""),
            (HttpMethod.Get, "/admin/v1/users/a-user/preferences", null),
            (HttpMethod.Put, "/admin/v1/users/a-user/preferences", """{"channel_types": {"sms": true}}"""),
            (HttpMethod.Post, "/admin/v1/notiflows/a-flow/run", """{"recipients": ["b-user"]}"""),
            (HttpMethod.Post, $"/admin/v1/notiflows/{notiflowId}/run", """{"recipients": ["b-user"]}"""),
            (HttpMethod.Get, $"/admin/v1/runs/{runId}", null),
            (HttpMethod.Get, $"/admin/v1/runs/{runId}/notifications", null),
            (HttpMethod.Post, $"/admin/v1/runs/{runId}/cancel", null),
            (HttpMethod.Get, $"/admin/v1/notifications/{notificationId}", null),
            (HttpMethod.Get, $"/admin/v1/notifications/{notificationId}/deliveries", null),
            (HttpMethod.Get, $"/admin/v1/deliveries/{deliveryId}", null),
            (HttpMethod.Get, "/admin/v1/topics/a-topic", null),
            (HttpMethod.Get, $"/admin/v1/channels/{inApp}", null),
        };
        foreach (var (method, path, body) in notFound)
        {
            var response = await Admin(b, method, path, body);
            Assert.True(response.Status == 404, $"{method} {path} with another project's keys: expected 404, got {response.Status}: {response.Text}");
        }

        // Writes naming the first project's things by value stay in the second project.
        (await Admin(b, HttpMethod.Put, "/admin/v1/users/b-user/preferences", "{\"notiflows\": {\"" + notiflowId + "\": {\"enabled\": false}}}"))
            .AssertError(422, "validation_failed", $"notiflows.{notiflowId}", "invalid");
        Assert.Equal(0, (int)(await Admin(b, HttpMethod.Post, "/admin/v1/runs/cancel", """{"cancellation_key": "a-key"}""")).AssertStatus(200).Body["cancelled_count"]!);
        var bulk = (await Admin(b, HttpMethod.Post, "/admin/v1/topics/a-topic/subscriptions", """{"user_external_ids": ["a-user"]}""")).AssertStatus(207).Body;
        Assert.Equal("User not found", (string?)bulk["failed"]![0]!["reason"]);
        (await Admin(b, HttpMethod.Delete, "/admin/v1/topics/a-topic/subscriptions", """{"user_external_ids": ["a-user"]}""")).AssertStatus(207);
        Assert.Empty((await Admin(b, HttpMethod.Get, "/admin/v1/topics/a-topic/subscriptions")).AssertStatus(200).Body["items"]!.AsArray());
        // An idempotency key is scoped to its project: the same key and body in another project is a request of its own.
        var own = (await Admin(b, HttpMethod.Post, "/admin/v1/users/b-user/subscriptions", """{"topic_name": "a-other"}""", key)).AssertStatus(201);
        Assert.Null(own.Header("Idempotent-Replayed"));
        Assert.Equal("b-user", (string?)own.Body["user_external_id"]);
        var mallory = (await Admin(b, HttpMethod.Put, "/admin/v1/users/a-user", """{"first_name": "Mallory"}""")).AssertStatus(201).Body;

        // Lists show only the second project's own items; a cursor of the first project's list is refused.
        var seen = new List<string>();
        foreach (var list in new[] { "users", "notifications", "deliveries", "runs", "topics", "channels" })
        {
            var items = (await Admin(b, HttpMethod.Get, $"/admin/v1/{list}?limit=1000")).AssertStatus(200).Body["items"]!.AsArray();
            seen.AddRange(items.Select(i => (string)i!["id"]!));
        }
        Assert.Contains((string)mallory["id"]!, seen);
        foreach (var id in new[] { runId, notificationId, deliveryId, inApp, push, webPush })
        {
            Assert.DoesNotContain(id, seen);
        }
        (await Admin(b, HttpMethod.Get, $"/admin/v1/users?after={aUsersCursor}")).AssertError(400, "bad_request");
        // The first project's public key with the second one's secret key is refused outright.
        (await SendAsync(Host.Admin(a.PublicKey, b.SecretKey), HttpMethod.Get, "/admin/v1/users")).AssertError(403, "forbidden");

        // Nothing of the first project changed.
        var alice = (await Admin(a, HttpMethod.Get, "/admin/v1/users/a-user")).AssertStatus(200).Body;
        Assert.Equal("Alice", (string?)alice["first_name"]);
        Assert.NotEqual((string?)alice["id"], (string?)mallory["id"]);
        Assert.Equal(1, (int)(await Admin(a, HttpMethod.Get, "/admin/v1/topics/a-topic")).AssertStatus(200).Body["subscriber_count"]!);
        Assert.Equal("tok-a", (string?)(await Admin(a, HttpMethod.Get, $"/admin/v1/users/a-user/channel-settings/{push}")).AssertStatus(200)
            .Body["settings"]!["device_tokens"]![0]);
        Assert.Single((await Admin(a, HttpMethod.Get, $"/admin/v1/users/a-user/channel-subscriptions/{webPush}")).AssertStatus(200).Body["items"]!.AsArray());
        var preferences = (await Admin(a, HttpMethod.Get, "/admin/v1/users/a-user/preferences")).AssertStatus(200).Body;
        Assert.False((bool)preferences["channel_types"]!["sms"]!);
        Assert.True((bool)preferences["notiflows"]![notiflowId]!["enabled"]!);
        Assert.Equal("running", (string?)(await RunView(a, runId))["status"]);
        Assert.Equal("processing", (string?)(await Reload(a, notification))["status"]);
        Host.Time.Advance(TimeSpan.FromDays(1));
        await Host.DrainAsync();
        Assert.Equal(["inbox", "later"], DeliveredSteps(await Reload(a, notification)));
    }

    private const string WebPushSubscription = """
        {"identifier": "https://push.example.com/a", "settings": {"endpoint": "https://push.example.com/a", "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"}}
        """;
}

public sealed class SqliteIsolationTests(SqliteFixture fixture) : IsolationTests<SqliteFixture>(fixture);

public sealed class PostgresIsolationTests(PostgresFixture fixture) : IsolationTests<PostgresFixture>(fixture);
