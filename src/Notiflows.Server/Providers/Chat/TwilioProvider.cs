using System.Net.Http.Headers;
using System.Text;
using Notiflows.Core.Delivery;
using static Notiflows.Server.Providers.Chat.ChatHttp;

namespace Notiflows.Server.Providers.Chat;

/// <summary>
/// The <c>twilio</c> sms provider: <c>POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json</c>,
/// form-encoded <c>To</c>, <c>From</c> or <c>MessagingServiceSid</c>, <c>Body</c>, with HTTP basic auth
/// AccountSid:AuthToken (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
/// 201 returns the message whose <c>sid</c> is the provider message id; errors are <c>{code, message, more_info,
/// status}</c>: invalid or unreachable numbers (21211, 21614, 21610, …) come as 400 and are permanent, 429 and 5xx retryable.
/// </summary>
internal sealed class TwilioProvider(ChatHttp http) : IChannelProvider
{
    private const string Endpoint = "https://api.twilio.com";

    public string Provider => Core.Channels.Providers.Twilio;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (message.Address is null)
        {
            return Permanent("the recipient has no phone number");
        }

        var sid = Str(message.Config, "account_sid") ?? "";
        var form = new List<KeyValuePair<string, string>> { new("To", message.Address) };
        form.Add(Str(message.Config, "messaging_service_sid") is { } service
            ? new("MessagingServiceSid", service)
            : new("From", Str(message.Config, "from") ?? ""));
        form.Add(new("Body", Str(message.Data, "body") ?? ""));
        var url = $"{http.BaseUrl(Provider, Endpoint)}/2010-04-01/Accounts/{Uri.EscapeDataString(sid)}/Messages.json";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sid}:{Str(message.Config, "auth_token")}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        var answer = await http.SendAsync(request, http.Timeout(), ct);
        var json = answer.Json();
        var error = json?["code"] is not null ? $"twilio {json["code"]}: {Str(json, "message")}" : null;
        return answer.Reply(Str(json, "sid"), error);
    }
}
