using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Tests.Api.ProviderEvents;

/// <summary>
/// The signed providers on the endpoint (§14.4): Mailgun (HMAC in the body), Resend (Svix headers) and Twilio
/// (<c>X-Twilio-Signature</c> over the public URL and form). Each request is signed here the way the provider documents it.
/// </summary>
public abstract class SignedProviderEventsTests<TFixture>(TFixture fixture) : ProviderEventsTestBase<TFixture>(fixture)
    where TFixture : ProviderEventsFixture
{
    private const string MailgunKey = "key-7e55f4c3a1b2d9e8f0a1b2c3d4e5f6a7";
    private const string MailgunConfig = $$"""{"api_key": "mg-key", "domain": "mg.example.com", "from_email": "ops@mg.example.com", "webhook_signing_key": "{{MailgunKey}}"}""";
    private static readonly byte[] ResendKey = [.. Enumerable.Range(1, 24).Select(i => (byte)(i * 7))];
    private static readonly string ResendSecret = "whsec_" + Convert.ToBase64String(ResendKey);
    private static readonly string ResendConfig = $$"""{"api_key": "re_key", "from_email": "ops@example.com", "webhook_secret": "{{ResendSecret}}"}""";
    private const string TwilioToken = "tw-auth-token-0123456789abcdef";
    private const string TwilioConfig = $$"""{"account_sid": "AC0123456789abcdef", "auth_token": "{{TwilioToken}}", "from": "+15550001111"}""";

    // ---- Mailgun --------------------------------------------------------------------------------------------------------

    private static string MailgunBody(string key, JsonObject eventData, string? signature = null)
    {
        const string token = "e0b5477167110d68991efc6b9f89f0a11066af27834600e123";
        const string timestamp = "1768473000";
        signature ??= Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(timestamp + token)));
        return new JsonObject
        {
            ["signature"] = new JsonObject { ["token"] = token, ["timestamp"] = timestamp, ["signature"] = signature },
            ["event-data"] = eventData,
        }.ToJsonString();
    }

    private static JsonObject MailgunEvent(string @event, string messageId, string? severity = null) => new()
    {
        ["event"] = @event,
        ["id"] = "CCXMjJ7nQi2N3BPigGOdgQ",
        ["severity"] = severity,
        ["reason"] = severity is null ? null : "bounce",
        ["delivery-status"] = new JsonObject { ["code"] = 550, ["message"] = "", ["description"] = "550 5.1.1 The email account does not exist" },
        ["message"] = new JsonObject { ["headers"] = new JsonObject { ["message-id"] = messageId, ["subject"] = "Hi" } },
    };

    private async Task<(Infrastructure.TestProject, string, JsonObject)> MailgunSentAsync(string config = MailgunConfig)
    {
        var p = await NewProjectAsync();
        var channelId = await ChannelAsync(p, "mailgun", config);
        // The send API answers the id in angle brackets (and the delivery keeps it so); events carry it without them.
        return (p, channelId, await SentAsync(p, "mailgun", "<20260115103000.abc123@mg.example.com>"));
    }

    [Fact]
    public async Task Mailgun_Delivered_SentBecomesDelivered()
    {
        var (p, channelId, d) = await MailgunSentAsync();

        AssertAccepted(await PostEventsAsync(channelId, MailgunBody(MailgunKey, MailgunEvent("delivered", "20260115103000.abc123@mg.example.com"))));

        var after = await DeliveryAsync(p, d);
        Assert.Equal("delivered", (string?)after["status"]);
        Assert.NotNull(after["delivered_at"]);
    }

    [Fact]
    public async Task Mailgun_PermanentFailure_Bounced_WithDeliveryStatusDescription()
    {
        var (p, channelId, d) = await MailgunSentAsync();

        AssertAccepted(await PostEventsAsync(channelId,
            MailgunBody(MailgunKey, MailgunEvent("failed", "<20260115103000.abc123@mg.example.com>", "permanent"))));

        var after = await DeliveryAsync(p, d);
        Assert.Equal("bounced", (string?)after["status"]);
        Assert.Equal("550 5.1.1 The email account does not exist", (string?)after["error"]);
    }

    [Theory]
    [InlineData("failed", "temporary")]
    [InlineData("opened", null)]
    [InlineData("accepted", null)]
    public async Task Mailgun_OtherEvents_200_Ignored(string @event, string? severity)
    {
        var (p, channelId, d) = await MailgunSentAsync();

        AssertAccepted(await PostEventsAsync(channelId, MailgunBody(MailgunKey, MailgunEvent(@event, "20260115103000.abc123@mg.example.com", severity))));

        await AssertUnchangedAsync(p, d);
    }

    [Theory]
    [InlineData("wrong-key", null)]
    [InlineData(MailgunKey, "00")]
    [InlineData(MailgunKey, "zz5f4c3a1b2d9e8f0a1b2c3d4e5f6a77e55f4c3a1b2d9e8f0a1b2c3d4e5f6a7aa")]
    [InlineData(MailgunKey, "")]
    public async Task Mailgun_BadSignature_401(string key, string? signature)
    {
        var (p, channelId, d) = await MailgunSentAsync();

        AssertRejected(await PostEventsAsync(channelId, MailgunBody(key, MailgunEvent("delivered", "20260115103000.abc123@mg.example.com"), signature)));

        await AssertUnchangedAsync(p, d);
    }

    [Fact]
    public async Task Mailgun_MissingSignature_401()
    {
        var (p, channelId, d) = await MailgunSentAsync();

        AssertRejected(await PostEventsAsync(channelId,
            new JsonObject { ["event-data"] = MailgunEvent("delivered", "20260115103000.abc123@mg.example.com") }.ToJsonString()));

        await AssertUnchangedAsync(p, d);
    }

    [Fact]
    public async Task Mailgun_ChannelWithoutSigningKey_401()
    {
        var (p, channelId, d) = await MailgunSentAsync("""{"api_key": "mg-key", "domain": "mg.example.com", "from_email": "ops@mg.example.com"}""");

        AssertRejected(await PostEventsAsync(channelId, MailgunBody(MailgunKey, MailgunEvent("delivered", "20260115103000.abc123@mg.example.com"))));

        await AssertUnchangedAsync(p, d);
    }

    // ---- Resend (Svix) --------------------------------------------------------------------------------------------------

    private Dictionary<string, string> Svix(string body, byte[]? key = null, DateTimeOffset? at = null, string? extraSignature = null)
    {
        const string id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        var timestamp = (at ?? Host.Time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key ?? ResendKey, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return new Dictionary<string, string>
        {
            ["svix-id"] = id,
            ["svix-timestamp"] = timestamp,
            ["svix-signature"] = extraSignature is null ? $"v1,{signature}" : $"{extraSignature} v1,{signature}",
        };
    }

    private static string ResendEvent(string type, string emailId) => $$$"""
        {"type": "{{{type}}}", "created_at": "2026-01-15T10:30:00.000Z",
         "data": {"email_id": "{{{emailId}}}", "from": "ops@example.com", "to": ["jane@example.com"], "subject": "Hi",
                  "bounce": {"message": "The recipient's email provider sent a hard bounce.", "subType": "General", "type": "Permanent"}} }
        """;

    private async Task<(Infrastructure.TestProject, string, JsonObject)> ResendSentAsync(string? config = null)
    {
        var p = await NewProjectAsync();
        var channelId = await ChannelAsync(p, "resend", config ?? ResendConfig);
        return (p, channelId, await SentAsync(p, "resend", "4ef9a417-02e9-4d39-ad75-9611e0fcc33c"));
    }

    [Fact]
    public async Task Resend_Delivered_SentBecomesDelivered()
    {
        var (p, channelId, d) = await ResendSentAsync();
        var body = ResendEvent("email.delivered", "4ef9a417-02e9-4d39-ad75-9611e0fcc33c");

        AssertAccepted(await PostEventsAsync(channelId, body, Svix(body)));

        Assert.Equal("delivered", (string?)(await DeliveryAsync(p, d))["status"]);
    }

    [Fact]
    public async Task Resend_Bounced_WithBounceMessage_SecondOfRotatedSignaturesMatches()
    {
        var (p, channelId, d) = await ResendSentAsync();
        var body = ResendEvent("email.bounced", "4ef9a417-02e9-4d39-ad75-9611e0fcc33c");

        AssertAccepted(await PostEventsAsync(channelId, body, Svix(body, extraSignature: "v1,b2xkIHNlY3JldCBzaWduYXR1cmUgMDAwMDAwMDAwMDA=")));

        var after = await DeliveryAsync(p, d);
        Assert.Equal("bounced", (string?)after["status"]);
        Assert.Equal("The recipient's email provider sent a hard bounce.", (string?)after["error"]);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task Resend_TimestampMoreThanFiveMinutesOff_401(int seconds)
    {
        var (p, channelId, d) = await ResendSentAsync();
        var body = ResendEvent("email.delivered", "4ef9a417-02e9-4d39-ad75-9611e0fcc33c");

        AssertRejected(await PostEventsAsync(channelId, body, Svix(body, at: Host.Time.GetUtcNow().AddSeconds(seconds))));

        await AssertUnchangedAsync(p, d);
    }

    [Fact]
    public async Task Resend_TimestampWithinFiveMinutes_Accepted()
    {
        var (p, channelId, d) = await ResendSentAsync();
        var body = ResendEvent("email.delivered", "4ef9a417-02e9-4d39-ad75-9611e0fcc33c");

        AssertAccepted(await PostEventsAsync(channelId, body, Svix(body, at: Host.Time.GetUtcNow().AddSeconds(-300))));

        Assert.Equal("delivered", (string?)(await DeliveryAsync(p, d))["status"]);
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("tampered-body")]
    [InlineData("v2-only")]
    [InlineData("missing-signature")]
    [InlineData("missing-id")]
    [InlineData("missing-timestamp")]
    [InlineData("no-headers")]
    public async Task Resend_BadOrMissingSignature_401(string variant)
    {
        var (p, channelId, d) = await ResendSentAsync();
        var body = ResendEvent("email.delivered", "4ef9a417-02e9-4d39-ad75-9611e0fcc33c");
        var headers = Svix(body, key: variant == "wrong-key" ? [1, 2, 3] : null);
        switch (variant)
        {
            case "v2-only":
                headers["svix-signature"] = headers["svix-signature"].Replace("v1,", "v2,", StringComparison.Ordinal);
                break;
            case "missing-signature" or "missing-id" or "missing-timestamp":
                headers.Remove("svix-" + variant["missing-".Length..]);
                break;
        }
        var sent = variant == "tampered-body" ? body.Replace("email.delivered", "email.bounced", StringComparison.Ordinal) : body;

        AssertRejected(await PostEventsAsync(channelId, sent, variant == "no-headers" ? null : headers));

        await AssertUnchangedAsync(p, d);
    }

    [Fact]
    public async Task Resend_ChannelWithoutWebhookSecret_401()
    {
        var (p, channelId, d) = await ResendSentAsync("""{"api_key": "re_key", "from_email": "ops@example.com"}""");
        var body = ResendEvent("email.delivered", "4ef9a417-02e9-4d39-ad75-9611e0fcc33c");

        AssertRejected(await PostEventsAsync(channelId, body, Svix(body)));

        await AssertUnchangedAsync(p, d);
    }

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

public sealed class SqliteSignedProviderEventsTests(SqliteProviderEventsFixture f) : SignedProviderEventsTests<SqliteProviderEventsFixture>(f);

public sealed class PostgresSignedProviderEventsTests(PostgresProviderEventsFixture f) : SignedProviderEventsTests<PostgresProviderEventsFixture>(f);
