using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using ProviderNames = Notiflows.Core.Channels.Providers;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers.Email;

/// <summary>
/// The <c>smtp</c> provider (§14.2) on MailKit: <c>security</c> <c>none</c> (plain), <c>starttls</c> (STARTTLS required)
/// or <c>tls</c> (implicit TLS); AUTH when a <c>username</c> is set. One connection per message. SMTP 4xx replies are
/// retryable and 5xx permanent (§12.9), both with the reply code; connection failures and timeouts are retryable. The
/// provider message id is the Message-Id we generate (<c>&lt;delivery id&gt;@&lt;sender domain&gt;</c>, the same on
/// every attempt, so a receiver can deduplicate a repeated send).
/// </summary>
public sealed class SmtpProvider(ProviderSettings settings, TimeProvider time) : IChannelProvider
{
    public string Provider => ProviderNames.Smtp;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (EmailContent.Read(message, out var error) is not { } content)
        {
            return ProviderReply.Permanent(error);
        }
        if (message.Config.Text("host") is not { } host)
        {
            return ProviderReply.Permanent("invalid configuration: host is missing");
        }
        var port = int.TryParse(message.Config.Text("port"), out var p) ? p : 587;
        var security = message.Config.Text("security") switch
        {
            "none" => SecureSocketOptions.None,
            "tls" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        var mime = Build(message, content);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout());
        using var client = new SmtpClient { Timeout = (int)settings.Timeout().TotalMilliseconds };
        if (settings.AllowInvalidCertificates(Provider))
        {
            client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        }
        try
        {
            await client.ConnectAsync(host, port, security, timeout.Token);
            if (message.Config.Text("username") is { } username)
            {
                await client.AuthenticateAsync(username, message.Config.Text("password") ?? "", timeout.Token);
            }
            await client.SendAsync(mime, timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
            return ProviderReply.Ok(250, mime.MessageId);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            return new ProviderReply(code is >= 400 and < 500 ? AttemptOutcome.Retryable : AttemptOutcome.Permanent, code, $"{code} {e.Message}");
        }
        catch (AuthenticationException e)
        {
            // MailKit raises this for a rejected AUTH (535): the credentials will not fix themselves.
            return ProviderReply.Permanent("authentication failed: " + e.Message);
        }
        catch (NotSupportedException e)
        {
            // The server does not offer what the configuration asks for (STARTTLS, AUTH).
            return ProviderReply.Permanent(e.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ProviderReply(AttemptOutcome.Retryable, null, "timed out");
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or SslHandshakeException
            or ServiceNotConnectedException or TimeoutException)
        {
            return new ProviderReply(AttemptOutcome.Retryable, null, e.Message);
        }
    }

    private MimeMessage Build(OutboundMessage message, EmailContent content)
    {
        var mime = new MimeMessage
        {
            Subject = content.Subject,
            Date = time.GetUtcNow(),
            MessageId = $"{message.DeliveryId:N}@{content.From.Email[(content.From.Email.LastIndexOf('@') + 1)..]}",
        };
        mime.From.Add(new MailboxAddress(content.From.Name, content.From.Email));
        mime.To.Add(new MailboxAddress(content.To.Name, content.To.Email));
        if (content.ReplyTo is { } replyTo)
        {
            mime.ReplyTo.Add(new MailboxAddress(replyTo.Name, replyTo.Email));
        }
        mime.Body = new BodyBuilder { TextBody = content.Text, HtmlBody = content.Html }.ToMessageBody();
        return mime;
    }
}
