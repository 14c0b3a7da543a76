using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;
using ProviderNames = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Providers.Email;

/// <summary>
/// The <c>ses</c> provider: Amazon SES v2 <c>POST https://email.{region}.amazonaws.com/v2/email/outbound-emails</c>
/// (SendEmail) with a Simple content (Subject, Body.Text, Body.Html; UTF-8), FromEmailAddress, Destination.ToAddresses,
/// ReplyToAddresses and ConfigurationSetName, signed with AWS Signature Version 4 (service <c>ses</c>) by
/// <see cref="SigV4"/> — no AWS SDK. The answer's <c>MessageId</c> is the message id.
/// Wire format: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
/// </summary>
public sealed class SesProvider(ProviderHttp http) : IChannelProvider
{
    public string Provider => ProviderNames.Ses;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (EmailContent.Read(message, out var error) is not { } content)
        {
            return ProviderReply.Permanent(error);
        }
        var config = message.Config;
        if ((config.Text("access_key_id"), config.Text("secret_access_key"), config.Text("region"))
            is not ({ } keyId, { } secret, { } region))
        {
            return ProviderReply.Permanent("invalid configuration: access_key_id, secret_access_key and region are required");
        }
        var payload = Body(content, config.Text("configuration_set")).ToJsonString();
        var url = new Uri($"{http.BaseUrl(Provider, $"https://email.{region}.amazonaws.com")}/v2/email/outbound-emails");
        var now = http.Time.GetUtcNow();
        var bytes = System.Text.Encoding.UTF8.GetBytes(payload);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = "application/json",
            ["host"] = url.Authority,
            ["x-amz-date"] = SigV4.AmzDate(now),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Amz-Date", headers["x-amz-date"]);
        request.Headers.TryAddWithoutValidation("Authorization",
            SigV4.Authorization("POST", url.AbsolutePath, headers, bytes, keyId, secret, region, "ses", now));
        var answer = await http.SendAsync(request, ct);
        return answer.Reply(answer.Json().Text("MessageId"));
    }

    private static JsonObject Body(EmailContent content, string? configurationSet)
    {
        var body = new JsonObject { ["Text"] = Utf8(content.Text) };
        if (content.Html is { } html)
        {
            body["Html"] = Utf8(html);
        }
        var json = new JsonObject
        {
            ["FromEmailAddress"] = content.From.ToString(),
            ["Destination"] = new JsonObject { ["ToAddresses"] = new JsonArray(content.To.ToString()) },
            ["Content"] = new JsonObject { ["Simple"] = new JsonObject { ["Subject"] = Utf8(content.Subject), ["Body"] = body } },
        };
        if (content.ReplyTo is { } replyTo)
        {
            json["ReplyToAddresses"] = new JsonArray(replyTo.ToString());
        }
        if (configurationSet is not null)
        {
            json["ConfigurationSetName"] = configurationSet;
        }
        return json;
    }

    private static JsonObject Utf8(string data) => new() { ["Data"] = data, ["Charset"] = "UTF-8" };
}
