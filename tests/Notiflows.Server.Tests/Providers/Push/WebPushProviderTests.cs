using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;
using Notiflows.Server.Providers.Push;

namespace Notiflows.Server.Tests.Providers.Push;

/// <summary>
/// <c>webpush</c> on the wire: the test holds the subscription's private key and auth secret, decrypts the body per
/// RFC 8291 / RFC 8188 and verifies the VAPID token (RFC 8292) with the channel's public key.
/// </summary>
public sealed class WebPushProviderTests : IAsyncLifetime
{
    private readonly PushTestHost _host = new();
    private readonly ECDiffieHellman _subscriptionKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _authSecret = RandomNumberGenerator.GetBytes(16);
    private readonly ECDsa _vapidKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private FakeProviderServer _push = null!;

    public async ValueTask InitializeAsync() => _push = await FakeProviderServer.StartAsync();

    private static JsonObject Data() => new()
    {
        ["title"] = "New comment",
        ["body"] = "Jane commented on “Roadmap” ✓",
        ["icon"] = "https://example.com/icon.png",
        ["image"] = null,
        ["action_url"] = "https://example.com/docs/1",
    };

    private string VapidPublicKey => Base64Url.EncodeToString(WebPushEncryption.ExportPublicKey(_vapidKey));

    private JsonObject Config() => new()
    {
        ["vapid_public_key"] = VapidPublicKey,
        ["vapid_private_key"] = Base64Url.EncodeToString(_vapidKey.ExportParameters(true).D),
        ["vapid_subject"] = "mailto:ops@example.com",
    };

    private JsonObject Subscription(string? endpoint = null) => new()
    {
        ["endpoint"] = endpoint ?? $"{_push.Url}/wpush/v2/abc-123",
        ["p256dh"] = Base64Url.EncodeToString(WebPushEncryption.ExportPublicKey(_subscriptionKey)),
        ["auth"] = Base64Url.EncodeToString(_authSecret),
    };

