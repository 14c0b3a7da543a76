using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;
using Notiflows.Server.Providers.Push;

namespace Notiflows.Server.Tests.Providers.Push;

/// <summary>
/// <c>apns</c> on the wire. The fake speaks HTTP/2 over cleartext with prior knowledge (h2c): the provider insists on
/// HTTP/2 (<c>RequestVersionExact</c>), so a request that arrives at all arrived as HTTP/2. The provider token is
/// verified with the public half of the configured .p8 key.
/// </summary>
public sealed class ApnsProviderTests : IAsyncLifetime
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private FakeProviderServer _apns = null!;
    private PushTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _apns = await FakeProviderServer.StartAsync(http2Only: true);
        _host = new PushTestHost(new Dictionary<string, string?> { ["Notiflows:Providers:apns:BaseUrl"] = _apns.Url });
    }

    private JsonObject Config(string authType = "key", string? key = null) => new()
    {
        ["bundle_id"] = "com.example.app", ["environment"] = "sandbox", ["auth_type"] = authType,
        ["key_id"] = "ABC123DEFG", ["team_id"] = "DEF123GHIJ", ["key"] = key ?? _key.ExportPkcs8PrivateKeyPem(),
        ["certificate"] = null, ["certificate_password"] = null,
    };

    private static FakeAnswer Sent => new(200, null, new Dictionary<string, string> { ["apns-id"] = "eabeae54-14a8-11e5-b60b-1697f925ec7b" });

    private static FakeAnswer Error(int status, string reason) => new(status, $$"""{"reason":"{{reason}}"}""");

    private Task<ProviderReply> SendAsync(JsonObject? data = null, JsonObject? config = null) =>
        _host.Provider("apns").SendAsync(
            PushTestHost.Message("mobile_push", "apns", config ?? Config(), data ?? PushTestHost.MobilePushData(), "a1b2c3d4e5f60718"),
            TestContext.Current.CancellationToken);

    private (JsonObject Header, JsonObject Claims) ProviderToken(FakeRequest request)
    {
        var authorization = request.Header("authorization")!;
        Assert.StartsWith("bearer ", authorization, StringComparison.Ordinal);
        using var publicKey = ECDsa.Create(_key.ExportParameters(false));
        return TestJwt.VerifyEs256(authorization["bearer ".Length..], publicKey);
    }

    [Fact]
    public async Task Send_PostsOverHttp2WithASignedProviderToken()
    {
        _apns.Answer(Sent);

        var reply = await SendAsync();

        Assert.Equal(ProviderReply.Ok(200, "eabeae54-14a8-11e5-b60b-1697f925ec7b"), reply);
        var request = _apns.Single;
        Assert.Equal(("POST", "/3/device/a1b2c3d4e5f60718", "HTTP/2"), (request.Method, request.Path, request.Protocol));
        Assert.Equal(("com.example.app", "alert"), (request.Header("apns-topic"), request.Header("apns-push-type")));
        Assert.Equal([null, null, null], [request.Header("apns-priority"), request.Header("apns-expiration"), request.Header("apns-collapse-id")]);
        Assert.Equal("application/json; charset=utf-8", request.Header("Content-Type"));
        var (header, claims) = ProviderToken(request);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["alg"] = "ES256", ["kid"] = "ABC123DEFG" }, header));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["iss"] = "DEF123GHIJ", ["iat"] = PushTestHost.Start.ToUnixTimeSeconds() }, claims));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"aps": {"alert": {"title": "Order shipped", "body": "Your order #42 is on its way"}}}
            """), request.Json), request.Text);
    }

    [Fact]
    public async Task Send_MapsEveryOptionalFieldToHeadersAndPayload()
    {
        await SendAsync(PushTestHost.MobilePushData(("subtitle", "Tracking inside"), ("image_url", "https://cdn.example.com/box.png"),
            ("action_url", "https://example.com/orders/42"), ("sound", "chime.caf"), ("badge_count", 3), ("category", "ORDER"),
            ("thread_id", "orders"), ("collapse_id", "order-42"), ("interruption_level", "time_sensitive"), ("priority", "normal"),
            ("relevance_score", 0.75), ("ttl", 3600), ("android_channel_id", "orders")));

        var request = _apns.Single;
        Assert.Equal(["5", PushTestHost.Start.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), "order-42"],
            [request.Header("apns-priority"), request.Header("apns-expiration"), request.Header("apns-collapse-id")]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"aps": {"alert": {"title": "Order shipped", "subtitle": "Tracking inside", "body": "Your order #42 is on its way"},
                     "badge": 3, "sound": "chime.caf", "category": "ORDER", "thread-id": "orders",
                     "interruption-level": "time-sensitive", "relevance-score": 0.75, "mutable-content": 1},
             "action_url": "https://example.com/orders/42", "image_url": "https://cdn.example.com/box.png"}
            """), request.Json), request.Text);
    }

    [Fact]
    public async Task Send_HighPriority_Is10()
    {
        await SendAsync(PushTestHost.MobilePushData(("priority", "high")));

        Assert.Equal("10", _apns.Single.Header("apns-priority"));
    }

    [Fact]
    public async Task Send_ReusesTheProviderTokenFor50Minutes()
    {
        await SendAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(49));
        await SendAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await SendAsync();

        var issuedAt = _apns.Requests.Select(r => ProviderToken(r).Claims["iat"]!.GetValue<long>()).ToArray();
        Assert.Equal([PushTestHost.Start.ToUnixTimeSeconds(), PushTestHost.Start.ToUnixTimeSeconds(),
            PushTestHost.Start.AddMinutes(50).ToUnixTimeSeconds()], issuedAt);
    }

    [Fact]
    public async Task Send_ExpiredProviderToken_IsRetryable_AndRenewsTheTokenOnlyOnceItIs20MinutesOld()
    {
        _apns.Answer(Error(403, "ExpiredProviderToken"), Error(403, "ExpiredProviderToken"));

        var reply = await SendAsync();
        await SendAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(20));
        await SendAsync();

        Assert.Equal(new ProviderReply(AttemptOutcome.Retryable, 403, "HTTP 403 ExpiredProviderToken"), reply);
        var issuedAt = _apns.Requests.Select(r => ProviderToken(r).Claims["iat"]!.GetValue<long>()).ToArray();
        Assert.Equal([PushTestHost.Start.ToUnixTimeSeconds(), PushTestHost.Start.ToUnixTimeSeconds(),
            PushTestHost.Start.AddMinutes(20).ToUnixTimeSeconds()], issuedAt);
    }

    [Theory]
    [InlineData(410, "Unregistered", AttemptOutcome.Permanent, true)]
    [InlineData(400, "BadDeviceToken", AttemptOutcome.Permanent, true)]
    [InlineData(400, "DeviceTokenNotForTopic", AttemptOutcome.Permanent, false)]
    [InlineData(400, "BadCollapseId", AttemptOutcome.Permanent, false)]
    [InlineData(403, "InvalidProviderToken", AttemptOutcome.Permanent, false)]
    [InlineData(413, "PayloadTooLarge", AttemptOutcome.Permanent, false)]
    [InlineData(429, "TooManyRequests", AttemptOutcome.Retryable, false)]
    [InlineData(500, "InternalServerError", AttemptOutcome.Retryable, false)]
    [InlineData(503, "ServiceUnavailable", AttemptOutcome.Retryable, false)]
    public async Task Send_ClassifiesTheDocumentedReasons(int status, string reason, AttemptOutcome outcome, bool gone)
    {
        _apns.Answer(Error(status, reason));

        var reply = await SendAsync();

        Assert.Equal(new ProviderReply(outcome, status, $"HTTP {status} {reason}", null, null, gone), reply);
    }

    [Fact]
    public async Task Send_TimeoutOrDroppedConnection_IsRetryableWithoutStatus()
    {
        var timeout = await _apns.SendTimingOutAsync(() => SendAsync(), _host.Time, TimeSpan.FromSeconds(0.5));
        _apns.Answer(FakeAnswer.Dropped);
        var dropped = await SendAsync();

        Assert.Equal((AttemptOutcome.Retryable, (int?)null), (timeout.Outcome, timeout.StatusCode));
        Assert.Contains("timed out", timeout.Error, StringComparison.Ordinal);
        Assert.Equal((AttemptOutcome.Retryable, (int?)null), (dropped.Outcome, dropped.StatusCode));
    }

    [Theory]
    [InlineData("key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "the channel's key is not a usable ES256 (.p8) key")]
    [InlineData("key", "not a pem", "the channel's key is not a usable ES256 (.p8) key")]
    public async Task Send_UnusableConfiguration_FailsPermanentlyWithoutACall(string authType, string key, string error)
    {
        var reply = await SendAsync(config: Config(authType, key));

        Assert.Equal(new ProviderReply(AttemptOutcome.Permanent, null, error), reply);
        Assert.Empty(_apns.Requests);
    }

    [Theory]
    [InlineData("production", "https://api.push.apple.com")]
    [InlineData("sandbox", "https://api.sandbox.push.apple.com")]
    public void Host_FollowsTheEnvironment(string environment, string host) => Assert.Equal(host, ApnsProvider.Host(environment));

    public async ValueTask DisposeAsync()
    {
        await _apns.DisposeAsync();
        _host.Dispose();
        _key.Dispose();
    }
}
