using Notiflows.Core.Channels;

namespace Notiflows.Core.Tests.Channels;

public sealed class ProviderCatalogTests
{
    [Fact]
    public void ChannelTypes_All_IsTheSevenInSpecOrder() =>
        Assert.Equal(["email", "sms", "in_app", "mobile_push", "web_push", "chat", "webhook"], ChannelTypes.All);

    [Fact]
    public void ChannelTypes_UserFacing_IsAllButWebhook() =>
        Assert.Equal(ChannelTypes.All.Where(t => t != "webhook"), ChannelTypes.UserFacing);

    [Theory]
    [InlineData("email", true)]
    [InlineData("in_app", true)]
    [InlineData("Email", false)]
    [InlineData("in-app", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void ChannelTypes_IsValid(string? type, bool expected) => Assert.Equal(expected, ChannelTypes.IsValid(type));

    [Fact]
    public void BuiltInChannels_AreTheSpecTable()
    {
        Assert.Equal(
            [
                ("in-app", "In-app", "in_app", "in_app"),
                ("email-sandbox", "Email (sandbox)", "email", "sandbox"),
                ("sms-sandbox", "SMS (sandbox)", "sms", "sandbox"),
                ("mobile-push-sandbox", "Mobile push (sandbox)", "mobile_push", "sandbox"),
                ("web-push-sandbox", "Web push (sandbox)", "web_push", "sandbox"),
                ("chat-sandbox", "Chat (sandbox)", "chat", "sandbox"),
                ("webhook-sandbox", "Webhook (sandbox)", "webhook", "sandbox"),
            ],
            BuiltInChannels.All.Select(c => (c.Handle, c.Name, c.Type, c.Provider)));
    }

    [Fact]
    public void BuiltInChannels_EachCreatesWithEmptyConfig()
    {
        foreach (var channel in BuiltInChannels.All)
        {
            var result = ChannelConfigMerger.Merge(channel.Type, channel.Provider, null, default, providerChanged: false);
            Assert.True(result.IsValid, channel.Handle);
        }
    }

    [Theory]
    [InlineData("email", "smtp,sendgrid,ses,resend,mailgun,postmark,sandbox")]
    [InlineData("sms", "twilio,sandbox")]
    [InlineData("in_app", "in_app")]
    [InlineData("mobile_push", "apns,fcm,sandbox")]
    [InlineData("web_push", "webpush,sandbox")]
    [InlineData("chat", "slack,discord,msteams,sandbox")]
    [InlineData("webhook", "http,sandbox")]
    [InlineData("fax", "")]
    public void ProvidersFor_ListsSpecProviders(string type, string expected) =>
        Assert.Equal(expected, string.Join(",", ProviderCatalog.ProvidersFor(type)));

    [Theory]
    [InlineData("email", "smtp", true)]
    [InlineData("webhook", "sandbox", true)]
    [InlineData("in_app", "in_app", true)]
    [InlineData("in_app", "sandbox", false)]
    [InlineData("sms", "smtp", false)]
    [InlineData("chat", "webpush", false)]
    [InlineData("email", "", false)]
    public void IsValidFor(string type, string provider, bool expected) =>
        Assert.Equal(expected, ProviderCatalog.IsValidFor(type, provider));

    [Theory]
    [InlineData("smtp", "password", true)]
    [InlineData("smtp", "username", false)]
    [InlineData("smtp", "host", false)]
    [InlineData("sendgrid", "api_key", true)]
    [InlineData("sendgrid", "event_webhook_public_key", false)]
    [InlineData("ses", "secret_access_key", true)]
    [InlineData("ses", "access_key_id", false)]
    [InlineData("resend", "webhook_secret", true)]
    [InlineData("mailgun", "webhook_signing_key", true)]
    [InlineData("postmark", "server_token", true)]
    [InlineData("postmark", "webhook_password", true)]
    [InlineData("postmark", "webhook_username", false)]
    [InlineData("twilio", "auth_token", true)]
    [InlineData("twilio", "account_sid", false)]
    [InlineData("apns", "key", true)]
    [InlineData("apns", "certificate", true)]
    [InlineData("apns", "certificate_password", true)]
    [InlineData("apns", "key_id", false)]
    [InlineData("fcm", "service_account_json", true)]
    [InlineData("fcm", "project_id", false)]
    [InlineData("webpush", "vapid_private_key", true)]
    [InlineData("webpush", "vapid_public_key", false)]
    [InlineData("slack", "bot_token", true)]
    [InlineData("discord", "bot_token", true)]
    [InlineData("http", "headers", true)]
    [InlineData("http", "signing_secret", true)]
    [InlineData("http", "url", false)]
    [InlineData("sandbox", "outcome", false)]
    [InlineData("smtp", "unknown", false)]
    [InlineData("nope", "password", false)]
    public void IsSecret_FollowsDaggerMarks(string provider, string field, bool expected) =>
        Assert.Equal(expected, ProviderCatalog.IsSecret(provider, field));

    [Fact]
    public void FieldsFor_ListsFieldsInSpecOrder() =>
        Assert.Equal(["url", "headers", "signing_secret", "timeout_seconds"], ProviderCatalog.FieldsFor("webhook", "http"));
}