    private Task<ProviderReply> SendAsync(JsonObject? config = null, JsonObject? data = null, JsonObject? subscription = null) =>
        _host.Provider("webpush").SendAsync(
            PushTestHost.Message("web_push", "webpush", config ?? Config(), data ?? Data(), Guid.NewGuid().ToString(), subscription ?? Subscription()),
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task Send_PostsTheEncryptedPayloadWithVapid_AndSucceedsOn201()
    {
        _push.Answer(new FakeAnswer(201, null, new Dictionary<string, string> { ["Location"] = "https://push.example.net/m/42" }));

        var reply = await SendAsync();

        Assert.Equal(ProviderReply.Ok(201, "https://push.example.net/m/42"), reply);
        var request = _push.Single;
        Assert.Equal(("POST", "/wpush/v2/abc-123"), (request.Method, request.Path));
        Assert.Equal("2419200", request.Header("TTL"));
        Assert.Equal("normal", request.Header("Urgency"));
        Assert.Equal("aes128gcm", request.Header("Content-Encoding"));
        Assert.Equal("application/octet-stream", request.Header("Content-Type"));
        Assert.True(JsonNode.DeepEquals(Data(), JsonNode.Parse(Decrypt(request.Body))), "decrypted payload = rendered data");

        var authorization = request.Header("Authorization")!;
        Assert.StartsWith("vapid t=", authorization, StringComparison.Ordinal);
        var (token, k) = (authorization["vapid t=".Length..authorization.IndexOf(',', StringComparison.Ordinal)],
            authorization[(authorization.IndexOf(", k=", StringComparison.Ordinal) + 4)..]);
        Assert.Equal(VapidPublicKey, k);
        using var vapidPublic = ECDsa.Create(_vapidKey.ExportParameters(false));
        var (header, claims) = TestJwt.VerifyEs256(token, vapidPublic);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["typ"] = "JWT", ["alg"] = "ES256" }, header));
        Assert.True(JsonNode.DeepEquals(new JsonObject
        {
            ["aud"] = _push.Url,
            ["exp"] = PushTestHost.Start.AddHours(12).ToUnixTimeSeconds(),
            ["sub"] = "mailto:ops@example.com",
        }, claims), claims.ToJsonString());
    }

    [Fact]
    public async Task Send_EachMessageHasItsOwnSaltAndSenderKey()
    {
        await SendAsync();
        await SendAsync();

        var (first, second) = (_push.Requests[0].Body, _push.Requests[1].Body);
        Assert.NotEqual(first[..16], second[..16]);
        Assert.NotEqual(first[21..86], second[21..86]);
        Assert.Equal(Decrypt(first), Decrypt(second));
    }

    [Theory]
    [InlineData(400, AttemptOutcome.Permanent, false)]
    [InlineData(401, AttemptOutcome.Permanent, false)]
    [InlineData(403, AttemptOutcome.Permanent, false)]
    [InlineData(404, AttemptOutcome.Permanent, true)]
    [InlineData(410, AttemptOutcome.Permanent, true)]
    [InlineData(413, AttemptOutcome.Permanent, false)]
    [InlineData(408, AttemptOutcome.Retryable, false)]
    [InlineData(500, AttemptOutcome.Retryable, false)]
    [InlineData(503, AttemptOutcome.Retryable, false)]
    public async Task Send_ClassifiesTheStatus(int status, AttemptOutcome outcome, bool targetGone)
    {
        _push.Answer(new FakeAnswer(status, """{"reason":"nope"}"""));

        var reply = await SendAsync();

        Assert.Equal((outcome, status, targetGone, (TimeSpan?)null), (reply.Outcome, reply.StatusCode, reply.TargetGone, reply.RetryAfter));
        Assert.Contains("nope", reply.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_429_IsRetryableWithRetryAfter()
    {
        _push.Answer(FakeAnswer.RetryAfter(429, 120));

        var reply = await SendAsync();

        Assert.Equal((AttemptOutcome.Retryable, 429, TimeSpan.FromSeconds(120), false),
            (reply.Outcome, reply.StatusCode, reply.RetryAfter, reply.TargetGone));
    }

    [Fact]
    public async Task Send_Timeout_IsRetryableWithoutStatus()
    {
        var reply = await _push.SendTimingOutAsync(() => SendAsync(), _host.Time, TimeSpan.FromSeconds(0.5));

        Assert.Equal((AttemptOutcome.Retryable, (int?)null), (reply.Outcome, reply.StatusCode));
        Assert.Contains("timed out", reply.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_DroppedConnection_IsRetryableWithoutStatus()
    {
        _push.Answer(FakeAnswer.Dropped);

        var reply = await SendAsync();

        Assert.Equal((AttemptOutcome.Retryable, (int?)null), (reply.Outcome, reply.StatusCode));
        Assert.NotNull(reply.Error);
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "p256dh", "the subscription's p256dh or auth key is invalid" },
        { "auth", "the subscription's p256dh or auth key is invalid" },
        { "endpoint", "the subscription has no valid endpoint" },
        { "vapid_public_key", "the channel's VAPID key pair is invalid" },
        { "vapid_private_key", "the channel's VAPID key pair is invalid" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Send_UnusableKeysOrEndpoint_FailPermanentlyWithoutACall(string field, string error)
    {
        var (config, subscription) = (Config(), Subscription());
        (field.StartsWith("vapid", StringComparison.Ordinal) ? config : subscription)[field] = field == "auth" ? "" : "not*base64url";

        var reply = await SendAsync(config, subscription: subscription);

        Assert.Equal(new ProviderReply(AttemptOutcome.Permanent, null, error), reply);
        Assert.Empty(_push.Requests);
    }

    [Fact]
    public async Task Send_PayloadBeyondOneRecord_FailsPermanentlyWithoutACall()
    {
        var data = Data();
        data["body"] = new string('x', WebPushEncryption.MaxPlaintext);

        var reply = await SendAsync(data: data);

        Assert.Equal(AttemptOutcome.Permanent, reply.Outcome);
        Assert.Contains("web push allows 3993", reply.Error, StringComparison.Ordinal);
        Assert.Empty(_push.Requests);
    }

    [Fact]
    public async Task Send_PayloadOfExactlyTheLimit_Fits()
    {
        var data = new JsonObject { ["title"] = "", ["body"] = "" };
        data["body"] = new string('x', WebPushEncryption.MaxPlaintext - data.ToJsonString().Length);

        var reply = await SendAsync(data: data);

        Assert.Equal(AttemptOutcome.Success, reply.Outcome);
        Assert.Equal(4096, _push.Single.Body.Length);
    }

    private string Decrypt(byte[] body) => WebPushTestCrypto.Decrypt(body, _subscriptionKey, _authSecret);

    public async ValueTask DisposeAsync()
    {
        await _push.DisposeAsync();
        _host.Dispose();
        _subscriptionKey.Dispose();
        _vapidKey.Dispose();
    }
}
