using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers.Chat;

/// <summary>
/// The <c>twilio</c> sms provider: <c>POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json</c>,
/// form-encoded <c>To</c>, <c>From</c> or <c>MessagingServiceSid</c>, <c>Body</c>, with HTTP basic auth
/// AccountSid:AuthToken (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
/// 201 returns the message whose <c>sid</c> is the provider message id; errors are <c>{code, message, more_info,
/// status}</c>: invalid or unreachable numbers (21211, 21614, 21610, …) come as 400 and are permanent, 429 and 5xx retryable.
/// </summary>
internal sealed class TwilioProvider(ProviderHttp http) : IChannelProvider
{
    private const string Endpoint = "https://api.twilio.com";

    public string Provider => Core.Channels.Providers.Twilio;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (message.Address is null)
        {
            return ProviderReply.Permanent("the recipient has no phone number");
        }

        var sid = message.Config.Text("account_sid") ?? "";
        var form = new List<KeyValuePair<string, string>> { new("To", message.Address) };
        form.Add(message.Config.Text("messaging_service_sid") is { } service
            ? new("MessagingServiceSid", service)
            : new("From", message.Config.Text("from") ?? ""));
        form.Add(new("Body", message.Data.Text("body") ?? ""));
        var url = $"{http.BaseUrl(Provider, Endpoint)}/2010-04-01/Accounts/{Uri.EscapeDataString(sid)}/Messages.json";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = ProviderHttp.Basic(sid, message.Config.Text("auth_token"));
        var answer = await http.SendAsync(request, ct);
        var json = answer.Json();
        var error = json?["code"] is not null ? $"twilio {json["code"]}: {json.Text("message")}" : null;
        return answer.Reply(json.Text("sid"), error);
    }
}
