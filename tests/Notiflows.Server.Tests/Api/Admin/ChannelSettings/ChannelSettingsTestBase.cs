using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Api.User;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin.ChannelSettings;

/// <summary>Helpers for the channel settings and channel subscription tests (§6.3).</summary>
public abstract class ChannelSettingsTestBase<TFixture>(TFixture fixture) : UserApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    /// <summary>Channels the tests create on demand, by handle; every other handle is a built-in channel (§14.1).</summary>
    private static readonly Dictionary<string, string> Extra = new(StringComparer.Ordinal)
    {
        ["slack"] = """{"name": "Slack", "type": "chat", "provider": "slack", "config": {"bot_token": "xoxb-1234567890-abcdef"}}""",
        ["discord"] = """{"name": "Discord", "type": "chat", "provider": "discord"}""",
        ["teams"] = """{"name": "Teams", "type": "chat", "provider": "msteams"}""",
        ["push-two"] = """{"name": "Push two", "type": "mobile_push", "provider": "sandbox"}""",
        ["chat-two"] = """{"name": "Chat two", "type": "chat", "provider": "sandbox"}""",
        ["web-push-two"] = """{"name": "Web push two", "type": "web_push", "provider": "sandbox"}""",
    };

    protected const string Push = ChannelSettingsCases.Push;
    protected const string WebPush = ChannelSettingsCases.WebPush;
    protected const string Chat = ChannelSettingsCases.Chat;

    /// <summary>A project with the given users (created through the Admin API).</summary>
    protected async Task<TestProject> ProjectWithUsersAsync(params string[] users)
    {
        var p = await NewProjectAsync();
        foreach (var u in users)
        {
            (await Admin(p, HttpMethod.Put, $"/admin/v1/users/{u}", "{}")).AssertStatus(201);
        }
        return p;
    }

    /// <summary>The id of channel <paramref name="handle"/>, creating it first when it is one of the test's extra channels.</summary>
    protected async Task<string> ChannelIdAsync(TestProject p, string handle)
    {
        var found = await Mgmt(HttpMethod.Get, $"{p.Base}/channels/{handle}");
        if (found.Status == 404 && Extra.TryGetValue(handle, out var body))
        {
            return (string)(await Mgmt(HttpMethod.Put, $"{p.Base}/channels/{handle}", body)).AssertStatus(201).Body["id"]!;
        }
        return (string)found.AssertStatus(200).Body["id"]!;
    }

    protected static string SettingsPath(string user, string channelId) => $"/admin/v1/users/{user}/channel-settings/{channelId}";

    protected static string SubscriptionsPath(string user, string channelId) => $"/admin/v1/users/{user}/channel-subscriptions/{channelId}";

    protected async Task<ApiResponse> PutSettings(TestProject p, string user, string handle, string settingsJson) =>
        await Admin(p, HttpMethod.Put, SettingsPath(user, await ChannelIdAsync(p, handle)), $$"""{"settings": {{settingsJson}}}""");

    protected async Task<ApiResponse> GetSettings(TestProject p, string user, string handle) =>
        await Admin(p, HttpMethod.Get, SettingsPath(user, await ChannelIdAsync(p, handle)));

    protected const string P256dh = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";

    protected static string Subscription(string identifier, string endpoint = "https://push.example.com/send/abc") =>
        $$$"""{"identifier": "{{{identifier}}}", "settings": {"endpoint": "{{{endpoint}}}", "p256dh": "{{{P256dh}}}", "auth": "tBHItJI5svbpez7KI4CCXg"}}""";

    protected async Task<ApiResponse> Subscribe(TestProject p, string user, string handle, string body) =>
        await Admin(p, HttpMethod.Post, SubscriptionsPath(user, await ChannelIdAsync(p, handle)), body);

    protected async Task<List<JsonObject>> SubscriptionsOf(TestProject p, string user, string handle) =>
        (await Admin(p, HttpMethod.Get, SubscriptionsPath(user, await ChannelIdAsync(p, handle)))).AssertStatus(200).Body["items"]!.AsArray()
        .Select(i => i!.AsObject()).ToList();

    protected static List<string> Keys(JsonObject o) => o.Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
}
