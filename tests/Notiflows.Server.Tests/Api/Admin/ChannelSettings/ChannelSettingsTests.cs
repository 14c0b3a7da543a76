using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin.ChannelSettings;

/// <summary>GET/PUT/DELETE <c>/users/{user_id}/channel-settings/{channel_id}</c> (§5.6, §6.3, §14.3).</summary>
public abstract class ChannelSettingsTests<TFixture>(TFixture fixture) : ChannelSettingsTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task Put_CreatesWith201_DedupsTokens_DropsUnknownKeys_GetReturnsIt()
    {
        var p = await ProjectWithUsersAsync("u1");
        var channelId = await ChannelIdAsync(p, Push);

        var created = (await PutSettings(p, "u1", Push, """{"device_tokens": ["t1", "t2", "t1", "t3", "t2"], "extra": 1}""")).AssertStatus(201).Body;

        Assert.Equal(["channel_id", "created_at", "provider", "settings", "updated_at", "user_id"], Keys(created));
        var user = (await Admin(p, HttpMethod.Get, "/admin/v1/users/u1")).AssertStatus(200).Body;
        Assert.Equal((channelId, (string?)user["id"], "sandbox"), ((string?)created["channel_id"], (string?)created["user_id"], (string?)created["provider"]));
        Assert.True(JsonNode.DeepEquals(Obj("""{"device_tokens": ["t1", "t2", "t3"]}"""), created["settings"]), created.ToJsonString());
        Assert.Equal((string?)created["created_at"], (string?)created["updated_at"]);
        var read = (await GetSettings(p, "u1", Push)).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(created, read), read.ToJsonString());
    }

    [Fact]
    public async Task Put_Again_Replaces200_UpdatedAtMovesOnlyOnChange()
    {
        var p = await ProjectWithUsersAsync("u1");
        var created = (await PutSettings(p, "u1", Chat, """{"a": 1, "b": {"c": true}}""")).AssertStatus(201).Body;
        Host.Time.Advance(TimeSpan.FromMinutes(5));

        var same = (await PutSettings(p, "u1", Chat, """{"a": 1, "b": {"c": true}}""")).AssertStatus(200).Body;
        Host.Time.Advance(TimeSpan.FromMinutes(5));
        var replaced = (await PutSettings(p, "u1", Chat, """{"z": "only"}""")).AssertStatus(200).Body;

        Assert.True(JsonNode.DeepEquals(created, same), same.ToJsonString());
        Assert.True(JsonNode.DeepEquals(Obj("""{"z": "only"}"""), replaced["settings"]), replaced.ToJsonString());
        Assert.Equal((string?)created["created_at"], (string?)replaced["created_at"]);
        Assert.True(DateTimeOffset.Parse((string)replaced["updated_at"]!, null) > DateTimeOffset.Parse((string)created["updated_at"]!, null));
        Assert.True(JsonNode.DeepEquals(replaced, (await GetSettings(p, "u1", Chat)).AssertStatus(200).Body));
    }

    [Theory]
    [InlineData("slack", """{"slack_user_id": "U123ABC", "slack_channel_id": "C0456", "x": 1}""", """{"slack_user_id": "U123ABC", "slack_channel_id": "C0456"}""")]
    [InlineData("slack", """{"slack_user_id": "W1"}""", """{"slack_user_id": "W1"}""")]
    [InlineData("slack", """{"slack_channel_id": "D9", "slack_user_id": null}""", """{"slack_channel_id": "D9"}""")]
    [InlineData("discord", """{"webhook_url": "https://discord.com/api/webhooks/1/abc"}""", """{"webhook_url": "https://discord.com/api/webhooks/1/abc"}""")]
    [InlineData("discord", """{"discord_channel_id": "112233"}""", """{"discord_channel_id": "112233"}""")]
    [InlineData("teams", """{"webhook_url": "https://acme.webhook.office.com/x"}""", """{"webhook_url": "https://acme.webhook.office.com/x"}""")]
    [InlineData(Chat, """{"anything": [1, {"deep": null}]}""", """{"anything": [1, {"deep": null}]}""")]
    [InlineData(Push, """{"device_tokens": ["only"]}""", """{"device_tokens": ["only"]}""")]
    public async Task Put_ValidShapes_StoreTheNormalisedObject(string handle, string settings, string stored)
    {
        var p = await ProjectWithUsersAsync("u1");

        var body = (await PutSettings(p, "u1", handle, settings)).AssertStatus(201).Body;

        Assert.True(JsonNode.DeepEquals(Obj(stored), body["settings"]), body.ToJsonString());
        Assert.True(JsonNode.DeepEquals(Obj(stored), (await GetSettings(p, "u1", handle)).AssertStatus(200).Body["settings"]));
    }

    [Theory]
    [MemberData(nameof(ChannelSettingsCases.BadSettings), MemberType = typeof(ChannelSettingsCases))]
    public async Task Put_BadSettings_Returns422_NothingStored(string handle, string body, string field, string reason)
    {
        var p = await ProjectWithUsersAsync("u1");
        var channelId = await ChannelIdAsync(p, handle);

        (await Admin(p, HttpMethod.Put, SettingsPath("u1", channelId), body)).AssertError(422, "validation_failed", field, reason);

        (await Admin(p, HttpMethod.Get, SettingsPath("u1", channelId))).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Put_TooManyDeviceTokens_Returns422TooMany()
    {
        var p = await ProjectWithUsersAsync("u1");
        var tokens = string.Join(", ", Enumerable.Range(0, 101).Select(i => $"\"t{i}\""));

        (await PutSettings(p, "u1", Push, $$"""{"device_tokens": [{{tokens}}]}""")).AssertError(422, "validation_failed", "settings.device_tokens", "too_many");
        var hundred = string.Join(", ", Enumerable.Range(0, 100).Select(i => $"\"t{i}\""));
        (await PutSettings(p, "u1", Push, $$"""{"device_tokens": [{{hundred}}]}""")).AssertStatus(201);
    }

    [Fact]
    public async Task Put_ReportsEveryBadTokenTogether()
    {
        var p = await ProjectWithUsersAsync("u1");

        var error = (await PutSettings(p, "u1", Push, """{"device_tokens": [1, "ok", "", true]}""")).AssertError(422, "validation_failed");

        Assert.Equal(["settings.device_tokens[0]", "settings.device_tokens[2]", "settings.device_tokens[3]"],
            error["details"]!["fields"]!.AsArray().Select(f => (string)f!["field"]!).ToList());
    }

    [Fact]
    public async Task Delete_Returns204_IsIdempotent_GetThen404ChannelSettings()
    {
        var p = await ProjectWithUsersAsync("u1", "u2");
        var channelId = await ChannelIdAsync(p, Push);
        (await PutSettings(p, "u1", Push, """{"device_tokens": ["a"]}""")).AssertStatus(201);
        (await PutSettings(p, "u2", Push, """{"device_tokens": ["b"]}""")).AssertStatus(201);

        (await Admin(p, HttpMethod.Delete, SettingsPath("u1", channelId))).AssertStatus(204);
        (await Admin(p, HttpMethod.Delete, SettingsPath("u1", channelId))).AssertStatus(204);

        var error = (await GetSettings(p, "u1", Push)).AssertError(404, "not_found");
        Assert.Equal(("channel_settings", channelId), ((string?)error["details"]!["resource"], (string?)error["details"]!["id"]));
        (await GetSettings(p, "u2", Push)).AssertStatus(200);
        (await PutSettings(p, "u1", Push, """{"device_tokens": ["a"]}""")).AssertStatus(201);
    }

    public static TheoryData<string> Methods => new() { "GET", "PUT", "DELETE" };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task ChannelIdNotAUuid_Returns400InvalidUuid(string method)
    {
        var p = await ProjectWithUsersAsync("u1");

        var error = (await Admin(p, new HttpMethod(method), SettingsPath("u1", Push), """{"settings": {"device_tokens": ["a"]}}"""))
            .AssertError(400, "bad_request");

        Assert.Equal(("invalid_uuid", "channel_id"), ((string?)error["details"]!["reason"], (string?)error["details"]!["param"]));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task UnknownUser_Returns404User(string method)
    {
        var p = await NewProjectAsync();
        var channelId = await ChannelIdAsync(p, Push);

        var error = (await Admin(p, new HttpMethod(method), SettingsPath("ghost", channelId), """{"settings": {"device_tokens": ["a"]}}"""))
            .AssertError(404, "not_found");

        Assert.Equal(("user", "ghost"), ((string?)error["details"]!["resource"], (string?)error["details"]!["id"]));
        (await Admin(p, HttpMethod.Get, "/admin/v1/users/ghost")).AssertError(404, "not_found");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task UnknownChannel_OrAnotherProjectsChannel_Returns404Channel(string method)
    {
        var p = await ProjectWithUsersAsync("u1");
        var other = await NewProjectAsync();
        var missing = Guid.NewGuid().ToString();
        var foreign = await ChannelIdAsync(other, Push);

        foreach (var channelId in new[] { missing, foreign })
        {
            var error = (await Admin(p, new HttpMethod(method), SettingsPath("u1", channelId), """{"settings": {"device_tokens": ["a"]}}"""))
                .AssertError(404, "not_found");
            Assert.Equal(("channel", channelId), ((string?)error["details"]!["resource"], (string?)error["details"]!["id"]));
        }
    }

    [Fact]
    public async Task Put_ChannelIdInUpperCase_IsTheSameChannel()
    {
        var p = await ProjectWithUsersAsync("u1");
        var channelId = await ChannelIdAsync(p, Push);

        var body = (await Admin(p, HttpMethod.Put, SettingsPath("u1", channelId.ToUpperInvariant()), """{"settings": {"device_tokens": ["a"]}}"""))
            .AssertStatus(201).Body;

        Assert.Equal(channelId, (string?)body["channel_id"]);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[1]")]
    public async Task Put_BodyNotAJsonObject_Returns400InvalidJson(string body)
    {
        var p = await ProjectWithUsersAsync("u1");

        var error = (await Admin(p, HttpMethod.Put, SettingsPath("u1", await ChannelIdAsync(p, Push)), body)).AssertError(400, "bad_request");

        Assert.Equal("invalid_json", (string?)error["details"]!["reason"]);
    }

    [Fact]
    public async Task Settings_ArePerUserAndPerChannel()
    {
        var p = await ProjectWithUsersAsync("u1", "u2");
        (await PutSettings(p, "u1", Push, """{"device_tokens": ["one"]}""")).AssertStatus(201);
        (await PutSettings(p, "u1", "push-two", """{"device_tokens": ["two"]}""")).AssertStatus(201);

        Assert.Equal("one", (string?)(await GetSettings(p, "u1", Push)).AssertStatus(200).Body["settings"]!["device_tokens"]![0]);
        Assert.Equal("two", (string?)(await GetSettings(p, "u1", "push-two")).AssertStatus(200).Body["settings"]!["device_tokens"]![0]);
        (await GetSettings(p, "u2", Push)).AssertError(404, "not_found");
    }
}

public sealed class SqliteChannelSettingsTests(SqliteFixture fixture) : ChannelSettingsTests<SqliteFixture>(fixture);

public sealed class PostgresChannelSettingsTests(PostgresFixture fixture) : ChannelSettingsTests<PostgresFixture>(fixture);
