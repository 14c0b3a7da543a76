using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Notiflows.Core.Delivery;
using Notiflows.Server.Providers;
using Notiflows.Server.Providers.Email;
using static Notiflows.Server.Tests.Providers.Email.EmailTestMessages;

namespace Notiflows.Server.Tests.Providers.Email;

/// <summary>
/// The HTTP email providers on the wire, against <see cref="FakeProviderServer"/>: the exact documented request (URL, method,
/// auth, content type, body field by field), the message id read from the answer, and the §12.9 classification of failures.
/// </summary>
public sealed class HttpEmailProviderTests
{
    private static readonly Dictionary<string, (JsonObject Config, FakeAnswer Accepted)> Providers = new()
    {
        ["sendgrid"] = (new JsonObject { ["api_key"] = "SG.test-key" },
            new FakeAnswer(202, Headers: new Dictionary<string, string> { ["X-Message-Id"] = "sg-msg-1" })),
        ["postmark"] = (new JsonObject { ["server_token"] = "pm-server-token", ["message_stream"] = "broadcasts" },
            new FakeAnswer(200, """{"To":"jane@example.com","SubmittedAt":"2026-01-15T10:30:00Z","MessageID":"pm-msg-1","ErrorCode":0,"Message":"OK"}""")),
        ["resend"] = (new JsonObject { ["api_key"] = "re_test_key" }, new FakeAnswer(200, """{"id":"re-msg-1"}""")),
        ["mailgun"] = (new JsonObject { ["api_key"] = "mg-key", ["domain"] = "mg.acme.example", ["region"] = "eu" },
            new FakeAnswer(200, """{"id":"<mg-msg-1@mg.acme.example>","message":"Queued. Thank you."}""")),
        ["ses"] = (new JsonObject
        {
            ["access_key_id"] = "AKIDEXAMPLE", ["secret_access_key"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ["region"] = "eu-west-1", ["configuration_set"] = "tracking",
        }, new FakeAnswer(200, """{"MessageId":"ses-msg-1"}""")),
    };

    private static async Task<(FakeProviderServer Fake, IChannelProvider Provider)> StartAsync(
        string name, double timeoutSeconds = 30, FakeTimeProvider? time = null)
    {
        var fake = await FakeProviderServer.StartAsync(fallback: Providers[name].Accepted);
        var provider = Provider(name, new Dictionary<string, string?>
        {
            [$"Notiflows:Providers:{name}:BaseUrl"] = fake.Url,
            ["Notiflows:Providers:TimeoutSeconds"] = timeoutSeconds.ToString(CultureInfo.InvariantCulture),
        }, time);
        return (fake, provider);
    }

    private static Task<ProviderReply> SendAsync(IChannelProvider provider, string contentType = "html") =>
        provider.SendAsync(Message(provider.Provider, Providers[provider.Provider].Config, contentType), TestContext.Current.CancellationToken);

    /// <summary>Sends one message through a fresh fake that accepts it; the reply and the one request the fake received.</summary>
    private static async Task<(ProviderReply Reply, FakeRequest Request)> SendOnceAsync(string name, string contentType = "html")
    {
        var (fake, provider) = await StartAsync(name);
        await using var _ = fake;
        var reply = await SendAsync(provider, contentType);
        return (reply, Assert.Single(fake.Requests));
    }

    private static JsonObject Json(FakeRequest request) => JsonNode.Parse(request.Body)!.AsObject();

    [Fact]
    public async Task Sendgrid_posts_v3_mail_send_with_bearer_auth_and_text_before_html()
    {
        var (reply, request) = await SendOnceAsync("sendgrid");

        Assert.Equal(ProviderReply.Ok(202, "sg-msg-1"), reply);
        Assert.Equal(("POST", "/v3/mail/send"), (request.Method, request.Path));
        Assert.Equal("Bearer SG.test-key", request.Header("Authorization"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        var expected = JsonNode.Parse($$"""
            {
              "personalizations": [{ "to": [{ "email": "jane@example.com", "name": "Jane Doe" }] }],
              "from": { "email": "notify@acme.example", "name": "Acme Shop" },
              "subject": "Your order #1 shipped",
              "content": [{ "type": "text/plain", "value": {{JsonValue.Create(HtmlAsText).ToJsonString()}} },
                          { "type": "text/html", "value": {{JsonValue.Create(Html).ToJsonString()}} }],
              "reply_to": { "email": "help@acme.example" }
            }
            """);
        Assert.True(JsonNode.DeepEquals(expected, Json(request)), Json(request).ToJsonString());
    }

    [Fact]
    public async Task Sendgrid_plaintext_has_one_text_part()
    {
        var (_, request) = await SendOnceAsync("sendgrid", "plaintext");

        var content = Json(request)["content"]!.ToJsonString();
        Assert.Equal("""[{"type":"text/plain","value":"Hello Jane,\nyour order shipped."}]""", content);
    }

    [Fact]
    public async Task Postmark_posts_email_with_server_token_and_message_stream()
    {
        var (reply, request) = await SendOnceAsync("postmark");

        Assert.Equal(ProviderReply.Ok(200, "pm-msg-1"), reply);
        Assert.Equal(("POST", "/email"), (request.Method, request.Path));
        Assert.Equal("pm-server-token", request.Header("X-Postmark-Server-Token"));
        Assert.Equal("application/json", request.Header("Accept"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        var body = Json(request);
        Assert.Equal("Acme Shop <notify@acme.example>", (string?)body["From"]);
        Assert.Equal("Jane Doe <jane@example.com>", (string?)body["To"]);
        Assert.Equal("help@acme.example", (string?)body["ReplyTo"]);
        Assert.Equal("Your order #1 shipped", (string?)body["Subject"]);
        Assert.Equal(Html, (string?)body["HtmlBody"]);
        Assert.Equal(HtmlAsText, (string?)body["TextBody"]);
        Assert.Equal("broadcasts", (string?)body["MessageStream"]);
        Assert.Equal(7, body.Count);
    }

    [Fact]
    public async Task Resend_posts_emails_with_bearer_auth()
    {
        var (reply, request) = await SendOnceAsync("resend");

        Assert.Equal(ProviderReply.Ok(200, "re-msg-1"), reply);
        Assert.Equal(("POST", "/emails"), (request.Method, request.Path));
        Assert.Equal("Bearer re_test_key", request.Header("Authorization"));
        Assert.Equal("0b7c6f5e-1d2a-4c3b-9e8f-7a6b5c4d3e2f", request.Header("Idempotency-Key")); // the delivery id
        var expected = new JsonObject
        {
            ["from"] = "Acme Shop <notify@acme.example>",
            ["to"] = new JsonArray("Jane Doe <jane@example.com>"),
            ["subject"] = "Your order #1 shipped",
            ["text"] = HtmlAsText,
            ["html"] = Html,
            ["reply_to"] = "help@acme.example",
        };
        Assert.True(JsonNode.DeepEquals(expected, Json(request)), Json(request).ToJsonString());
    }

    [Fact]
    public async Task Mailgun_posts_a_form_to_the_domain_with_basic_auth()
    {
        var (reply, request) = await SendOnceAsync("mailgun");

        Assert.Equal(ProviderReply.Ok(200, "<mg-msg-1@mg.acme.example>"), reply);
        Assert.Equal(("POST", "/v3/mg.acme.example/messages"), (request.Method, request.Path));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("api:mg-key")), request.Header("Authorization"));
        Assert.StartsWith("multipart/form-data", request.Header("Content-Type"), StringComparison.Ordinal);
        var form = request.Form!.ToDictionary(f => f.Key, f => f.Value.ToString());
        Assert.Equal(new Dictionary<string, string>
        {
            ["from"] = "Acme Shop <notify@acme.example>",
            ["to"] = "Jane Doe <jane@example.com>",
            ["subject"] = "Your order #1 shipped",
            ["text"] = HtmlAsText,
            ["html"] = Html,
            ["h:Reply-To"] = "help@acme.example",
        }, form);
    }

    [Theory]
    [InlineData("us", "https://api.mailgun.net")]
    [InlineData("eu", "https://api.eu.mailgun.net")]
    [InlineData(null, "https://api.mailgun.net")]
    public void Mailgun_region_picks_the_documented_host(string? region, string host) =>
        Assert.Equal(host, MailgunProvider.DocumentedBaseUrl(region));

    [Fact]
    public async Task Ses_posts_v2_outbound_emails_signed_with_sigv4()
    {
        var (reply, request) = await SendOnceAsync("ses");

        Assert.Equal(ProviderReply.Ok(200, "ses-msg-1"), reply);
        Assert.Equal(("POST", "/v2/email/outbound-emails"), (request.Method, request.Path));
        Assert.Equal("20260115T103000Z", request.Header("X-Amz-Date"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal(ExpectedSigV4(request, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "eu-west-1"), request.Header("Authorization"));
        var expected = new JsonObject
        {
            ["FromEmailAddress"] = "Acme Shop <notify@acme.example>",
            ["Destination"] = new JsonObject { ["ToAddresses"] = new JsonArray("Jane Doe <jane@example.com>") },
            ["Content"] = new JsonObject
            {
                ["Simple"] = new JsonObject
                {
                    ["Subject"] = new JsonObject { ["Data"] = "Your order #1 shipped", ["Charset"] = "UTF-8" },
                    ["Body"] = new JsonObject
                    {
                        ["Text"] = new JsonObject { ["Data"] = HtmlAsText, ["Charset"] = "UTF-8" },
                        ["Html"] = new JsonObject { ["Data"] = Html, ["Charset"] = "UTF-8" },
                    },
                },
            },
            ["ReplyToAddresses"] = new JsonArray("help@acme.example"),
            ["ConfigurationSetName"] = "tracking",
        };
        Assert.True(JsonNode.DeepEquals(expected, Json(request)), Json(request).ToJsonString());
    }

    /// <summary>
    /// AWS Signature Version 4 recomputed from what the fake received, step by step as documented in
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (independent of the provider's code).
    /// </summary>
    private static string ExpectedSigV4(FakeRequest request, string keyId, string secret, string region)
    {
        var amzDate = request.Header("X-Amz-Date")!;
        var date = amzDate[..8];
        var canonicalHeaders = $"content-type:{request.Header("Content-Type")}\nhost:{request.Header("Host")}\nx-amz-date:{amzDate}\n";
        const string signedHeaders = "content-type;host;x-amz-date";
        var canonicalRequest = $"POST\n{request.Path}\n\n{canonicalHeaders}\n{signedHeaders}\n{Convert.ToHexStringLower(SHA256.HashData(request.Body))}";
        var scope = $"{date}/{region}/ses/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
        var signingKey = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date), region), "ses"), "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(signingKey, stringToSign));
        return $"AWS4-HMAC-SHA256 Credential={keyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    public static TheoryData<string, int, AttemptOutcome> Failures()
    {
        var data = new TheoryData<string, int, AttemptOutcome>();
        foreach (var name in Providers.Keys)
        {
            data.Add(name, 400, AttemptOutcome.Permanent);
            data.Add(name, 401, AttemptOutcome.Permanent);
            data.Add(name, 404, AttemptOutcome.Permanent);
            data.Add(name, 408, AttemptOutcome.Retryable);
            data.Add(name, 422, AttemptOutcome.Permanent);
            data.Add(name, 500, AttemptOutcome.Retryable);
            data.Add(name, 503, AttemptOutcome.Retryable);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task An_error_status_is_classified_with_the_status_and_the_answer(string name, int status, AttemptOutcome outcome)
    {
        var (fake, provider) = await StartAsync(name);
        await using var _ = fake;
        fake.Answer(new FakeAnswer(status, """{"message":"nope"}"""));

        var reply = await SendAsync(provider);

        Assert.Equal((outcome, status, (string?)null, false), (reply.Outcome, reply.StatusCode, reply.ProviderMessageId, reply.TargetGone));
        Assert.Contains("""{"message":"nope"}""", reply.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Providers[name].Config.Select(c => (string)c.Value!).First(), reply.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sendgrid")]
    [InlineData("postmark")]
    [InlineData("resend")]
    [InlineData("mailgun")]
    [InlineData("ses")]
    public async Task Throttling_is_retryable_with_the_retry_after_asked_for(string name)
    {
        var (fake, provider) = await StartAsync(name);
        await using var _ = fake;
        fake.Answer(new FakeAnswer(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "120" }));

        var reply = await SendAsync(provider);

        Assert.Equal((AttemptOutcome.Retryable, (int?)429, (TimeSpan?)TimeSpan.FromSeconds(120)), (reply.Outcome, reply.StatusCode, reply.RetryAfter));
    }

    [Theory]
    [InlineData("sendgrid")]
    [InlineData("postmark")]
    [InlineData("resend")]
    [InlineData("mailgun")]
    [InlineData("ses")]
    public async Task A_dropped_connection_or_a_timeout_is_retryable_without_status(string name)
    {
        var time = new FakeTimeProvider(Now);
        var (fake, provider) = await StartAsync(name, timeoutSeconds: 0.5, time);
        await using var _ = fake;
        fake.Answer(new FakeAnswer(200, Drop: true));

        var dropped = await SendAsync(provider);
        var slow = await fake.SendTimingOutAsync(() => SendAsync(provider), time, TimeSpan.FromSeconds(0.5));

        Assert.Equal((AttemptOutcome.Retryable, (int?)null), (dropped.Outcome, dropped.StatusCode));
        Assert.Equal((AttemptOutcome.Retryable, (int?)null, "timed out"), (slow.Outcome, slow.StatusCode, slow.Error));
    }

    [Theory]
    [InlineData("sendgrid")]
    [InlineData("ses")]
    public async Task A_message_without_address_or_sender_fails_permanently_without_a_call(string name)
    {
        var (fake, provider) = await StartAsync(name);
        await using var _ = fake;
        var ct = TestContext.Current.CancellationToken;

        var noAddress = await provider.SendAsync(Message(name, Providers[name].Config, address: null), ct);
        var noSender = await provider.SendAsync(Message(name, new JsonObject(Providers[name].Config.Select(
            c => KeyValuePair.Create(c.Key, c.Value?.DeepClone()))) { ["from_email"] = null }), ct);

        Assert.Equal(new ProviderReply(AttemptOutcome.Permanent, null, "no recipient address"), noAddress);
        Assert.Equal(new ProviderReply(AttemptOutcome.Permanent, null, "invalid configuration: from_email is missing"), noSender);
        Assert.Empty(fake.Requests);
    }
}
