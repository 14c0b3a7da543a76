using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.User.Settings;

/// <summary>
/// What a user sets through the User API reaches the engine: device tokens and web-push subscriptions address push steps
/// (§14.3), preferences skip steps <c>opted_out</c> (§12.4).
/// </summary>
public abstract class UserApiSettingsDeliveryTests<TFixture>(TFixture fixture) : UserSettingsTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    private static string Channel(string handle, string type, int position, string data) =>
        Step(handle, "channel", position, $$"""
            "channel_type": "{{type}}", "template": {"data": {{data}} }
            """);

    private static string Flow => Steps(Trigger,
        Channel("push", "mobile_push", 1, """{"title": "Hi", "body": "Push"}"""),
        Channel("web", "web_push", 2, """{"title": "Hi", "body": "Web"}"""),
        Channel("email", "email", 3, """{"subject": "Hi", "body": "Mail"}"""),
        Channel("sms", "sms", 4, """{"body": "Text"}"""),
        End(5));

    private static (string?, string?) StatusOf(JsonObject n, string step) =>
        ((string?)Delivery(n, step)["status"], (string?)Delivery(n, step)["skip_reason"]);

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task DeviceTokenAndSubscription_RegisteredByTheUser_MakePushStepsDeliver_UntilRemoved(bool development)
    {
        var me = await MeAsync(development);
        await PublishAsync(me.Project, "reach", Flow);
        var settings = MySettings(await ChannelIdAsync(me.Project, Push));
        var subscriptions = MySubscriptions(await ChannelIdAsync(me.Project, WebPush));

        var before = await RunOneAsync(me.Project, "reach");
        (await Call(me, HttpMethod.Put, settings, """{"settings": {"device_tokens": ["device-1"]}}""")).AssertStatus(201);
        (await Call(me, HttpMethod.Post, subscriptions, Subscription("browser-1"))).AssertStatus(201);
        var registered = await RunOneAsync(me.Project, "reach");
        (await Call(me, HttpMethod.Delete, settings)).AssertStatus(204);
        (await Call(me, HttpMethod.Delete, subscriptions, """{"identifier": "browser-1"}""")).AssertStatus(204);
        var loggedOut = await RunOneAsync(me.Project, "reach");

        foreach (var n in new[] { before, loggedOut })
        {
            Assert.Equal([("skipped", "no_channel_settings"), ("skipped", "no_channel_settings")], new[] { StatusOf(n, "push"), StatusOf(n, "web") });
        }
        Assert.Equal([("sent", null), ("sent", null)], new[] { StatusOf(registered, "push"), StatusOf(registered, "web") });
        Assert.Equal("Push", (string?)Delivery(registered, "push")["data"]!["body"]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task PreferencesSetByTheUser_SkipStepsOptedOut(bool development)
    {
        var me = await MeAsync(development);
        await PublishAsync(me.Project, "reach", Flow);
        (await Call(me, HttpMethod.Put, MyPreferences, """{"channel_types": {"email": false}}""")).AssertStatus(200);

        var typeOff = await RunOneAsync(me.Project, "reach");
        (await Call(me, HttpMethod.Put, MyPreferences, """{"channel_types": {"email": null}, "notiflows": {"reach": {"enabled": false}}}"""))
            .AssertStatus(200);
        var flowOff = await RunOneAsync(me.Project, "reach");

        Assert.Equal([("skipped", "opted_out"), ("sent", null)], new[] { StatusOf(typeOff, "email"), StatusOf(typeOff, "sms") });
        Assert.Equal([("skipped", "opted_out"), ("skipped", "opted_out")], new[] { StatusOf(flowOff, "email"), StatusOf(flowOff, "sms") });
    }
}

public sealed class SqliteUserApiSettingsDeliveryTests(SqliteFixture fixture) : UserApiSettingsDeliveryTests<SqliteFixture>(fixture);

public sealed class PostgresUserApiSettingsDeliveryTests(PostgresFixture fixture) : UserApiSettingsDeliveryTests<PostgresFixture>(fixture);
