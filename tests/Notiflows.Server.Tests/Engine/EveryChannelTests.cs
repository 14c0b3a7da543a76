using System.Buffers.Text;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Notiflows.Core.Delivery;
using Notiflows.Server.Providers;
using Notiflows.Server.Providers.Email;
using Notiflows.Server.Providers.Push;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Server.Tests.Providers;
using Notiflows.Server.Tests.Providers.Email;
using Notiflows.Server.Tests.Providers.Push;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Engine;

/// <summary>
/// A host whose every HTTP provider talks to one TLS fake on loopback (HTTP/1.1 and, for APNs, HTTP/2 by ALPN) that answers
/// each provider by its documented path; the provider client trusts exactly that fake's certificate. No retry jitter.
/// </summary>
public abstract class EveryChannelFixture(DbKind kind) : HostFixture(kind)
{
    public static readonly string[] HttpProviders =
        ["sendgrid", "postmark", "resend", "mailgun", "ses", "twilio", "slack", "discord", "apns", "fcm"];

    public X509Certificate2 Certificate { get; } = LoopbackCertificate.Create();

    public FakeProviderServer Fake { get; private set; } = null!;

    public override async ValueTask InitializeAsync()
    {
        Fake = await FakeProviderServer.StartAsync(certificate: Certificate, respond: Answer);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Fake.DisposeAsync();
        Certificate.Dispose();
    }

    protected override IReadOnlyDictionary<string, string?> Settings =>
        HttpProviders.ToDictionary(p => $"Notiflows:Providers:{p}:BaseUrl", string? (_) => Fake.Url)
            .Append(new("Notiflows:Providers:smtp:AllowInvalidCertificates", "true"))
            .ToDictionary();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddHttpClient(ProviderHttp.ClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = LoopbackCertificate.Trusting(Certificate) },
        });
        services.AddSingleton<RetryJitter, NoJitter>();
    }

    /// <summary>Each provider's documented success answer, by the path it posts to.</summary>
    private static FakeAnswer Answer(FakeRequest request) => request.Path switch
    {
        "/v3/mail/send" => new FakeAnswer(202, null, new Dictionary<string, string> { ["X-Message-Id"] = "sg-msg-1" }),
        "/email" => FakeAnswer.Json(200, """{"To": "jane@acme.test", "MessageID": "pm-msg-1", "ErrorCode": 0, "Message": "OK"}"""),
        "/emails" => FakeAnswer.Json(200, """{"id": "re-msg-1"}"""),
        "/v3/mg.acme.test/messages" => FakeAnswer.Json(200, """{"id": "<mg-msg-1@mg.acme.test>", "message": "Queued. Thank you."}"""),
        "/v2/email/outbound-emails" => FakeAnswer.Json(200, """{"MessageId": "ses-msg-1"}"""),
        "/token" => FakeAnswer.Json(200, """{"access_token": "ya29.test-token", "expires_in": 3599, "token_type": "Bearer"}"""),
        "/chat.postMessage" => FakeAnswer.Json(200, """{"ok": true, "channel": "C0123456789", "ts": "1768473000.000100"}"""),
        "/discord-hook" => FakeAnswer.Json(200, """{"id": "dc-msg-1"}"""),
        "/teams-hook" => new FakeAnswer(200, "1"),
        "/hook" => new FakeAnswer(204),
        _ when request.Path.StartsWith("/2010-04-01/Accounts/", StringComparison.Ordinal) =>
            FakeAnswer.Json(201, """{"sid": "SM-msg-1", "status": "queued"}"""),
        _ when request.Path.StartsWith("/3/device/", StringComparison.Ordinal) =>
            new FakeAnswer(200, null, new Dictionary<string, string> { ["apns-id"] = "apns-msg-1" }),
        _ when request.Path.EndsWith("/messages:send", StringComparison.Ordinal) =>
            FakeAnswer.Json(200, """{"name": "projects/acme-app/messages/fcm-msg-1"}"""),
        _ when request.Path.StartsWith("/push/", StringComparison.Ordinal) =>
            new FakeAnswer(201, null, new Dictionary<string, string> { ["Location"] = "https://push.example/m/1" }),
        _ => new FakeAnswer(404),
    };
}

public sealed class SqliteEveryChannelFixture() : EveryChannelFixture(DbKind.Sqlite);

public sealed class PostgresEveryChannelFixture() : EveryChannelFixture(DbKind.Postgres);

