using System.Globalization;
using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Providers.Events;

namespace Notiflows.Server.Tests.Api.ProviderEvents;

public abstract partial class SignedProviderEventsTests<TFixture>
{
    private const string SesConfig =
        """{"access_key_id": "AKIDEXAMPLE", "secret_access_key": "ses-secret", "region": "us-east-1", "from_email": "ops@example.com"}""";
    private const string SesMessageId = "0102019bc1a2b3c4-93c245fe-e333-46ae-8fed-96160d20cfab-000000";
    private const string SesTopicArn = "arn:aws:sns:us-east-1:123456789012:ses-events";
    private const string SesContentType = "text/plain; charset=UTF-8"; // what SNS sends, whatever the body

    // ---- SES (through an Amazon SNS HTTPS subscription) -----------------------------------------------------------------

    private static JsonObject SesRecord(string eventType, string detail, JsonObject body) => new()
    {
        ["eventType"] = eventType,
        ["mail"] = new JsonObject
        {
            ["timestamp"] = "2026-01-15T10:29:58.000Z",
            ["source"] = "ops@example.com",
            ["messageId"] = SesMessageId,
            ["destination"] = new JsonArray("jane@example.com"),
        },
        [detail] = body,
    };

    /// <summary>An SNS Notification carrying <paramref name="record"/>, signed with the fixture's SNS key.</summary>
    private JsonObject SesNotification(JsonObject record, string certUrl = ProviderEventsFixture.SnsCertUrl) => SignedEventSigning.Sns(new JsonObject
    {
        ["Type"] = "Notification",
        ["MessageId"] = Guid.NewGuid().ToString(),
        ["TopicArn"] = SesTopicArn,
        ["Subject"] = "Amazon SES Email Event Notification",
        ["Message"] = record.ToJsonString(),
        ["Timestamp"] = "2026-01-15T10:30:00.655Z",
        ["SignatureVersion"] = "1",
        ["SigningCertURL"] = certUrl,
        ["UnsubscribeURL"] = $"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={SesTopicArn}:c9135db0",
    }, Fixture.SnsKey);

    /// <summary>POSTs an SNS message the way SNS does: <c>text/plain</c>, with its <c>x-amz-sns-*</c> headers.</summary>
    private Task<Infrastructure.ApiResponse> PostSnsAsync(string channelId, JsonObject sns) =>
        PostEventsAsync(channelId, sns.ToJsonString(), new Dictionary<string, string>
        {
            ["x-amz-sns-message-type"] = (string)sns["Type"]!,
            ["x-amz-sns-message-id"] = (string)sns["MessageId"]!,
            ["x-amz-sns-topic-arn"] = SesTopicArn,
            ["User-Agent"] = "Amazon Simple Notification Service Agent",
        }, SesContentType);

    private async Task<(Infrastructure.TestProject, string, JsonObject)> SesSentAsync()
    {
        var p = await NewProjectAsync();
        var channelId = await ChannelAsync(p, "ses", SesConfig);
        return (p, channelId, await SentAsync(p, "ses", SesMessageId));
    }

