using System.Text.Json;
using System.Text.Json.Nodes;
using Notiflows.Core.Common;
using Notiflows.Core.Users;

namespace Notiflows.Core.Tests.Users;

/// <summary>The settings object per channel type and provider (§14.3) and the web-push subscription body (§5.7).</summary>
public sealed class ChannelSettingsRulesTests
{
    private static (JsonObject? Blob, List<FieldError> Errors) Validate(string type, string provider, string? json, string path = "settings")
    {
        var errors = new List<FieldError>();
        var value = json is null ? Optional<JsonElement>.Absent : new Optional<JsonElement>(true, JsonDocument.Parse(json).RootElement);
        return (ChannelSettingsRules.Validate(type, provider, value, path, errors), errors);
    }

    [Theory]
    [InlineData("apns")]
    [InlineData("fcm")]
    [InlineData("sandbox")]
    public void Push_DedupsTokensInOrder_DropsUnknownKeys(string provider)
    {
        var (blob, errors) = Validate("mobile_push", provider, """{"device_tokens": ["b", "a", "b", "c", "a"], "badge": 3}""");

        Assert.Empty(errors);
        Assert.Equal("""{"device_tokens":["b","a","c"]}""", blob!.ToJsonString());
    }

    [Theory]
    [InlineData("email")]
    [InlineData("sms")]
    [InlineData("in_app")]
    [InlineData("webhook")]
    [InlineData("web_push")]
    public void TypesWithoutSettings_AreNotAllowed_EvenWhenAbsent(string type)
    {
        var (blob, errors) = Validate(type, "sandbox", null, "channel_settings.x");

        Assert.Null(blob);
        var error = Assert.Single(errors);
        Assert.Equal(("channel_settings.x", Reasons.NotAllowed), (error.Field, error.Reason));
    }

    [Fact]
    public void Errors_AreReportedUnderThePrefix()
    {
        var (_, errors) = Validate("chat", "msteams", """{"webhook_url": "http://x.example.com"}""", "channel_settings.teams");

        Assert.Equal(("channel_settings.teams.webhook_url", Reasons.Format), (errors[0].Field, errors[0].Reason));
    }

    [Fact]
    public void Slack_BadIdDoesNotAlsoReportTheMissingPair()
    {
        var (_, errors) = Validate("chat", "slack", """{"slack_user_id": "X1"}""");

        Assert.Equal(["settings.slack_user_id"], errors.Select(e => e.Field).ToList());
    }

    [Fact]
    public void ChatSandbox_KeepsTheObjectAsSent_LastDuplicateKeyWins()
    {
        var (blob, errors) = Validate("chat", "sandbox", """{"a": 1, "b": {"c": [true, null]}, "a": 2}""");

        Assert.Empty(errors);
        Assert.Equal("""{"a":2,"b":{"c":[true,null]}}""", blob!.ToJsonString());
    }

    [Fact]
    public void WebPush_Subscription_KeepsTheThreeKeys()
    {
        var errors = new List<FieldError>();
        var body = JsonDocument.Parse("""
            {"identifier": "https://push.example.com/x", "settings": {"endpoint": "https://push.example.com/x", "p256dh": "BAbc_-", "auth": "q1w2==", "x": 1}}
            """).RootElement;

        var input = WebPushRules.Parse(body, errors);

        Assert.Empty(errors);
        Assert.Equal("https://push.example.com/x", input!.Identifier);
        Assert.Equal(["auth", "endpoint", "p256dh"], input.Settings.Select(p => p.Key).Order(StringComparer.Ordinal).ToList());
    }
}