/// <summary>
/// Issue 5, end to end: one notiflow with a step of every channel type — email through every email provider — run for a
/// user with every address and setting, produces one correct request per provider on the wire (read back from the fake
/// and from a real SMTP server); and retry, permanent failure and failover on the wire, as the Admin API's attempts show.
/// </summary>
public abstract class EveryChannelTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : EveryChannelFixture
{
    private const string Email = "jane@acme.test";
    private const string SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Subject = "Order A-1001 shipped";
    private const string EmailTemplate = """
        {"subject": "Order {{ data.order }} shipped", "body": "<p>Hi {{ recipient.first_name }}, order <b>{{ data.order }}</b> is on its way.</p>", "content_type": "html"}
        """;

    private readonly FakeProviderServer _fake = fixture.Fake;
    private readonly ECDsa _apnsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly RSA _googleKey = RSA.Create(2048);
    private readonly ECDsa _vapidKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDiffieHellman _browserKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _browserAuth = RandomNumberGenerator.GetBytes(16);

    private static readonly string[] EmailChannels = ["smtp", "sendgrid", "postmark", "resend", "mailgun", "ses"];

    private async Task ChannelAsync(TestProject p, string handle, string type, string provider, JsonObject config, string? fallback = null)
    {
        var body = new JsonObject { ["name"] = handle, ["type"] = type, ["provider"] = provider, ["config"] = config };
        if (fallback is not null)
        {
            body["fallback_channel"] = fallback;
        }
        (await Mgmt(HttpMethod.Put, $"{p.Base}/channels/{handle}", body.ToJsonString())).AssertStatus(201);
    }

    private async Task<string> ChannelId(TestProject p, string handle) =>
        (string)(await Mgmt(HttpMethod.Get, $"{p.Base}/channels/{handle}")).AssertStatus(200).Body["id"]!;

    private static JsonObject From(JsonObject config)
    {
        config["from_email"] = "notify@acme.test";
        config["from_name"] = "Acme";
        return config;
    }

    private static JsonObject SmtpConfig(SmtpTestServer smtp) => From(new JsonObject
    {
        ["host"] = "127.0.0.1", ["port"] = smtp.Port, ["security"] = "starttls", ["username"] = "mailer", ["password"] = "s3cret",
    });

    private Task EmailChannelAsync(TestProject p, string provider, SmtpTestServer? smtp = null, string? fallback = null) =>
        ChannelAsync(p, provider, "email", provider, provider switch
        {
            "smtp" => SmtpConfig(smtp!),
            "sendgrid" => From(new JsonObject { ["api_key"] = "SG.test-key" }),
            "postmark" => From(new JsonObject { ["server_token"] = "pm-server-token" }),
            "resend" => From(new JsonObject { ["api_key"] = "re_test_key" }),
            "mailgun" => From(new JsonObject { ["api_key"] = "mg-key", ["domain"] = "mg.acme.test" }),
            _ => From(new JsonObject { ["access_key_id"] = "AKIDEXAMPLE", ["secret_access_key"] = "ses-secret", ["region"] = "us-east-1" }),
        }, fallback);

    private string GoogleServiceAccount() => new JsonObject
    {
        ["type"] = "service_account", ["project_id"] = "acme-app", ["private_key_id"] = "key-1",
        ["private_key"] = _googleKey.ExportPkcs8PrivateKeyPem(), ["client_email"] = "notiflows@acme-app.iam.gserviceaccount.com",
        ["token_uri"] = $"{_fake.Url}/token",
    }.ToJsonString();

    private static string ChannelStep(string handle, int position, string type, string template) =>
        $$"""{"handle": "{{handle}}", "type": "channel", "position": {{position}}, "channel_type": "{{type}}", "channel_handle": "{{handle}}", "template": {"data": {{template}}""" + "}}";

    /// <summary>Requests the fake received since <paramref name="from"/> on <paramref name="path"/> (prefix).</summary>
    private List<FakeRequest> On(string path, int from = 0) =>
        _fake.Requests.Skip(from).Where(r => r.Path.StartsWith(path, StringComparison.Ordinal)).ToList();

    private static List<JsonObject> Attempts(JsonObject delivery) => delivery["attempts"]!.AsArray().Select(a => a!.AsObject()).ToList();

