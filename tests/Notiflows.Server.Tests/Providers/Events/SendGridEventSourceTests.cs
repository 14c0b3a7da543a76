using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Notiflows.Server.Providers.Events;

namespace Notiflows.Server.Tests.Providers.Events;

/// <summary>
/// <c>sendgrid</c> signed event webhook: the test holds the ECDSA P-256 key, puts the base64 SubjectPublicKeyInfo in the
/// channel config and signs <c>timestamp + body</c> as SendGrid does.
/// </summary>
public sealed class SendGridEventSourceTests : IDisposable
{
    private const string Timestamp = "1772366400";

    private readonly EventSourceTestHost _host = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private IProviderEventSource Source => _host.Source("sendgrid");

    private JsonObject Config() => new()
    {
        ["api_key"] = "SG.secret",
        ["from_email"] = "noreply@acme.example",
        ["event_webhook_public_key"] = Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo()),
    };

    private static readonly string Events = """
        [
          {"email":"jane@example.com","timestamp":1772366400,"event":"processed","sg_message_id":"Ua9z9lSTSaqYBWJe_Xfc-Q.recvd-5f54b5d587-pczjm-1-67BADEEA-6.0"},
          {"email":"jane@example.com","timestamp":1772366401,"event":"delivered","response":"250 OK","sg_message_id":"Ua9z9lSTSaqYBWJe_Xfc-Q.recvd-5f54b5d587-pczjm-1-67BADEEA-6.0"},
          {"email":"bob@example.com","timestamp":1772366402,"event":"bounce","type":"bounce","status":"5.1.1","reason":"550 5.1.1 The email account does not exist.","sg_message_id":"euo2iKxdSayPF4YE4--I7A.filter0001.16648.5515E0B88.0"},
          {"email":"eve@example.com","timestamp":1772366403,"event":"bounce","type":"blocked","reason":"unable to get mx info","sg_message_id":"Xk3Jd0nQTe2b1Lr9GmHsZw.recvd-1.0"},
          {"email":"amy@example.com","timestamp":1772366404,"event":"dropped","reason":"Bounced Address","sg_message_id":"P0dFq8TnS6ypYc2o_ZyMjA.filter0002.1.0"},
          {"email":"amy@example.com","timestamp":1772366405,"event":"deferred","response":"400 try again later","sg_message_id":"P0dFq8TnS6ypYc2o_ZyMjA.filter0002.1.0"},
          {"email":"jane@example.com","timestamp":1772366406,"event":"open","sg_message_id":"Ua9z9lSTSaqYBWJe_Xfc-Q.recvd-5f54b5d587-pczjm-1-67BADEEA-6.0"},
          {"email":"zed@example.com","timestamp":1772366407,"event":"dropped","reason":"Invalid"},
          "not an event"
        ]
        """;

    private string Sign(string timestamp, byte[] body, ECDsa? key = null) => SignedEventSigning.SendGrid(key ?? _key, timestamp, body);

    private InboundRequest Signed(string body, JsonObject? config = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return EventSourceTestHost.Request(bytes, config ?? Config(),
            (SendGridEventSource.SignatureHeader, Sign(Timestamp, bytes)), (SendGridEventSource.TimestampHeader, Timestamp));
    }

    [Fact]
    public async Task Read_SignedEvents_ReturnsDeliveredAndBouncedByXMessageId()
    {
        var events = await Source.ReadAsync(Signed(Events), TestContext.Current.CancellationToken);

        Assert.Equal(
        [
            new ProviderEvent("Ua9z9lSTSaqYBWJe_Xfc-Q", ProviderEventKind.Delivered),
            new ProviderEvent("euo2iKxdSayPF4YE4--I7A", ProviderEventKind.Bounced, "bounce: 550 5.1.1 The email account does not exist."),
            new ProviderEvent("Xk3Jd0nQTe2b1Lr9GmHsZw", ProviderEventKind.Bounced, "blocked: unable to get mx info"),
            new ProviderEvent("P0dFq8TnS6ypYc2o_ZyMjA", ProviderEventKind.Bounced, "dropped: Bounced Address"),
        ], events);
    }

    [Fact]
    public async Task Read_HeaderNamesInAnyCase_AndPemFramedKey_Verifies()
    {
        var config = Config();
        config["event_webhook_public_key"] = _key.ExportSubjectPublicKeyInfoPem();
        var bytes = Encoding.UTF8.GetBytes(Events);
        var request = EventSourceTestHost.Request(bytes, config,
            ("x-twilio-email-event-webhook-signature", Sign(Timestamp, bytes)), ("x-twilio-email-event-webhook-timestamp", Timestamp));

        Assert.Equal(4, (await Source.ReadAsync(request, TestContext.Current.CancellationToken))?.Count);
    }

    /// <summary>
    /// The verification vector of SendGrid's own helper (sendgrid-nodejs, packages/eventwebhook/src/eventwebhook.spec.js):
    /// a key as the console shows it and a signature SendGrid made. Its payload is one object, not an array: no events.
    /// </summary>
    [Fact]
    public async Task Read_SendGridReferenceVector_VerifiesWithNoEvents()
    {
        var config = new JsonObject
        {
            ["event_webhook_public_key"] =
                "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==",
        };
        var request = EventSourceTestHost.Request(
            Encoding.UTF8.GetBytes("""{"category":"example_payload","event":"test_event","message_id":"message_id"}"""), config,
            (SendGridEventSource.SignatureHeader, "MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0="),
            (SendGridEventSource.TimestampHeader, "1588788367"));

        Assert.Equal([], await Source.ReadAsync(request, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"event\":\"delivered\",\"sg_message_id\":\"a.b\"}")]
    [InlineData("[]")]
    [InlineData("[1, null, {\"event\":\"delivered\"}, {\"event\":42,\"sg_message_id\":\"x.y\"}]")]
    public async Task Read_VerifiedBodyWithoutEvents_ReturnsEmpty(string body) =>
        Assert.Equal([], await Source.ReadAsync(Signed(body), TestContext.Current.CancellationToken));

    public static TheoryData<string> Unverified() =>
    [
        "signed by another key", "tampered body", "other timestamp", "no signature header", "no timestamp header",
        "no public key", "blank public key", "public key not base64", "public key not a key", "signature not base64",
        "signature not DER",
    ];

    [Theory]
    [MemberData(nameof(Unverified))]
    public async Task Read_Unverified_ReturnsNull(string change)
    {
        var bytes = Encoding.UTF8.GetBytes(Events);
        var config = Config();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [SendGridEventSource.SignatureHeader] = Sign(Timestamp, bytes),
            [SendGridEventSource.TimestampHeader] = Timestamp,
        };
        switch (change)
        {
            case "signed by another key": headers[SendGridEventSource.SignatureHeader] = Sign(Timestamp, bytes, otherKey); break;
            case "tampered body": bytes = Encoding.UTF8.GetBytes(Events.Replace("bounce", "delivered", StringComparison.Ordinal)); break;
            case "other timestamp": headers[SendGridEventSource.TimestampHeader] = "1772366401"; break;
            case "no signature header": headers.Remove(SendGridEventSource.SignatureHeader); break;
            case "no timestamp header": headers.Remove(SendGridEventSource.TimestampHeader); break;
            case "no public key": config.Remove("event_webhook_public_key"); break;
            case "blank public key": config["event_webhook_public_key"] = " "; break;
            case "public key not base64": config["event_webhook_public_key"] = "not base64!"; break;
            case "public key not a key": config["event_webhook_public_key"] = Convert.ToBase64String(new byte[64]); break;
            case "signature not base64": headers[SendGridEventSource.SignatureHeader] = "%%%"; break;
            case "signature not DER": headers[SendGridEventSource.SignatureHeader] = Convert.ToBase64String(new byte[64]); break;
        }
        var request = new InboundRequest(new Uri("https://notiflows.example/providers/v1/x/events"), headers, bytes, config);

        Assert.Null(await Source.ReadAsync(request, TestContext.Current.CancellationToken));
    }

    public void Dispose()
    {
        _key.Dispose();
        _host.Dispose();
    }
}
