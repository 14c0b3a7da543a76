using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Api.Admin.ChannelSettings;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.User.Settings;

/// <summary>GET/PUT/DELETE <c>/user/v1/channels/{channel_id}/settings</c> (§7.1, §5.6, §14.3) and the <c>{channel_id}</c> of the settings routes.</summary>
public abstract class UserApiChannelSettingsTests<TFixture>(TFixture fixture) : UserSettingsTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Put201_Put200_Get_Delete204Idempotent_ThenGet404ChannelSettings(bool development)
    {
        var me = await MeAsync(development);
        var channelId = await ChannelIdAsync(me.Project, Push);
        var path = MySettings(channelId);

        var created = (await Call(me, HttpMethod.Put, path, """{"settings": {"device_tokens": ["t1", "t2", "t1"], "x": 1}}""")).AssertStatus(201).Body;
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        var replaced = (await Call(me, HttpMethod.Put, path, """{"settings": {"device_tokens": ["t3"]}}""")).AssertStatus(200).Body;
        var read = (await Call(me, HttpMethod.Get, path)).AssertStatus(200).Body;

        var u1 = (string?)(await Admin(me.Project, HttpMethod.Get, "/admin/v1/users/u1")).AssertStatus(200).Body["id"];
        Assert.Equal((channelId, u1, "sandbox"), ((string?)created["channel_id"], (string?)created["user_id"], (string?)created["provider"]));
        Assert.True(JsonNode.DeepEquals(Obj("""{"device_tokens": ["t1", "t2"]}"""), created["settings"]), created.ToJsonString());
        Assert.Equal((string?)created["created_at"], (string?)replaced["created_at"]);
        Assert.NotEqual((string?)created["updated_at"], (string?)replaced["updated_at"]);
        Assert.True(JsonNode.DeepEquals(replaced, read), read.ToJsonString());
        Assert.True(JsonNode.DeepEquals(read, (await GetSettings(me.Project, "u1", Push)).AssertStatus(200).Body));

        (await Call(me, HttpMethod.Delete, path)).AssertStatus(204);
        (await Call(me, HttpMethod.Delete, path)).AssertStatus(204);
        var error = (await Call(me, HttpMethod.Get, path)).AssertError(404, "not_found");
        Assert.Equal(("channel_settings", channelId), ((string?)error["details"]!["resource"], (string?)error["details"]!["id"]));
        (await GetSettings(me.Project, "u1", Push)).AssertError(404, "not_found");
    }

    [Theory]
    [MemberData(nameof(ChannelSettingsCases.BadSettings), MemberType = typeof(ChannelSettingsCases))]
    public async Task Put_BadSettings_Returns422_NothingStored(string handle, string body, string field, string reason)
    {
        var me = await MeAsync(development: false);
        var path = MySettings(await ChannelIdAsync(me.Project, handle));

        (await Call(me, HttpMethod.Put, path, body)).AssertError(422, "validation_failed", field, reason);

        (await Call(me, HttpMethod.Get, path)).AssertError(404, "not_found");
    }

    /// <summary>Every route with a <c>{channel_id}</c> of this feature: method and the path after the channel id.</summary>
    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "settings" }, { "PUT", "settings" }, { "DELETE", "settings" },
        { "GET", "subscriptions" }, { "POST", "subscriptions" }, { "DELETE", "subscriptions" },
    };

    private const string AnyBody = """{"settings": {"device_tokens": ["a"]}, "identifier": "a"}""";

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task ChannelIdNotAUuid_Returns400InvalidUuid(string method, string route)
    {
        var me = await MeAsync(development: false);

        var error = (await Call(me, new HttpMethod(method), $"/user/v1/channels/{Push}/{route}", AnyBody)).AssertError(400, "bad_request");

        Assert.Equal(("invalid_uuid", "channel_id"), ((string?)error["details"]!["reason"], (string?)error["details"]!["param"]));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task UnknownChannel_OrAnotherProjectsChannel_Returns404Channel(string method, string route)
    {
        var me = await MeAsync(development: true);
        var foreign = await ChannelIdAsync(await NewProjectAsync(), Push);

        foreach (var channelId in new[] { Guid.NewGuid().ToString(), foreign })
        {
            var error = (await Call(me, new HttpMethod(method), $"/user/v1/channels/{channelId}/{route}", AnyBody)).AssertError(404, "not_found");
            Assert.Equal(("channel", channelId), ((string?)error["details"]!["resource"], (string?)error["details"]!["id"]));
        }
    }

    [Theory]
    [InlineData("PUT", "settings")]
    [InlineData("POST", "subscriptions")]
    [InlineData("DELETE", "subscriptions")]
    [InlineData("PUT", "")]
    public async Task BodyNotAJsonObject_Returns400InvalidJson(string method, string route)
    {
        var me = await MeAsync(development: false);
        var path = route.Length == 0 ? MyPreferences : $"/user/v1/channels/{await ChannelIdAsync(me.Project, WebPush)}/{route}";

        var error = (await Call(me, new HttpMethod(method), path, "[1]")).AssertError(400, "bad_request");

        Assert.Equal("invalid_json", (string?)error["details"]!["reason"]);
    }
}

public sealed class SqliteUserApiChannelSettingsTests(SqliteFixture fixture) : UserApiChannelSettingsTests<SqliteFixture>(fixture);

public sealed class PostgresUserApiChannelSettingsTests(PostgresFixture fixture) : UserApiChannelSettingsTests<PostgresFixture>(fixture);
