using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers.Email;

/// <summary>An address with an optional display name.</summary>
public sealed record EmailAddress(string Email, string? Name)
{
    /// <summary>RFC 5322 form for APIs that take one string: <c>"Name" &lt;email&gt;</c>, or the bare address.</summary>
    public override string ToString() => Name is null ? Email : new MimeKit.MailboxAddress(Name, Email).ToString(true);
}

/// <summary>
/// What every email provider sends, taken from one <see cref="OutboundMessage"/>: the sender fields of the channel config
/// (§14.2), the recipient (<c>Address</c>, named after the recipient's first and last name), and the rendered
/// <c>{subject, body, content_type}</c> (§11.4). Html content (<c>visual</c>, <c>html</c>) carries a plain-text
/// alternative derived from the HTML; plaintext content has no HTML part.
/// </summary>
public sealed record EmailContent(EmailAddress From, EmailAddress? ReplyTo, EmailAddress To, string Subject, string? Html, string Text)
{
    /// <summary>The content, or null with <paramref name="error"/> when the configuration or address is unusable.</summary>
    public static EmailContent? Read(OutboundMessage message, out string? error)
    {
        var config = message.Config;
        error = (Str(config, "from_email"), message.Address) switch
        {
            (null, _) => "invalid configuration: from_email is missing",
            (_, null) => "no recipient address",
            _ => null,
        };
        if (error is not null)
        {
            return null;
        }
        var body = Str(message.Data, "body") ?? "";
        var html = Str(message.Data, "content_type") is "html" or "visual";
        var name = string.Join(' ', new[] { Str(message.Recipient, "first_name"), Str(message.Recipient, "last_name") }.OfType<string>());
        return new EmailContent(
            new EmailAddress(Str(config, "from_email")!, Str(config, "from_name")),
            Str(config, "reply_to") is { } replyTo ? new EmailAddress(replyTo, null) : null,
            new EmailAddress(message.Address!, name.Length > 0 ? name : null),
            Str(message.Data, "subject") ?? "",
            html ? body : null,
            html ? HtmlToText.Convert(body) : body);
    }

    /// <summary>A config or data value as text (numbers and booleans as their JSON text); null when absent or blank.</summary>
    public static string? Str(JsonObject? obj, string key) => obj?[key] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => string.IsNullOrWhiteSpace(s) ? null : s,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };
}
