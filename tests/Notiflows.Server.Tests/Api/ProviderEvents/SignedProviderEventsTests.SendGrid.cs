using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Notiflows.Server.Providers.Events;
using Notiflows.Server.Tests.Providers.Events;

namespace Notiflows.Server.Tests.Api.ProviderEvents;

public abstract partial class SignedProviderEventsTests<TFixture>
{
    private const string SendGridTimestamp = "1768473000";
    private const string SendGridDelivered = "Ua9z9lSTSaqYBWJe_Xfc-Q";
    private const string SendGridBounced = "euo2iKxdSayPF4YE4--I7A";
    private static readonly ECDsa SendGridKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly string SendGridConfig =
        $$"""{"api_key": "SG.key", "from_email": "ops@example.com", "event_webhook_public_key": "{{Convert.ToBase64String(SendGridKey.ExportSubjectPublicKeyInfo())}}"}""";

    // ---- SendGrid (signed event webhook) --------------------------------------------------------------------------------

    /// <summary>
    /// One batch as SendGrid posts it: processed, delivered and open for the first message, a bounce for the second
    /// (<c>sg_message_id</c> = the X-Message-Id the send answered + a per-recipient suffix).
    /// </summary>
    private static readonly string SendGridBatch = $$"""
        [
          {"email":"jane@example.com","timestamp":1768473000,"event":"processed","sg_message_id":"{{SendGridDelivered}}.recvd-5f54b5d587-pczjm-1-67BADEEA-6.0"},
          {"email":"jane@example.com","timestamp":1768473001,"event":"delivered","response":"250 OK","sg_message_id":"{{SendGridDelivered}}.recvd-5f54b5d587-pczjm-1-67BADEEA-6.0"},
          {"email":"bob@example.com","timestamp":1768473002,"event":"bounce","type":"bounce","status":"5.1.1","reason":"550 5.1.1 The email account does not exist.","sg_message_id":"{{SendGridBounced}}.filter0001.16648.5515E0B88.0"},
          {"email":"jane@example.com","timestamp":1768473003,"event":"open","sg_message_id":"{{SendGridDelivered}}.recvd-5f54b5d587-pczjm-1-67BADEEA-6.0"}
        ]
        """;

    private static Dictionary<string, string> SendGridHeaders(string body, ECDsa? key = null, string timestamp = SendGridTimestamp) => new()
    {
        [SendGridEventSource.SignatureHeader] = SignedEventSigning.SendGrid(key ?? SendGridKey, timestamp, Encoding.UTF8.GetBytes(body)),
        [SendGridEventSource.TimestampHeader] = timestamp,
    };

    /// <summary>A sendgrid channel with two <c>sent</c> deliveries: the one to be delivered and the one to bounce.</summary>
    private async Task<(Infrastructure.TestProject, string, JsonObject, JsonObject)> SendGridSentAsync(string? config = null)
    {
        var p = await NewProjectAsync();
        var channelId = await ChannelAsync(p, "sendgrid", config ?? SendGridConfig);
        return (p, channelId, await SentAsync(p, "sendgrid", SendGridDelivered), await SentAsync(p, "sendgrid", SendGridBounced));
    }

    [Fact]
    public async Task SendGrid_SignedBatch_OneDelivered_OtherBounced()
    {
        var (p, channelId, delivered, bounced) = await SendGridSentAsync();

        AssertAccepted(await PostEventsAsync(channelId, SendGridBatch, SendGridHeaders(SendGridBatch)));

        var first = await DeliveryAsync(p, delivered);
        Assert.Equal("delivered", (string?)first["status"]);
        Assert.Equal(Host.Time.GetUtcNow(), DateTimeOffset.Parse(At(first, "delivered_at"), CultureInfo.InvariantCulture));
        Assert.Null(first["error"]);
        var second = await DeliveryAsync(p, bounced);
        Assert.Equal("bounced", (string?)second["status"]);
        Assert.Equal("bounce: 550 5.1.1 The email account does not exist.", (string?)second["error"]);
        Assert.Null(second["delivered_at"]);
    }

    [Theory]
    [InlineData("signed by another key")]
    [InlineData("tampered body")]
    [InlineData("other timestamp")]
    [InlineData("no signature header")]
    [InlineData("no timestamp header")]
    [InlineData("signature not base64")]
    public async Task SendGrid_BadSignature_401_NothingApplied(string fault)
    {
        var (p, channelId, delivered, bounced) = await SendGridSentAsync();
        var body = SendGridBatch;
        var headers = SendGridHeaders(body);
        switch (fault)
        {
            case "signed by another key":
                using (var other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    headers = SendGridHeaders(body, other);
                }
                break;
            case "tampered body": body = body.Replace("\"bounce\"", "\"deferred\"", StringComparison.Ordinal); break;
            case "other timestamp": headers[SendGridEventSource.TimestampHeader] = "1768473001"; break;
            case "no signature header": headers.Remove(SendGridEventSource.SignatureHeader); break;
            case "no timestamp header": headers.Remove(SendGridEventSource.TimestampHeader); break;
            case "signature not base64": headers[SendGridEventSource.SignatureHeader] = "not*base64"; break;
        }

        AssertRejected(await PostEventsAsync(channelId, body, headers));

        await AssertUnchangedAsync(p, delivered);
        await AssertUnchangedAsync(p, bounced);
    }

    [Fact]
    public async Task SendGrid_ChannelWithoutEventWebhookPublicKey_401()
    {
        var (p, channelId, delivered, bounced) = await SendGridSentAsync("""{"api_key": "SG.key", "from_email": "ops@example.com"}""");

        AssertRejected(await PostEventsAsync(channelId, SendGridBatch, SendGridHeaders(SendGridBatch)));

        await AssertUnchangedAsync(p, delivered);
        await AssertUnchangedAsync(p, bounced);
    }
}
