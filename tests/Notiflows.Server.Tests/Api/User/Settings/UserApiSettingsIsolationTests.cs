using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.User.Settings;

/// <summary>The User API acts on the authenticated user only (§7): another user's settings never change, as the Admin API shows.</summary>
public abstract class UserApiSettingsIsolationTests<TFixture>(TFixture fixture) : UserSettingsTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    /// <summary>What the Admin API shows of u2: push settings, web-push subscriptions, preferences.</summary>
    private async Task<JsonArray> U2Async(TestProject p) =>
    [
        (await GetSettings(p, "u2", Push)).AssertStatus(200).Body,
        (await Admin(p, HttpMethod.Get, SubscriptionsPath("u2", await ChannelIdAsync(p, WebPush)))).AssertStatus(200).Body,
        (await Admin(p, HttpMethod.Get, "/admin/v1/users/u2/preferences")).AssertStatus(200).Body,
    ];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task EveryWrite_ChangesOnlyTheCurrentUser(bool development)
    {
        var me = await MeAsync(development);
        var p = me.Project;
        (await PutSettings(p, "u2", Push, """{"device_tokens": ["u2-token"]}""")).AssertStatus(201);
        (await Subscribe(p, "u2", WebPush, Subscription("shared-id"))).AssertStatus(201);
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/u2/preferences", """{"channel_types": {"sms": false}}""")).AssertStatus(200);
        var before = await U2Async(p);
        var settings = MySettings(await ChannelIdAsync(p, Push));
        var subscriptions = MySubscriptions(await ChannelIdAsync(p, WebPush));

        // u1 sees none of u2's data ...
        (await Call(me, HttpMethod.Get, settings)).AssertError(404, "not_found");
        Assert.Empty((await Call(me, HttpMethod.Get, subscriptions)).AssertStatus(200).Body["items"]!.AsArray());
        Assert.True((bool)(await Call(me, HttpMethod.Get, MyPreferences)).AssertStatus(200).Body["channel_types"]!["sms"]!);
        // ... and writes only its own.
        (await Call(me, HttpMethod.Put, settings, """{"settings": {"device_tokens": ["u1-token"]}}""")).AssertStatus(201);
        (await Call(me, HttpMethod.Post, subscriptions, Subscription("shared-id", "https://push.example.com/u1"))).AssertStatus(201);
        (await Call(me, HttpMethod.Put, MyPreferences, """{"channel_types": {"sms": true, "email": false}}""")).AssertStatus(200);
        Assert.True(JsonNode.DeepEquals(before, await U2Async(p)));
        (await Call(me, HttpMethod.Delete, settings)).AssertStatus(204);
        (await Call(me, HttpMethod.Delete, subscriptions, """{"identifier": "shared-id"}""")).AssertStatus(204);

        Assert.True(JsonNode.DeepEquals(before, await U2Async(p)), (await U2Async(p)).ToJsonString());
        (await GetSettings(p, "u1", Push)).AssertError(404, "not_found");
        Assert.Empty(await SubscriptionsOf(p, "u1", WebPush));
        Assert.False((bool)(await Admin(p, HttpMethod.Get, "/admin/v1/users/u1/preferences")).AssertStatus(200).Body["channel_types"]!["email"]!);
    }

    [Fact]
    public async Task SecureMode_UserIdHeaderAlone_IsRefused_NothingChanges()
    {
        var me = await MeAsync(development: false);
        var settings = MySettings(await ChannelIdAsync(me.Project, Push));

        (await AsUser(me.Project, HttpMethod.Put, settings, userId: "u2", body: """{"settings": {"device_tokens": ["x"]}}"""))
            .AssertError(401, "unauthenticated");
        (await AsUser(me.Project, HttpMethod.Put, MyPreferences, userId: "u2", body: """{"channel_types": {"sms": false}}"""))
            .AssertError(401, "unauthenticated");

        (await GetSettings(me.Project, "u2", Push)).AssertError(404, "not_found");
        Assert.True((bool)(await Admin(me.Project, HttpMethod.Get, "/admin/v1/users/u2/preferences")).AssertStatus(200).Body["channel_types"]!["sms"]!);
    }
}

public sealed class SqliteUserApiSettingsIsolationTests(SqliteFixture fixture) : UserApiSettingsIsolationTests<SqliteFixture>(fixture);

public sealed class PostgresUserApiSettingsIsolationTests(PostgresFixture fixture) : UserApiSettingsIsolationTests<PostgresFixture>(fixture);
