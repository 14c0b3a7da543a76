namespace Notiflows.Core.Definitions;

/// <summary>The seven channel types.</summary>
public static class ChannelTypes
{
    public const string Email = "email";
    public const string Sms = "sms";
    public const string InApp = "in_app";
    public const string Chat = "chat";
    public const string WebPush = "web_push";
    public const string MobilePush = "mobile_push";
    public const string Webhook = "webhook";

    public static readonly IReadOnlySet<string> All =
        new HashSet<string>(StringComparer.Ordinal) { Email, Sms, InApp, Chat, WebPush, MobilePush, Webhook };
}
