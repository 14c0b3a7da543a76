namespace Notiflows.Core.Channels;

/// <summary>The §14.1 table: one built-in channel per type, in <see cref="ChannelTypes.All"/> order.</summary>
public static class BuiltInChannels
{
    public static IReadOnlyList<BuiltInChannel> All { get; } =
    [
        new("in-app", "In-app", ChannelTypes.InApp, Providers.InApp),
        new("email-sandbox", "Email (sandbox)", ChannelTypes.Email, Providers.Sandbox),
        new("sms-sandbox", "SMS (sandbox)", ChannelTypes.Sms, Providers.Sandbox),
        new("mobile-push-sandbox", "Mobile push (sandbox)", ChannelTypes.MobilePush, Providers.Sandbox),
        new("web-push-sandbox", "Web push (sandbox)", ChannelTypes.WebPush, Providers.Sandbox),
        new("chat-sandbox", "Chat (sandbox)", ChannelTypes.Chat, Providers.Sandbox),
        new("webhook-sandbox", "Webhook (sandbox)", ChannelTypes.Webhook, Providers.Sandbox),
    ];
}
