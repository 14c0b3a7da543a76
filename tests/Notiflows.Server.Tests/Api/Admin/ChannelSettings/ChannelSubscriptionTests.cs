using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin.ChannelSettings;

/// <summary>GET/POST/DELETE <c>/users/{user_id}/channel-subscriptions/{channel_id}</c> (§5.7, §6.3).</summary>
public abstract class ChannelSubscriptionTests<TFixture>(TFixture fixture) : ChannelSettingsTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task Post_New201_SameIdentifierUpdates200_ListShowsIt()
    {
        var p = await ProjectWithUsersAsync("u1");
        var channelId = await ChannelIdAsync(p, WebPush);

        var created = (await Subscribe(p, "u1", WebPush, Subscription("device-a"))).AssertStatus(201).Body;
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        var updated = (await Subscribe(p, "u1", WebPush,
            Subscription("device-a", "https://push.example.com/send/new").Replace("}}", ", \"extra\": 1}, \"more\": 2}", StringComparison.Ordinal)))
            .AssertStatus(200).Body;

        Assert.Equal(["channel_id", "created_at", "id", "identifier", "settings", "updated_at"], Keys(created));
        Assert.Equal((channelId, "device-a"), ((string?)created["channel_id"], (string?)created["identifier"]));
        Assert.True(JsonNode.DeepEquals(
            Obj($$"""{"endpoint": "https://push.example.com/send/abc", "p256dh": "{{P256dh}}", "auth": "tBHItJI5svbpez7KI4CCXg"}"""), created["settings"]));
        Assert.Equal((string?)created["id"], (string?)updated["id"]);
        Assert.Equal((string?)created["created_at"], (string?)updated["created_at"]);
        Assert.NotEqual((string?)created["updated_at"], (string?)updated["updated_at"]);
        Assert.Equal(["auth", "endpoint", "p256dh"], Keys(updated["settings"]!.AsObject()));
        Assert.Equal("https://push.example.com/send/new", (string?)updated["settings"]!["endpoint"]);
        var list = Assert.Single(await SubscriptionsOf(p, "u1", WebPush));
        Assert.True(JsonNode.DeepEquals(updated, list), list.ToJsonString());
    }

    [Fact]
    public async Task Post_SameSettingsAgain_KeepsUpdatedAt()
    {
        var p = await ProjectWithUsersAsync("u1");
        var created = (await Subscribe(p, "u1", WebPush, Subscription("a"))).AssertStatus(201).Body;
        Host.Time.Advance(TimeSpan.FromMinutes(1));

        var again = (await Subscribe(p, "u1", WebPush, Subscription("a"))).AssertStatus(200).Body;

        Assert.True(JsonNode.DeepEquals(created, again), again.ToJsonString());
    }

    [Fact]
    public async Task List_IsNewestFirst_PerUserAndChannel_WithoutPage()
    {
        var p = await ProjectWithUsersAsync("u1", "u2");
        foreach (var id in new[] { "first", "second", "third" })
        {
            (await Subscribe(p, "u1", WebPush, Subscription(id))).AssertStatus(201);
        }
        (await Subscribe(p, "u2", WebPush, Subscription("other-user"))).AssertStatus(201);
        (await Subscribe(p, "u1", "web-push-two", Subscription("other-channel"))).AssertStatus(201);

        var page = (await Admin(p, HttpMethod.Get, SubscriptionsPath("u1", await ChannelIdAsync(p, WebPush)))).AssertStatus(200).Body;

        Assert.Equal(["items"], Keys(page));
        Assert.Equal(["third", "second", "first"], page["items"]!.AsArray().Select(i => (string)i!["identifier"]!).ToList());
        Assert.Empty(await SubscriptionsOf(p, "u1", Push));
    }

    [Fact]
    public async Task Post_AtMost100PerUserAndChannel()
    {
        var p = await ProjectWithUsersAsync("u1", "u2");
        for (var i = 0; i < 100; i++)
        {
            (await Subscribe(p, "u1", WebPush, Subscription($"d{i}"))).AssertStatus(201);
        }

        (await Subscribe(p, "u1", WebPush, Subscription("d100"))).AssertError(422, "validation_failed", "identifier", "too_many");

        (await Subscribe(p, "u1", WebPush, Subscription("d7", "https://push.example.com/changed"))).AssertStatus(200);
        (await Subscribe(p, "u2", WebPush, Subscription("d100"))).AssertStatus(201);
        (await Subscribe(p, "u1", "web-push-two", Subscription("d100"))).AssertStatus(201);
        Assert.Equal(100, (await SubscriptionsOf(p, "u1", WebPush)).Count);
        (await Admin(p, HttpMethod.Delete, SubscriptionsPath("u1", await ChannelIdAsync(p, WebPush)), """{"identifier": "d0"}""")).AssertStatus(204);
        (await Subscribe(p, "u1", WebPush, Subscription("d100"))).AssertStatus(201);
    }

    [Fact]
    public async Task Delete_ByIdentifier_Is204AndIdempotent()
    {
        var p = await ProjectWithUsersAsync("u1");
        var path = SubscriptionsPath("u1", await ChannelIdAsync(p, WebPush));
        (await Subscribe(p, "u1", WebPush, Subscription("keep"))).AssertStatus(201);
        (await Subscribe(p, "u1", WebPush, Subscription("drop"))).AssertStatus(201);

        (await Admin(p, HttpMethod.Delete, path, """{"identifier": "drop"}""")).AssertStatus(204);
        (await Admin(p, HttpMethod.Delete, path, """{"identifier": "drop"}""")).AssertStatus(204);
        (await Admin(p, HttpMethod.Delete, path, """{"identifier": "never-there"}""")).AssertStatus(204);

        Assert.Equal(["keep"], (await SubscriptionsOf(p, "u1", WebPush)).Select(s => (string)s["identifier"]!).ToList());
    }

    [Theory]
    [MemberData(nameof(ChannelSettingsCases.BadPosts), MemberType = typeof(ChannelSettingsCases))]
    public async Task Post_BadBody_Returns422_NothingStored(string body, string field, string reason)
    {
        var p = await ProjectWithUsersAsync("u1");

        (await Subscribe(p, "u1", WebPush, body)).AssertError(422, "validation_failed", field, reason);

        Assert.Empty(await SubscriptionsOf(p, "u1", WebPush));
    }

    [Theory]
    [InlineData(Push)]
    [InlineData(Chat)]
    [InlineData("email-sandbox")]
    [InlineData("in-app")]
    public async Task Post_OnAChannelThatIsNotWebPush_Returns422NotAllowedOnChannelId(string handle)
    {
        var p = await ProjectWithUsersAsync("u1");

        (await Subscribe(p, "u1", handle, Subscription("a"))).AssertError(422, "validation_failed", "channel_id", "not_allowed");

        Assert.Empty(await SubscriptionsOf(p, "u1", handle));
    }

    [Theory]
    [MemberData(nameof(ChannelSettingsCases.BadIdentifiers), MemberType = typeof(ChannelSettingsCases))]
    public async Task Delete_WithoutIdentifier_Returns422(string body, string reason)
    {
        var p = await ProjectWithUsersAsync("u1");

        (await Admin(p, HttpMethod.Delete, SubscriptionsPath("u1", await ChannelIdAsync(p, WebPush)), body))
            .AssertError(422, "validation_failed", "identifier", reason);
    }

    public static TheoryData<string> Methods => new() { "GET", "POST", "DELETE" };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task ChannelIdNotAUuid_Returns400InvalidUuid(string method)
    {
        var p = await ProjectWithUsersAsync("u1");

        var error = (await Admin(p, new HttpMethod(method), SubscriptionsPath("u1", WebPush), Subscription("a"))).AssertError(400, "bad_request");

        Assert.Equal(("invalid_uuid", "channel_id"), ((string?)error["details"]!["reason"], (string?)error["details"]!["param"]));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task UnknownUser_Returns404User_UnknownChannel_Returns404Channel(string method)
    {
        var p = await ProjectWithUsersAsync("u1");
        var channelId = await ChannelIdAsync(p, WebPush);
        var missing = Guid.NewGuid().ToString();

        var user = (await Admin(p, new HttpMethod(method), SubscriptionsPath("ghost", channelId), Subscription("a"))).AssertError(404, "not_found");
        var channel = (await Admin(p, new HttpMethod(method), SubscriptionsPath("u1", missing), Subscription("a"))).AssertError(404, "not_found");

        Assert.Equal(("user", "ghost"), ((string?)user["details"]!["resource"], (string?)user["details"]!["id"]));
        Assert.Equal(("channel", missing), ((string?)channel["details"]!["resource"], (string?)channel["details"]!["id"]));
    }
}

public sealed class SqliteChannelSubscriptionTests(SqliteFixture fixture) : ChannelSubscriptionTests<SqliteFixture>(fixture);

public sealed class PostgresChannelSubscriptionTests(PostgresFixture fixture) : ChannelSubscriptionTests<PostgresFixture>(fixture);
