using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;
using ProviderNames = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Providers.Email;

/// <summary>
/// The <c>sendgrid</c> provider: <c>POST https://api.sendgrid.com/v3/mail/send</c> with <c>Authorization: Bearer
/// &lt;api_key&gt;</c> and the v3 JSON body (personalizations[].to, from, reply_to, subject, content with text/plain
/// before text/html as SendGrid requires). Accepted is 202; the message id is the <c>X-Message-Id</c> header.
/// Wire format: https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send
/// </summary>
public sealed class SendGridProvider(ProviderHttp http) : IChannelProvider
{
    public string Provider => ProviderNames.SendGrid;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (EmailContent.Read(message, out var error) is not { } content)
        {
            return ProviderReply.Permanent(error);
        }
        var body = new JsonObject
        {
            ["personalizations"] = new JsonArray(new JsonObject { ["to"] = new JsonArray(Address(content.To)) }),
            ["from"] = Address(content.From),
            ["subject"] = content.Subject,
            ["content"] = Parts(content),
        };
        if (content.ReplyTo is { } replyTo)
        {
            body["reply_to"] = Address(replyTo);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{http.BaseUrl(Provider, "https://api.sendgrid.com")}/v3/mail/send")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", message.Config.Text("api_key"));
        var answer = await http.SendAsync(request, ct);
        return answer.Reply(answer.Header("X-Message-Id"));
    }

    private static JsonObject Address(EmailAddress address)
    {
        var json = new JsonObject { ["email"] = address.Email };
        if (address.Name is { } name)
        {
            json["name"] = name;
        }
        return json;
    }

    private static JsonArray Parts(EmailContent content)
    {
        var parts = new JsonArray(new JsonObject { ["type"] = "text/plain", ["value"] = content.Text });
        if (content.Html is { } html)
        {
            parts.Add(new JsonObject { ["type"] = "text/html", ["value"] = html });
        }
        return parts;
    }
}
