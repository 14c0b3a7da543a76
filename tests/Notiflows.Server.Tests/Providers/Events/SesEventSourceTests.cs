using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Notiflows.Server.Providers.Events;

namespace Notiflows.Server.Tests.Providers.Events;

/// <summary>
/// <c>ses</c> events through Amazon SNS: the test holds the RSA key of a self-signed certificate served at the SNS
/// signing-certificate URL and signs each message's canonical string the way SNS documents it (SignatureVersion 1 =
/// SHA1withRSA, 2 = SHA256withRSA).
/// </summary>
public sealed class SesEventSourceTests : IDisposable
{
    private const string CertUrl = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-xyz.pem";
    private const string TopicArn = "arn:aws:sns:us-east-1:123456789012:ses-events";
    private const string SubscribeUrl =
        "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:123456789012:ses-events&Token=2336412f37";
    private const string SesMessageId = "0102015fd91a5ca3-93c245fe-e333-46ae-8fed-96160d20cfab-000000";

    private readonly EventSourceTestHost _host = new();
    // RSA key generation is slow: one signing key and one stranger's key for the whole class.
    private static readonly RSA Key = RSA.Create(2048);
    private static readonly RSA OtherKey = RSA.Create(2048);

    private readonly X509Certificate2 _certificate;

    public SesEventSourceTests()
    {
        _certificate = Certificate(Key, EventSourceTestHost.Start.AddDays(-1), EventSourceTestHost.Start.AddDays(30));
        _host.Sns.Serve(CertUrl, _certificate.ExportCertificatePem());
    }

    private IProviderEventSource Source => _host.Source("ses");

    private static X509Certificate2 Certificate(RSA key, DateTimeOffset from, DateTimeOffset until) =>
        SignedEventSigning.SnsCertificate(key, from, until);

    private static JsonObject Config(string region = "us-east-1") => new()
    {
        ["access_key_id"] = "AKIDEXAMPLE",
        ["secret_access_key"] = "secret",
        ["region"] = region,
        ["from_email"] = "noreply@acme.example",
    };

    private static JsonObject Mail() => new()
    {
        ["timestamp"] = "2026-03-01T11:59:58.000Z",
        ["source"] = "noreply@acme.example",
        ["messageId"] = SesMessageId,
        ["destination"] = new JsonArray("bob@example.com"),
    };

    private static JsonObject Record(string typeField, string type, string? detail = null, JsonObject? body = null)
    {
        var record = new JsonObject { [typeField] = type, ["mail"] = Mail() };
        if (detail is not null)
        {
            record[detail] = body ?? new JsonObject();
        }
        return record;
    }

    private static JsonObject Bounce(string type, string subType, params string[] diagnosticCodes) => Record("eventType", "Bounce", "bounce",
        new JsonObject
        {
            ["bounceType"] = type,
            ["bounceSubType"] = subType,
            ["bouncedRecipients"] = new JsonArray([.. diagnosticCodes.Select(code => (JsonNode)new JsonObject
            {
                ["emailAddress"] = "bob@example.com", ["action"] = "failed", ["diagnosticCode"] = code,
            })]),
        });

    private static JsonObject Notification(string message, string version = "2", string? subject = null)
    {
        var sns = new JsonObject
        {
            ["Type"] = "Notification",
            ["MessageId"] = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
            ["TopicArn"] = TopicArn,
            ["Message"] = message,
            ["Timestamp"] = "2026-03-01T12:00:00.655Z",
            ["SignatureVersion"] = version,
            ["SigningCertURL"] = CertUrl,
            ["UnsubscribeURL"] = "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + TopicArn + ":c9135db0",
        };
        if (subject is not null)
        {
            sns["Subject"] = subject;
        }
        return sns;
    }