    [Fact]
    public async Task Ses_DeliveryNotification_PostedAsTextPlain_Delivered()
    {
        var (p, channelId, d) = await SesSentAsync();

        AssertAccepted(await PostSnsAsync(channelId,
            SesNotification(SesRecord("Delivery", "delivery", new JsonObject { ["smtpResponse"] = "250 2.0.0 OK" }))));

        var after = await DeliveryAsync(p, d);
        Assert.Equal("delivered", (string?)after["status"]);
        Assert.Equal(Host.Time.GetUtcNow(), DateTimeOffset.Parse(At(after, "delivered_at"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Ses_BounceNotification_Bounced_WithReasonInError()
    {
        var (p, channelId, d) = await SesSentAsync();
        var bounce = new JsonObject
        {
            ["bounceType"] = "Permanent",
            ["bounceSubType"] = "General",
            ["bouncedRecipients"] = new JsonArray(new JsonObject
            {
                ["emailAddress"] = "jane@example.com", ["action"] = "failed", ["diagnosticCode"] = "smtp; 550 5.1.1 user unknown",
            }),
        };

        AssertAccepted(await PostSnsAsync(channelId, SesNotification(SesRecord("Bounce", "bounce", bounce))));

        var after = await DeliveryAsync(p, d);
        Assert.Equal("bounced", (string?)after["status"]);
        Assert.Equal("Permanent bounce (General): smtp; 550 5.1.1 user unknown", (string?)after["error"]);
    }

    [Fact]
    public async Task Ses_SubscriptionConfirmation_200_AndExactlyOneGetOfSubscribeUrl()
    {
        var p = await NewProjectAsync();
        var channelId = await ChannelAsync(p, "ses", SesConfig);
        var token = Guid.NewGuid().ToString("N");
        var subscribeUrl = $"https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn={SesTopicArn}&Token={token}";
        Fixture.Sns.Serve(subscribeUrl, "<ConfirmSubscriptionResponse/>");
        var confirmation = SignedEventSigning.Sns(new JsonObject
        {
            ["Type"] = "SubscriptionConfirmation",
            ["MessageId"] = Guid.NewGuid().ToString(),
            ["Token"] = token,
            ["TopicArn"] = SesTopicArn,
            ["Message"] = $"You have chosen to subscribe to the topic {SesTopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
            ["SubscribeURL"] = subscribeUrl,
            ["Timestamp"] = "2026-01-15T10:30:00.135Z",
            ["SignatureVersion"] = "1",
            ["SigningCertURL"] = ProviderEventsFixture.SnsCertUrl,
        }, Fixture.SnsKey);

        AssertAccepted(await PostSnsAsync(channelId, confirmation));

        Assert.Equal([HttpMethod.Get], Fixture.Sns.Calls.Where(c => c.Url == new Uri(subscribeUrl)).Select(c => c.Method));
    }

    [Theory]
    [InlineData("https://attacker.example/SimpleNotificationService-1.pem")]
    [InlineData("https://sns.us-east-1.amazonaws.com.attacker.example/SimpleNotificationService-1.pem")]
    [InlineData("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-1.pem")]
    [InlineData("http://sns.us-east-1.amazonaws.com/SimpleNotificationService-1.pem")]
    public async Task Ses_CertificateUrlOffTheRegionsSnsHost_401_NotFetched(string certUrl)
    {
        var (p, channelId, d) = await SesSentAsync();
        // The foreign host would even serve the right certificate: only the host rule refuses it.
        Fixture.Sns.Serve(certUrl, Fixture.SnsCertificatePem);

        AssertRejected(await PostSnsAsync(channelId,
            SesNotification(SesRecord("Delivery", "delivery", new JsonObject { ["smtpResponse"] = "250 2.0.0 OK" }), certUrl)));

        Assert.DoesNotContain(Fixture.Sns.Requests, url => url == new Uri(certUrl));
        await AssertUnchangedAsync(p, d);
    }

    [Theory]
    [InlineData("tampered message")]
    [InlineData("no signature")]
    public async Task Ses_BadSignature_401_NothingApplied(string fault)
    {
        var (p, channelId, d) = await SesSentAsync();
        var sns = SesNotification(SesRecord("Delivery", "delivery", new JsonObject { ["smtpResponse"] = "250 2.0.0 OK" }));
        if (fault == "no signature")
        {
            sns.Remove("Signature");
        }
        else
        {
            // Still a Delivery of this message, but not the Message that was signed.
            sns["Message"] = SesRecord("Delivery", "delivery", new JsonObject { ["smtpResponse"] = "250 tampered" }).ToJsonString();
        }

        AssertRejected(await PostSnsAsync(channelId, sns));

        await AssertUnchangedAsync(p, d);
    }
}
