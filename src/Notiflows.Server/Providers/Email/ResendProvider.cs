using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;
using ProviderNames = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Providers.Email;

/// <summary>
/// The <c>resend</c> provider: <c>POST https://api.resend.com/emails</c> with <c>Authorization: Bearer &lt;api_key&gt;</c>
/// and the JSON body from, to[], reply_to, subject, html, text. The answer's <c>id</c> is the message id. The delivery id
/// goes in <c>Idempotency-Key</c>, so an attempt repeated after a crash or a lost answer is not sent twice (Resend keeps
/// keys 24 hours). Wire format: https://resend.com/docs/api-reference/emails/send-email,
/// https://resend.com/docs/dashboard/emails/idempotency-keys
/// </summary>
public sealed class ResendProvider(ProviderHttp http) : IChannelProvider
{
    public string Provider => ProviderNames.Resend;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (EmailContent.Read(message, out var error) is not { } content)
        {
            return ProviderReply.Permanent(error);
        }
        var body = new JsonObject
        {
            ["from"] = content.From.ToString(),
            ["to"] = new JsonArray(content.To.ToString()),
            ["subject"] = content.Subject,
            ["text"] = content.Text,
        };
        if (content.Html is { } html)
        {
            body["html"] = html;
        }
        if (content.ReplyTo is { } replyTo)
        {
            body["reply_to"] = replyTo.ToString();
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{http.BaseUrl(Provider, "https://api.resend.com")}/emails")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", message.Config.Text("api_key"));
        request.Headers.Add("Idempotency-Key", message.DeliveryId.ToString());
        var answer = await http.SendAsync(request, ct);
        return answer.Reply(answer.Json().Text("id"));
    }
}