    private static JsonObject Confirmation(string type, string subscribeUrl = SubscribeUrl) => new()
    {
        ["Type"] = type,
        ["MessageId"] = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
        ["Token"] = "2336412f37",
        ["TopicArn"] = TopicArn,
        ["Message"] = $"You have chosen to subscribe to the topic {TopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
        ["SubscribeURL"] = subscribeUrl,
        ["Timestamp"] = "2026-03-01T12:00:00.135Z",
        ["SignatureVersion"] = "1",
        ["SigningCertURL"] = CertUrl,
    };

    private static JsonObject Sign(JsonObject sns, RSA? key = null) => SignedEventSigning.Sns(sns, key ?? Key);

    private static InboundRequest Request(JsonObject sns, JsonObject? config = null) =>
        Request(sns.ToJsonString(), config);

    private static InboundRequest Request(string body, JsonObject? config = null) =>
        EventSourceTestHost.Request(Encoding.UTF8.GetBytes(body), config ?? Config(),
            ("x-amz-sns-message-type", "Notification"), ("Content-Type", "text/plain; charset=UTF-8"));

    private Task<IReadOnlyList<ProviderEvent>?> ReadAsync(JsonObject sns, JsonObject? config = null) =>
        Source.ReadAsync(Request(sns, config), TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task Read_DeliveryNotification_ReturnsDeliveredByMailMessageId(string version)
    {
        var message = Record("notificationType", "Delivery", "delivery", new JsonObject { ["smtpResponse"] = "250 ok" });

        var events = await ReadAsync(Sign(Notification(message.ToJsonString(), version)));

        Assert.Equal([new ProviderEvent(SesMessageId, ProviderEventKind.Delivered)], events);
    }

    public static TheoryData<string, string> Bounces() => new()
    {
        { Bounce("Permanent", "General", "smtp; 550 5.1.1 user unknown").ToJsonString(), "Permanent bounce (General): smtp; 550 5.1.1 user unknown" },
        { Bounce("Transient", "MailboxFull").ToJsonString(), "Transient bounce (MailboxFull)" },
        { Bounce("Undetermined", "Undetermined", "smtp; 554 a", "smtp; 554 a", "smtp; 550 b").ToJsonString(), "Undetermined bounce (Undetermined): smtp; 554 a; smtp; 550 b" },
        { Record("notificationType", "Bounce").ToJsonString(), "Undetermined bounce (Undetermined)" },
        { Record("eventType", "Reject", "reject", new JsonObject { ["reason"] = "Bad content" }).ToJsonString(), "rejected: Bad content" },
    };

    [Theory]
    [MemberData(nameof(Bounces))]
    public async Task Read_BounceOrReject_ReturnsBouncedWithReason(string message, string reason)
    {
        var events = await ReadAsync(Sign(Notification(message, subject: "Amazon SES Email Event Notification")));

        Assert.Equal([new ProviderEvent(SesMessageId, ProviderEventKind.Bounced, reason)], events);
    }

    [Theory]
    [InlineData("Send")]
    [InlineData("Complaint")]
    [InlineData("Open")]
    [InlineData("Click")]
    [InlineData("DeliveryDelay")]
    [InlineData("Rendering Failure")]
    [InlineData("Subscription")]
    public async Task Read_OtherSesEventTypes_AreDropped(string type) =>
        Assert.Equal([], await ReadAsync(Sign(Notification(Record("eventType", type).ToJsonString()))));

    [Theory]
    [InlineData("Successfully validated SNS topic for Amazon SES event publishing.")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"eventType\":\"Delivery\"}")]
    [InlineData("{\"eventType\":\"Delivery\",\"mail\":{\"messageId\":7}}")]
    [InlineData("{\"eventType\":\"Delivery\",\"mail\":[]}")]
    public async Task Read_VerifiedNotificationWithoutSesEvent_ReturnsEmpty(string message) =>
        Assert.Equal([], await ReadAsync(Sign(Notification(message))));

