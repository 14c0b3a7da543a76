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
        error = (config.Text("from_email"), message.Address) switch
        {
            (null, _) => "invalid configuration: from_email is missing",
            (_, null) => "no recipient address",
            _ => null,
        };
        if (error is not null)
        {
            return null;
        }
        var body = message.Data.Text("body") ?? "";
        var html = message.Data.Text("content_type") is "html" or "visual";
        var name = string.Join(' ', new[] { message.Recipient.Text("first_name"), message.Recipient.Text("last_name") }.OfType<string>());
        return new EmailContent(
            new EmailAddress(config.Text("from_email")!, config.Text("from_name")),
            config.Text("reply_to") is { } replyTo ? new EmailAddress(replyTo, null) : null,
            new EmailAddress(message.Address!, name.Length > 0 ? name : null),
            message.Data.Text("subject") ?? "",
            html ? body : null,
            html ? HtmlToText.Convert(body) : body);
    }
}