    private static void AssertAttempt(JsonObject attempt, string provider, string outcome, int? code)
    {
        Assert.Equal(provider, (string?)attempt["provider"]);
        Assert.Equal(outcome, (string?)attempt["outcome"]);
        Assert.Equal(code, (int?)attempt["provider_response_code"]);
    }

    private static MimeMessage Mime(JsonObject received) =>
        MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes((string)received["data"]!)), TestContext.Current.CancellationToken);

    private static void AssertHtmlEmail(MimeMessage mime)
    {
        Assert.Equal(Subject, mime.Subject);
        Assert.Equal(Email, Assert.Single(mime.To.Mailboxes).Address);
        var alternative = Assert.IsType<MultipartAlternative>(mime.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(part => part.ContentType.MimeType));
        Assert.Equal("Hi Jane, order A-1001 is on its way.", ((TextPart)alternative[0]).Text.Trim());
        Assert.Equal("<p>Hi Jane, order <b>A-1001</b> is on its way.</p>", ((TextPart)alternative[1]).Text.Trim());
    }

    [Fact]
    public async Task OneStepOfEveryChannelType_OneCorrectRequestPerProvider()
    {
        await using var smtp = await SmtpTestServer.StartAsync("starttls", auth: "mailer:s3cret");
        var p = await NewProjectAsync();
        foreach (var provider in EmailChannels)
        {
            await EmailChannelAsync(p, provider, smtp);
        }
        await ChannelAsync(p, "twilio", "sms", "twilio", new JsonObject
        {
            ["account_sid"] = "AC0123456789abcdef0123456789abcdef", ["auth_token"] = "tw-auth-token", ["from"] = "+15550001111",
        });
        await ChannelAsync(p, "apns", "mobile_push", "apns", new JsonObject
        {
            ["bundle_id"] = "com.acme.app", ["environment"] = "production", ["auth_type"] = "key",
            ["key_id"] = "ABC123DEFG", ["team_id"] = "DEF123GHIJ", ["key"] = _apnsKey.ExportPkcs8PrivateKeyPem(),
        });
        await ChannelAsync(p, "fcm", "mobile_push", "fcm", new JsonObject { ["project_id"] = "acme-app", ["service_account_json"] = GoogleServiceAccount() });
        await ChannelAsync(p, "webpush", "web_push", "webpush", new JsonObject
        {
            ["vapid_public_key"] = Base64Url.EncodeToString(WebPushEncryption.ExportPublicKey(_vapidKey)),
            ["vapid_private_key"] = Base64Url.EncodeToString(_vapidKey.ExportParameters(true).D), ["vapid_subject"] = "mailto:ops@acme.test",
        });
        await ChannelAsync(p, "slack", "chat", "slack", new JsonObject { ["bot_token"] = "xoxb-test-token" });
        await ChannelAsync(p, "discord", "chat", "discord", []);
        await ChannelAsync(p, "teams", "chat", "msteams", []);
        await ChannelAsync(p, "hook", "webhook", "http", new JsonObject { ["url"] = $"{_fake.Url}/hook", ["signing_secret"] = SigningSecret });

        (await Admin(p, HttpMethod.Put, "/admin/v1/users/u1",
            $$"""{"email": "{{Email}}", "phone": "+15551234567", "first_name": "Jane", "last_name": "Doe"}""")).AssertStatus(201);
        async Task SettingsAsync(string channel, string settings) =>
            (await Admin(p, HttpMethod.Put, $"/admin/v1/users/u1/channel-settings/{await ChannelId(p, channel)}", $$"""{"settings": {{settings}}}"""))
                .AssertStatus(201);
        await SettingsAsync("apns", """{"device_tokens": ["apns-device-1"]}""");
        await SettingsAsync("fcm", """{"device_tokens": ["fcm-device-1"]}""");
        await SettingsAsync("slack", """{"slack_channel_id": "C0123456789"}""");
        await SettingsAsync("discord", $$"""{"webhook_url": "{{_fake.Url}}/discord-hook"}""");
        await SettingsAsync("teams", $$"""{"webhook_url": "{{_fake.Url}}/teams-hook"}""");
        var subscription = new JsonObject
        {
            ["identifier"] = "browser-1",
            ["settings"] = new JsonObject
            {
                ["endpoint"] = $"{_fake.Url}/push/sub-1",
                ["p256dh"] = Base64Url.EncodeToString(WebPushEncryption.ExportPublicKey(_browserKey)),
                ["auth"] = Base64Url.EncodeToString(_browserAuth),
            },
        };
        (await Admin(p, HttpMethod.Post, $"/admin/v1/users/u1/channel-subscriptions/{await ChannelId(p, "webpush")}", subscription.ToJsonString()))
            .AssertStatus(201);

        const string Push = """{"title": "Order {{ data.order }}", "body": "Shipped, {{ recipient.first_name }}", "action_url": "https://acme.test/orders/{{ data.order }}"}""";
        const string Chat = """{"body": "Order **{{ data.order }}** shipped to {{ recipient.first_name }}"}""";
        string[] steps =
        [
            Trigger,
            InApp("inbox", 1, "Order **{{ data.order }}** shipped"),
            .. EmailChannels.Select((handle, i) => ChannelStep(handle, 2 + i, "email", EmailTemplate)),
            ChannelStep("twilio", 8, "sms", """{"body": "Order {{ data.order }} shipped"}"""),
            ChannelStep("apns", 9, "mobile_push", Push),
            ChannelStep("fcm", 10, "mobile_push", Push),
            ChannelStep("webpush", 11, "web_push", Push),
            ChannelStep("slack", 12, "chat", Chat),
            ChannelStep("discord", 13, "chat", Chat),
            ChannelStep("teams", 14, "chat", Chat),
            ChannelStep("hook", 15, "webhook", """{"body": "{\"order\": \"{{ data.order }}\", \"user\": \"{{ recipient.external_id }}\"}"}"""),
            End(16),
        ];
        await PublishAsync(p, "order-shipped", Steps(steps));
        var before = _fake.Requests.Count;

        var runId = await RunAsync(p, "order-shipped", """{"recipients": ["u1"], "data": {"order": "A-1001"}}""");
        await Host.DrainAsync();

        // Every delivery is sent, each with one successful attempt through its own channel's provider.
        var n = await OnlyNotification(p, runId);
        var deliveries = Deliveries(n).ToDictionary(d => (string)d["step_handle"]!);
        Assert.Equal(15, deliveries.Count);
        var codes = new Dictionary<string, int> { ["smtp"] = 250, ["sendgrid"] = 202, ["twilio"] = 201, ["webpush"] = 201, ["hook"] = 204 };
        foreach (var (step, d) in deliveries)
        {
            Assert.True("sent" == (string?)d["status"], $"{step}: {d.ToJsonString()}");
            if (step != "inbox")
            {
                AssertAttempt(Assert.Single(Attempts(d)), (string)d["provider"]!, "success", codes.GetValueOrDefault(step, 200));
                Assert.Equal(await ChannelId(p, step), (string?)d["channel_id"]);
            }
        }
        Assert.Equal("Order **A-1001** shipped", (string?)deliveries["inbox"]["data"]!["body"]);
        Assert.Equal(Subject, (string?)deliveries["sendgrid"]["data"]!["subject"]); // the rendered content is stored
        var messageIds = new Dictionary<string, string?>
        {
            ["sendgrid"] = "sg-msg-1", ["postmark"] = "pm-msg-1", ["resend"] = "re-msg-1", ["mailgun"] = "<mg-msg-1@mg.acme.test>",
            ["ses"] = "ses-msg-1", ["twilio"] = "SM-msg-1", ["apns"] = "apns-msg-1", ["fcm"] = "projects/acme-app/messages/fcm-msg-1",
            ["webpush"] = "https://push.example/m/1", ["discord"] = "dc-msg-1", ["slack"] = "1768473000.000100",
        };
        foreach (var (step, d) in deliveries.Where(d => d.Key is not ("smtp" or "inbox")))
        {
            Assert.True(messageIds.GetValueOrDefault(step) == (string?)d["provider_message_id"], $"{step}: {d["provider_message_id"]}");
        }

        // smtp: a real SMTP server got one message over STARTTLS with AUTH, html and its plain-text alternative.
        var received = Assert.Single(smtp.Received());
        Assert.Equal(("mailer", true), ((string?)received["login"], (bool)received["tls"]!));
        Assert.Equal("""["jane@acme.test"]""", received["rcpt_tos"]!.ToJsonString());
        var mime = Mime(received);
        AssertHtmlEmail(mime);
        Assert.Equal("\"Acme\" <notify@acme.test>", mime.From.ToString());
        Assert.Equal(mime.MessageId, (string?)deliveries["smtp"]["provider_message_id"]);

        var sendgrid = Assert.Single(On("/v3/mail/send", before));
        Assert.Equal(("POST", "Bearer SG.test-key"), (sendgrid.Method, sendgrid.Header("Authorization")));
        Assert.Equal(Email, (string?)sendgrid.Json["personalizations"]![0]!["to"]![0]!["email"]);
        Assert.Equal(Subject, (string?)sendgrid.Json["subject"]);
        Assert.Equal(["text/plain", "text/html"], sendgrid.Json["content"]!.AsArray().Select(c => (string)c!["type"]!));

        var postmark = Assert.Single(On("/email", before), r => r.Path == "/email");
        Assert.Equal("pm-server-token", postmark.Header("X-Postmark-Server-Token"));
        Assert.Contains(Email, (string?)postmark.Json["To"], StringComparison.Ordinal);
        Assert.Equal((Subject, "outbound"), ((string?)postmark.Json["Subject"], (string?)postmark.Json["MessageStream"]));
        Assert.Equal("<p>Hi Jane, order <b>A-1001</b> is on its way.</p>", (string?)postmark.Json["HtmlBody"]);
        Assert.Equal("Hi Jane, order A-1001 is on its way.", ((string?)postmark.Json["TextBody"])?.Trim());

        var resend = Assert.Single(On("/emails", before));
        Assert.Equal(("Bearer re_test_key", (string?)deliveries["resend"]["id"]), (resend.Header("Authorization"), resend.Header("Idempotency-Key")));
        Assert.Contains(Email, (string?)resend.Json["to"]![0], StringComparison.Ordinal);
        Assert.Equal(Subject, (string?)resend.Json["subject"]);
        Assert.NotNull(resend.Json["html"]);
        Assert.NotNull(resend.Json["text"]);

        var mailgun = Assert.Single(On("/v3/mg.acme.test/messages", before));
        Assert.Equal(ProviderHttp.Basic("api", "mg-key").ToString(), mailgun.Header("Authorization"));
        Assert.Contains(Email, mailgun.Form["to"], StringComparison.Ordinal);
        Assert.Equal(Subject, mailgun.Form["subject"]);
        Assert.True(mailgun.Form.ContainsKey("html") && mailgun.Form.ContainsKey("text"));

        var ses = Assert.Single(On("/v2/email/outbound-emails", before));
        var authorization = ses.Header("Authorization")!;
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260115/us-east-1/ses/aws4_request, SignedHeaders=", authorization, StringComparison.Ordinal);
        var signed = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');
        Assert.Contains("host", signed);
        Assert.Contains("x-amz-date", signed);
        Assert.Equal(authorization, SigV4.Authorization("POST", "/v2/email/outbound-emails",
            signed.ToDictionary(h => h, h => ses.Header(h)!), ses.Body, "AKIDEXAMPLE", "ses-secret", "us-east-1", "ses",
            DateTimeOffset.ParseExact(ses.Header("x-amz-date")!, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)));
        Assert.Equal("Jane Doe <jane@acme.test>", (string?)ses.Json["Destination"]!["ToAddresses"]![0]);
        Assert.Equal(Subject, (string?)ses.Json["Content"]!["Simple"]!["Subject"]!["Data"]);

        var twilio = Assert.Single(On("/2010-04-01/Accounts/", before));
        Assert.Equal("/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json", twilio.Path);
        Assert.Equal(ProviderHttp.Basic("AC0123456789abcdef0123456789abcdef", "tw-auth-token").ToString(), twilio.Header("Authorization"));
        Assert.Equal(("+15551234567", "+15550001111", "Order A-1001 shipped"), (twilio.Form["To"], twilio.Form["From"], twilio.Form["Body"]));

        var apns = Assert.Single(On("/3/device/", before));
        Assert.Equal(("/3/device/apns-device-1", "HTTP/2", "com.acme.app"), (apns.Path, apns.Protocol, apns.Header("apns-topic")));
        using (var apnsPublic = ECDsa.Create(_apnsKey.ExportParameters(false)))
        {
            var (header, claims) = TestJwt.VerifyEs256(apns.Header("authorization")!["bearer ".Length..], apnsPublic);
            Assert.Equal(("ES256", "ABC123DEFG", "DEF123GHIJ"), ((string?)header["alg"], (string?)header["kid"], (string?)claims["iss"]));
        }
        Assert.Equal(("Order A-1001", "Shipped, Jane"), ((string?)apns.Json["aps"]!["alert"]!["title"], (string?)apns.Json["aps"]!["alert"]!["body"]));

        var token = Assert.Single(On("/token", before));
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", token.Form["grant_type"]);
        using (var googlePublic = RSA.Create(_googleKey.ExportParameters(false)))
        {
            var (_, claims) = TestJwt.VerifyRs256(token.Form["assertion"], googlePublic);
            Assert.Equal(("notiflows@acme-app.iam.gserviceaccount.com", $"{_fake.Url}/token"), ((string?)claims["iss"], (string?)claims["aud"]));
        }
        var fcm = Assert.Single(On("/v1/projects/acme-app/messages:send", before));
        Assert.Equal("Bearer ya29.test-token", fcm.Header("Authorization"));
        Assert.Equal("fcm-device-1", (string?)fcm.Json["message"]!["token"]);
        Assert.Equal(("Order A-1001", "Shipped, Jane"),
            ((string?)fcm.Json["message"]!["notification"]!["title"], (string?)fcm.Json["message"]!["notification"]!["body"]));

        var push = Assert.Single(On("/push/", before));
        Assert.Equal(("/push/sub-1", "aes128gcm"), (push.Path, push.Header("Content-Encoding")));
        Assert.True(JsonNode.DeepEquals(deliveries["webpush"]["data"], JsonNode.Parse(WebPushTestCrypto.Decrypt(push.Body, _browserKey, _browserAuth))),
            "the decrypted payload is the rendered data");
        var vapid = push.Header("Authorization")!;
        using (var vapidPublic = ECDsa.Create(_vapidKey.ExportParameters(false)))
        {
            var (_, claims) = TestJwt.VerifyEs256(vapid["vapid t=".Length..vapid.IndexOf(',', StringComparison.Ordinal)], vapidPublic);
            Assert.Equal((_fake.Url, "mailto:ops@acme.test"), ((string?)claims["aud"], (string?)claims["sub"]));
        }

        var slack = Assert.Single(On("/chat.postMessage", before));
        Assert.Equal("Bearer xoxb-test-token", slack.Header("Authorization"));
        Assert.Equal(("C0123456789", "Order *A-1001* shipped to Jane"), ((string?)slack.Json["channel"], (string?)slack.Json["text"]));

        var discord = Assert.Single(On("/discord-hook", before));
        Assert.Equal("?wait=true", discord.Query);
        Assert.Equal("Order **A-1001** shipped to Jane", (string?)discord.Json["content"]);

        var teams = Assert.Single(On("/teams-hook", before));
        Assert.Equal("message", (string?)teams.Json["type"]);
        var card = teams.Json["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)card["contentType"]);
        Assert.Equal("Order **A-1001** shipped to Jane", (string?)card["content"]!["body"]![0]!["text"]);

        var hook = Assert.Single(On("/hook", before), r => r.Path == "/hook");
        Assert.Equal("POST", hook.Method);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"order": "A-1001", "user": "u1"}"""), JsonNode.Parse(hook.Text)), hook.Text);
        Assert.Equal((string?)deliveries["hook"]["id"], hook.Header("webhook-id"));
        var key = Convert.FromBase64String(SigningSecret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{hook.Header("webhook-id")}.{hook.Header("webhook-timestamp")}.{hook.Text}")));
        Assert.Equal("v1," + expected, hook.Header("webhook-signature"));

        // One request per provider, nothing else (the FCM OAuth token exchange is FCM's own first request).
        Assert.Equal(14, _fake.Requests.Count - before);
    }

    private async Task<(TestProject Project, JsonObject Notification)> SendOneEmailAsync(string provider, SmtpTestServer? smtp = null, string? fallback = null)
    {
        var p = await NewProjectAsync();
        if (fallback is not null)
        {
            await EmailChannelAsync(p, fallback, smtp);
        }
        await EmailChannelAsync(p, provider, smtp, fallback);
        await PublishAsync(p, "receipt", Steps(Trigger, ChannelStep(provider, 1, "email", EmailTemplate), End(2)));
        var runId = await RunAsync(p, "receipt",
            $$"""{"recipients": [{"external_id": "u1", "email": "{{Email}}", "first_name": "Jane"}], "data": {"order": "A-1001"}""" + "}");
        await Host.DrainAsync();
        return (p, await OnlyNotification(p, runId));
    }

    [Fact]
    public async Task Retry_503ThenAccepted_BothAttemptsInTheAdminApi()
    {
        var before = _fake.Requests.Count;
        _fake.Answer(FakeAnswer.Json(503, """{"errors": [{"message": "try later"}]}"""));

        var (p, n) = await SendOneEmailAsync("sendgrid");

        var d = Delivery(n, "sendgrid");
        Assert.Equal("processing", (string?)d["status"]);
        AssertAttempt(Assert.Single(Attempts(d)), "sendgrid", "retryable_error", 503);
        Assert.Contains("try later", (string?)Attempts(d)[0]["error"], StringComparison.Ordinal);
        Assert.Equal(Host.Time.GetUtcNow().AddSeconds(15), DateTimeOffset.Parse((string)d["next_attempt_at"]!, CultureInfo.InvariantCulture));

        Host.Time.Advance(TimeSpan.FromSeconds(15));
        await Host.DrainAsync();

        d = (await Admin(p, HttpMethod.Get, $"/admin/v1/deliveries/{d["id"]}")).AssertStatus(200).Body;
        Assert.Equal(("sent", "sg-msg-1"), ((string?)d["status"], (string?)d["provider_message_id"]));
        Assert.Equal([1, 2], Attempts(d).Select(a => (int)a["number"]!));
        AssertAttempt(Attempts(d)[0], "sendgrid", "retryable_error", 503);
        AssertAttempt(Attempts(d)[1], "sendgrid", "success", 202);
        Assert.Equal(2, On("/v3/mail/send", before).Count);
    }

    [Fact]
    public async Task Permanent_422_FailsAtOnce_OneAttemptInTheAdminApi()
    {
        var before = _fake.Requests.Count;
        _fake.Answer(FakeAnswer.Json(422, """{"ErrorCode": 300, "Message": "Invalid 'To' address: 'jane@acme.test'."}"""));

        var (p, n) = await SendOneEmailAsync("postmark");

        var d = (await Admin(p, HttpMethod.Get, $"/admin/v1/deliveries/{Delivery(n, "postmark")["id"]}")).AssertStatus(200).Body;
        Assert.Equal("failed", (string?)d["status"]);
        Assert.Contains("Invalid 'To' address", (string?)d["error"], StringComparison.Ordinal);
        Assert.Null(d["next_attempt_at"]);
        AssertAttempt(Assert.Single(Attempts(d)), "postmark", "permanent_error", 422);
        Host.Time.Advance(TimeSpan.FromMinutes(40));
        Assert.Equal(0, await Host.DrainAsync());
        Assert.Single(On("/email", before));
    }

    [Fact]
    public async Task Failover_ResendRefuses_SentThroughTheSmtpFallback_BothInTheAdminApi()
    {
        await using var smtp = await SmtpTestServer.StartAsync("starttls", auth: "mailer:s3cret");
        var before = _fake.Requests.Count;
        _fake.Answer(FakeAnswer.Json(401, """{"statusCode": 401, "name": "validation_error", "message": "API key is invalid"}"""));

        var (p, n) = await SendOneEmailAsync("resend", smtp, fallback: "smtp");

        var d = (await Admin(p, HttpMethod.Get, $"/admin/v1/deliveries/{Delivery(n, "resend")["id"]}")).AssertStatus(200).Body;
        Assert.Equal(("sent", "smtp"), ((string?)d["status"], (string?)d["provider"]));
        Assert.Equal(await ChannelId(p, "smtp"), (string?)d["channel_id"]);
        var attempts = Attempts(d);
        Assert.Equal(2, attempts.Count);
        AssertAttempt(attempts[0], "resend", "permanent_error", 401);
        Assert.Equal(await ChannelId(p, "resend"), (string?)attempts[0]["channel_id"]);
        AssertAttempt(attempts[1], "smtp", "success", 250);
        Assert.Equal(await ChannelId(p, "smtp"), (string?)attempts[1]["channel_id"]);
        Assert.Single(On("/emails", before));
        var mime = Mime(Assert.Single(smtp.Received()));
        AssertHtmlEmail(mime);
        Assert.Equal(mime.MessageId, (string?)d["provider_message_id"]);
    }
}

public sealed class SqliteEveryChannelTests(SqliteEveryChannelFixture f) : EveryChannelTests<SqliteEveryChannelFixture>(f);

public sealed class PostgresEveryChannelTests(PostgresEveryChannelFixture f) : EveryChannelTests<PostgresEveryChannelFixture>(f);