    [Fact]
    public async Task Read_SubscriptionConfirmation_ConfirmsOnceAndReturnsNoEvents()
    {
        var events = await ReadAsync(Sign(Confirmation("SubscriptionConfirmation")));

        Assert.Equal([], events);
        Assert.Equal([new Uri(CertUrl), new Uri(SubscribeUrl)], _host.Sns.Requests);
    }

    [Theory]
    [InlineData("https://attacker.example/?Action=ConfirmSubscription")]
    [InlineData("http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription")]
    [InlineData("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription")]
    [InlineData("not a url")]
    public async Task Read_SubscriptionConfirmationToForeignUrl_VerifiedButNotConfirmed(string subscribeUrl)
    {
        var events = await ReadAsync(Sign(Confirmation("SubscriptionConfirmation", subscribeUrl)));

        Assert.Equal([], events);
        Assert.Equal([new Uri(CertUrl)], _host.Sns.Requests);
    }

    [Fact]
    public async Task Read_UnsubscribeConfirmation_ReturnsNoEventsAndCallsNothingElse()
    {
        Assert.Equal([], await ReadAsync(Sign(Confirmation("UnsubscribeConfirmation"))));
        Assert.Equal([new Uri(CertUrl)], _host.Sns.Requests);
    }

    [Fact]
    public async Task Read_SameCertificateUrl_FetchedOnce()
    {
        var delivery = Record("eventType", "Delivery").ToJsonString();

        Assert.NotNull(await ReadAsync(Sign(Notification(delivery))));
        Assert.NotNull(await ReadAsync(Sign(Notification(delivery, "1"))));
        Assert.Equal([new Uri(CertUrl)], _host.Sns.Requests);
    }

    [Fact]
    public async Task Read_CertificateFetchFailed_IsNotCachedAndRetriedNextTime()
    {
        const string laterUrl = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-later.pem";
        var sns = Notification(Record("eventType", "Delivery").ToJsonString());
        sns["SigningCertURL"] = laterUrl;
        Sign(sns);

        Assert.Null(await ReadAsync(sns));
        _host.Sns.Serve(laterUrl, _certificate.ExportCertificatePem());
        Assert.Equal([new ProviderEvent(SesMessageId, ProviderEventKind.Delivered)], await ReadAsync(sns));
        Assert.Equal([new Uri(laterUrl), new Uri(laterUrl)], _host.Sns.Requests);
    }

    [Fact]
    public async Task Read_ChinaRegion_TrustsAmazonawsComCn()
    {
        const string cnCertUrl = "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-cn.pem";
        _host.Sns.Serve(cnCertUrl, _certificate.ExportCertificatePem());
        var sns = Notification(Record("eventType", "Delivery").ToJsonString());
        sns["SigningCertURL"] = cnCertUrl;

        Assert.Equal([new ProviderEvent(SesMessageId, ProviderEventKind.Delivered)], await ReadAsync(Sign(sns), Config("cn-north-1")));
    }

    [Fact]
    public async Task Read_CertificateExpired_ReturnsNull()
    {
        _host.Time.Advance(TimeSpan.FromDays(31));

        Assert.Null(await ReadAsync(Sign(Notification(Record("eventType", "Delivery").ToJsonString()))));
    }

    /// <summary>Certificate URLs that must never be fetched: the host rule rejects them before any call.</summary>
    [Theory]
    [InlineData("http://sns.us-east-1.amazonaws.com/SimpleNotificationService-xyz.pem")]
    [InlineData("https://attacker.example/SimpleNotificationService-xyz.pem")]
    [InlineData("https://sns.us-east-1.amazonaws.com.attacker.example/SimpleNotificationService-xyz.pem")]
    [InlineData("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-xyz.pem")]
    [InlineData("https://sns.us-east-1.amazonaws.com.cn/SimpleNotificationService-xyz.pem")]
    [InlineData("https://attacker@sns.us-east-1.amazonaws.com/SimpleNotificationService-xyz.pem")]
    [InlineData("https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-xyz.pem")]
    [InlineData("/SimpleNotificationService-xyz.pem")]
    public async Task Read_CertificateUrlOffTheRegionSnsHost_ReturnsNullWithoutFetching(string certUrl)
    {
        _host.Sns.Serve(certUrl.StartsWith('/') ? CertUrl : new Uri(certUrl).AbsoluteUri, _certificate.ExportCertificatePem());
        var sns = Sign(Notification(Record("eventType", "Delivery").ToJsonString()));
        sns["SigningCertURL"] = certUrl;

        Assert.Null(await ReadAsync(sns));
        Assert.Empty(_host.Sns.Requests);
    }

