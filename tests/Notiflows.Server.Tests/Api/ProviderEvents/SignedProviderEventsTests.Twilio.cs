using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Tests.Api.ProviderEvents;

public abstract partial class SignedProviderEventsTests<TFixture>
{
    private const string TwilioToken = "tw-auth-token-0123456789abcdef";
    private const string TwilioConfig = $$"""{"account_sid": "AC0123456789abcdef", "auth_token": "{{TwilioToken}}", "from": "+15550001111"}""";

    // ---- Twilio ---------------------------------------------------------------------------------------------------------

    private static (string Body, Dictionary<string, string> Headers) TwilioCallback(
        string url, string status, string? errorCode = null, string token = TwilioToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("SmsSid", "SM0123456789abcdef0123456789abcdef"), new("SmsStatus", status), new("MessageStatus", status),
            new("To", "+15557654321"), new("MessageSid", "SM0123456789abcdef0123456789abcdef"), new("AccountSid", "AC0123456789abcdef"),
            new("From", "+15550001111"), new("ApiVersion", "2010-04-01"),
        };
        if (errorCode is not null)
        {
            form.Add(new("ErrorCode", errorCode));
        }
        var body = new FormUrlEncodedContent(form).ReadAsStringAsync().GetAwaiter().GetResult();
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(data.ToString())));
        return (body, new Dictionary<string, string> { ["X-Twilio-Signature"] = signature });
    }

    private async Task<(Infrastructure.TestProject, string, JsonObject)> TwilioSentAsync()
    {
        var p = await NewProjectAsync();
        var channelId = await ChannelAsync(p, "twilio", TwilioConfig);
        return (p, channelId, await SentAsync(p, "twilio", "SM0123456789abcdef0123456789abcdef"));
    }

    private const string Form = "application/x-www-form-urlencoded";

    [Fact]
    public async Task Twilio_Delivered_SignedOverThePublicUrl_SentBecomesDelivered()
    {
        var (p, channelId, d) = await TwilioSentAsync();
        var (body, headers) = TwilioCallback(PublicEventsUrl(channelId), "delivered");

        AssertAccepted(await PostEventsAsync(channelId, body, headers, Form));

        Assert.Equal("delivered", (string?)(await DeliveryAsync(p, d))["status"]);
    }

    [Theory]
    [InlineData("undelivered", "30003", "twilio 30003: undelivered")]
    [InlineData("failed", "30008", "twilio 30008: failed")]
    [InlineData("failed", null, "twilio: failed")]
    public async Task Twilio_UndeliveredOrFailed_Bounced_WithErrorCode(string status, string? errorCode, string error)
    {
        var (p, channelId, d) = await TwilioSentAsync();
        var (body, headers) = TwilioCallback(PublicEventsUrl(channelId), status, errorCode);

        AssertAccepted(await PostEventsAsync(channelId, body, headers, Form));

        var after = await DeliveryAsync(p, d);
        Assert.Equal("bounced", (string?)after["status"]);
        Assert.Equal(error, (string?)after["error"]);
    }

    [Theory]
    [InlineData("sent")]
    [InlineData("queued")]
    [InlineData("read")]
    public async Task Twilio_OtherStatuses_200_Ignored(string status)
    {
        var (p, channelId, d) = await TwilioSentAsync();
        var (body, headers) = TwilioCallback(PublicEventsUrl(channelId), status);

        AssertAccepted(await PostEventsAsync(channelId, body, headers, Form));

        await AssertUnchangedAsync(p, d);
    }

    [Theory]
    [InlineData("wrong-token")]
    [InlineData("internal-url")]
    [InlineData("tampered-body")]
    [InlineData("missing")]
    public async Task Twilio_BadOrMissingSignature_401(string variant)
    {
        var (p, channelId, d) = await TwilioSentAsync();
        // "internal-url": signed over the URL the server sees, not the public one the provider was given.
        var url = variant == "internal-url" ? "http://localhost" + EventsPath(channelId) : PublicEventsUrl(channelId);
        var (body, headers) = TwilioCallback(url, "delivered", token: variant == "wrong-token" ? "other-token" : TwilioToken);
        if (variant == "tampered-body")
        {
            body = body.Replace("delivered", "undelivered", StringComparison.Ordinal);
        }

        AssertRejected(await PostEventsAsync(channelId, body, variant == "missing" ? null : headers, Form));

        await AssertUnchangedAsync(p, d);
    }
}
