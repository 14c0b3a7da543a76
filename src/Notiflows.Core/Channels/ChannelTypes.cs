namespace Notiflows.Core.Channels;

/// <summary>The channel types of §5.5.</summary>
public static class ChannelTypes
{
    public const string Email = "email";
    public const string Sms = "sms";
    public const string InApp = "in_app";
    public const string MobilePush = "mobile_push";
    public const string WebPush = "web_push";
    public const string Chat = "chat";
    public const string Webhook = "webhook";

    /// <summary>The seven types, in spec order.</summary>
    public static IReadOnlyList<string> All { get; } = [Email, Sms, InApp, MobilePush, WebPush, Chat, Webhook];

    /// <summary>The types that reach a person (everything but <see cref="Webhook"/>).</summary>
    public static IReadOnlyList<string> UserFacing { get; } = [Email, Sms, InApp, MobilePush, WebPush, Chat];

    public static bool IsValid(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);
}