    public static TheoryData<string> Unverified() =>
    [
        "signed by another key", "tampered message", "subject added", "subject removed", "tampered topic", "version 1 claimed for a v2 signature",
        "version 3", "no signature", "signature not base64", "no region", "region of another host", "region not a region",
        "certificate not found", "certificate not pem", "certificate of another key", "confirmation with tampered SubscribeURL",
        "body not json", "body not an sns message", "unknown sns type",
    ];

    [Theory]
    [MemberData(nameof(Unverified))]
    public async Task Read_Unverified_ReturnsNull(string change)
    {
        var sns = Sign(Notification(Record("eventType", "Delivery").ToJsonString(), subject: "Event"));
        var config = Config();
        switch (change)
        {
            case "signed by another key": Sign(sns, OtherKey); break;
            case "tampered message": sns["Message"] = Bounce("Permanent", "General").ToJsonString(); break;
            case "subject added": sns.Remove("Subject"); Sign(sns); sns["Subject"] = "Event"; break;
            case "subject removed": sns.Remove("Subject"); break;
            case "tampered topic": sns["TopicArn"] = "arn:aws:sns:us-east-1:999999999999:other"; break;
            case "version 1 claimed for a v2 signature": sns["SignatureVersion"] = "1"; break;
            case "version 3": sns["SignatureVersion"] = "3"; break;
            case "no signature": sns.Remove("Signature"); break;
            case "signature not base64": sns["Signature"] = "%%%"; break;
            case "no region": config.Remove("region"); break;
            case "region of another host": config["region"] = "eu-west-1"; break;
            case "region not a region": config["region"] = "us-east-1.amazonaws.com/x?"; break;
            case "certificate not found": sns["SigningCertURL"] = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-missing.pem"; break;
            case "certificate not pem":
                _host.Sns.Serve("https://sns.us-east-1.amazonaws.com/garbage.pem", "<html>not a certificate</html>");
                sns["SigningCertURL"] = "https://sns.us-east-1.amazonaws.com/garbage.pem";
                break;
            case "certificate of another key":
                using (var other = Certificate(OtherKey, EventSourceTestHost.Start.AddDays(-1), EventSourceTestHost.Start.AddDays(1)))
                {
                    _host.Sns.Serve("https://sns.us-east-1.amazonaws.com/other.pem", other.ExportCertificatePem());
                }
                sns["SigningCertURL"] = "https://sns.us-east-1.amazonaws.com/other.pem";
                break;
            case "confirmation with tampered SubscribeURL":
                sns = Sign(Confirmation("SubscriptionConfirmation"));
                sns["SubscribeURL"] = SubscribeUrl.Replace("2336412f37", "0000000000", StringComparison.Ordinal);
                break;
            case "body not json": sns = null; break;
            case "body not an sns message": sns = new JsonObject { ["eventType"] = "Delivery", ["mail"] = Mail() }; break;
            case "unknown sns type": sns["Type"] = "Other"; Sign(sns); break;
        }

        Assert.Null(await Source.ReadAsync(Request(sns?.ToJsonString() ?? "not json", config), TestContext.Current.CancellationToken));
        Assert.DoesNotContain(_host.Sns.Requests, url => url.Query.Contains("ConfirmSubscription", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _host.Dispose();
    }
}
