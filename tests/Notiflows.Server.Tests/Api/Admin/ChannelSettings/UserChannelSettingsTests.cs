using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin.ChannelSettings;

/// <summary>
/// <c>channel_settings</c> of the user upsert (§5.1, §6.1 "Upsert rules") and the channel delete that removes every
/// user's settings and subscriptions of the channel (§8.7).
/// </summary>
public abstract class UserChannelSettingsTests<TFixture>(TFixture fixture) : ChannelSettingsTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    private Task<ApiResponse> Upsert(TestProject p, string user, string body) => Admin(p, HttpMethod.Put, $"/admin/v1/users/{user}", body);

    [Fact]
    public async Task Upsert_ByHandleAndById_CreatesUserAndSettings()
    {
        var p = await NewProjectAsync();
        var chatId = await ChannelIdAsync(p, Chat);

        var user = (await Upsert(p, "u1", $$"""
            {"email": "a@b.co", "channel_settings": {"{{Push}}": {"device_tokens": ["t", "t", "u"]}, "{{chatId.ToUpperInvariant()}}": {"room": "x"} } }
            """)).AssertStatus(201).Body;

        Assert.Null(user["channel_settings"]);
        Assert.Equal("a@b.co", (string?)user["email"]);
        var push = (await GetSettings(p, "u1", Push)).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(Obj("""{"device_tokens": ["t", "u"]}"""), push["settings"]), push.ToJsonString());
        Assert.Equal((string?)user["id"], (string?)push["user_id"]);
        var chat = (await GetSettings(p, "u1", Chat)).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(Obj("""{"room": "x"}"""), chat["settings"]), chat.ToJsonString());
        Assert.Equal(chatId, (string?)chat["channel_id"]);
    }

    [Fact]
    public async Task Upsert_ExistingUser_ReplacesTheBlob_NullRemovesIt_UserUpdatedAtUnchanged()
    {
        var p = await ProjectWithUsersAsync("u1");
        (await PutSettings(p, "u1", Push, """{"device_tokens": ["old"]}""")).AssertStatus(201);
        (await PutSettings(p, "u1", Chat, """{"room": "old"}""")).AssertStatus(201);
        var before = (await Admin(p, HttpMethod.Get, "/admin/v1/users/u1")).AssertStatus(200).Body;
        Host.Time.Advance(TimeSpan.FromMinutes(1));

        var after = (await Upsert(p, "u1", $$"""{"channel_settings": {"{{Push}}": {"device_tokens": ["new"]}, "{{Chat}}": null} }""")).AssertStatus(200).Body;

        Assert.True(JsonNode.DeepEquals(before, after), after.ToJsonString());
        Assert.True(JsonNode.DeepEquals(Obj("""{"device_tokens": ["new"]}"""), (await GetSettings(p, "u1", Push)).AssertStatus(200).Body["settings"]));
        (await GetSettings(p, "u1", Chat)).AssertError(404, "not_found");
    }

    [Theory]
    [InlineData("""{"channel_settings": {}}""")]
    [InlineData("""{"channel_settings": null}""")]
    public async Task Upsert_EmptyOrNullChannelSettings_ChangesNothing(string body)
    {
        var p = await ProjectWithUsersAsync("u1");
        (await PutSettings(p, "u1", Push, """{"device_tokens": ["kept"]}""")).AssertStatus(201);

        (await Upsert(p, "u1", body)).AssertStatus(200);

        (await GetSettings(p, "u1", Push)).AssertStatus(200);
    }

    public static TheoryData<string, string, string> BadEntries => new()
    {
        { """{"channel_settings": []}""", "channel_settings", "invalid" },
        { """{"channel_settings": "x"}""", "channel_settings", "invalid" },
        { """{"channel_settings": {"nope": {"a": 1}}}""", "channel_settings.nope", "invalid" },
        { $$"""{"channel_settings": {"{{Guid.NewGuid()}}": {"a": 1} } }""", "channel_settings.GUID", "invalid" },
        { """{"channel_settings": {"email-sandbox": {"a": 1}}}""", "channel_settings.email-sandbox", "not_allowed" },
        { """{"channel_settings": {"email-sandbox": null}}""", "channel_settings.email-sandbox", "not_allowed" },
        { """{"channel_settings": {"web-push-sandbox": {"a": 1}}}""", "channel_settings.web-push-sandbox", "not_allowed" },
        { """{"channel_settings": {"mobile-push-sandbox": {}}}""", "channel_settings.mobile-push-sandbox.device_tokens", "required" },
        { """{"channel_settings": {"mobile-push-sandbox": {"device_tokens": ["a", 1]}}}""", "channel_settings.mobile-push-sandbox.device_tokens[1]", "invalid" },
        { """{"channel_settings": {"mobile-push-sandbox": "t"}}""", "channel_settings.mobile-push-sandbox", "invalid" },
        { """{"channel_settings": {"chat-sandbox": {}}}""", "channel_settings.chat-sandbox", "required" },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task Upsert_BadEntry_NewUser_Returns422_NothingCreated(string body, string field, string reason)
    {
        var p = await NewProjectAsync();
        var guid = System.Text.RegularExpressions.Regex.Match(body, "[0-9a-f]{8}-[0-9a-f-]{27}").Value;

        (await Upsert(p, "u1", body)).AssertError(422, "validation_failed", field.Replace("GUID", guid, StringComparison.Ordinal), reason);

        (await Admin(p, HttpMethod.Get, "/admin/v1/users/u1")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Upsert_OneBadEntry_RejectsTheWholeRequest_ExistingUserAndSettingsUnchanged()
    {
        var p = await ProjectWithUsersAsync("u1");
        (await PutSettings(p, "u1", Push, """{"device_tokens": ["old"]}""")).AssertStatus(201);
        var before = (await Admin(p, HttpMethod.Get, "/admin/v1/users/u1")).AssertStatus(200).Body;
        Host.Time.Advance(TimeSpan.FromMinutes(1));

        var error = (await Upsert(p, "u1", $$"""
            {"first_name": "Changed", "email": "not-an-email",
             "channel_settings": {"{{Push}}": {"device_tokens": ["new"]}, "{{Chat}}": {"room": "x"}, "ghost-channel": {"a": 1} } }
            """)).AssertError(422, "validation_failed", "channel_settings.ghost-channel", "invalid");

        Assert.Equal(["email", "channel_settings.ghost-channel"], error["details"]!["fields"]!.AsArray().Select(f => (string)f!["field"]!).ToList());
        Assert.True(JsonNode.DeepEquals(before, (await Admin(p, HttpMethod.Get, "/admin/v1/users/u1")).AssertStatus(200).Body));
        Assert.Equal("old", (string?)(await GetSettings(p, "u1", Push)).AssertStatus(200).Body["settings"]!["device_tokens"]![0]);
        (await GetSettings(p, "u1", Chat)).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Upsert_ChannelOfAnotherProject_IsNotAChannelOfThisOne()
    {
        var p = await NewProjectAsync();
        var foreign = await ChannelIdAsync(await NewProjectAsync(), Push);

        (await Upsert(p, "u1", $$"""{"channel_settings": {"{{foreign}}": {"device_tokens": ["t"]} } }"""))
            .AssertError(422, "validation_failed", $"channel_settings.{foreign}", "invalid");
    }

    [Fact]
    public async Task DeletingTheChannel_RemovesEveryUsersSettingsAndSubscriptions()
    {
        var p = await ProjectWithUsersAsync("u1", "u2");
        var pushId = await ChannelIdAsync(p, "push-two");
        var webPushId = await ChannelIdAsync(p, "web-push-two");
        foreach (var u in new[] { "u1", "u2" })
        {
            (await PutSettings(p, u, "push-two", """{"device_tokens": ["t"]}""")).AssertStatus(201);
            (await PutSettings(p, u, Push, """{"device_tokens": ["kept"]}""")).AssertStatus(201);
            (await Subscribe(p, u, "web-push-two", Subscription("s1"))).AssertStatus(201);
            (await Subscribe(p, u, WebPush, Subscription("kept"))).AssertStatus(201);
        }

        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/push-two")).AssertStatus(204);
        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/web-push-two")).AssertStatus(204);

        (await Admin(p, HttpMethod.Get, SettingsPath("u1", pushId))).AssertError(404, "not_found");
        Assert.Equal(0, await RowsOf("channel_settings", pushId));
        Assert.Equal(0, await RowsOf("channel_subscriptions", webPushId));
        // A new channel with the same handle starts empty; the other channels keep theirs.
        Assert.NotEqual(pushId, await ChannelIdAsync(p, "push-two"));
        (await GetSettings(p, "u1", "push-two")).AssertError(404, "not_found");
        Assert.Empty(await SubscriptionsOf(p, "u1", "web-push-two"));
        (await GetSettings(p, "u2", Push)).AssertStatus(200);
        Assert.Single(await SubscriptionsOf(p, "u2", WebPush));
    }

    private Task<long> RowsOf(string table, string channelId) =>
        Database.ReadAsync(s => s.ScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE channel_id = @id", new { id = Guid.Parse(channelId) }, Ct), Ct);
}

public sealed class SqliteUserChannelSettingsTests(SqliteFixture fixture) : UserChannelSettingsTests<SqliteFixture>(fixture);

public sealed class PostgresUserChannelSettingsTests(PostgresFixture fixture) : UserChannelSettingsTests<PostgresFixture>(fixture);
