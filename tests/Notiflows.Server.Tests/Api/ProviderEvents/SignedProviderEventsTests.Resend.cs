using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Tests.Api.ProviderEvents;

public abstract partial class SignedProviderEventsTests<TFixture>
{
    private static readonly byte[] ResendKey = [.. Enumerable.Range(1, 24).Select(i => (byte)(i * 7))];
    private static readonly string ResendSecret = "whsec_" + Convert.ToBase64String(ResendKey);
    private static readonly string ResendConfig = $$"""{"api_key": "re_key", "from_email": "ops@example.com", "webhook_secret": "{{ResendSecret}}"}""";

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
}
