using Notiflows.Core.Delivery;
using ProviderNames = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Providers.Email;

/// <summary>
/// The <c>mailgun</c> provider: <c>POST https://api.mailgun.net/v3/{domain}/messages</c> (region <c>eu</c>:
/// <c>api.eu.mailgun.net</c>) with HTTP basic auth <c>api:&lt;api_key&gt;</c> and a multipart/form-data body from, to,
/// subject, text, html, <c>h:Reply-To</c>. The answer's <c>id</c> (<c>&lt;…@domain&gt;</c>) is the message id.
/// Wire format: https://documentation.mailgun.com/docs/mailgun/api-reference/openapi-final/tag/Messages/
/// </summary>
public sealed class MailgunProvider(ProviderHttp http) : IChannelProvider
{
    public string Provider => ProviderNames.Mailgun;

    /// <summary>The documented API host of a region.</summary>
    public static string DocumentedBaseUrl(string? region) => region == "eu" ? "https://api.eu.mailgun.net" : "https://api.mailgun.net";

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (EmailContent.Read(message, out var error) is not { } content)
        {
            return ProviderReply.Permanent(error);
        }
        if (message.Config.Text("domain") is not { } domain)
        {
            return ProviderReply.Permanent("invalid configuration: domain is missing");
        }
        var form = new MultipartFormDataContent
        {
            { new StringContent(content.From.ToString()), "from" },
            { new StringContent(content.To.ToString()), "to" },
            { new StringContent(content.Subject), "subject" },
            { new StringContent(content.Text), "text" },
        };
        if (content.Html is { } html)
        {
            form.Add(new StringContent(html), "html");
        }
        if (content.ReplyTo is { } replyTo)
        {
            form.Add(new StringContent(replyTo.ToString()), "h:Reply-To");
        }
        var baseUrl = http.BaseUrl(Provider, DocumentedBaseUrl(message.Config.Text("region")));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/v3/{Uri.EscapeDataString(domain)}/messages")
        {
            Content = form,
        };
        request.Headers.Authorization = ProviderHttp.Basic("api", message.Config.Text("api_key"));
        var answer = await http.SendAsync(request, ct);
        return answer.Reply(answer.Json().Text("id"));
    }
}
