using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Api.Admin.ChannelSettings;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.User.Settings;

/// <summary>GET/POST/DELETE <c>/user/v1/channels/{channel_id}/subscriptions</c> (§7.1, §5.7).</summary>
public abstract class UserApiSubscriptionTests<TFixture>(TFixture fixture) : UserSettingsTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    private async Task<List<string>> MyIdentifiers(Me me, string handle) =>
        (await Call(me, HttpMethod.Get, MySubscriptions(await ChannelIdAsync(me.Project, handle)))).AssertStatus(200).Body["items"]!.AsArray()
        .Select(i => (string)i!["identifier"]!).ToList();

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Post201_SameIdentifier200_ListNewestFirst_Delete204Idempotent(bool development)
    {
        var me = await MeAsync(development);
        var channelId = await ChannelIdAsync(me.Project, WebPush);
        var path = MySubscriptions(channelId);

        var created = (await Call(me, HttpMethod.Post, path, Subscription("browser-a"))).AssertStatus(201).Body;
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        var updated = (await Call(me, HttpMethod.Post, path, Subscription("browser-a", "https://push.example.com/send/new"))).AssertStatus(200).Body;
        (await Call(me, HttpMethod.Post, path, Subscription("browser-b"))).AssertStatus(201);
        var list = (await Call(me, HttpMethod.Get, path)).AssertStatus(200).Body;

        Assert.Equal((channelId, "browser-a"), ((string?)created["channel_id"], (string?)created["identifier"]));
        Assert.Equal(((string?)created["id"], (string?)created["created_at"]), ((string?)updated["id"], (string?)updated["created_at"]));
        Assert.Equal("https://push.example.com/send/new", (string?)updated["settings"]!["endpoint"]);
        Assert.Equal(["items"], Keys(list));
        Assert.Equal(["browser-b", "browser-a"], list["items"]!.AsArray().Select(i => (string)i!["identifier"]!).ToList());
        Assert.True(JsonNode.DeepEquals(updated, list["items"]![1]), list.ToJsonString());
        Assert.True(JsonNode.DeepEquals(list, (await Admin(me.Project, HttpMethod.Get, SubscriptionsPath("u1", channelId))).AssertStatus(200).Body));

        (await Call(me, HttpMethod.Delete, path, """{"identifier": "browser-a"}""")).AssertStatus(204);
        (await Call(me, HttpMethod.Delete, path, """{"identifier": "browser-a"}""")).AssertStatus(204);
        (await Call(me, HttpMethod.Delete, path, """{"identifier": "never-there"}""")).AssertStatus(204);
        Assert.Equal(["browser-b"], await MyIdentifiers(me, WebPush));
    }

    [Theory]
    [MemberData(nameof(ChannelSettingsCases.BadPosts), MemberType = typeof(ChannelSettingsCases))]
    public async Task Post_BadBody_Returns422_NothingStored(string body, string field, string reason)
    {
        var me = await MeAsync(development: false);

        (await Call(me, HttpMethod.Post, MySubscriptions(await ChannelIdAsync(me.Project, WebPush)), body))
            .AssertError(422, "validation_failed", field, reason);

        Assert.Empty(await MyIdentifiers(me, WebPush));
    }

    [Theory]
    [InlineData(Push)]
    [InlineData(Chat)]
    [InlineData("in-app")]
    public async Task Post_OnAChannelThatIsNotWebPush_Returns422NotAllowedOnChannelId(string handle)
    {
        var me = await MeAsync(development: true);

        (await Call(me, HttpMethod.Post, MySubscriptions(await ChannelIdAsync(me.Project, handle)), Subscription("a")))
            .AssertError(422, "validation_failed", "channel_id", "not_allowed");

        Assert.Empty(await MyIdentifiers(me, handle));
    }

    [Theory]
    [MemberData(nameof(ChannelSettingsCases.BadIdentifiers), MemberType = typeof(ChannelSettingsCases))]
    public async Task Delete_WithoutIdentifier_Returns422(string body, string reason)
    {
        var me = await MeAsync(development: false);

        (await Call(me, HttpMethod.Delete, MySubscriptions(await ChannelIdAsync(me.Project, WebPush)), body))
            .AssertError(422, "validation_failed", "identifier", reason);
    }

    [Fact]
    public async Task Post_AtMost100PerChannel_AnExistingIdentifierStillUpdates()
    {
        var me = await MeAsync(development: false);
        var path = MySubscriptions(await ChannelIdAsync(me.Project, WebPush));
        // 99 through the Admin API: the User API's rate limit (burst 40) would stop a single user sooner.
        for (var i = 0; i < 99; i++)
        {
            (await Subscribe(me.Project, "u1", WebPush, Subscription($"d{i}"))).AssertStatus(201);
        }

        (await Call(me, HttpMethod.Post, path, Subscription("d99"))).AssertStatus(201);
        (await Call(me, HttpMethod.Post, path, Subscription("d100"))).AssertError(422, "validation_failed", "identifier", "too_many");

        (await Call(me, HttpMethod.Post, path, Subscription("d7", "https://push.example.com/changed"))).AssertStatus(200);
        (await Call(me, HttpMethod.Post, MySubscriptions(await ChannelIdAsync(me.Project, "web-push-two")), Subscription("d100"))).AssertStatus(201);
        Assert.Equal(100, (await MyIdentifiers(me, WebPush)).Count);
    }
}

public sealed class SqliteUserApiSubscriptionTests(SqliteFixture fixture) : UserApiSubscriptionTests<SqliteFixture>(fixture);

public sealed class PostgresUserApiSubscriptionTests(PostgresFixture fixture) : UserApiSubscriptionTests<PostgresFixture>(fixture);
