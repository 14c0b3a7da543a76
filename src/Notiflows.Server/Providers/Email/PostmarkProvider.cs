using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;
using ProviderNames = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Providers.Email;

/// <summary>
/// The <c>postmark</c> provider: <c>POST https://api.postmarkapp.com/email</c> with <c>X-Postmark-Server-Token</c>,
/// <c>Accept: application/json</c> and the JSON body From, To, ReplyTo, Subject, HtmlBody, TextBody, MessageStream.
/// The answer's <c>MessageID</c> is the message id; Postmark answers 422 (permanent) for a rejected message.
/// Wire format: https://postmarkapp.com/developer/api/email-api#send-a-single-email
/// </summary>
public sealed class PostmarkProvider(ProviderHttp http) : IChannelProvider
{
    public string Provider => ProviderNames.Postmark;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (EmailContent.Read(message, out var error) is not { } content)
        {
            return ProviderReply.Permanent(error);
        }
        var body = new JsonObject
        {
            ["From"] = content.From.ToString(),
            ["To"] = content.To.ToString(),
            ["Subject"] = content.Subject,
            ["TextBody"] = content.Text,
            ["MessageStream"] = message.Config.Text("message_stream") ?? "outbound",
        };
        if (content.Html is { } html)
        {
            body["HtmlBody"] = html;
        }
        if (content.ReplyTo is { } replyTo)
        {
            body["ReplyTo"] = replyTo.ToString();
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{http.BaseUrl(Provider, "https://api.postmarkapp.com")}/email")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Add("Accept", "application/json");
        request.Headers.Add("X-Postmark-Server-Token", message.Config.Text("server_token"));
        var answer = await http.SendAsync(request, ct);
        return answer.Reply(answer.Json().Text("MessageID"));
    }
}
