namespace Notiflows.Server.Tests.Api.Admin.ChannelSettings;

/// <summary>Bad inputs of the channel settings and channel subscription endpoints, shared by the Admin and the User API tests.</summary>
public static class ChannelSettingsCases
{
    public const string Push = "mobile-push-sandbox";
    public const string WebPush = "web-push-sandbox";
    public const string Chat = "chat-sandbox";

    /// <summary>Channel handle, <c>PUT …/settings</c> body, field, reason (§14.3).</summary>
    public static TheoryData<string, string, string, string> BadSettings => new()
    {
        { Push, "{}", "settings", "required" },
        { Push, """{"settings": null}""", "settings", "required" },
        { Push, """{"settings": []}""", "settings", "invalid" },
        { Push, """{"settings": "t1"}""", "settings", "invalid" },
        { Push, """{"settings": {}}""", "settings.device_tokens", "required" },
        { Push, """{"settings": {"device_tokens": null}}""", "settings.device_tokens", "required" },
        { Push, """{"settings": {"device_tokens": "t1"}}""", "settings.device_tokens", "invalid" },
        { Push, """{"settings": {"device_tokens": []}}""", "settings.device_tokens", "too_short" },
        { Push, """{"settings": {"device_tokens": ["t1", 5]}}""", "settings.device_tokens[1]", "invalid" },
        { Push, """{"settings": {"device_tokens": ["t1", " "]}}""", "settings.device_tokens[1]", "too_short" },
        { Push, """{"settings": {"device_tokens": ["", "t1"]}}""", "settings.device_tokens[0]", "too_short" },
        { "slack", """{"settings": {}}""", "settings", "required" },
        { "slack", """{"settings": {"slack_user_id": null, "slack_channel_id": null}}""", "settings", "required" },
        { "slack", """{"settings": {"slack_user_id": "C123"}}""", "settings.slack_user_id", "format" },
        { "slack", """{"settings": {"slack_user_id": "u123"}}""", "settings.slack_user_id", "format" },
        { "slack", """{"settings": {"slack_channel_id": "U123"}}""", "settings.slack_channel_id", "format" },
        { "slack", """{"settings": {"slack_channel_id": 7}}""", "settings.slack_channel_id", "invalid" },
        { "slack", """{"settings": {"slack_user_id": ""}}""", "settings.slack_user_id", "too_short" },
        { "discord", """{"settings": {"other": 1}}""", "settings", "required" },
        { "discord", """{"settings": {"webhook_url": "http://discord.com/api/webhooks/1"}}""", "settings.webhook_url", "format" },
        { "discord", """{"settings": {"webhook_url": "not a url"}}""", "settings.webhook_url", "format" },
        { "discord", """{"settings": {"discord_channel_id": ""}}""", "settings.discord_channel_id", "too_short" },
        { "discord", """{"settings": {"discord_channel_id": 1}}""", "settings.discord_channel_id", "invalid" },
        { "teams", """{"settings": {}}""", "settings.webhook_url", "required" },
        { "teams", """{"settings": {"webhook_url": "ftp://x.example.com"}}""", "settings.webhook_url", "format" },
        { Chat, """{"settings": {}}""", "settings", "required" },
        { Chat, """{"settings": [1]}""", "settings", "invalid" },
        { "email-sandbox", """{"settings": {"x": 1}}""", "settings", "not_allowed" },
        { "email-sandbox", "{}", "settings", "not_allowed" },
        { "sms-sandbox", """{"settings": {"x": 1}}""", "settings", "not_allowed" },
        { "in-app", """{"settings": {"x": 1}}""", "settings", "not_allowed" },
        { "webhook-sandbox", """{"settings": {"x": 1}}""", "settings", "not_allowed" },
        { WebPush, """{"settings": {"endpoint": "https://push.example.com"}}""", "settings", "not_allowed" },
    };

    /// <summary>A subscription <c>POST</c> body, field, reason (§5.7).</summary>
    public static TheoryData<string, string, string> BadPosts => new()
    {
        { "{}", "identifier", "required" },
        { """{"identifier": null, "settings": {}}""", "identifier", "required" },
        { """{"identifier": "", "settings": {}}""", "identifier", "too_short" },
        { """{"identifier": 5}""", "identifier", "invalid" },
        { $$"""{"identifier": "{{new string('x', 2049)}}"}""", "identifier", "too_long" },
        { """{"identifier": "a"}""", "settings", "required" },
        { """{"identifier": "a", "settings": null}""", "settings", "required" },
        { """{"identifier": "a", "settings": "x"}""", "settings", "invalid" },
        { """{"identifier": "a", "settings": {}}""", "settings.endpoint", "required" },
        { """{"identifier": "a", "settings": {}}""", "settings.p256dh", "required" },
        { """{"identifier": "a", "settings": {}}""", "settings.auth", "required" },
        { """{"identifier": "a", "settings": {"endpoint": "http://push.example.com"}}""", "settings.endpoint", "format" },
        { """{"identifier": "a", "settings": {"endpoint": "push.example.com"}}""", "settings.endpoint", "format" },
        { """{"identifier": "a", "settings": {"endpoint": 1}}""", "settings.endpoint", "invalid" },
        { """{"identifier": "a", "settings": {"p256dh": "not+base64/url"}}""", "settings.p256dh", "format" },
        { """{"identifier": "a", "settings": {"auth": "a b"}}""", "settings.auth", "format" },
        { """{"identifier": "a", "settings": {"auth": ""}}""", "settings.auth", "too_short" },
    };

    /// <summary>A subscription <c>DELETE</c> body and the reason on <c>identifier</c>.</summary>
    public static TheoryData<string, string> BadIdentifiers => new()
    {
        { "{}", "required" },
        { """{"identifier": null}""", "required" },
        { """{"identifier": ""}""", "too_short" },
        { """{"identifier": ["a"]}""", "invalid" },
    };
}
